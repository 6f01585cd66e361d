import numpy as np


def grad_logits(labels, probs):
    """Compute the derivative of the cross-entropy loss by the logits.

    Equation: eq:grad-logits, dl/dz = (a - y)^T. The result is exact only
    when the labels of each sample sum to 1, so a column whose sum misses 1
    by more than sqrt(eps) of its dtype is rejected.

    Parameters
    ----------
    labels : array of shape (C,) or (C, m), each column summing to 1
    probs : array of the same shape, the softmax output, each column
        summing to 1

    Returns
    -------
    grad : array of the same shape, a - y

    Raises
    ------
    ValueError
        If the shapes differ or are not (C,) or (C, m), an argument is empty,
        a value is not real, finite and non-negative, or a column of either
        argument does not sum to 1.
    """
    arrays = {"labels": np.asarray(labels), "probs": np.asarray(probs)}
    tolerances = {}
    for name, value in arrays.items():
        if value.dtype.kind not in "biuf":
            raise ValueError(
                f"{name} must contain real numbers, got dtype {value.dtype}"
            )
        # Sums of float32 softmax outputs miss 1 by far more than float64 ones.
        dtype = value.dtype if value.dtype.kind == "f" else np.dtype(float)
        tolerances[name] = np.sqrt(np.finfo(dtype).eps)
    labels = arrays["labels"].astype(float)
    probs = arrays["probs"].astype(float)
    shape = labels.shape
    if labels.ndim not in (1, 2) or labels.size == 0 or probs.shape != shape:
        raise ValueError(
            "labels and probs must share a shape (C,) or (C, m), non-empty, "
            f"got {labels.shape} and {probs.shape}"
        )
    for name, value in (("labels", labels), ("probs", probs)):
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{name} must be finite, got a NaN or infinity")
        if np.any(value < 0):
            raise ValueError(
                f"{name} must be non-negative, got minimum {value.min()}"
            )
        # The derivation replaces sum_i y_i by 1; sqrt(eps) of the input's
        # dtype allows its rounding.
        sums = value.sum(axis=0)
        if np.any(np.abs(sums - 1) > tolerances[name]):
            raise ValueError(
                f"each column of {name} must sum to 1, got sums {sums}"
            )

    return probs - labels
