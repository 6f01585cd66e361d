import numpy as np


def cross_entropy_from_logits(labels, logits):
    """Compute the cross-entropy loss of one sample from its logits.

    Answer to exercise 2.1: l = logsumexp(z) sum_i y_i - y . z, which equals
    -sum_i y_i ln softmax(z)_i without forming the probabilities. With
    M = max_c z_c it is computed as
    sum_i y_i (M - z_i) + (sum_i y_i) ln sum_c exp(z_c - M),
    a sum of non-negative terms.

    Parameters
    ----------
    labels : array of shape (C,), non-negative; need not sum to 1
    logits : array of shape (C,)

    Returns
    -------
    loss : float, non-negative

    Raises
    ------
    ValueError
        If an argument is not 1-D or is empty, the shapes differ, a value is
        not real or not finite, ``labels`` has a negative entry, or the loss
        overflows float64.
    """
    arrays = {"labels": np.asarray(labels), "logits": np.asarray(logits)}
    for name, value in arrays.items():
        if value.dtype.kind not in "biuf":
            raise ValueError(
                f"{name} must contain real numbers, got dtype {value.dtype}"
            )
    labels = arrays["labels"].astype(float)
    logits = arrays["logits"].astype(float)
    if labels.ndim != 1 or labels.size == 0 or logits.shape != labels.shape:
        raise ValueError(
            "labels and logits must share a shape (C,) with C >= 1, "
            f"got {labels.shape} and {logits.shape}"
        )
    for name, value in (("labels", labels), ("logits", logits)):
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{name} must be finite, got a NaN or infinity")
    if np.any(labels < 0):
        raise ValueError(
            f"labels must be non-negative, got minimum {labels.min()}"
        )

    # Subtract the maximum so exp cannot overflow. The sum then contains
    # exp(0) = 1, so its logarithm is >= 0 and finite. A gap between logits
    # 1e308 apart overflows to inf, and exp(-inf) = 0 is right.
    largest = logits.max()
    with np.errstate(over="ignore"):
        gaps = largest - logits
    log_sum = np.log(np.sum(np.exp(-gaps)))

    # Terms with y_i = 0 add nothing, even where the gap M - z_i is inf.
    positive = labels > 0
    with np.errstate(over="ignore"):
        loss = np.sum(labels[positive] * gaps[positive])
        loss += labels.sum() * log_sum
    if not np.isfinite(loss):
        raise ValueError(f"the loss overflows float64, got {loss}")
    return float(loss)
