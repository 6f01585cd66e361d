import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numdiff import equal_up_to_rounding, matches_finite_differences, numeric_gradient
from strategies import LABEL_KINDS, NEGATIVE_SEEDS, logit_and_label_batches, moderate_case
from test_grad_logits import matches_loss_differences

from snippets import (
    cross_entropy,
    grad_logits,
    grad_probs,
    linear_forward,
    relu_jacobian,
    sigmoid_jacobian,
    softmax,
    softmax_jacobian,
    vector_jacobian_product,
)


def batch_matches_columns(gradient, labels, probs):
    # Each column of a batch gradient must be the gradient of that sample alone.
    if gradient.shape != labels.shape:
        return False
    columns = [grad_logits(labels[:, j], probs[:, j]) for j in range(labels.shape[1])]
    return bool(np.array_equal(gradient, np.stack(columns, axis=1)))


@pytest.mark.equation("eq:grad-logits")
@pytest.mark.parametrize("kind", LABEL_KINDS)
@given(data=st.data())
def test_grad_logits_batch_matches_columns(kind, data):
    logits, labels = data.draw(logit_and_label_batches(kind))
    probs = softmax(logits)

    assert batch_matches_columns(grad_logits(labels, probs), labels, probs)


@pytest.mark.equation("eq:grad-logits")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_batch_gradient_with_shuffled_labels_fails(seed):
    logits, labels = moderate_case(seed, batch_size=4)
    probs = softmax(logits)
    # Pairing each sample with another sample's labels is a wrong-axis bug.
    assert not batch_matches_columns(probs - labels[:, ::-1], labels, probs)


@pytest.mark.equation("eq:grad-logits")
def test_transposed_batch_gradient_fails():
    logits, labels = moderate_case(0, batch_size=4)
    probs = softmax(logits)

    assert not batch_matches_columns((probs - labels).T, labels, probs)


@pytest.mark.equation("eq:grad-logits", "eq:jac-matrix")
@pytest.mark.parametrize("num_classes", [3, 10, 100])
def test_float32_softmax_outputs_are_accepted(num_classes):
    rng = np.random.default_rng(num_classes)
    labels = np.zeros(num_classes, dtype=np.float32)
    labels[0] = 1
    for _ in range(200):
        logits = rng.standard_normal(num_classes).astype(np.float32)
        exps = np.exp(logits - logits.max())
        probs = exps / exps.sum()
        # Rounding in float32 leaves the sum about 1e-7 from 1; neither function may reject it.
        assert grad_logits(labels, probs).shape == (num_classes,)
        assert softmax_jacobian(probs).shape == (num_classes, num_classes)


@pytest.mark.equation("eq:grad-logits")
def test_grad_logits_accepts_rounding_in_label_sums():
    labels = np.array([0.3, 0.7 + 1e-12, 0.0])

    assert grad_logits(labels, np.full(3, 1 / 3)).shape == (3,)


@pytest.mark.equation("eq:grad-logits")
@pytest.mark.parametrize("excess", [1e-6, -1e-6, 0.3])
def test_grad_logits_rejects_off_sum_labels(excess):
    labels = np.array([0.3, 0.7 + excess, 0.0])

    with pytest.raises(ValueError, match="each column of labels must sum to 1"):
        grad_logits(labels, np.full(3, 1 / 3))


@pytest.mark.equation("eq:grad-probs")
def test_grad_probs_rejects_overflowing_division():
    # softmax puts 4.2e-322 on the second class, and 1 / 4.2e-322 overflows.
    probs = softmax([0.0, -740.0])

    with pytest.raises(ValueError, match="overflows float64 where probs"):
        grad_probs([0.0, 1.0], probs)


@pytest.mark.equation("eq:grad-probs")
@given(
    labels=st.lists(st.floats(0, 10), min_size=2, max_size=20),
    seed=st.integers(0, 2**32 - 1),
)
def test_grad_probs_matches_differences_for_any_labels(labels, seed):
    labels = np.array(labels)
    probs = np.random.default_rng(seed).uniform(0.05, 1.0, labels.size)

    def loss(log_probs):
        # The loss depends on each a_i alone, so it needs no normalised probabilities.
        return cross_entropy(labels, np.exp(log_probs))

    # Stepping in log a gives a * (dl/da), the same check as for labels that sum to 1.
    numeric = numeric_gradient(loss, np.log(probs))
    scale = max(abs(loss(np.log(probs))), 1.0)
    assert matches_finite_differences(probs * grad_probs(labels, probs), numeric, scale)


