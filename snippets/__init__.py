"""Verified NumPy snippets of the softmax-regression book.

Each module is self-contained and imports only NumPy, so a reader can copy
one file into their own code. Layout: one sample is a 1-D array of shape
``(C,)``; a batch keeps samples as columns, shape ``(C, m)``. The answer
to each chapter's exercise is a module here too, tested like the others.
"""

from snippets.activations import relu_jacobian, sigmoid_jacobian
from snippets.batch_grad_logits import batch_grad_logits
from snippets.batch_grad_logits_inplace import batch_grad_logits_inplace
from snippets.batch_grad_params import batch_grad_params
from snippets.chain_rule import vector_jacobian_product
from snippets.cost_from_logits import cost_from_logits
from snippets.cross_entropy import cost, cross_entropy
from snippets.cross_entropy_from_logits import cross_entropy_from_logits
from snippets.descent_step import descent_step
from snippets.exp_range import exp_range
from snippets.grad_check import grad_check
from snippets.grad_cost_probs import grad_cost_probs
from snippets.grad_logits import grad_logits
from snippets.grad_logits_general import grad_logits_general
from snippets.grad_probs import grad_probs
from snippets.label_smoothing import smooth_labels
from snippets.linear import linear_forward
from snippets.log_softmax import log_softmax
from snippets.logsumexp import logsumexp
from snippets.sigmoid_vjp import sigmoid_vjp
from snippets.softmax import softmax
from snippets.softmax_jacobian import (
    softmax_jacobian,
    softmax_jacobian_elementwise,
)
from snippets.softmax_temperature import softmax_temperature
from snippets.softmax_vjp import softmax_vjp

__all__ = [
    "batch_grad_logits",
    "batch_grad_logits_inplace",
    "batch_grad_params",
    "cost",
    "cost_from_logits",
    "cross_entropy",
    "cross_entropy_from_logits",
    "descent_step",
    "exp_range",
    "grad_check",
    "grad_cost_probs",
    "grad_logits",
    "grad_logits_general",
    "grad_probs",
    "linear_forward",
    "log_softmax",
    "logsumexp",
    "relu_jacobian",
    "sigmoid_jacobian",
    "sigmoid_vjp",
    "smooth_labels",
    "softmax",
    "softmax_jacobian",
    "softmax_jacobian_elementwise",
    "softmax_temperature",
    "softmax_vjp",
    "vector_jacobian_product",
]
