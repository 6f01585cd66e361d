import numpy as np


def batch_grad_logits(labels, probs):
    """Compute dZ, the gradient of the batch cost J by the logits Z.

    Equation: eq:batch-dz, dZ = (A - Y) / m. Column k is a - y of sample k
    divided by the batch size, because J is the mean of the m losses.

    Parameters
    ----------
    labels : array of shape (C, m), each column summing to 1
    probs : array of shape (C, m), the softmax output, each column summing
        to 1

    Returns
    -------
    d_logits : array of shape (C, m)

    Raises
    ------
    ValueError
        If an argument is not 2-D or is empty, the shapes differ, a value is
        not real, finite and non-negative, or a column misses a sum of 1 by
        more than sqrt(eps) of the argument's dtype.
    """
    arrays = {}
    for name, value in (("labels", labels), ("probs", probs)):
        value = np.asarray(value)
        if value.dtype.kind not in "biuf":
            raise ValueError(
                f"{name} must contain real numbers, got dtype {value.dtype}"
            )
        # Sums of float32 softmax outputs miss 1 by far more than float64 ones.
        dtype = value.dtype if value.dtype.kind == "f" else np.dtype(float)
        tolerance = np.sqrt(np.finfo(dtype).eps)
        value = value.astype(float)
        if value.ndim != 2 or value.size == 0:
            raise ValueError(
                f"{name} must have shape (C, m) with C >= 1 and m >= 1, "
                f"got {value.shape}"
            )
        if not np.all(np.isfinite(value)) or np.any(value < 0):
            raise ValueError(
                f"{name} must be finite and non-negative, got minimum "
                f"{value.min()} and maximum {value.max()}"
            )
        sums = value.sum(axis=0)
        if np.any(np.abs(sums - 1) > tolerance):
            raise ValueError(
                f"each column of {name} must sum to 1, got sums {sums}"
            )
        arrays[name] = value
    labels, probs = arrays["labels"], arrays["probs"]
    if probs.shape != labels.shape:
        raise ValueError(
            f"probs has shape {probs.shape}, expected the shape of labels "
            f"{labels.shape}"
        )

    samples = labels.shape[1]
    return (probs - labels) / samples
