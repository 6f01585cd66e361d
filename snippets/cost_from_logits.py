import numpy as np

FLOAT_DTYPES = (np.float16, np.float32, np.float64)


def cost_from_logits(logits, classes):
    """Compute the mean cross-entropy of a batch from its logits.

    Equation: eq:cost-logits, J = (1/m) sum_k (M_k - z_t,k + ln sum_c
    exp(z_c,k - M_k)), where t is the class of sample k and M_k the maximum
    of column k. The probabilities are never formed, so a true-class
    probability that underflows to 0 still gives the right, finite loss.

    Parameters
    ----------
    logits : array of shape (C, m), one sample per column. float16, float32
        and float64 are computed in their own dtype; integers become float64.
    classes : integer array of shape (m,), the class of each sample, in [0, C)

    Returns
    -------
    cost : float, non-negative

    Raises
    ------
    ValueError
        If ``logits`` has an unsupported dtype, is not 2-D with C >= 2 and
        m >= 1, or is not finite; if ``classes`` is not an integer array of
        shape (m,) with every entry in [0, C); or if the loss overflows the
        dtype of ``logits``.
    """
    logits = np.asarray(logits)
    if logits.dtype.kind in "iu":
        logits = logits.astype(np.float64)
    if logits.dtype not in FLOAT_DTYPES:
        raise ValueError(
            f"logits has dtype {logits.dtype}, expected float16, float32, "
            "float64 or an integer dtype"
        )
    if logits.ndim != 2 or logits.shape[0] < 2 or logits.shape[1] < 1:
        raise ValueError(
            "logits must have shape (C, m) with C >= 2 and m >= 1, "
            f"got {logits.shape}"
        )
    if not np.all(np.isfinite(logits)):
        raise ValueError("logits must be finite, got a NaN or infinity")
    num_classes, batch_size = logits.shape

    classes = np.asarray(classes)
    if classes.dtype.kind not in "iu":
        raise ValueError(
            f"classes must contain integer class indices, got dtype {classes.dtype}"
        )
    if classes.shape != (batch_size,):
        raise ValueError(
            f"classes has shape {classes.shape}, expected ({batch_size},), "
            "one class per column of logits"
        )
    if np.any(classes < 0) or np.any(classes >= num_classes):
        raise ValueError(
            f"classes must lie in [0, {num_classes}), got minimum "
            f"{classes.min()} and maximum {classes.max()}"
        )

    # The maximum of each column, not of the whole batch: with keepdims the
    # (1, m) row broadcasts down the classes, so every gap M_k - z_c,k >= 0.
    largest = logits.max(axis=0, keepdims=True)
    true_logits = np.take_along_axis(logits, classes[None, :], axis=0)
    # A gap beyond the dtype's maximum overflows to inf, and exp(-inf) = 0
    # is the right term. The sum contains exp(0) = 1, so its log is >= 0.
    with np.errstate(over="ignore"):
        gaps = largest - logits
        log_sums = np.log(np.sum(np.exp(-gaps), axis=0))
        losses = (largest - true_logits)[0] + log_sums
        cost = np.mean(losses)
    if not np.isfinite(cost):
        raise ValueError(f"the cost overflows {logits.dtype}, got {cost}")
    return float(cost)
