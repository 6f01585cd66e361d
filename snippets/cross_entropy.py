import numpy as np


def cross_entropy(labels, probs):
    """Compute the cross-entropy loss of one sample.

    Equation: eq:loss, l(y, a) = -sum_i y_i ln a_i.

    Parameters
    ----------
    labels : array of shape (C,), non-negative (one-hot or soft labels)
    probs : array of shape (C,), the predicted probabilities a = y_hat

    Returns
    -------
    loss : float

    Raises
    ------
    ValueError
        If an argument is not 1-D, the shapes differ, a value is not finite,
        ``labels`` has a negative entry, or ``probs`` is 0 where ``labels``
        is positive (the loss would be infinite).
    """
    labels, probs = np.asarray(labels, dtype=float), np.asarray(probs, dtype=float)
    if labels.ndim != 1 or labels.shape != probs.shape:
        raise ValueError(f"labels and probs must both have shape (C,), got {labels.shape} and {probs.shape}")
    if not (np.all(np.isfinite(labels)) and np.all(np.isfinite(probs))):
        raise ValueError("labels and probs must be finite, got a NaN or infinity")
    if np.any(labels < 0):
        raise ValueError(f"labels must be non-negative, got minimum {labels.min()}")
    if np.any((labels > 0) & (probs <= 0)):
        raise ValueError("probs must be positive wherever labels is positive, got a zero: the loss is infinite")

    # Terms with y_i = 0 contribute 0, even where a_i = 0 (the limit of y ln a).
    positive = labels > 0
    return float(-np.sum(labels[positive] * np.log(probs[positive])))


def cost(labels, probs):
    """Compute the cost J, the mean cross-entropy over the samples of a batch.

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
        If an argument is not 2-D, the shapes differ, the batch is empty, or
        a column fails the checks of ``cross_entropy``.
    """
    labels, probs = np.asarray(labels, dtype=float), np.asarray(probs, dtype=float)
    if labels.ndim != 2 or labels.shape != probs.shape:
        raise ValueError(f"labels and probs must both have shape (C, m), got {labels.shape} and {probs.shape}")
    if labels.shape[1] == 0:
        raise ValueError(f"the batch is empty: labels has shape {labels.shape}, expected m >= 1 columns")

    losses = [cross_entropy(labels[:, i], probs[:, i]) for i in range(labels.shape[1])]
    return float(np.mean(losses))
