import numpy as np

FLOAT_DTYPES = (np.float16, np.float32, np.float64)


def smooth_labels(labels, smoothing):
    """Move a fraction of each label's weight to the uniform distribution.

    Equation: eq:label-smoothing, y' = (1 - eps) y + eps / C. The factor
    1 - eps keeps each column's sum at 1, so the gradient a - y' of
    eq:grad-logits still applies.

    Parameters
    ----------
    labels : array of shape (C,) or (C, m), non-negative, each column
        summing to 1, in either byte order. float16, float32 and float64 are
        kept; integers (such as a one-hot array of ints) become float64.
    smoothing : real number eps in [0, 1)

    Returns
    -------
    smoothed : array of the same shape and dtype; every entry >= eps / C
        and every column sums to 1

    Raises
    ------
    ValueError
        If ``labels`` has an unsupported dtype, is not 1-D or 2-D with
        C >= 2 and m >= 1, has an entry that is not finite or is negative,
        or a column that misses a sum of 1 by more than sqrt(eps) of its
        dtype; or if ``smoothing`` is not a real number in [0, 1).
    """
    labels = np.asarray(labels)
    # Byte order does not change the numbers, so accept either one.
    if not labels.dtype.isnative:
        labels = labels.astype(labels.dtype.newbyteorder("="))
    if labels.dtype.kind in "iu":
        labels = labels.astype(np.float64)
    if labels.dtype not in FLOAT_DTYPES:
        raise ValueError(
            f"labels has dtype {labels.dtype}, expected float16, float32, "
            "float64 or an integer dtype"
        )
    if labels.ndim not in (1, 2) or labels.shape[0] < 2 or labels.size == 0:
        raise ValueError(
            "labels must have shape (C,) or (C, m) with C >= 2 and m >= 1, "
            f"got {labels.shape}"
        )
    if not np.all(np.isfinite(labels)) or np.any(labels < 0):
        raise ValueError(
            "labels must be finite and non-negative, got minimum "
            f"{np.nanmin(labels)} and maximum {np.nanmax(labels)}"
        )
    sums = labels.sum(axis=0)
    if np.any(np.abs(sums - 1) > np.sqrt(np.finfo(labels.dtype).eps)):
        raise ValueError(f"each column of labels must sum to 1, got sums {sums}")
    smoothing_array = np.asarray(smoothing)
    if smoothing_array.shape != () or smoothing_array.dtype.kind not in "iuf":
        raise ValueError(
            f"smoothing must be a real number in [0, 1), got {smoothing!r}"
        )
    if not 0 <= smoothing_array < 1:
        raise ValueError(f"smoothing must lie in [0, 1), got {smoothing}")

    # Cast eps to the labels' dtype so a float64 number does not upcast them.
    smoothing = labels.dtype.type(smoothing_array)
    size = labels.shape[0]
    return (1 - smoothing) * labels + smoothing / size
