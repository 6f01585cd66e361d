import warnings

import numpy as np
import pytest
from hypothesis import given
from numdiff import FD_RTOL, numeric_gradient, record_check
from strategies import NEGATIVE_SEEDS
from test_cost_from_logits import cost_gradient, logits_and_classes, moderate_batch
from wrong_formulas import grad_logits_reversed

from snippets import cost_from_logits, grad_check, softmax

EPS64 = np.finfo(np.float64).eps
EPS32 = float(np.finfo(np.float32).eps)
EPS_TWO_THIRDS_BOUND = 30 * EPS64 ** (2 / 3)

# The error of central differences in a dtype, in units of eps**(2/3) times the scale
# ||g|| + |f|: about 1 at the balanced step eps**(1/3), and far more at a smaller step.
BALANCED_STEP_RATIO = 10
ROUNDING_DOMINATED_RATIO = 100


def cost_function(classes, shape, dtype=np.float64):
    def cost_of_logits(z):
        return cost_from_logits(np.asarray(z, dtype=dtype).reshape(shape), classes)

    return cost_of_logits


def central_differences(function, point, step, dtype):
    """Estimate a gradient with every operation in dtype, as code without an upcast does."""
    point = point.astype(dtype)
    estimate = np.empty(point.shape)
    for index in np.ndindex(point.shape):
        forward = point.copy()
        backward = point.copy()
        forward[index] += dtype(step)
        backward[index] -= dtype(step)
        width = float(forward[index] - backward[index])
        estimate[index] = (function(forward) - function(backward)) / width
    return estimate


def error_in_units(gradient, estimate, value, eps):
    """Return ||gradient - estimate|| / (eps**(2/3) (||gradient|| + |value|))."""
    scale = np.linalg.norm(gradient) + abs(value)
    return np.linalg.norm(gradient - estimate) / (eps ** (2 / 3) * scale)


@pytest.mark.equation("eq:fd-step")
@given(logits_and_classes())
def test_grad_check_accepts_cost_gradient(case):
    logits, classes = case
    function = cost_function(classes, logits.shape)
    gradient = cost_gradient(logits, classes)
    error = grad_check(function, logits, gradient)
    # Each difference rounds by about eps |f| / h, so relative to ||g|| the bound grows with |f| / ||g||.
    tolerance = FD_RTOL * (1 + function(logits) / np.linalg.norm(gradient))

    assert error <= tolerance
    record_check("fd", error / tolerance)


@pytest.mark.equation("eq:fd-step")
@pytest.mark.parametrize("seed", range(20))
def test_grad_check_error_is_near_eps_two_thirds(seed):
    logits, classes = moderate_batch(seed)
    function = cost_function(classes, logits.shape)
    error = grad_check(function, logits, cost_gradient(logits, classes))

    # Measured from 3e-11 to 5e-10 over 200 seeds, 1 to 13 times eps**(2/3), because |f| is a
    # few times ||g||; 30 eps**(2/3) ≈ 1.1e-9 is the bound the numerics chapter states.
    assert error <= EPS_TWO_THIRDS_BOUND
    record_check("fd", error / EPS_TWO_THIRDS_BOUND)


def squared_norm(x):
    return float(np.sum(x**2))


# 2 x at x = (1, -2, 3): central differences of a quadratic are exact up to rounding.
QUADRATIC_POINT = np.array([1.0, -2.0, 3.0])
QUADRATIC_GRADIENT = 2 * QUADRATIC_POINT


@pytest.mark.equation("eq:fd-step")
@pytest.mark.parametrize("factor", [0.5, 2.0])
def test_grad_check_is_norm_relative(factor):
    # ||c g - g|| / max(||c g||, ||g||) is 0.5 for c = 2 and c = 0.5. An absolute error gives
    # ||g|| ≈ 7.5 or 3.7, and dividing by ||c g|| alone gives 1 for c = 0.5.
    error = grad_check(squared_norm, QUADRATIC_POINT, factor * QUADRATIC_GRADIENT)

    assert error == pytest.approx(0.5, abs=FD_RTOL)


@pytest.mark.equation("eq:fd-step")
def test_grad_check_ignores_scale_of_function():
    # Scaling f and g by 1e6 leaves a relative error unchanged, but multiplies an absolute one.
    wrong = 1.1 * QUADRATIC_GRADIENT
    error = grad_check(squared_norm, QUADRATIC_POINT, wrong)
    scaled = grad_check(lambda x: 1e6 * squared_norm(x), QUADRATIC_POINT, 1e6 * wrong)

    assert error == pytest.approx(0.1 / 1.1, abs=FD_RTOL)
    assert scaled == pytest.approx(error, abs=FD_RTOL)


