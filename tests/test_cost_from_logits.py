import warnings
from decimal import Decimal, localcontext

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numdiff import equal_up_to_rounding, matches_finite_differences, numeric_gradient
from strategies import NEGATIVE_SEEDS, batch_sizes, logits, num_classes
from test_autodiff import matches_autodiff, reference_softmax
from wrong_formulas import cost_via_clipped_probs, cost_via_probs

import autograd.numpy as anp
from autograd import grad

from snippets import cost, cost_from_logits, exp_range, softmax

EPS64 = np.finfo(np.float64).eps

# The true class of sample 0 sits 2e4 below the other logit, far past float64's exp range.
SATURATED_LOGITS = np.array([[1e4, -1e4], [-1e4, 1e4]])
SATURATED_CLASSES = np.array([1, 1])
SATURATED_COST = (2e4 + 0.0) / 2

# a_t = e**-50 ≈ 2e-22 lies below the clipping floor 1e-12, and stays there within a step.
CLIPPED_LOGITS = np.array([[0.0, 1.0], [-50.0, 0.0]])
CLIPPED_CLASSES = np.array([1, 0])


@st.composite
def logits_and_classes(draw):
    size, batch_size = draw(num_classes), draw(batch_sizes)
    classes = draw(st.lists(st.integers(0, size - 1), min_size=batch_size, max_size=batch_size))
    return draw(logits((size, batch_size))), np.array(classes)


def one_hot(classes, size):
    return np.eye(size)[classes].T


def cost_gradient(logits, classes):
    """Return (softmax(Z) - Y) / m, the gradient of the mean loss, accurate where a_t is near 1."""
    # a_t - 1 rounds to within eps of 0 when a_t is near 1, so it is formed as minus the sum of
    # the other probabilities, which keeps its relative precision.
    gradient = softmax(logits)
    columns = np.arange(logits.shape[1])
    gradient[classes, columns] = 0
    gradient[classes, columns] = -gradient.sum(axis=0)
    return gradient / logits.shape[1]


def matches_cost_differences(gradient, logits, classes):
    def cost_of_logits(z):
        return cost_from_logits(z.reshape(logits.shape), classes)

    numeric = numeric_gradient(cost_of_logits, logits.ravel()).reshape(logits.shape)
    # The cost and the logits (rounded by the step) set the rounding scale.
    scale = max(cost_of_logits(logits), np.abs(logits).max())
    return matches_finite_differences(gradient, numeric, scale)


def moderate_batch(seed, batch_size=4):
    rng = np.random.default_rng(seed)
    size = int(rng.integers(3, 11))
    return rng.standard_normal((size, batch_size)), rng.integers(0, size, batch_size)


@pytest.mark.equation("eq:cost-logits")
@given(logits_and_classes())
def test_cost_from_logits_equals_cost_of_softmax(case):
    logits, classes = case
    expected = cost(one_hot(classes, logits.shape[0]), softmax(logits))
    # ln a_t rounds by about eps (|z_t - max z| + C) on each side.
    scale = np.ptp(logits) + np.log(logits.shape[0]) + 1

    assert equal_up_to_rounding(cost_from_logits(logits, classes), expected, scale, terms=logits.shape[0] + 4)


@pytest.mark.equation("eq:cost-logits")
@given(logits_and_classes())
def test_cost_gradient_matches_finite_differences(case):
    logits, classes = case

    assert matches_cost_differences(cost_gradient(logits, classes), logits, classes)


@pytest.mark.equation("eq:cost-logits")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_cost_gradient_without_mean_fails(seed):
    logits, classes = moderate_batch(seed)
    gradient = cost_gradient(logits, classes) * logits.shape[1]

    assert not matches_cost_differences(gradient, logits, classes)


def reference_cost_of_logits(labels):
    def cost_of_logits(z):
        return -anp.mean(anp.sum(labels * anp.log(reference_softmax(z)), axis=0))

    return cost_of_logits


@pytest.mark.equation("eq:cost-logits")
@given(logits_and_classes())
def test_cost_gradient_matches_autodiff(case):
    logits, classes = case
    expected = grad(reference_cost_of_logits(one_hot(classes, logits.shape[0])))(logits)
    scale = np.linalg.norm(softmax(logits)) / logits.shape[1]

    assert matches_autodiff(cost_gradient(logits, classes), expected, scale)


@pytest.mark.equation("eq:cost-logits")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_reversed_cost_gradient_fails_autodiff(seed):
    logits, classes = moderate_batch(seed)
    expected = grad(reference_cost_of_logits(one_hot(classes, logits.shape[0])))(logits)
    scale = np.linalg.norm(softmax(logits)) / logits.shape[1]

    assert not matches_autodiff(-cost_gradient(logits, classes), expected, scale)


@pytest.mark.equation("eq:cost-logits")
@given(logits_and_classes())
def test_cost_from_logits_differences_match_autodiff(case):
    # Ties the snippet itself, not a formula for its gradient, to the oracle.
    logits, classes = case
    expected = grad(reference_cost_of_logits(one_hot(classes, logits.shape[0])))(logits)

    assert matches_cost_differences(expected, logits, classes)


@pytest.mark.equation("eq:cost-logits")
def test_cost_from_logits_is_exact_when_saturated():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = cost_from_logits(SATURATED_LOGITS, SATURATED_CLASSES)

    assert result == SATURATED_COST


@pytest.mark.equation("eq:cost-logits")
def test_cost_via_probs_is_infinite_when_saturated():
    with np.errstate(divide="ignore"):
        result = cost_via_probs(SATURATED_LOGITS, SATURATED_CLASSES)

    assert result == np.inf


