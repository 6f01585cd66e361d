import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numdiff import (
    EXACT_RTOL,
    equal_up_to_rounding,
    matches_finite_differences,
    numeric_directional,
    numeric_gradient,
    random_direction,
)
from strategies import (
    LABEL_KINDS,
    NEGATIVE_SEEDS,
    logit_and_label_batches,
    logit_batches,
    logit_vectors,
    logits,
    logits_and_upstream,
    moderate_case,
    num_classes,
    seeds,
)
from test_grad_logits import matches_loss_differences
from wrong_formulas import softmax_over_last_axis

from snippets import (
    cost,
    cross_entropy,
    cross_entropy_from_logits,
    grad_cost_probs,
    grad_logits,
    grad_logits_general,
    grad_probs,
    sigmoid_jacobian,
    sigmoid_vjp,
    softmax,
    softmax_jacobian,
    softmax_temperature,
    softmax_vjp,
    vector_jacobian_product,
)

NAN, INF = np.nan, np.inf
SMALLEST_NORMAL = np.finfo(np.float64).tiny
UNIFORM = np.full(3, 1 / 3)
ONE_HOT = np.array([0.0, 1.0, 0.0])

logit_arrays = st.one_of(logit_vectors, logit_batches)


def non_negative_labels(size):
    # Any label sum from 0 to 10 * size: the answers of exercises 2.1 and 5.1
    # must not rely on a sum of 1. Subnormal labels are left out because
    # they round by an absolute step, which relative tolerances cannot bound.
    element = st.floats(0.0, 10.0, allow_subnormal=False)
    return arrays(np.float64, size, elements=element)


ANY_LABEL_KINDS = {**LABEL_KINDS, "non-negative": non_negative_labels}


@st.composite
def logits_and_any_labels(draw, kind):
    size = draw(num_classes)
    return draw(logits(size)), draw(ANY_LABEL_KINDS[kind](size))


def sigmoid(logits):
    # No overflow: exp(-z) stays below e**30 for logits within ±30.
    return 1 / (1 + np.exp(-logits))


def moderate_upstream(seed, size):
    return np.random.default_rng(seed).uniform(-10, 10, size)


# ---- Exercise 1.1: softmax with a temperature ------------------------------


def softmax_times_temperature(logits, temperature):
    # Multiplies the logits by T instead of dividing, which is also right at
    # T = 1 but sharpens as T grows.
    return softmax(logits * temperature)


def softmax_last_axis_temperature(logits, temperature):
    # Normalises each class across the samples of a (C, m) batch.
    return softmax_over_last_axis(logits / temperature)


def matches_softmax_of_scaled_logits(function, logits, temperature):
    expected = softmax(logits / temperature)
    # Dividing before or after the shift rounds each scaled logit by up to
    # eps * |z| / T, which exp turns into a relative error of the output.
    terms = 2 * np.abs(logits).max() / temperature + logits.shape[0] + 2
    actual = function(logits, temperature)
    return equal_up_to_rounding(actual, expected, scale=expected, terms=terms)


def within_one_hot_bound(probs, logits, temperature):
    # 1 - a_t <= (C - 1) exp(-gap / T), with gap the distance from the
    # largest logit z_t to the next largest.
    ordered = np.sort(logits)
    gap = ordered[-1] - ordered[-2]
    bound = (logits.size - 1) * np.exp(-gap / temperature)
    rounding = logits.size * EXACT_RTOL
    return bool(1 - probs[np.argmax(logits)] <= bound + rounding)


def within_uniform_bound(probs, logits, temperature):
    # With d = (max z - min z) / T, every a_i lies within expm1(d) / C of
    # 1 / C, because each exp((z_i - max z) / T) lies in [exp(-d), 1].
    size = logits.shape[0]
    spread = np.ptp(logits, axis=0) / temperature
    bound = np.expm1(spread) / size
    rounding = (size + 2) * EXACT_RTOL / size
    return bool(np.all(np.abs(probs - 1 / size) <= bound + rounding))


def temperature_batch_matches_columns(function, logits, temperature):
    batch = function(logits, temperature)
    for j in range(logits.shape[1]):
        column = softmax_temperature(logits[:, j], temperature)
        # The two sums of C terms may add in different orders.
        if not equal_up_to_rounding(
            batch[:, j], column, scale=column, terms=logits.shape[0]
        ):
            return False
    return True


