import numpy as np


def batch_grad_params(inputs, d_logits):
    """Compute the gradients of the batch cost J by the weights and the bias.

    Equations: eq:batch-dw, eq:batch-db. With Z = W^T X + b and
    dZ = dJ/dZ, the weights get dW = X dZ^T and the bias gets dZ summed
    over the samples, one entry per unit.

    Parameters
    ----------
    inputs : array of shape (n, m), one sample per column
    d_logits : array of shape (k, m), dZ from ``batch_grad_logits``

    Returns
    -------
    d_weights : array of shape (n, k), the shape of W
    d_bias : array of shape (k,), the shape of b, even when k = 1

    Raises
    ------
    ValueError
        If an argument is not 2-D or is empty, a value is not real or not
        finite, or the two arguments hold different numbers of samples.
    """
    arrays = {}
    for name, value in (("inputs", inputs), ("d_logits", d_logits)):
        value = np.asarray(value)
        if value.dtype.kind not in "biuf":
            raise ValueError(
                f"{name} must contain real numbers, got dtype {value.dtype}"
            )
        value = value.astype(float)
        if value.ndim != 2 or value.size == 0:
            raise ValueError(
                f"{name} must be a non-empty 2-D array, got shape {value.shape}"
            )
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{name} must be finite, got a NaN or infinity")
        arrays[name] = value
    inputs, d_logits = arrays["inputs"], arrays["d_logits"]
    if d_logits.shape[1] != inputs.shape[1]:
        raise ValueError(
            f"d_logits has shape {d_logits.shape}, expected {inputs.shape[1]} "
            f"columns (samples) to match inputs {inputs.shape}"
        )

    # Summing over axis=1, the samples, leaves one entry per unit: shape (k,).
    with np.errstate(over="ignore", invalid="ignore"):
        d_weights = inputs @ d_logits.T
        d_bias = d_logits.sum(axis=1)
    if not np.all(np.isfinite(d_weights)) or not np.all(np.isfinite(d_bias)):
        raise ValueError(
            "the gradients overflow float64: got max |inputs| "
            f"{np.abs(inputs).max()} and max |d_logits| {np.abs(d_logits).max()}, "
            "so scale the inputs down"
        )
    return d_weights, d_bias
