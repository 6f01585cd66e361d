import numpy as np


def vector_jacobian_product(upstream, jacobian):
    """Apply the chain rule: multiply the row dl/da by the Jacobian da/dz.

    Equations: eq:chain, eq:chain-sum. Entry j of the result is
    sum_i upstream_i * jacobian[i, j], which is dl/dz_j.

    Parameters
    ----------
    upstream : array of shape (C,), the derivative dl/da
    jacobian : array of shape (C, C), entry (i, j) is da_i/dz_j

    Returns
    -------
    grad : array of shape (C,), the derivative dl/dz

    Raises
    ------
    ValueError
        If the shapes are not (C,) and (C, C) with C >= 1, a value is not
        real or not finite, or the product overflows float64.
    """
    arrays = {
        "upstream": np.asarray(upstream),
        "jacobian": np.asarray(jacobian),
    }
    for name, value in arrays.items():
        if value.dtype.kind not in "biuf":
            raise ValueError(
                f"{name} must contain real numbers, got dtype {value.dtype}"
            )
    upstream = arrays["upstream"].astype(float)
    jacobian = arrays["jacobian"].astype(float)
    size = upstream.size
    if upstream.ndim != 1 or size == 0 or jacobian.shape != (size, size):
        raise ValueError(
            "upstream must have shape (C,) with C >= 1 and jacobian (C, C), "
            f"got {upstream.shape} and {jacobian.shape}"
        )
    for name, value in (("upstream", upstream), ("jacobian", jacobian)):
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{name} must be finite, got a NaN or infinity")

    # Row times matrix: the sum runs over the first index i of the Jacobian.
    with np.errstate(over="ignore", invalid="ignore"):
        grad = upstream @ jacobian
    if not np.all(np.isfinite(grad)):
        raise ValueError("upstream @ jacobian overflows float64")
    return grad
