"""Plausible wrong formulas that the negative tests feed to the same checks as the snippets.

Each one mirrors the signature of the snippet it replaces.
"""

import numpy as np


def softmax_over_last_axis(logits):
    # Normalises each class across the samples of a (C, m) batch, as code written for
    # row-per-sample frameworks does. On a single 1-D sample it is right.
    exps = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)


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


def diagonal_only_jacobian(probs):
    # The element-wise derivative a(1 - a), as for sigmoid, used as the whole softmax Jacobian.
    return np.diag(probs * (1 - probs))


def diagonal_case_everywhere_jacobian(probs):
    # The diagonal case a_i (1 - a_j) applied to every entry (i, j) of the softmax Jacobian.
    return probs[:, None] * (1 - probs[None, :])


WRONG_SOFTMAX_JACOBIANS = [diagonal_only_jacobian, diagonal_case_everywhere_jacobian]


def jacobian_times_upstream(upstream, jacobian):
    # Sums over the second index of the Jacobian. The softmax Jacobian is symmetric, so only a
    # non-symmetric Jacobian exposes this.
    return jacobian @ upstream


def grad_logits_reversed(labels, probs):
    # y - a in place of a - y.
    return labels - probs


def sigmoid_jacobian_like_softmax(logits):
    # Treats the element-wise sigmoid like softmax: diag(s) - s s^T.
    sigma = 1 / (1 + np.exp(-logits))
    return np.diag(sigma) - np.outer(sigma, sigma)


def relu_jacobian_from_activation(logits):
    # Puts the activation max(z, 0) on the diagonal in place of its derivative 1[z > 0].
    return np.diag(np.maximum(logits, 0))
