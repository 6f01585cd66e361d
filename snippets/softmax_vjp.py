import numpy as np


def softmax_vjp(upstream, probs):
    """Multiply the row dl/da by the softmax Jacobian without building it.

    Answer to exercise 4.1: v (diag(a) - a a^T) = a * (v - v . a), with *
    element-wise and v . a a scalar. It takes O(C) time and memory, where
    the matrix takes O(C^2).

    Parameters
    ----------
    upstream : array of shape (C,), the derivative dl/da, written v
    probs : array of shape (C,), the softmax output a

    Returns
    -------
    grad : array of shape (C,), the derivative dl/dz

    Raises
    ------
    ValueError
        If an argument is not 1-D or is empty, the shapes differ, a value is
        not real or not finite, ``probs`` has a negative entry or misses a
        sum of 1 by more than sqrt(eps) of its dtype, or the product
        overflows float64.
    """
    arrays = {"upstream": np.asarray(upstream), "probs": np.asarray(probs)}
    for name, value in arrays.items():
        if value.dtype.kind not in "biuf":
            raise ValueError(
                f"{name} must contain real numbers, got dtype {value.dtype}"
            )
    # Sums of float32 softmax outputs miss 1 by far more than float64 ones.
    dtype = arrays["probs"].dtype
    tolerance = np.sqrt(np.finfo(dtype if dtype.kind == "f" else float).eps)
    upstream = arrays["upstream"].astype(float)
    probs = arrays["probs"].astype(float)
    shape = upstream.shape
    if upstream.ndim != 1 or upstream.size == 0 or probs.shape != shape:
        raise ValueError(
            "upstream and probs must share a shape (C,) with C >= 1, "
            f"got {upstream.shape} and {probs.shape}"
        )
    for name, value in (("upstream", upstream), ("probs", probs)):
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{name} must be finite, got a NaN or infinity")
    if np.any(probs < 0):
        raise ValueError(
            f"probs must be non-negative, got minimum {probs.min()}"
        )
    if abs(probs.sum() - 1) > tolerance:
        raise ValueError(
            f"probs must sum to 1 like a softmax output, got sum {probs.sum()}"
        )

    # Entry j of v @ (diag(a) - a a^T) is a_j v_j - a_j (v . a).
    with np.errstate(over="ignore", invalid="ignore"):
        grad = probs * (upstream - upstream @ probs)
    if not np.all(np.isfinite(grad)):
        raise ValueError(
            "probs * (upstream - upstream @ probs) overflows float64"
        )
    return grad