@pytest.mark.equation("eq:cost-logits")
def test_clipped_cost_is_wrong_when_saturated():
    exact = cost_from_logits(CLIPPED_LOGITS, CLIPPED_CLASSES)
    clipped = cost_via_clipped_probs(CLIPPED_LOGITS, CLIPPED_CLASSES)

    # Sample 0 loses 50 + ln(1 + e**-50), but the clip caps it at -ln(1e-12) ≈ 27.63.
    assert exact == pytest.approx((50 + np.log1p(np.exp(-50)) + np.log1p(np.exp(-1))) / 2)
    assert clipped == pytest.approx((-np.log(1e-12) + np.log1p(np.exp(-1))) / 2)
    assert exact - clipped > 11


@pytest.mark.equation("eq:cost-logits")
def test_clipped_cost_has_zero_gradient_when_saturated():
    def clipped_cost(z):
        return cost_via_clipped_probs(z.reshape(CLIPPED_LOGITS.shape), CLIPPED_CLASSES)

    def exact_cost(z):
        return cost_from_logits(z.reshape(CLIPPED_LOGITS.shape), CLIPPED_CLASSES)

    clipped = numeric_gradient(clipped_cost, CLIPPED_LOGITS.ravel()).reshape(CLIPPED_LOGITS.shape)
    exact = numeric_gradient(exact_cost, CLIPPED_LOGITS.ravel()).reshape(CLIPPED_LOGITS.shape)
    analytic = cost_gradient(CLIPPED_LOGITS, CLIPPED_CLASSES)

    # The true-class logit of sample 0 is entry (1, 0); its derivative is (a_t - 1) / m ≈ -0.5.
    assert clipped[1, 0] == 0.0
    assert analytic[1, 0] == pytest.approx(-0.5)
    assert matches_cost_differences(analytic, CLIPPED_LOGITS, CLIPPED_CLASSES)
    assert exact[1, 0] == pytest.approx(-0.5, rel=1e-8)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_cost_from_logits_accepts_each_float_dtype(dtype):
    logits, classes = moderate_batch(0)
    expected = cost_from_logits(logits, classes)
    # float16 keeps 11 significant bits; the loss adds a few roundings of logits near 1.
    tolerance = 8 * float(np.finfo(dtype).eps) * (1 + expected)

    assert cost_from_logits(logits.astype(dtype), classes) == pytest.approx(expected, abs=tolerance)


def exact_cost(logits, classes):
    """Return the mean loss from Python decimals with 400 digits, so ln(1 + e**-700) keeps its digits."""
    with localcontext() as context:
        context.prec = 400
        total = Decimal(0)
        for k, true_class in enumerate(classes):
            column = [Decimal(float(value)) for value in logits[:, k]]
            total += sum((value - column[true_class]).exp() for value in column).ln()
        return float(total / len(classes))


@pytest.mark.equation("eq:cost-logits")
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64], ids=lambda dtype: dtype.__name__)
def test_small_losses_keep_relative_precision(dtype):
    # Gaps from 1 up to -ln(tiny), so that every loss e**-gap stays a normal number of the dtype.
    eps = float(np.finfo(dtype).eps)
    for gap in np.linspace(1.0, -float(exp_range(dtype)[0]), 40).astype(dtype):
        logits = np.array([[gap], [0.0]], dtype=dtype)
        expected = exact_cost(logits, [0])
        # log1p, exp and the sum each round by about eps relative to the loss.
        assert cost_from_logits(logits, [0]) == pytest.approx(expected, rel=4 * eps, abs=0), gap


@pytest.mark.equation("eq:cost-logits")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_confident_batch_keeps_relative_precision(seed):
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal((6, 4))
    classes = rng.integers(0, 6, 4)
    # Each true class sits 20 to 40 above the rest, so every loss is between about 1e-18 and 1e-8.
    logits[classes, np.arange(4)] += rng.uniform(20, 40, 4)
    expected = exact_cost(logits, classes)

    # A sum of C exps and a mean of m losses, each relative to the loss.
    assert cost_from_logits(logits, classes) == pytest.approx(expected, rel=(6 + 4) * EPS64, abs=0)


@pytest.mark.equation("eq:cost-logits")
def test_cost_from_logits_handles_tied_maximum():
    # Two classes share the maximum, so each loss is ln(2 + e**-33), and the tie must keep its 1.
    logits = np.array([[3.0, 3.0], [3.0, 3.0], [-30.0, -30.0]])
    expected = np.log(2 + np.exp(-33.0))

    assert cost_from_logits(logits, np.array([0, 1])) == pytest.approx(expected, rel=4 * EPS64)


@pytest.mark.equation("eq:cost-logits")
def test_float16_cost_with_many_classes():
    # A float16 sum of 70000 ones overflows its maximum 65504, and the loss is ln 70000 ≈ 11.16.
    logits = np.zeros((70_000, 1), dtype=np.float16)
    eps16 = float(np.finfo(np.float16).eps)

    assert cost_from_logits(logits, [0]) == pytest.approx(np.log(70_000), rel=eps16)


def test_integer_logits_give_float64_cost():
    logits, classes = moderate_batch(0)
    integers = np.round(logits * 10).astype(np.int64)

    assert cost_from_logits(integers, classes) == cost_from_logits(integers.astype(np.float64), classes)


@pytest.mark.parametrize("dtype", ["<f8", ">f8", ">f4"])
def test_cost_from_logits_accepts_either_byte_order(dtype):
    logits, classes = moderate_batch(0)
    native = logits.astype(np.dtype(dtype).newbyteorder("="))

    assert cost_from_logits(logits.astype(dtype), classes) == cost_from_logits(native, classes)
