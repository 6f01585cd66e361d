import numpy as np

EPS = np.finfo(np.float64).eps


def _as_float64(name, value):
    value = np.asarray(value)
    if value.dtype.kind not in "iuf":
        raise ValueError(
            f"{name} must contain real numbers, got dtype {value.dtype}"
        )
    value = value.astype(np.float64)
    if not np.all(np.isfinite(value)):
        raise ValueError(f"{name} must be finite, got a NaN or infinity")
    return value


def _evaluate(function, point):
    value = np.asarray(function(point))
    if value.shape != () or value.dtype.kind not in "iuf":
        raise ValueError(
            "function must return a real scalar, got shape "
            f"{value.shape} and dtype {value.dtype}"
        )
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"function must return a finite value, got {value}")
    return value


def grad_check(function, point, gradient):
    """Compare a gradient with float64 central differences of a scalar function.

    Equation: eq:fd-step, h_i = eps^(1/3) max(1, |x_i|) and
    df/dx_i ~ (f(x + h_i e_i) - f(x - h_i e_i)) / (2 h_i). The truncation
    error grows like h^2 and the rounding error like eps / h, so this step
    balances them at about eps^(2/3) ~ 4e-11 of the scale of f.

    The point is cast to float64 before ``function`` receives it. A function that
    casts back to float16 or float32 inside loses that precision, and its
    central differences are then dominated by rounding at this step.

    Parameters
    ----------
    function : callable taking an array shaped like ``point`` and returning
        a real scalar
    point : real array of any non-empty shape
    gradient : real array of the same shape, the gradient to check

    Returns
    -------
    error : float, ||gradient - estimate|| / max(||gradient||, ||estimate||),
        in [0, 2]; 0 when both are zero. The rounding part is about
        eps^(2/3) |f| / ||gradient||, so near 1e-10 means the gradient is
        right when |f| is a few times ||gradient||. 1e-3 or more means it is
        wrong, unless ||gradient|| is tiny next to |f|, as near a minimum.

    Raises
    ------
    ValueError
        If ``function`` is not callable or returns something other than a
        finite real scalar, ``point`` is empty, an array is not real and
        finite, or the shapes differ.
    """
    if not callable(function):
        raise ValueError(
            f"function must be callable, got {type(function).__name__}"
        )
    point = _as_float64("point", point)
    gradient = _as_float64("gradient", gradient)
    if point.size == 0:
        raise ValueError(f"point must not be empty, got shape {point.shape}")
    if gradient.shape != point.shape:
        raise ValueError(
            f"gradient has shape {gradient.shape}, expected the shape of "
            f"point, {point.shape}"
        )

    # A step relative to |x_i| keeps x_i + h_i from rounding back to x_i.
    steps = EPS ** (1 / 3) * np.maximum(1.0, np.abs(point))
    estimate = np.empty_like(point)
    for index in np.ndindex(point.shape):
        forward = point.copy()
        backward = point.copy()
        forward[index] += steps[index]
        backward[index] -= steps[index]
        # Divide by the distance actually stepped, which x +- h rounds.
        width = forward[index] - backward[index]
        difference = _evaluate(function, forward) - _evaluate(function, backward)
        estimate[index] = difference / width

    error = np.linalg.norm(gradient - estimate)
    if error == 0:
        return 0.0
    return float(error / max(np.linalg.norm(gradient), np.linalg.norm(estimate)))
