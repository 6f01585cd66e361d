import numpy as np


def batch_grad_logits_inplace(logits, classes):
    """Overwrite a batch of logits with dZ, the gradient of the batch cost J.

    Same formula as eq:batch-dz, computed in place: dZ = (A - Y) / m with
    A = softmax(Z) and one-hot labels Y given by their classes. Every step
    writes into ``logits``, so no second (C, m) array is allocated, only
    arrays of m entries.

    Parameters
    ----------
    logits : float32 or float64 array of shape (C, m), native byte order,
        C-contiguous and writeable, one sample per column. Its contents
        are replaced by dZ in its own dtype.
    classes : integer array of shape (m,), the class of each sample, in [0, C)

    Returns
    -------
    d_logits : the same array object as ``logits``, now holding dZ

    Raises
    ------
    ValueError
        If ``logits`` is not a NumPy array of float32 or float64, is not
        2-D with C >= 2 and m >= 1, is not finite, is not C-contiguous or
        is read-only; or if ``classes`` is not an integer array of shape
        (m,) with every entry in [0, C). ``logits`` is unchanged then.
    """
    if not isinstance(logits, np.ndarray):
        raise ValueError(
            f"logits must be a NumPy array to be overwritten, got "
            f"{type(logits).__name__}"
        )
    if logits.dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(
            f"logits has dtype {logits.dtype}, expected float32 or float64 "
            "in native byte order"
        )
    if logits.ndim != 2 or logits.shape[0] < 2 or logits.shape[1] < 1:
        raise ValueError(
            "logits must have shape (C, m) with C >= 2 and m >= 1, "
            f"got {logits.shape}"
        )
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
    if not logits.flags.c_contiguous:
        raise ValueError(
            f"logits of shape {logits.shape} must be C-contiguous, got "
            f"strides {logits.strides}. Pass a contiguous copy and use the "
            "returned array"
        )
    if not logits.flags.writeable:
        raise ValueError("logits is read-only, expected a writeable array")

    # The finiteness check costs two reductions over the logits and no
    # (C, m) temporary: a column's maximum is +inf or NaN if any entry is,
    # and its minimum is -inf or NaN. The softmax below reuses the maximum.
    largest = logits.max(axis=0)
    smallest = logits.min(axis=0)
    if not (np.all(np.isfinite(largest)) and np.all(np.isfinite(smallest))):
        raise ValueError("logits must be finite, got a NaN or infinity")

    # Shift each column by its maximum so exp cannot overflow. Logits more
    # than the dtype's maximum apart overflow to -inf, and exp(-inf) = 0.
    with np.errstate(over="ignore"):
        np.subtract(logits, largest, out=logits)
    np.exp(logits, out=logits)

    # One pass scales each column by 1 / (m sum), which divides by the sum
    # and by m at once. The true class gets (e_t - sum) / (m sum) instead:
    # a_t - 1 = -(sum of the other exps) / sum. Its error, like that of
    # a_t - 1 after rounding a_t, is about eps / m.
    columns = np.arange(batch_size)
    sums = logits.sum(axis=0)
    picked = logits[classes, columns]
    scale = 1 / (batch_size * sums)
    np.multiply(logits, scale, out=logits)
    logits[classes, columns] = (picked - sums) * scale
    return logits
