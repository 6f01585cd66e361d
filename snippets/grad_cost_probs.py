import numpy as np


def grad_cost_probs(labels, probs):
    """Compute the gradient of the batch cost J by the probabilities A.

    Answer to exercise 3.1: entry (i, k) is dJ/dA_ik = -Y_ik / (m A_ik),
    so the whole gradient is -(1/m) Y / A, element-wise division. Column k
    is the gradient of the loss of sample k divided by the batch size m.

    Parameters
    ----------
    labels : array of shape (C, m), non-negative, one sample per column
    probs : array of shape (C, m), every entry positive

    Returns
    -------
    grad : array of shape (C, m)

    Raises
    ------
    ValueError
        If an argument is not 2-D or is empty, the shapes differ, a value is
        not real or not finite, ``labels`` has a negative entry, ``probs`` has
        an entry that is not positive, or Y / (m A) overflows float64.
    """
    arrays = {"labels": np.asarray(labels), "probs": np.asarray(probs)}
    for name, value in arrays.items():
        if value.dtype.kind not in "biuf":
            raise ValueError(
                f"{name} must contain real numbers, got dtype {value.dtype}"
            )
    labels = arrays["labels"].astype(float)
    probs = arrays["probs"].astype(float)
    if labels.ndim != 2 or labels.size == 0 or probs.shape != labels.shape:
        raise ValueError(
            "labels and probs must share a shape (C, m), non-empty, "
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
    samples = labels.shape[1]

    # J averages m losses, so the 1/m of the mean scales every entry.
    # Dividing Y by m first overflows only where Y / (m A) itself does.
    with np.errstate(over="ignore"):
        grad = -(labels / samples) / probs
    if not np.all(np.isfinite(grad)):
        raise ValueError(
            "labels / (m probs) overflows float64, with probs as small as "
            f"{probs.min()}"
        )
    return grad
