import numpy as np


def softmax_temperature(logits, temperature):
    """Map logits to probabilities with softmax at a temperature T > 0.

    Answer to exercise 1.1: a_i = exp(z_i / T) / sum_c exp(z_c / T). T = 1
    gives softmax. As T -> 0+ the output tends to one-hot at the largest
    logit, shared equally among tied maxima, and as T grows it tends to
    uniform.

    Parameters
    ----------
    logits : array of shape (C,) for one sample or (C, m) for a batch
        whose columns are samples.
    temperature : positive finite real scalar, T

    Returns
    -------
    probs : array of the same shape as ``logits``; every column sums to 1.

    Raises
    ------
    ValueError
        If ``logits`` is not real, not 1-D or 2-D, has fewer than 2 classes
        or no samples, or is not finite, or if ``temperature`` is not a
        real scalar, is not finite, or is not positive.
    """
    logits = np.asarray(logits)
    if logits.dtype.kind not in "biuf":
        raise ValueError(
            f"logits must contain real numbers, got dtype {logits.dtype}"
        )
    logits = logits.astype(float)
    if logits.ndim not in (1, 2) or logits.shape[0] < 2 or logits.size == 0:
        raise ValueError(
            "logits must have shape (C,) or (C, m) with C >= 2 and m >= 1, "
            f"got {logits.shape}"
        )
    if not np.all(np.isfinite(logits)):
        raise ValueError("logits must be finite, got a NaN or infinity")
    temperature = np.asarray(temperature)
    if temperature.dtype.kind not in "biuf" or temperature.ndim != 0:
        raise ValueError(
            "temperature must be a real scalar, "
            f"got dtype {temperature.dtype} and shape {temperature.shape}"
        )
    temperature = float(temperature)
    if not np.isfinite(temperature) or temperature <= 0:
        raise ValueError(
            f"temperature must be positive and finite, got {temperature}"
        )

    # Shift by the column maximum before dividing by T, so the quotients are
    # <= 0 and a tiny T drives them to -inf (exp gives 0), never to +inf.
    with np.errstate(over="ignore"):
        scaled = (logits - logits.max(axis=0, keepdims=True)) / temperature
    exps = np.exp(scaled)

    return exps / exps.sum(axis=0, keepdims=True)
