"""Central-difference derivatives, float64 tolerances and the checks built on them.

Positive and negative tests call the same check functions here, so a negative test
proves that the check can reject a wrong formula.
"""

import os
from collections import defaultdict

import numpy as np

EPS = np.finfo(np.float64).eps

# Accepted checks per test: {test id: {kind: [count, largest error / tolerance]}}.
# tests/conftest.py writes them into the verification report after the run.
ACCEPTED_CHECKS = defaultdict(dict)


def record_check(kind, ratio):
    """Count one accepted check of the running test, of kind "fd", "exact" or "autodiff"."""
    # pytest sets PYTEST_CURRENT_TEST to "<test id> (call)" while a test body runs.
    test_id = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" ", 1)[0]
    count, largest = ACCEPTED_CHECKS[test_id].get(kind, (0, 0.0))
    ACCEPTED_CHECKS[test_id][kind] = [count + 1, max(largest, float(ratio))]

# The two sides of an exact identity differ only by rounding. Each entry passes through a few
# correctly rounded operations, so it is off by a few eps of its magnitude, and a sum of n terms
# by n times that.
EXACT_RTOL = 4 * EPS

# Truncation error grows like h**2 and rounding error like eps / h, so h = eps**(1/3) balances them.
FD_STEP = EPS ** (1 / 3)

# Central differences at FD_STEP are off by about eps**(2/3) ≈ 3.7e-11 times the scale of the
# function, so sqrt(eps) ≈ 1.5e-8 leaves a margin of about 400 and still rejects wrong formulas.
FD_RTOL = np.sqrt(EPS)


def numeric_directional(function, x, direction):
    """Estimate the derivative of function at x along direction by a central difference.

    The function may return a scalar or an array, and the estimate has the same shape.
    """
    x = np.asarray(x, dtype=np.float64)
    step = FD_STEP * np.asarray(direction, dtype=np.float64)
    forward = np.asarray(function(x + step), dtype=np.float64)
    backward = np.asarray(function(x - step), dtype=np.float64)
    return (forward - backward) / (2 * FD_STEP)


def numeric_gradient(function, x):
    """Estimate the gradient of a scalar function at x, one coordinate at a time."""
    x = np.asarray(x, dtype=np.float64)
    basis = np.eye(x.size)
    return np.array([numeric_directional(function, x, basis[i]) for i in range(x.size)])


def numeric_jacobian(function, x):
    """Estimate the Jacobian of a vector function at x, with df_i/dx_j in entry (i, j)."""
    x = np.asarray(x, dtype=np.float64)
    basis = np.eye(x.size)
    columns = [numeric_directional(function, x, basis[j]) for j in range(x.size)]
    return np.stack(columns, axis=1)


def random_direction(rng, size):
    """Draw a direction of unit norm, uniform on the sphere."""
    direction = rng.standard_normal(size)
    return direction / np.linalg.norm(direction)


def fd_error_ratio(analytic, numeric, scale):
    """Return ||analytic - numeric|| divided by the finite-difference tolerance.

    The tolerance is FD_RTOL * (||analytic|| + scale). ``scale`` bounds the rounding of
    the function value and of its argument, which central differences divide by the step.
    Norms of matrices are Frobenius norms.
    """
    error = np.linalg.norm(np.asarray(analytic) - np.asarray(numeric))
    tolerance = FD_RTOL * (np.linalg.norm(analytic) + scale)
    # A zero error passes even where the tolerance is zero, as for an all-zero matrix.
    return 0.0 if error == 0 else error / tolerance


def matches_finite_differences(analytic, numeric, scale):
    """Return whether an analytic derivative agrees with a central-difference estimate."""
    ratio = fd_error_ratio(analytic, numeric, scale)
    if ratio <= 1:
        record_check("fd", ratio)
    return bool(ratio <= 1)


def equal_up_to_rounding(actual, expected, scale, terms=1):
    """Return whether actual and expected agree entry by entry to a few eps.

    ``scale`` is the magnitude each entry is rounded relative to (broadcast against the
    arrays), and ``terms`` counts the rounded terms in a sum. A scalar ``expected`` is
    compared with every entry; an array ``expected`` of another shape never matches.
    """
    actual, expected = np.asarray(actual), np.asarray(expected)
    if expected.ndim > 0 and actual.shape != expected.shape:
        return False
    tolerance = terms * EXACT_RTOL * np.asarray(scale)
    error = np.abs(actual - expected)
    if not np.all(error <= tolerance):
        return False
    # Entries with a zero tolerance passed with a zero error and add nothing to the ratio.
    ratios = np.divide(error, tolerance, out=np.zeros(np.broadcast(error, tolerance).shape), where=tolerance > 0)
    record_check("exact", ratios.max(initial=0.0))
    return True


def is_diagonal(matrix):
    """Return whether every off-diagonal entry of a square matrix is exactly zero."""
    return bool(np.array_equal(matrix, np.diag(np.diag(matrix))))
