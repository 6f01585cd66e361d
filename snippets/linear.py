import numpy as np


def linear_forward(weights, inputs, bias):
    """Compute the logits of a batch, one column per sample.

    Equation: eq:linear, Z = W^T X + b, with b added to every column.

    Parameters
    ----------
    weights : array of shape (n, k)
    inputs : array of shape (n, m), one sample per column
    bias : array of shape (k,)

    Returns
    -------
    logits : array of shape (k, m)

    Raises
    ------
    ValueError
        If an argument has the wrong number of dimensions, the shapes do
        not agree, or a value is not finite.
    """
    weights, inputs, bias = (np.asarray(v, dtype=float) for v in (weights, inputs, bias))
    for name, value, ndim in (("weights", weights, 2), ("inputs", inputs, 2), ("bias", bias, 1)):
        if value.ndim != ndim:
            raise ValueError(f"{name} must be {ndim}-D, got shape {value.shape}")
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{name} must be finite, got a NaN or infinity")
    if inputs.shape[0] != weights.shape[0]:
        raise ValueError(
            f"inputs has {inputs.shape[0]} rows (features), "
            f"expected {weights.shape[0]} to match weights {weights.shape}"
        )
    if bias.shape != (weights.shape[1],):
        raise ValueError(f"bias has shape {bias.shape}, expected ({weights.shape[1]},)")

    # bias[:, None] turns b into a column, so it is added to every sample.
    return weights.T @ inputs + bias[:, None]