@given(logit_arrays)
def test_softmax_temperature_one_is_softmax(logits):
    # Dividing by 1.0 is exact, so both functions round the same numbers.
    assert np.array_equal(softmax_temperature(logits, 1.0), softmax(logits))


@given(logit_arrays, st.floats(0.1, 10.0))
def test_softmax_temperature_is_softmax_of_scaled_logits(logits, temperature):
    assert matches_softmax_of_scaled_logits(
        softmax_temperature, logits, temperature
    )


@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_multiplying_by_temperature_fails_scaling(seed):
    logits, _ = moderate_case(seed)

    assert not matches_softmax_of_scaled_logits(
        softmax_times_temperature, logits, 2.0
    )


@given(logit_vectors, st.sampled_from([1.0, 0.3, 0.1, 0.03, 0.01]))
def test_softmax_temperature_approaches_one_hot(logits, temperature):
    probs = softmax_temperature(logits, temperature)

    assert within_one_hot_bound(probs, logits, temperature)


@given(logit_vectors)
def test_softmax_temperature_is_one_hot_at_small_temperature(logits):
    # A gap of at least 1 at T = 1e-3 leaves exp(-1000) for every other
    # class, which underflows to exactly 0.
    logits = logits.copy()
    winner = np.argmax(logits)
    logits[winner] += 1.0

    probs = softmax_temperature(logits, 1e-3)
    assert np.array_equal(probs, np.eye(logits.size)[winner])


@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_multiplying_by_temperature_fails_one_hot_limit(seed):
    logits, _ = moderate_case(seed)
    probs = softmax_times_temperature(logits, 1e-3)

    assert not within_one_hot_bound(probs, logits, 1e-3)


def test_softmax_temperature_splits_tied_maxima():
    probs = softmax_temperature([2.0, 2.0, 0.0], 1e-3)

    assert np.array_equal(probs, [0.5, 0.5, 0.0])


@given(logit_arrays, st.integers(0, 12).map(lambda power: 10.0**power))
def test_softmax_temperature_approaches_uniform(logits, temperature):
    probs = softmax_temperature(logits, temperature)

    assert within_uniform_bound(probs, logits, temperature)


@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_multiplying_by_temperature_fails_uniform_limit(seed):
    logits, _ = moderate_case(seed)
    probs = softmax_times_temperature(logits, 1e3)

    assert not within_uniform_bound(probs, logits, 1e3)


@given(logit_batches, st.floats(0.1, 10.0))
def test_softmax_temperature_batch_equals_columns(logits, temperature):
    assert temperature_batch_matches_columns(
        softmax_temperature, logits, temperature
    )


@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_last_axis_temperature_breaks_batching(seed):
    logits, _ = moderate_case(seed, batch_size=4)

    assert not temperature_batch_matches_columns(
        softmax_last_axis_temperature, logits, 2.0
    )


@pytest.mark.parametrize("temperature", [5e-324, 1e-300, 1e300, 1.7e308])
def test_softmax_temperature_at_extreme_temperatures(temperature):
    logits = np.array([[1e308, 0.0], [-1e308, 1.0], [0.0, 1.0]])

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        probs = softmax_temperature(logits, temperature)
    assert np.all(np.isfinite(probs))
    assert equal_up_to_rounding(probs.sum(axis=0), 1.0, scale=1.0, terms=3)


# ---- Exercise 2.1: cross-entropy from the logits ---------------------------


def cross_entropy_from_logits_without_label_sum(labels, logits):
    # logsumexp(z) - y . z, which drops the factor sum_i y_i and so is right
    # only when the labels sum to 1.
    largest = logits.max()
    log_sum_exp = largest + np.log(np.sum(np.exp(logits - largest)))
    return float(log_sum_exp - labels @ logits)


def cross_entropy_from_logits_unshifted(labels, logits):
    # The same formula without the max shift, so exp overflows past 709.
    return float(np.log(np.sum(np.exp(logits))) * labels.sum() - labels @ logits)