@pytest.mark.equation("eq:fd-step")
def test_grad_check_of_zero_gradient_is_one():
    # ||0 - g|| / max(0, ||g||) = 1, where dividing by ||0|| alone would give inf.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        error = grad_check(squared_norm, QUADRATIC_POINT, np.zeros(3))

    assert error == pytest.approx(1.0, abs=FD_RTOL)


@pytest.mark.equation("eq:fd-step")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_grad_check_rejects_wrong_gradients(seed):
    logits, classes = moderate_batch(seed)
    function = cost_function(classes, logits.shape)
    right = cost_gradient(logits, classes)
    labels = np.eye(logits.shape[0])[classes].T
    wrong_gradients = {
        "y - a": grad_logits_reversed(labels, softmax(logits)) / logits.shape[1],
        "missing 1/m": right * logits.shape[1],
        "doubled 1/m": right / logits.shape[1],
    }

    for name, gradient in wrong_gradients.items():
        assert grad_check(function, logits, gradient) > FD_RTOL, name


@pytest.mark.equation("eq:fd-step")
def test_grad_check_agrees_with_numdiff():
    logits, classes = moderate_batch(0)
    function = cost_function(classes, logits.shape)
    numeric = numeric_gradient(function, logits.ravel()).reshape(logits.shape)
    error = grad_check(function, logits, numeric)

    # Both estimate the same derivative with steps of the same size, so they agree to rounding.
    assert error <= FD_RTOL


@pytest.mark.equation("eq:fd-step")
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.int64])
def test_grad_check_upcasts_point(dtype):
    seen = []

    def squared_norm(x):
        seen.append(x.dtype)
        return float(np.sum(x**2))

    point = np.arange(6, dtype=dtype).reshape(2, 3)
    error = grad_check(squared_norm, point, 2 * point.astype(np.float64))

    assert set(seen) == {np.dtype(np.float64)}
    assert error <= FD_RTOL


@pytest.mark.equation("eq:fd-step")
def test_grad_check_scales_step_with_point():
    # At |x| = 1e8 an unscaled step of 6e-6 is still representable (the float64 spacing there is
    # 1.5e-8), but f = sin(x / 1e8) then changes by only about 1e-13 across it, and the rounding
    # of f near 1 (about 1e-16) leaves an error near 1e-3. The scaled step 6e2 avoids that.
    point = np.array([1e8, -3e8])
    gradient = np.cos(point / 1e8) / 1e8

    def function(x):
        return float(np.sum(np.sin(x / 1e8)))

    unscaled = central_differences(function, point, EPS64 ** (1 / 3), np.float64)

    assert grad_check(function, point, gradient) <= FD_RTOL
    assert grad_check(function, point, unscaled) > 1e3 * FD_RTOL


@pytest.mark.equation("eq:fd-step")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_float32_differences_at_float64_step_are_rounding(seed):
    logits, classes = moderate_batch(seed)
    function = cost_function(classes, logits.shape, np.float32)
    gradient = cost_gradient(logits, classes)
    estimate = central_differences(function, logits, EPS64 ** (1 / 3), np.float32)

    # Rounding adds about eps32 |f| / h ≈ 0.02 |f|, hundreds of eps32**(2/3) ≈ 2.4e-5.
    assert error_in_units(gradient, estimate, function(logits), EPS32) >= ROUNDING_DOMINATED_RATIO


@pytest.mark.equation("eq:fd-step")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_float32_differences_at_float32_step_are_balanced(seed):
    logits, classes = moderate_batch(seed)
    function = cost_function(classes, logits.shape, np.float32)
    gradient = cost_gradient(logits, classes)
    estimate = central_differences(function, logits, EPS32 ** (1 / 3), np.float32)
    ratio = error_in_units(gradient, estimate, function(logits), EPS32)

    assert ratio <= BALANCED_STEP_RATIO
    record_check("fd", ratio / BALANCED_STEP_RATIO)


@pytest.mark.equation("eq:fd-step")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_grad_check_of_float32_function_fails(seed):
    # grad_check upcasts the point, but a function that computes in float32 undoes it.
    logits, classes = moderate_batch(seed)
    function = cost_function(classes, logits.shape, np.float32)

    assert grad_check(function, logits, cost_gradient(logits, classes)) > 1e-3


def test_grad_check_rejects_non_scalar_function():
    with pytest.raises(ValueError, match=r"function must return a real scalar, got shape \(2,\)"):
        grad_check(lambda x: x, np.ones(2), np.ones(2))


def test_grad_check_rejects_non_finite_function():
    with pytest.raises(ValueError, match=r"function must return a finite value, got inf"):
        grad_check(lambda x: np.inf, np.ones(2), np.ones(2))
