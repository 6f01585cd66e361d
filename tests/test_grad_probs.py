import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numdiff import matches_finite_differences, numeric_gradient
from strategies import LABEL_KINDS, NEGATIVE_SEEDS, logits_and_labels, moderate_case
from wrong_formulas import grad_probs_without_minus

from snippets import cross_entropy, grad_probs, softmax


def matches_log_step_differences(grad_function, labels, probs):
    # Softmax outputs at logits of ±30 fall to 2e-28, far below the step, so the differences step
    # in log a instead. At u = 0, d/du_i l(y, a * exp(u)) is a_i dl/da_i, whatever the size of a_i.
    def loss_of_log_step(u):
        return cross_entropy(labels, probs * np.exp(u))

    analytic = probs * grad_function(labels, probs)
    numeric = numeric_gradient(loss_of_log_step, np.zeros_like(probs))
    # The argument u is 0, so only the loss value sets the rounding scale.
    scale = abs(cross_entropy(labels, probs))
    return matches_finite_differences(analytic, numeric, scale)


@pytest.mark.equation("eq:grad-probs")
@pytest.mark.parametrize("kind", LABEL_KINDS)
@given(data=st.data())
def test_grad_probs_matches_finite_differences(kind, data):
    logits, labels = data.draw(logits_and_labels(kind))

    assert matches_log_step_differences(grad_probs, labels, softmax(logits))


@pytest.mark.equation("eq:grad-probs")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_grad_probs_without_minus_fails_check(seed):
    logits, labels = moderate_case(seed)

    assert not matches_log_step_differences(grad_probs_without_minus, labels, softmax(logits))
