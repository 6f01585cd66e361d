import numpy as np


def vector_jacobian_product(upstream, jacobian):
    """Apply the chain rule: multiply the row vector dl/da by the Jacobian da/dz.

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
        If the shapes are not (C,) and (C, C), or a value is not finite.
    """
    upstream, jacobian = np.asarray(upstream, dtype=float), np.asarray(jacobian, dtype=float)
    if upstream.ndim != 1 or jacobian.shape != (upstream.size, upstream.size):
        raise ValueError(
            f"upstream must have shape (C,) and jacobian (C, C), got {upstream.shape} and {jacobian.shape}"
        )
    if not (np.all(np.isfinite(upstream)) and np.all(np.isfinite(jacobian))):
        raise ValueError("upstream and jacobian must be finite, got a NaN or infinity")

    # Row vector times matrix: the sum runs over the first index i of the Jacobian.
    return upstream @ jacobian
