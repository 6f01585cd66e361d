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
        If an argument has the wrong number of dimensions or is empty, the
        shapes do not agree, or a value is not finite.
    """
    arguments = {"weights": weights, "inputs": inputs, "bias": bias}
    for name, ndim in (("weights", 2), ("inputs", 2), ("bias", 1)):
        value = np.asarray(arguments[name])
        if value.dtype.kind not in "biuf":
            raise ValueError(
                f"{name} must contain real numbers, got dtype {value.dtype}"
            )
        value = value.astype(float)
        if value.ndim != ndim or value.size == 0:
            raise ValueError(
                f"{name} must be a non-empty {ndim}-D array, "
                f"got shape {value.shape}"
            )
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{name} must be finite, got a NaN or infinity")
        arguments[name] = value
    weights, inputs, bias = arguments.values()
    if inputs.shape[0] != weights.shape[0]:
        raise ValueError(
            f"inputs has shape {inputs.shape}, expected {weights.shape[0]} "
            f"rows (features) to match weights {weights.shape}"
        )
    if bias.shape != (weights.shape[1],):
        raise ValueError(
            f"bias has shape {bias.shape}, expected ({weights.shape[1]},)"
        )

    # bias[:, None] is a column, so broadcasting adds it to every sample.
    with np.errstate(over="ignore", invalid="ignore"):
        logits = weights.T @ inputs + bias[:, None]
    if not np.all(np.isfinite(logits)):
        raise ValueError("logits overflow float64: scale weights or inputs")
    return logits
