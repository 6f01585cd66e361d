import numpy as np


def grad_probs(labels, probs):
    """Compute the gradient of the cross-entropy loss with respect to the probabilities.

    Equation: eq:grad-probs, dl/da = -(y / a)^T, element-wise division.
    The row vector dl/da and the gradient share one 1-D array in code.

    Parameters
    ----------
    labels : array of shape (C,)
    probs : array of shape (C,), every entry positive

    Returns
    -------
    grad : array of shape (C,), entry i is -y_i / a_i

    Raises
    ------
    ValueError
        If an argument is not 1-D, the shapes differ, a value is not finite,
        or ``probs`` has an entry that is not positive.
    """
    labels, probs = np.asarray(labels, dtype=float), np.asarray(probs, dtype=float)
    if labels.ndim != 1 or labels.shape != probs.shape:
        raise ValueError(f"labels and probs must both have shape (C,), got {labels.shape} and {probs.shape}")
    if not (np.all(np.isfinite(labels)) and np.all(np.isfinite(probs))):
        raise ValueError("labels and probs must be finite, got a NaN or infinity")
    if np.any(probs <= 0):
        raise ValueError(f"probs must be positive to divide by it, got minimum {probs.min()}")

    return -labels / probs
