import numpy as np

FLOAT_DTYPES = (np.float16, np.float32, np.float64)


def logsumexp(logits):
    """Compute ln sum_c exp(z_c) of each sample without overflow.

    Equation: eq:logsumexp, logsumexp(z) = M + ln sum_c exp(z_c - M), with
    M = max_c z_c the maximum of the sample's own column.

    Parameters
    ----------
    logits : array of shape (C,) for one sample or (C, m) for a batch whose
        columns are samples, in either byte order. float16, float32 and
        float64 are computed in their own dtype, except that the sum of
        exponentials is accumulated in at least float32. Integers become
        float64.

    Returns
    -------
    result : 0-d array for shape (C,), array of shape (m,) for (C, m), in
        the dtype of the computation; each value lies in [M, M + ln C]

    Raises
    ------
    ValueError
        If ``logits`` has an unsupported dtype, is not 1-D or 2-D with
        C >= 2 and m >= 1, is not finite, or the result overflows its dtype.
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
    if logits.ndim not in (1, 2) or logits.shape[0] < 2 or logits.size == 0:
        raise ValueError(
            "logits must have shape (C,) or (C, m) with C >= 2 and m >= 1, "
            f"got {logits.shape}"
        )
    if not np.all(np.isfinite(logits)):
        raise ValueError("logits must be finite, got a NaN or infinity")

    # Each column's own maximum, kept as a (1, m) row so that it broadcasts
    # down the classes. Every exp is then at most exp(0) = 1 and the sum is
    # in [1, C], so its log is never -inf. A float16 sum of C > 65504 such
    # terms would overflow, so the sum is taken in float32 or wider.
    sum_dtype = np.promote_types(logits.dtype, np.float32)
    largest = logits.max(axis=0, keepdims=True)
    with np.errstate(over="ignore"):
        # A gap past the dtype's maximum is -inf, and exp(-inf) = 0 is right.
        gaps = logits - largest
        sums = np.sum(np.exp(gaps), axis=0, dtype=sum_dtype)
        result = largest[0] + np.log(sums).astype(logits.dtype)
    # Reachable only when M is within ln C of the dtype's maximum, so that
    # M + ln C rounds past it.
    if not np.all(np.isfinite(result)):
        raise ValueError(f"logsumexp overflows {logits.dtype}, got {result}")
    return result
