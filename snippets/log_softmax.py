import numpy as np

FLOAT_DTYPES = (np.float16, np.float32, np.float64)


def log_softmax(logits):
    """Compute ln softmax(z) of each sample without forming the probabilities.

    Equation: eq:log-softmax, ln a_i = (z_i - M) - ln sum_c exp(z_c - M),
    with M the maximum of the sample's own column. A probability that
    underflows to 0 in softmax still has a finite logarithm here.

    Parameters
    ----------
    logits : array of shape (C,) for one sample or (C, m) for a batch whose
        columns are samples, in either byte order. float16, float32 and
        float64 are computed in their own dtype, except that the sum of
        exponentials is accumulated in at least float32. Integers become
        float64.

    Returns
    -------
    log_probs : array of the same shape and the dtype of the computation,
        every entry <= 0; exp of each column sums to 1

    Raises
    ------
    ValueError
        If ``logits`` has an unsupported dtype, is not 1-D or 2-D with
        C >= 2 and m >= 1, is not finite, or a gap z_i - M overflows its
        dtype, which makes ln a_i too large in magnitude for that dtype.
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

    # keepdims makes the (1, m) row of column maxima broadcast down the
    # classes. The sum of exp(z - M) contains exp(0) = 1, so its log is in
    # [0, ln C] and the result cannot be -inf unless a gap overflows. A
    # float16 sum of C > 65504 terms would overflow, so it is taken in
    # float32 or wider.
    sum_dtype = np.promote_types(logits.dtype, np.float32)
    largest = logits.max(axis=0, keepdims=True)
    with np.errstate(over="ignore"):
        gaps = logits - largest
        sums = np.sum(np.exp(gaps), axis=0, keepdims=True, dtype=sum_dtype)
        log_probs = gaps - np.log(sums).astype(logits.dtype)
    if not np.all(np.isfinite(log_probs)):
        # ln a_i <= z_i - M, so ln a_i itself lies below -max. Only a wider
        # dtype can hold it, and float64 has none wider here.
        advice = "" if logits.dtype == np.float64 else "; use float64 logits"
        raise ValueError(
            f"a gap z_i - max z is below -{np.finfo(logits.dtype).max} and "
            f"overflows {logits.dtype}, so ln softmax(z) is not representable"
            f"{advice}"
        )
    return log_probs
