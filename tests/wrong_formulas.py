"""Plausible wrong formulas that the negative tests feed to the same checks as the snippets.

Each one mirrors the signature of the snippet it replaces.
"""

import numpy as np


# --8<-- [start:softmax_over_last_axis]
def softmax_over_last_axis(logits):
    # Normalises each class across the samples of a (C, m) batch, as code written for
    # row-per-sample frameworks does. On a single 1-D sample it is right.
    exps = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)
# --8<-- [end:softmax_over_last_axis]


def logits_over_their_sum(logits):
    # Normalises without the exponential.
    return logits / logits.sum(axis=0, keepdims=True)


def linear_forward_bias_along_samples(weights, inputs, bias):
    # bias[None, :] adds b_j to sample j. NumPy broadcasts it without error only when the number
    # of outputs equals the batch size, which is why the tests include square shapes.
    return weights.T @ inputs + bias[None, :]


def cross_entropy_without_minus(labels, probs):
    # The loss loses its minus sign and becomes negative.
    return float(np.sum(labels * np.log(probs)))


def summed_cost(labels, probs):
    # Drops the 1/m of the mean, so the cost grows with the batch size.
    return float(np.sum(-labels * np.log(probs)))


def grad_probs_without_minus(labels, probs):
    # Loses the minus sign that the derivative of -ln a carries.
    return labels / probs


# --8<-- [start:diagonal_only_jacobian]
def diagonal_only_jacobian(probs):
    # The element-wise derivative a(1 - a), as for sigmoid, used as the whole softmax Jacobian.
    return np.diag(probs * (1 - probs))
# --8<-- [end:diagonal_only_jacobian]


def diagonal_case_everywhere_jacobian(probs):
    # The diagonal case a_i (1 - a_j) applied to every entry (i, j) of the softmax Jacobian.
    return probs[:, None] * (1 - probs[None, :])


WRONG_SOFTMAX_JACOBIANS = [diagonal_only_jacobian, diagonal_case_everywhere_jacobian]


def jacobian_times_upstream(upstream, jacobian):
    # Sums over the second index of the Jacobian. The softmax Jacobian is symmetric, so only a
    # non-symmetric Jacobian exposes this.
    return jacobian @ upstream


# --8<-- [start:grad_logits_reversed]
def grad_logits_reversed(labels, probs):
    # y - a in place of a - y.
    return labels - probs
# --8<-- [end:grad_logits_reversed]


def sigmoid_jacobian_like_softmax(logits):
    # Treats the element-wise sigmoid like softmax: diag(s) - s s^T.
    sigma = 1 / (1 + np.exp(-logits))
    return np.diag(sigma) - np.outer(sigma, sigma)


def relu_jacobian_from_activation(logits):
    # Puts the activation max(z, 0) on the diagonal in place of its derivative 1[z > 0].
    return np.diag(np.maximum(logits, 0))


# ---- Numerics chapter ------------------------------------------------------------------------
# docs/*/numerics.md includes each function below from this file, by the section markers.


# --8<-- [start:softmax_global_max]
def softmax_global_max(logits):
    # Subtracts one maximum for the whole batch. A sample far below the batch maximum then has
    # every exp underflow to 0, and its column becomes 0 / 0 = NaN.
    exps = np.exp(logits - logits.max())
    return exps / exps.sum(axis=0, keepdims=True)
# --8<-- [end:softmax_global_max]


# --8<-- [start:softmax_max_over_samples]
def softmax_max_over_samples(logits):
    # Subtracts each class's maximum over the samples (axis=1), so the entries of one column get
    # different shifts, and the shift no longer cancels.
    exps = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exps / exps.sum(axis=0, keepdims=True)
# --8<-- [end:softmax_max_over_samples]


# --8<-- [start:softmax_max_without_keepdims]
def softmax_max_without_keepdims(logits):
    # max(axis=1) without keepdims has shape (C,), which broadcasts along the samples: entry
    # (i, k) loses the maximum of class k. NumPy raises unless C = m, so square batches hide it.
    exps = np.exp(logits - logits.max(axis=1))
    return exps / exps.sum(axis=0, keepdims=True)
