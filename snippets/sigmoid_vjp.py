import numpy as np


def sigmoid_vjp(upstream, logits):
    """Backpropagate through the element-wise sigmoid without a matrix.

    Answer to exercise 6.1: v diag(s(z) (1 - s(z))) = v * s(z) (1 - s(z)),
    with * element-wise. The code uses 1 - s(z) = s(-z), so entries with
    large positive z keep their relative accuracy instead of rounding to 0.

    Parameters
    ----------
    upstream : array of shape (C,) or (C, m), the derivative dl/da, written v
    logits : array of the same shape, z

    Returns
    -------
    grad : array of the same shape, the derivative dl/dz

    Raises
    ------
    ValueError
        If an argument is not 1-D or 2-D or is empty, the shapes differ, or
        a value is not real or not finite.
    """
    arrays = {"upstream": np.asarray(upstream), "logits": np.asarray(logits)}
    for name, value in arrays.items():
        if value.dtype.kind not in "biuf":
            raise ValueError(
                f"{name} must contain real numbers, got dtype {value.dtype}"
            )
    upstream = arrays["upstream"].astype(float)
    logits = arrays["logits"].astype(float)
    valid = upstream.ndim in (1, 2) and upstream.size > 0
    if not valid or logits.shape != upstream.shape:
        raise ValueError(
            "upstream and logits must share a shape (C,) or (C, m), "
            f"non-empty, got {upstream.shape} and {logits.shape}"
        )
    for name, value in (("upstream", upstream), ("logits", logits)):
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{name} must be finite, got a NaN or infinity")

    # exp(-z) and exp(z) overflow only beyond |z| = 709, where the sigmoid
    # they feed is below 1e-307, so 1 / (1 + inf) = 0 is off by less.
    with np.errstate(over="ignore"):
        sigma = 1 / (1 + np.exp(-logits))
        sigma_of_negated = 1 / (1 + np.exp(logits))

    # s(z) s(-z) is at most 1/4, so the product cannot overflow.
    return upstream * (sigma * sigma_of_negated)