@pytest.mark.equation("eq:loss")
@given(labels=st.lists(st.floats(0, 1), min_size=2, max_size=20), seed=st.integers(0, 2**32 - 1))
def test_cross_entropy_equals_its_definition(labels, seed):
    labels = np.array(labels)
    probs = np.random.default_rng(seed).dirichlet(np.ones(labels.size))
    probs = np.maximum(probs, 1e-300)
    expected = -sum(y * np.log(a) for y, a in zip(labels, probs) if y > 0)

    # The sum of C terms, each the rounded product of two rounded factors.
    loss = cross_entropy(labels, probs)
    assert equal_up_to_rounding(loss, expected, scale=abs(expected) + 1, terms=labels.size)


@pytest.mark.equation("eq:loss")
def test_certain_prediction_loss_is_positive_zero():
    loss = cross_entropy([0.0, 1.0], [0.0, 1.0])

    assert loss == 0
    assert np.copysign(1.0, loss) == 1.0


@pytest.mark.equation("eq:relu-jac")
def test_relu_jacobian_is_zero_at_zero():
    assert relu_jacobian([0.0, 1.0, -1.0])[0, 0] == 0


@pytest.mark.equation("eq:sigmoid-jac")
def test_sigmoid_jacobian_at_extreme_logits_is_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        jacobian = sigmoid_jacobian([-1000.0, 0.0, 1000.0])

    assert np.array_equal(np.diag(jacobian), [0.0, 0.25, 0.0])


@pytest.mark.equation("eq:grad-logits")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_slightly_scaled_gradient_fails_finite_differences(seed):
    logits, labels = moderate_case(seed)
    gradient = grad_logits(labels, softmax(logits))

    # The finite-difference tolerance is near 1.5e-8 relative, so a gradient 1e-6 off must fail.
    assert matches_loss_differences(gradient, logits, labels)
    assert not matches_loss_differences(gradient * (1 + 1e-6), logits, labels)


@pytest.mark.equation("eq:jac-matrix")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_slightly_scaled_jacobian_fails_exact_check(seed):
    logits, _ = moderate_case(seed)
    probs = softmax(logits)
    jacobian = softmax_jacobian(probs)
    expected = np.diag(probs) - np.outer(probs, probs)

    # The exact tolerance is a few eps, so a matrix 1e-12 off must fail.
    assert equal_up_to_rounding(jacobian, expected, scale=probs.max())
    assert not equal_up_to_rounding(jacobian * (1 + 1e-12), expected, scale=probs.max())


NON_REAL = [
    pytest.param(softmax, ([5j, 0, 0],), "logits must contain real numbers", id="complex"),
    pytest.param(softmax, (["0", "1", "0"],), "logits must contain real numbers", id="strings"),
    pytest.param(softmax, ({"a": 1},), "logits must contain real numbers", id="dict"),
    pytest.param(
        grad_logits, (["x", "y"], [0.5, 0.5]), "labels must contain real numbers", id="string labels"
    ),
    pytest.param(softmax, ([[1.0, 2.0, 3.0]],), r"C >= 2 .*\(1, 3\)", id="one class, a row"),
    pytest.param(
        linear_forward,
        (np.full((2, 1), 1e308), np.full((2, 1), 1e308), [0.0]),
        "logits overflow",
        id="linear overflow",
    ),
    pytest.param(
        vector_jacobian_product,
        ([1e308, 1e308], np.full((2, 2), 1e308)),
        "overflows float64",
        id="product overflow",
    ),
    pytest.param(cross_entropy, ([1e308, 1e308], [1e-300, 0.5]), "loss overflows", id="loss overflow"),
]


@pytest.mark.equation("eq:softmax", "eq:grad-logits", "eq:linear", "eq:chain", "eq:loss")
@pytest.mark.parametrize(("function", "arguments", "match"), NON_REAL)
def test_hostile_input_raises_value_error(function, arguments, match):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=match):
            function(*arguments)


@pytest.mark.equation("eq:softmax")
def test_softmax_far_apart_logits_exact():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        probs = softmax([1e308, -1e308])

    assert np.array_equal(probs, [1.0, 0.0])