def matches_cross_entropy_of_softmax(function, labels, logits):
    expected = cross_entropy(labels, softmax(logits))
    # ln a_i rounds by about eps (|z_i - max z| + C) on each side, and the
    # loss adds C such terms weighted by y_i.
    size = logits.size
    scale = labels.sum() * (np.ptp(logits) + np.log(size) + 1)
    actual = function(labels, logits)
    return equal_up_to_rounding(actual, expected, scale=scale, terms=size + 4)


# Logits far beyond exp's float64 range (about 709), with the loss that each
# label gives. Every term of the shifted formula is exact here.
HUGE_LOGITS = np.array([1e4, -1e4, 0.0])
HUGE_LOGIT_LOSSES = [
    pytest.param([0.0, 1.0, 0.0], 2e4, id="label on the smallest logit"),
    pytest.param([1.0, 0.0, 0.0], 0.0, id="label on the largest logit"),
    pytest.param([0.5, 0.5, 0.0], 1e4, id="soft label"),
    pytest.param([0.0, 0.0, 3.0], 3e4, id="label summing to 3"),
]


@pytest.mark.parametrize("kind", ANY_LABEL_KINDS)
@given(data=st.data())
def test_cross_entropy_from_logits_equals_probability_form(kind, data):
    logits, labels = data.draw(logits_and_any_labels(kind))

    assert matches_cross_entropy_of_softmax(
        cross_entropy_from_logits, labels, logits
    )


@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_loss_without_label_sum_fails(seed):
    logits, labels = moderate_case(seed)

    assert not matches_cross_entropy_of_softmax(
        cross_entropy_from_logits_without_label_sum, 2 * labels, logits
    )


@pytest.mark.parametrize("kind", ANY_LABEL_KINDS)
@given(data=st.data())
def test_cross_entropy_from_logits_is_non_negative(kind, data):
    logits, labels = data.draw(logits_and_any_labels(kind))

    assert cross_entropy_from_logits(labels, logits) >= 0


