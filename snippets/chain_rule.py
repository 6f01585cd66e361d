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
        If the shapes are not (C,) and (C, C) with C >= 1, or a value is not
        finite.
    """
    upstream = np.asarray(upstream, dtype=float)
    jacobian = np.asarray(jacobian, dtype=float)
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
    return upstream @ jacobian
