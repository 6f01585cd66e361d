import numpy as np


def descent_step(weights, bias, d_weights, d_bias, learning_rate):
    """Take one gradient-descent step on the weights and the bias.

    Equation: eq:descent-step, W <- W - eta dW and b <- b - eta db. The
    inputs are not changed; the updated parameters are new arrays.

    Parameters
    ----------
    weights : array of shape (n, k)
    bias : array of shape (k,)
    d_weights : array of shape (n, k), the gradient dJ/dW
    d_bias : array of shape (k,), the gradient dJ/db
    learning_rate : float, positive and finite (eta)

    Returns
    -------
    weights : array of shape (n, k)
    bias : array of shape (k,)

    Raises
    ------
    ValueError
        If a gradient's shape differs from its parameter's, an array has the
        wrong number of dimensions, is empty, or is not real and finite, or
        ``learning_rate`` is not a positive finite number.
    """
    rate = np.asarray(learning_rate)
    if rate.ndim != 0 or rate.dtype.kind not in "iuf":
        raise ValueError(
            f"learning_rate must be a real number, got {learning_rate!r}"
        )
    if not (np.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(
            f"learning_rate must be positive and finite, got {learning_rate}"
        )
    arrays = {}
    for name, value, ndim in (
        ("weights", weights, 2),
        ("bias", bias, 1),
        ("d_weights", d_weights, 2),
        ("d_bias", d_bias, 1),
    ):
        value = np.asarray(value)
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
        arrays[name] = value
    for name in ("weights", "bias"):
        shape, grad_shape = arrays[name].shape, arrays[f"d_{name}"].shape
        if grad_shape != shape:
            raise ValueError(
                f"d_{name} has shape {grad_shape}, expected the shape of "
                f"{name} {shape}"
            )

    # Moving against the gradient lowers J when learning_rate is small enough.
    with np.errstate(over="ignore", invalid="ignore"):
        new_weights = arrays["weights"] - learning_rate * arrays["d_weights"]
        new_bias = arrays["bias"] - learning_rate * arrays["d_bias"]
    if not np.all(np.isfinite(new_weights)) or not np.all(np.isfinite(new_bias)):
        raise ValueError(
            f"the step overflows float64 at learning_rate {learning_rate}: "
            "lower learning_rate"
        )
    return new_weights, new_bias
