import numpy as np


def _check_logits(logits):
    logits = np.asarray(logits)
    if logits.dtype.kind not in "biuf":
        raise ValueError(
            f"logits must contain real numbers, got dtype {logits.dtype}"
        )
    logits = logits.astype(float)
    if logits.ndim != 1 or logits.size == 0:
        raise ValueError(
            f"logits must have shape (C,) with C >= 1, got {logits.shape}"
        )
    if not np.all(np.isfinite(logits)):
        raise ValueError("logits must be finite, got a NaN or infinity")
    return logits


def sigmoid_jacobian(logits):
    """Build the Jacobian of the element-wise sigmoid, a diagonal matrix.

    Equation: eq:sigmoid-jac, da/dz = diag(s(z) (1 - s(z))).

    Parameters
    ----------
    logits : array of shape (C,)

    Returns
    -------
    jacobian : array of shape (C, C), zero off the diagonal

    Raises
    ------
    ValueError
        If ``logits`` is not real, not 1-D, is empty, or is not finite.
    """
    logits = _check_logits(logits)
    # exp(-z) overflows only for z < -709, where sigma(z) < 1e-307 and the
    # 0 that 1 / (1 + inf) gives is off by less than that, so no warning.
    with np.errstate(over="ignore"):
        sigma = 1 / (1 + np.exp(-logits))

    return np.diag(sigma * (1 - sigma))


def relu_jacobian(logits):
    """Build the Jacobian of the element-wise ReLU, a diagonal matrix.

    Equation: eq:relu-jac, da/dz = diag(1[z > 0]).
    NOTE: ReLU has no derivative at z = 0; this returns 0 there, a common
    convention.

    Parameters, returns and errors are those of ``sigmoid_jacobian``.
    """
    logits = _check_logits(logits)

    return np.diag((logits > 0).astype(float))
