import numpy as np


def softmax(logits):
    """Map logits to probabilities, normalising each sample separately.

    Equation: eq:softmax, a_i = exp(z_i) / sum_c exp(z_c).

    Parameters
    ----------
    logits : array of shape (C,) for one sample or (C, m) for a batch
        whose columns are samples.

    Returns
    -------
    probs : array of the same shape; every column sums to 1. An entry whose
        logit is more than about 745 below its column's maximum underflows
        to 0; all others are positive.

    Raises
    ------
    ValueError
        If ``logits`` is not real, not 1-D or 2-D, has fewer than 2 classes
        or no samples, or is not finite.
    """
    logits = np.asarray(logits)
    if logits.dtype.kind not in "biuf":
        raise ValueError(
            f"logits must contain real numbers, got dtype {logits.dtype}"
        )
    logits = logits.astype(float)
    # One class would always get probability 1; a (1, C) row of logits is
    # the usual cause, because samples are columns here.
    if logits.ndim not in (1, 2) or logits.shape[0] < 2 or logits.size == 0:
        raise ValueError(
            "logits must have shape (C,) or (C, m) with C >= 2 and m >= 1, "
            f"got {logits.shape}"
        )
    if not np.all(np.isfinite(logits)):
        raise ValueError("logits must be finite, got a NaN or infinity")

    # Subtract each column's maximum so exp cannot overflow; the shift cancels.
    # Logits 1e308 apart overflow to -inf here, and exp(-inf) = 0 is right.
    with np.errstate(over="ignore"):
        shifted = logits - logits.max(axis=0, keepdims=True)
    exps = np.exp(shifted)

    return exps / exps.sum(axis=0, keepdims=True)
