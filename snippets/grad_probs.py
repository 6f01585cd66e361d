import numpy as np


def grad_probs(labels, probs):
    """Compute the derivative of the cross-entropy loss by the probabilities.

    Equation: eq:grad-probs, dl/da = -(y / a)^T, element-wise division.
    The row vector dl/da and the gradient share one 1-D array in code.

    Parameters
    ----------
    labels : array of shape (C,), non-negative
    probs : array of shape (C,), every entry positive

    Returns
    -------
    grad : array of shape (C,), entry i is -y_i / a_i

    Raises
    ------
    ValueError
        If an argument is not 1-D or is empty, the shapes differ, a value is
        not finite, ``labels`` has a negative entry, or ``probs`` has an
        entry that is not positive.
    """
    labels = np.asarray(labels, dtype=float)
    probs = np.asarray(probs, dtype=float)
    if labels.ndim != 1 or labels.size == 0 or probs.shape != labels.shape:
        raise ValueError(
            "labels and probs must share a shape (C,) with C >= 1, "
            f"got {labels.shape} and {probs.shape}"
        )
    for name, value in (("labels", labels), ("probs", probs)):
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{name} must be finite, got a NaN or infinity")
    if np.any(labels < 0):
        raise ValueError(
            f"labels must be non-negative, got minimum {labels.min()}"
        )
    if np.any(probs <= 0):
        raise ValueError(
            f"probs must be positive to divide by it, "
            f"got minimum {probs.min()}"
        )

    return -labels / probs
