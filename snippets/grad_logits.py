import numpy as np


def grad_logits(labels, probs):
    """Compute the gradient of the cross-entropy loss with respect to the logits.

    Equation: eq:grad-logits, dl/dz = (a - y)^T. The result is exact only
    when the labels of each sample sum to 1, so other labels are rejected.

    Parameters
    ----------
    labels : array of shape (C,) or (C, m), each column summing to 1
    probs : array of the same shape, the softmax output

    Returns
    -------
    grad : array of the same shape, a - y

    Raises
    ------
    ValueError
        If the shapes differ or are not (C,) or (C, m), a value is not
        finite, a label is negative, or a column of ``labels`` does not
        sum to 1.
    """
    labels, probs = np.asarray(labels, dtype=float), np.asarray(probs, dtype=float)
    if labels.ndim not in (1, 2) or labels.shape != probs.shape or labels.size == 0:
        raise ValueError(f"labels and probs must share shape (C,) or (C, m), got {labels.shape} and {probs.shape}")
    if not (np.all(np.isfinite(labels)) and np.all(np.isfinite(probs))):
        raise ValueError("labels and probs must be finite, got a NaN or infinity")
    if np.any(labels < 0):
        raise ValueError(f"labels must be non-negative, got minimum {labels.min()}")
    # The derivation replaces sum_i y_i by 1; sqrt(eps) allows rounding in soft labels.
    sums = labels.sum(axis=0)
    if np.any(np.abs(sums - 1) > np.sqrt(np.finfo(float).eps)):
        raise ValueError(f"each column of labels must sum to 1, got sums {sums!r}")

    return probs - labels