@pytest.mark.parametrize(("labels", "expected"), HUGE_LOGIT_LOSSES)
def test_cross_entropy_from_logits_is_exact_for_huge_logits(labels, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = cross_entropy_from_logits(labels, HUGE_LOGITS)

    assert loss == expected


def test_cross_entropy_of_softmax_fails_for_huge_logits():
    # softmax puts exactly 0 on the class with logit -1e4, so the loss
    # through the probabilities is infinite and cross_entropy rejects it.
    probs = softmax(HUGE_LOGITS)

    with pytest.raises(ValueError, match="probs must be positive wherever"):
        cross_entropy(ONE_HOT, probs)


@pytest.mark.parametrize(("labels", "_"), HUGE_LOGIT_LOSSES)
def test_unshifted_loss_overflows_for_huge_logits(labels, _):
    with np.errstate(over="ignore", invalid="ignore"):
        loss = cross_entropy_from_logits_unshifted(np.array(labels), HUGE_LOGITS)

    assert not np.isfinite(loss)


# ---- Exercise 3.1: gradient of the batch cost by the probabilities ---------


def grad_summed_cost_probs(labels, probs):
    # Drops the 1/m of the mean, as for a cost that sums the losses.
    return -labels / probs


def matches_cost_directional(gradient, labels, probs, seed):
    # Stepping in ln A keeps every probability positive for any step, and
    # the derivative along d in ln A is sum(A * dJ/dA * d).
    direction = random_direction(np.random.default_rng(seed), probs.size)
    direction = direction.reshape(probs.shape)
    log_probs = np.log(probs)

    def cost_of_log_probs(x):
        return cost(labels, np.exp(x))

    numeric = numeric_directional(cost_of_log_probs, log_probs, direction)
    analytic = np.sum(probs * gradient * direction)
    # The cost and the log-probabilities (rounded by the step) set the
    # rounding scale.
    scale = max(cost_of_log_probs(log_probs), np.abs(log_probs).max())
    return matches_finite_differences(analytic, numeric, scale)


@pytest.mark.parametrize("kind", LABEL_KINDS)
@given(data=st.data(), seed=seeds)
def test_grad_cost_probs_matches_directional_derivative(kind, data, seed):
    logits, labels = data.draw(logit_and_label_batches(kind))
    probs = softmax(logits)
    gradient = grad_cost_probs(labels, probs)

    assert matches_cost_directional(gradient, labels, probs, seed)


@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_summed_cost_gradient_fails_directional_derivative(seed):
    logits, labels = moderate_case(seed, batch_size=4)
    probs = softmax(logits)
    gradient = grad_summed_cost_probs(labels, probs)

    assert not matches_cost_directional(gradient, labels, probs, seed)


@pytest.mark.parametrize("kind", LABEL_KINDS)
@given(data=st.data())
def test_grad_cost_probs_columns_match_grad_probs(kind, data):
    logits, labels = data.draw(logit_and_label_batches(kind))
    probs = softmax(logits)
    samples = labels.shape[1]
    gradient = grad_cost_probs(labels, probs)

    for k in range(samples):
        expected = grad_probs(labels[:, k], probs[:, k]) / samples
        # Both sides round one division by a and one by m, in either order.
        # A subnormal y / m rounds by up to half a subnormal step, an error
        # that the division by a then multiplies by 1 / a.
        scale = np.maximum(np.abs(expected), SMALLEST_NORMAL / probs[:, k])
        assert equal_up_to_rounding(
            gradient[:, k], expected, scale=scale, terms=2
        )


# ---- Exercise 4.1: the vector-Jacobian product of softmax -----------------


def softmax_vjp_diagonal_only(upstream, probs):
    # Keeps only the diagonal a_j (1 - a_j) of the Jacobian, as for sigmoid.
    return upstream * probs * (1 - probs)


def softmax_vjp_unweighted_mean(upstream, probs):
    # Computes a * v - v . a, whose subtracted term misses its factor a_j.
    return probs * upstream - upstream @ probs


WRONG_SOFTMAX_VJPS = [softmax_vjp_diagonal_only, softmax_vjp_unweighted_mean]


def matches_jacobian_product(function, upstream, probs):
    expected = vector_jacobian_product(upstream, softmax_jacobian(probs))
    # Entry j of either side adds C terms, each at most max|v| a_j (a_i +
    # delta_ij) in size, so the sum is at most 2 max|v| a_j.
    scale = 2 * np.abs(upstream).max() * probs
    actual = function(upstream, probs)
    return equal_up_to_rounding(
        actual, expected, scale=scale, terms=upstream.size + 2
    )


def matches_softmax_directional(function, logits, upstream, seed):
    direction = random_direction(np.random.default_rng(seed), logits.size)
    probs = softmax(logits)
    analytic = function(upstream, probs) @ direction
    numeric = numeric_directional(
        lambda z: upstream @ softmax(z), logits, direction
    )
    # |v . a| is at most ||v|| ||a||, which bounds the rounding of the
    # function value.
    scale = np.linalg.norm(upstream) * np.linalg.norm(probs)
    return matches_finite_differences(analytic, numeric, scale)


def sums_to_zero(gradient, upstream):
    # Every row of the Jacobian sums to 0, so v J 1 = 0. Each entry is at
    # most 2 max|v| a_j and the entries of a sum to 1.
    scale = 2 * np.abs(upstream).max()
    return equal_up_to_rounding(
        gradient.sum(), 0.0, scale=scale, terms=gradient.size + 2
    )


@given(logits_and_upstream())
def test_softmax_vjp_equals_product_with_jacobian(case):
    logits, upstream = case

    assert matches_jacobian_product(softmax_vjp, upstream, softmax(logits))


@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
@pytest.mark.parametrize("wrong_vjp", WRONG_SOFTMAX_VJPS)
def test_wrong_softmax_vjp_differs_from_jacobian_product(wrong_vjp, seed):
    logits, _ = moderate_case(seed)
    upstream = moderate_upstream(seed, logits.size)

    assert not matches_jacobian_product(wrong_vjp, upstream, softmax(logits))


@given(logits_and_upstream(), seeds)
def test_softmax_vjp_matches_directional_derivative(case, seed):
    logits, upstream = case

    assert matches_softmax_directional(softmax_vjp, logits, upstream, seed)


@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
@pytest.mark.parametrize("wrong_vjp", WRONG_SOFTMAX_VJPS)
def test_wrong_softmax_vjp_fails_directional_derivative(wrong_vjp, seed):
    logits, _ = moderate_case(seed)
    upstream = moderate_upstream(seed, logits.size)

    assert not matches_softmax_directional(wrong_vjp, logits, upstream, seed)


@given(logits_and_upstream())
def test_softmax_vjp_entries_sum_to_zero(case):
    logits, upstream = case

    assert sums_to_zero(softmax_vjp(upstream, softmax(logits)), upstream)


@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
@pytest.mark.parametrize("wrong_vjp", WRONG_SOFTMAX_VJPS)
def test_wrong_softmax_vjp_sum_is_not_zero(wrong_vjp, seed):
    logits, _ = moderate_case(seed)
    upstream = moderate_upstream(seed, logits.size)

    assert not sums_to_zero(wrong_vjp(upstream, softmax(logits)), upstream)


def test_softmax_vjp_runs_where_the_jacobian_cannot_fit():
    # The float64 Jacobian of a million classes would take 8 TB, while the
    # product needs a few arrays of 8 MB.
    rng = np.random.default_rng(0)
    size = 10**6
    probs = softmax(rng.standard_normal(size))
    upstream = rng.standard_normal(size)

    gradient = softmax_vjp(upstream, probs)
    assert gradient.shape == (size,)
    assert sums_to_zero(gradient, upstream)


# ---- Exercise 5.1: the gradient for labels of any sum ----------------------


def grad_logits_ignoring_label_sum(labels, probs):
    # The chapter 5 result a - y, exact only when the labels sum to 1.
    return probs - labels


def grad_logits_normalising_labels(labels, probs):
    # Rescales the labels to sum to 1 first, which loses the factor sum y.
    return probs - labels / labels.sum(axis=0)


def grad_logits_general_last_axis(labels, probs):
    # Sums the labels across the samples of a (C, m) batch.
    return probs * labels.sum(axis=-1, keepdims=True) - labels


WRONG_GENERAL_GRADIENTS = [
    grad_logits_ignoring_label_sum,
    grad_logits_normalising_labels,
]


def matches_logits_loss_differences(gradient, logits, labels):
    def loss(z):
        return cross_entropy_from_logits(labels, z)

    numeric = numeric_gradient(loss, logits)
    # The loss and the logits (rounded by the step) set the rounding scale.
    scale = max(loss(logits), np.abs(logits).max())
    return matches_finite_differences(gradient, numeric, scale)


def general_batch_matches_columns(function, labels, probs):
    batch = function(labels, probs)
    if batch.shape != labels.shape:
        return False
    for k in range(labels.shape[1]):
        column = grad_logits_general(labels[:, k], probs[:, k])
        # The label sum adds C terms, in an order that may differ.
        scale = probs[:, k] * labels[:, k].sum() + labels[:, k]
        if not equal_up_to_rounding(
            batch[:, k], column, scale=scale, terms=labels.shape[0] + 1
        ):
            return False
    return True


@pytest.mark.parametrize("kind", ANY_LABEL_KINDS)
@given(data=st.data())
def test_grad_logits_general_matches_finite_differences(kind, data):
    logits, labels = data.draw(logits_and_any_labels(kind))
    gradient = grad_logits_general(labels, softmax(logits))

    assert matches_loss_differences(gradient, logits, labels)


@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
@pytest.mark.parametrize("wrong_gradient", WRONG_GENERAL_GRADIENTS)
def test_wrong_general_gradient_fails_finite_differences(wrong_gradient, seed):
    logits, labels = moderate_case(seed)
    labels = 2 * labels
    gradient = wrong_gradient(labels, softmax(logits))

    assert not matches_loss_differences(gradient, logits, labels)


@pytest.mark.parametrize("kind", ANY_LABEL_KINDS)
@given(data=st.data())
def test_grad_logits_general_is_gradient_of_logits_loss(kind, data):
    logits, labels = data.draw(logits_and_any_labels(kind))
    gradient = grad_logits_general(labels, softmax(logits))

    assert matches_logits_loss_differences(gradient, logits, labels)


@pytest.mark.parametrize("kind", LABEL_KINDS)
@given(data=st.data())
def test_grad_logits_general_equals_grad_logits(kind, data):
    logits, labels = data.draw(logits_and_any_labels(kind))
    probs = softmax(logits)

    # The label sum is 1 up to C roundings, which scale a_j.
    assert equal_up_to_rounding(
        grad_logits_general(labels, probs),
        grad_logits(labels, probs),
        scale=probs + labels,
        terms=labels.size + 1,
    )


@pytest.mark.parametrize("kind", LABEL_KINDS)
@given(data=st.data(), weights=st.lists(st.floats(0.0, 5.0), min_size=8))
def test_grad_logits_general_batch_equals_columns(kind, data, weights):
    logits, labels = data.draw(logit_and_label_batches(kind))
    # Give each sample its own label sum.
    labels = labels * np.array(weights[: labels.shape[1]])

    assert general_batch_matches_columns(
        grad_logits_general, labels, softmax(logits)
    )


@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_last_axis_label_sum_breaks_batching(seed):
    logits, labels = moderate_case(seed, batch_size=4)
    labels = labels * np.array([0.5, 1.0, 2.0, 3.0])

    assert not general_batch_matches_columns(
        grad_logits_general_last_axis, labels, softmax(logits)
    )


# ---- Exercise 6.1: backpropagation through sigmoid ------------------------


def sigmoid_vjp_from_activation(upstream, logits):
    # Multiplies by the activation s(z) in place of its derivative.
    return upstream * sigmoid(logits)


def matches_sigmoid_jacobian_product(function, upstream, logits):
    expected = upstream @ sigmoid_jacobian(logits)
    # 1 - s(z) in sigmoid_jacobian is off by up to about eps, so entry j of
    # the reference is off by up to a few eps times |v_j|, or by an absolute
    # rounding below the smallest normal float.
    scale = np.maximum(np.abs(upstream), SMALLEST_NORMAL)
    actual = function(upstream, logits)
    return equal_up_to_rounding(actual, expected, scale=scale, terms=3)


def matches_sigmoid_directional(function, logits, upstream, seed):
    direction = random_direction(np.random.default_rng(seed), logits.size)
    analytic = function(upstream, logits) @ direction
    numeric = numeric_directional(
        lambda z: upstream @ sigmoid(z), logits, direction
    )
    # The function value and the logits (rounded by the step) set the
    # rounding scale, both weighted by the upstream.
    size = max(np.linalg.norm(sigmoid(logits)), np.abs(logits).max())
    scale = np.linalg.norm(upstream) * size
    return matches_finite_differences(analytic, numeric, scale)


@given(logits_and_upstream())
def test_sigmoid_vjp_equals_product_with_jacobian(case):
    logits, upstream = case

    assert matches_sigmoid_jacobian_product(sigmoid_vjp, upstream, logits)


@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_activation_as_sigmoid_vjp_differs_from_jacobian(seed):
    logits, _ = moderate_case(seed)
    upstream = moderate_upstream(seed, logits.size)

    assert not matches_sigmoid_jacobian_product(
        sigmoid_vjp_from_activation, upstream, logits
    )


@given(logits_and_upstream(), seeds)
def test_sigmoid_vjp_matches_directional_derivative(case, seed):
    logits, upstream = case

    assert matches_sigmoid_directional(sigmoid_vjp, logits, upstream, seed)


@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_activation_as_sigmoid_vjp_fails_directional_derivative(seed):
    logits, _ = moderate_case(seed)
    upstream = moderate_upstream(seed, logits.size)

    assert not matches_sigmoid_directional(
        sigmoid_vjp_from_activation, logits, upstream, seed
    )


@given(st.data())
def test_sigmoid_vjp_batch_equals_columns(data):
    logits_batch = data.draw(logit_batches)
    upstream = data.draw(logits(logits_batch.shape))
    batch = sigmoid_vjp(upstream, logits_batch)

    for k in range(logits_batch.shape[1]):
        column = sigmoid_vjp(upstream[:, k], logits_batch[:, k])
        # Element-wise arithmetic rounds each entry the same way.
        assert np.array_equal(batch[:, k], column)


def test_sigmoid_vjp_keeps_relative_accuracy_at_large_logits():
    logits = np.array([20.0, 40.0, 700.0, -40.0])
    # exp(-|z|) / (1 + exp(-|z|))**2 is s'(z) with no cancellation.
    small = np.exp(-np.abs(logits))
    expected = small / (1 + small) ** 2

    gradient = sigmoid_vjp(np.ones(4), logits)
    assert equal_up_to_rounding(gradient, expected, scale=expected, terms=4)
    # sigmoid_jacobian computes s(z) (1 - s(z)), where 1 - s(40) rounds to 0.
    assert sigmoid_jacobian([40.0])[0, 0] == 0


def test_sigmoid_vjp_at_extreme_logits_is_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gradient = sigmoid_vjp([2.0, 2.0, 2.0], [-1000.0, 0.0, 1000.0])

    assert np.array_equal(gradient, [0.0, 0.5, 0.0])


# ---- Bad input --------------------------------------------------------------


def case(function, arguments, match, name):
    return pytest.param(
        function, arguments, match, id=f"{function.__name__}-{name}"
    )


# Each pattern names the argument at fault and, where the message gives it,
# the shape or value received. test_bad_input.py checks that every exported
# function appears here or in its own table.
EXERCISE_BAD_INPUTS = [
    case(softmax_temperature, ([[[0.0]]], 1.0), r"logits .*\(1, 1, 1\)", "3-D"),
    case(softmax_temperature, ([[1.0, 2.0]], 1.0), r"logits .*C >= 2 .*\(1, 2\)", "one class"),
    case(softmax_temperature, (np.zeros(0), 1.0), r"logits .*\(0,\)", "no classes"),
    case(softmax_temperature, ([0.0, NAN], 1.0), r"logits must be finite", "nan logits"),
    case(softmax_temperature, (["0", "1"], 1.0), r"logits must contain real", "string logits"),
    case(
        softmax_temperature,
        (UNIFORM, 0.0),
        r"temperature must be positive and finite, got 0\.0",
        "zero",
    ),
    case(
        softmax_temperature,
        (UNIFORM, -1.0),
        r"temperature must be positive and finite, got -1\.0",
        "negative",
    ),
    case(softmax_temperature, (UNIFORM, NAN), r"temperature must be positive", "nan"),
    case(softmax_temperature, (UNIFORM, INF), r"temperature must be positive", "inf"),
    case(
        softmax_temperature,
        (UNIFORM, [1.0, 2.0]),
        r"temperature must be a real scalar, .*shape \(2,\)",
        "array",
    ),
    case(softmax_temperature, (UNIFORM, 1j), r"temperature must be a real scalar", "complex"),
    case(cross_entropy_from_logits, ([[1.0], [0.0]], [[0.5], [0.5]]), r"labels .*\(2, 1\)", "2-D"),
    case(
        cross_entropy_from_logits,
        (ONE_HOT, [0.5, 0.5]),
        r"labels and logits .*\(3,\) and \(2,\)",
        "mismatched shapes",
    ),
    case(cross_entropy_from_logits, (np.zeros(0), np.zeros(0)), r"labels .*\(0,\)", "no classes"),
    case(
        cross_entropy_from_logits,
        ([NAN, 1.0, 0.0], UNIFORM),
        r"labels must be finite",
        "nan labels",
    ),
    case(
        cross_entropy_from_logits,
        (ONE_HOT, [0.0, INF, 0.0]),
        r"logits must be finite",
        "inf logits",
    ),
    case(
        cross_entropy_from_logits,
        (ONE_HOT, ["a", "b", "c"]),
        r"logits must contain real",
        "strings",
    ),
    case(
        cross_entropy_from_logits,
        ([-1.0, 2.0, 0.0], UNIFORM),
        r"labels must be non-negative, got minimum -1",
        "negative labels",
    ),
    case(
        cross_entropy_from_logits,
        ([1e308, 1e308], [0.0, 0.0]),
        r"loss overflows float64",
        "loss overflow",
    ),
    case(grad_cost_probs, (ONE_HOT, UNIFORM), r"labels .*\(3,\)", "1-D"),
    case(
        grad_cost_probs,
        (np.ones((3, 2)), np.ones((3, 3))),
        r"labels and probs .*\(3, 2\) and \(3, 3\)",
        "mismatched shapes",
    ),
    case(
        grad_cost_probs,
        (np.zeros((3, 0)), np.zeros((3, 0))),
        r"labels .*\(3, 0\)",
        "empty batch",
    ),
    case(
        grad_cost_probs,
        (ONE_HOT[:, None], [[NAN], [0.5], [0.5]]),
        r"probs must be finite",
        "nan probs",
    ),
    case(
        grad_cost_probs,
        (-ONE_HOT[:, None], UNIFORM[:, None]),
        r"labels must be non-negative, got minimum -1",
        "negative labels",
    ),
    case(
        grad_cost_probs,
        (ONE_HOT[:, None], [[0.5], [0.0], [0.5]]),
        r"probs must be positive to divide by it, got minimum 0",
        "division by zero",
    ),
    case(
        grad_cost_probs,
        ([[1.0]], [[1e-310]]),
        r"labels / \(m probs\) overflows float64, with probs as small as 1e-310",
        "division overflow",
    ),
    case(softmax_vjp, (np.ones((3, 1)), UNIFORM), r"upstream .*\(3, 1\)", "2-D upstream"),
    case(
        softmax_vjp,
        (np.ones(3), [0.5, 0.5]),
        r"upstream and probs .*\(3,\) and \(2,\)",
        "mismatched shapes",
    ),
    case(softmax_vjp, (np.zeros(0), np.zeros(0)), r"upstream .*\(0,\)", "no classes"),
    case(softmax_vjp, ([1.0, NAN, 0.0], UNIFORM), r"upstream must be finite", "nan upstream"),
    case(softmax_vjp, (np.ones(3), [INF, 0.0, 0.0]), r"probs must be finite", "inf probs"),
    case(
        softmax_vjp,
        (np.ones(3), [-0.5, 1.0, 0.5]),
        r"probs must be non-negative, got minimum -0\.5",
        "negative probs",
    ),
    case(
        softmax_vjp,
        (np.ones(3), [0.5, 0.5, 0.5]),
        r"probs must sum to 1 .*got sum 1\.5",
        "unnormalised probs",
    ),
    case(
        softmax_vjp,
        ([1.7e308, -1.7e308], [0.9, 0.1]),
        r"probs \* \(upstream - upstream @ probs\) overflows float64",
        "overflow",
    ),
    case(
        grad_logits_general,
        (np.ones((3, 1, 1)), np.ones((3, 1, 1))),
        r"labels .*\(3, 1, 1\)",
        "3-D",
    ),
    case(
        grad_logits_general,
        (ONE_HOT, ONE_HOT[:, None]),
        r"labels and probs .*\(3,\) and \(3, 1\)",
        "mismatched shapes",
    ),
    case(grad_logits_general, (np.zeros(0), np.zeros(0)), r"labels .*\(0,\)", "no classes"),
    case(grad_logits_general, ([NAN, 1.0, 0.0], UNIFORM), r"labels must be finite", "nan labels"),
    case(
        grad_logits_general,
        ([-1.0, 2.0, 0.0], UNIFORM),
        r"labels must be non-negative, got minimum -1",
        "negative labels",
    ),
    case(
        grad_logits_general,
        (ONE_HOT, [-0.5, 1.0, 0.5]),
        r"probs must be non-negative, got minimum -0\.5",
        "negative probs",
    ),
    case(
        grad_logits_general,
        (ONE_HOT, [0.5, 0.5, 0.5]),
        r"each column of probs must sum to 1, got sums 1\.5",
        "probs sum to 1.5",
    ),
    case(
        grad_logits_general,
        ([1e308, 1e308], [0.5, 0.5]),
        r"overflows float64",
        "overflow",
    ),
    case(sigmoid_vjp, (np.ones((2, 1, 1)), np.ones((2, 1, 1))), r"upstream .*\(2, 1, 1\)", "3-D"),
    case(
        sigmoid_vjp,
        (np.ones(3), np.ones((3, 1))),
        r"upstream and logits .*\(3,\) and \(3, 1\)",
        "mismatched shapes",
    ),
    case(sigmoid_vjp, (np.zeros(0), np.zeros(0)), r"upstream .*\(0,\)", "no classes"),
    case(sigmoid_vjp, ([1.0, NAN], [0.0, 0.0]), r"upstream must be finite", "nan upstream"),
    case(sigmoid_vjp, ([1.0, 1.0], [INF, 0.0]), r"logits must be finite", "inf logits"),
    case(sigmoid_vjp, ([1j, 1.0], [0.0, 0.0]), r"upstream must contain real", "complex upstream"),
]


@pytest.mark.parametrize(("function", "arguments", "match"), EXERCISE_BAD_INPUTS)
def test_exercise_bad_input_raises_value_error(function, arguments, match):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=match):
            function(*arguments)
