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
        not real or not finite, ``labels`` has a negative entry, ``probs`` has
        an entry that is not positive, or y_i / a_i overflows float64.
    """
    arrays = {"labels": np.asarray(labels), "probs": np.asarray(probs)}
    for name, value in arrays.items():
        if value.dtype.kind not in "biuf":
            raise ValueError(
                f"{name} must contain real numbers, got dtype {value.dtype}"
            )
    labels = arrays["labels"].astype(float)
    probs = arrays["probs"].astype(float)
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

    with np.errstate(over="ignore"):
        grad = -labels / probs
    # A subnormal a_i (below about 2.2e-308) can push y_i / a_i past 1.8e308.
    if not np.all(np.isfinite(grad)):
        raise ValueError(
            f"labels / probs overflows float64 where probs is {probs.min()}; "
            "use grad_logits, which needs no division"
        )
    return grad
