import numpy as np

FLOAT_DTYPES = (np.float16, np.float32, np.float64)


def _is_in_range(value, tiny):
    # exp(value) is finite and at least the smallest normal number.
    with np.errstate(over="ignore", under="ignore"):
        result = np.exp(value)
    return bool(np.isfinite(result) and result >= tiny)


def exp_range(dtype):
    """Find the logits whose exp neither overflows nor underflows in a dtype.

    Equation: eq:exp-range, ln(tiny) <= z <= ln(max), where max is the
    largest finite number of the dtype and tiny its smallest normal number.

    The bounds start from ln(max) and ln(tiny) rounded to the dtype, then move
    one representable number at a time until they are the extreme values of
    the dtype for which ``np.exp`` in that dtype stays in range. Rounding alone
    would give a float32 upper bound whose exp is inf.

    Parameters
    ----------
    dtype : float16, float32 or float64, as a type, dtype or name, in
        either byte order

    Returns
    -------
    (lowest, highest) : two scalars of that dtype; for every z of the dtype
        in [lowest, highest], exp(z) is finite and at least tiny

    Raises
    ------
    ValueError
        If ``dtype`` is not float16, float32 or float64.
    """
    # np.dtype(None) is float64, which would hide a missing argument.
    if dtype is None:
        raise ValueError("dtype must be float16, float32 or float64, got None")
    try:
        dtype = np.dtype(dtype)
    except TypeError as error:
        raise ValueError(
            f"dtype must be float16, float32 or float64, got {dtype!r}"
        ) from error
    # Byte order does not change the range, so accept either one.
    dtype = dtype.newbyteorder("=")
    if dtype not in FLOAT_DTYPES:
        raise ValueError(
            f"dtype must be float16, float32 or float64, got {dtype}"
        )
    info = np.finfo(dtype)
    scalar = dtype.type
    up, down = scalar(np.inf), scalar(-np.inf)

    highest = scalar(np.log(np.float64(info.max)))
    while not _is_in_range(highest, info.tiny):
        highest = np.nextafter(highest, down)
    while _is_in_range(np.nextafter(highest, up), info.tiny):
        highest = np.nextafter(highest, up)

    lowest = scalar(np.log(np.float64(info.tiny)))
    while not _is_in_range(lowest, info.tiny):
        lowest = np.nextafter(lowest, up)
    while _is_in_range(np.nextafter(lowest, down), info.tiny):
        lowest = np.nextafter(lowest, down)

    return lowest, highest
