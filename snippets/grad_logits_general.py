import numpy as np


def grad_logits_general(labels, probs):
    """Compute dl/dz for non-negative labels that need not sum to 1.

    Answer to exercise 5.1: dl/dz = (a sum_i y_i - y)^T, the line of the
    chapter 5 derivation before sum_i y_i = 1 is used. It reduces to a - y
    when the labels sum to 1.

    Parameters
    ----------
    labels : array of shape (C,) or (C, m), non-negative
    probs : array of the same shape, the softmax output, each column
        summing to 1

    Returns
    -------
    grad : array of the same shape; column k is a sum_i y_i - y of sample k

    Raises
    ------
    ValueError
        If the shapes differ or are not (C,) or (C, m), an argument is empty,
        a value is not real, finite and non-negative, a column of ``probs``
        misses a sum of 1 by more than sqrt(eps) of its dtype, or the result
        overflows float64.
    """
    arrays = {"labels": np.asarray(labels), "probs": np.asarray(probs)}
    for name, value in arrays.items():
        if value.dtype.kind not in "biuf":
            raise ValueError(
                f"{name} must contain real numbers, got dtype {value.dtype}"
            )
    # Sums of float32 softmax outputs miss 1 by far more than float64 ones.
    dtype = arrays["probs"].dtype
    tolerance = np.sqrt(np.finfo(dtype if dtype.kind == "f" else float).eps)
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
    # The derivation uses the softmax Jacobian diag(a) - a a^T, so probs
    # must be a softmax output. The label sums, by contrast, are free.
    sums = probs.sum(axis=0)
    if np.any(np.abs(sums - 1) > tolerance):
        raise ValueError(
            f"each column of probs must sum to 1, got sums {sums}"
        )

    # Broadcasting multiplies column k of probs by the label sum of sample k.
    with np.errstate(over="ignore", invalid="ignore"):
        grad = probs * labels.sum(axis=0) - labels
    if not np.all(np.isfinite(grad)):
        raise ValueError(
            "probs * labels.sum(axis=0) - labels overflows float64"
        )
    return grad
