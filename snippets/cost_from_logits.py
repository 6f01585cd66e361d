import numpy as np

FLOAT_DTYPES = (np.float16, np.float32, np.float64)


def cost_from_logits(logits, classes):
    """Compute the mean cross-entropy of a batch from its logits.

    Equation: eq:cost-logits, J = (1/m) sum_k (M_k - z_t,k + ln sum_c
    exp(z_c,k - M_k)), where t is the class of sample k and M_k the maximum
    of column k. The probabilities are never formed, so a true-class
    probability that underflows to 0 still gives the right, finite loss.
    The sum is 1 + (the other terms), and log1p of those terms keeps a loss
    near 0 accurate to a few eps relative to itself.

    Parameters
    ----------
    logits : array of shape (C, m), one sample per column, in either byte
        order. float16, float32 and float64 are computed in their own dtype,
        except that the sum of exponentials is accumulated in at least
        float32. Integers become float64.
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
    # Byte order does not change the numbers, so accept either one.
    if not logits.dtype.isnative:
        logits = logits.astype(logits.dtype.newbyteorder("="))
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
    if classes.size == 0:
        raise ValueError(
            f"classes is empty, expected {batch_size} integer class indices, "
            "one per column of logits"
        )
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

    # The maximum of each column, not of the whole batch, kept as a (1, m)
    # row that broadcasts down the classes, so every gap M_k - z_c,k >= 0.
    columns = np.arange(batch_size)
    largest_rows = logits.argmax(axis=0)
    largest = logits[largest_rows, columns][None, :]
    true_logits = logits[classes, columns]
    # A float16 sum of C > 65504 terms near 1 overflows, so sum in float32 or wider.
    sum_dtype = np.promote_types(logits.dtype, np.float32)
    # A gap beyond the dtype's maximum overflows to inf, and exp(-inf) = 0
    # is the right term.
    with np.errstate(over="ignore"):
        gaps = largest - logits
        terms = np.exp(-gaps)
        # The sum is 1 + (the other terms). Dropping the 1 of one maximum and
        # using log1p keeps a loss near 0 accurate relative to its size, where
        # ln(1 + tiny) would round it to 0. A tied maximum keeps its own 1.
        terms[largest_rows, columns] = 0
        others = np.sum(terms, axis=0, dtype=sum_dtype)
        log_sums = np.log1p(others).astype(logits.dtype)
        losses = (largest[0] - true_logits) + log_sums
        cost = np.mean(losses)
    if not np.isfinite(cost):
        raise ValueError(f"the cost overflows {logits.dtype}, got {cost}")
    return float(cost)
