import numpy as np


def _check_pair(labels, probs, ndim):
    arrays = {"labels": np.asarray(labels), "probs": np.asarray(probs)}
    for name, value in arrays.items():
        if value.dtype.kind not in "biuf":
            raise ValueError(
                f"{name} must contain real numbers, got dtype {value.dtype}"
            )
    labels = arrays["labels"].astype(float)
    probs = arrays["probs"].astype(float)
    if labels.ndim != ndim or labels.size == 0 or probs.shape != labels.shape:
        raise ValueError(
            f"labels and probs must share a non-empty {ndim}-D shape, "
            f"got {labels.shape} and {probs.shape}"
        )
    for name, value in (("labels", labels), ("probs", probs)):
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{name} must be finite, got a NaN or infinity")
        if np.any(value < 0):
            raise ValueError(
                f"{name} must be non-negative, got minimum {value.min()}"
            )
    return labels, probs


def cross_entropy(labels, probs):
    """Compute the cross-entropy loss of one sample.

    Equation: eq:loss, l(y, a) = -sum_i y_i ln a_i.

    Parameters
    ----------
    labels : array of shape (C,), non-negative (one-hot or soft labels)
    probs : array of shape (C,), the predicted probabilities a = y_hat.
        They need not sum to 1: as in the derivation of dl/da, the loss is
        taken as a function of C independent positive values.

    Returns
    -------
    loss : float

    Raises
    ------
    ValueError
        If an argument is not 1-D or is empty, the shapes differ, a value is
        not real, finite and non-negative, or ``probs`` is too close to 0
        where ``labels`` is positive for the loss to be finite.
    """
    labels, probs = _check_pair(labels, probs, ndim=1)
    positive = labels > 0
    if np.any(probs[positive] == 0):
        raise ValueError(
            "probs must be positive wherever labels is positive, "
            "got 0, so the loss is infinite"
        )

    # Terms with y_i = 0 add nothing, even where a_i = 0 (the limit of y ln a).
    with np.errstate(over="ignore"):
        loss = -np.sum(labels[positive] * np.log(probs[positive]))
    if not np.isfinite(loss):
        raise ValueError(f"the loss overflows float64, got {loss}")
    # Adding 0.0 turns a loss of -0.0 into 0.0.
    return float(loss) + 0.0


def cost(labels, probs):
    """Compute the cost J, the mean cross-entropy over a batch.

    Equation: eq:cost, J = (1/m) sum_i l(y^(i), a^(i)).

    Parameters
    ----------
    labels : array of shape (C, m), one sample per column
    probs : array of shape (C, m)

    Returns
    -------
    cost : float

    Raises
    ------
    ValueError
        If an argument is not 2-D, the shapes differ, the batch is empty,
        or a column fails the checks of ``cross_entropy``.
    """
    labels, probs = _check_pair(labels, probs, ndim=2)
    samples = labels.shape[1]

    losses = [cross_entropy(labels[:, i], probs[:, i]) for i in range(samples)]
    return float(np.sum(losses) / samples)
