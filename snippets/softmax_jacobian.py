import numpy as np


def _check_probs(probs):
    probs = np.asarray(probs)
    if probs.dtype.kind not in "biuf":
        raise ValueError(
            f"probs must contain real numbers, got dtype {probs.dtype}"
        )
    # Sums of float32 softmax outputs miss 1 by far more than float64 ones.
    dtype = probs.dtype if probs.dtype.kind == "f" else np.dtype(float)
    tolerance = np.sqrt(np.finfo(dtype).eps)
    probs = probs.astype(float)
    if probs.ndim != 1 or probs.size == 0:
        raise ValueError(
            f"probs must have shape (C,) with C >= 1, got {probs.shape}"
        )
    if not np.all(np.isfinite(probs)) or np.any(probs < 0):
        raise ValueError(
            "probs must be finite and non-negative, "
            "got a NaN, infinity or negative entry"
        )
    # sqrt(eps) is far above the rounding of a softmax output (about C * eps)
    # but catches a vector that was never normalised.
    if abs(probs.sum() - 1) > tolerance:
        raise ValueError(
            f"probs must sum to 1 like a softmax output, got sum {probs.sum()}"
        )
    return probs


def softmax_jacobian_elementwise(probs):
    """Build the softmax Jacobian entry by entry, from its two cases.

    Equations: eq:jac-diag, eq:jac-offdiag, eq:jac-cases. Entry (i, j) is
    da_i/dz_j = a_i (1 - a_i) when i == j and -a_i a_j when i != j.

    Parameters
    ----------
    probs : array of shape (C,), the softmax output a

    Returns
    -------
    jacobian : array of shape (C, C)

    Raises
    ------
    ValueError
        If ``probs`` is not real, not 1-D, is empty, is not finite, has a
        negative entry, or misses a sum of 1 by more than sqrt(eps) of its
        dtype.
    """
    probs = _check_probs(probs)
    size = probs.size
    jacobian = np.empty((size, size))
    for i in range(size):
        for j in range(size):
            if i == j:
                jacobian[i, j] = probs[i] * (1 - probs[i])
            else:
                jacobian[i, j] = -probs[i] * probs[j]
    return jacobian


def softmax_jacobian(probs):
    """Build the softmax Jacobian in matrix form.

    Equation: eq:jac-matrix, da/dz = diag(a) - a a^T.

    Parameters, returns and errors are those of
    ``softmax_jacobian_elementwise``.
    """
    probs = _check_probs(probs)

    return np.diag(probs) - np.outer(probs, probs)