# --8<-- [end:softmax_max_without_keepdims]


# --8<-- [start:logsumexp_unshifted]
def logsumexp_unshifted(logits):
    # ln sum exp(z) without the shift: exp overflows to inf once a logit passes the dtype's
    # exp range, and the log of a sum that underflowed to 0 is -inf.
    return np.log(np.sum(np.exp(logits), axis=0))
# --8<-- [end:logsumexp_unshifted]


# --8<-- [start:log_softmax_via_probs]
def log_softmax_via_probs(logits):
    # ln(softmax(z)) with a stable softmax: a probability that underflows to 0 gives -inf.
    exps = np.exp(logits - logits.max(axis=0, keepdims=True))
    return np.log(exps / exps.sum(axis=0, keepdims=True))
# --8<-- [end:log_softmax_via_probs]


# --8<-- [start:cost_via_probs]
def cost_via_probs(logits, classes):
    # -ln a_t averaged over the batch, through the probabilities: inf once a_t underflows to 0.
    exps = np.exp(logits - logits.max(axis=0, keepdims=True))
    probs = exps / exps.sum(axis=0, keepdims=True)
    true_probs = probs[classes, np.arange(logits.shape[1])]
    return float(np.mean(-np.log(true_probs)))
# --8<-- [end:cost_via_probs]


# --8<-- [start:cost_via_clipped_probs]
def cost_via_clipped_probs(logits, classes, floor=1e-12):
    # Clips a_t to at least 1e-12 to keep the log finite. Below the floor the loss is stuck at
    # -ln(1e-12) ≈ 27.6 whatever the logits, so it is wrong and its gradient is 0.
    exps = np.exp(logits - logits.max(axis=0, keepdims=True))
    probs = exps / exps.sum(axis=0, keepdims=True)
    true_probs = probs[classes, np.arange(logits.shape[1])]
    return float(np.mean(-np.log(np.clip(true_probs, floor, 1.0))))
# --8<-- [end:cost_via_clipped_probs]


# --8<-- [start:smooth_labels_without_rescale]
def smooth_labels_without_rescale(labels, smoothing):
    # Adds eps / C to every entry but keeps the full weight on y, so each column sums to 1 + eps.
    return labels + smoothing / labels.shape[0]
# --8<-- [end:smooth_labels_without_rescale]


# --8<-- [start:batch_grad_logits_without_mean]
def batch_grad_logits_without_mean(labels, probs):
    # Differentiates the summed losses, not their mean: the 1/m is missing.
    return probs - labels
# --8<-- [end:batch_grad_logits_without_mean]


def batch_grad_params_transposed(inputs, d_logits):
    # dZ X^T in place of X dZ^T. Its shape is (k, n), which equals (n, k) only when n = k.
    return d_logits @ inputs.T, d_logits.sum(axis=1)


def batch_grad_params_bias_over_units(inputs, d_logits):
    # Sums over the units, axis 0, in place of the samples. The shape is (m,), which passes for
    # (k,) only when m = k.
    return inputs @ d_logits.T, d_logits.sum(axis=0)


# --8<-- [start:batch_grad_params_scalar_bias]
def batch_grad_params_scalar_bias(inputs, d_logits):
    # Sums every entry of dZ, so every unit's bias gets the same gradient.
    return inputs @ d_logits.T, d_logits.sum()
# --8<-- [end:batch_grad_params_scalar_bias]


# --8<-- [start:batch_grad_params_doubled_mean]
def batch_grad_params_doubled_mean(inputs, d_logits):
    # Divides by m again, although dZ already carries the 1/m of the mean.
    samples = inputs.shape[1]
    return inputs @ d_logits.T / samples, d_logits.sum(axis=1) / samples
# --8<-- [end:batch_grad_params_doubled_mean]
