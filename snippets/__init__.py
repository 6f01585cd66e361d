"""Verified NumPy snippets of the softmax-regression book.

Each module is self-contained and imports only NumPy, so a reader can copy
one file into their own code. Layout: one sample is a 1-D array of shape
``(C,)``; a batch keeps samples as columns, shape ``(C, m)``.
"""

from snippets.activations import relu_jacobian, sigmoid_jacobian
from snippets.chain_rule import vector_jacobian_product
from snippets.cross_entropy import cost, cross_entropy
from snippets.grad_logits import grad_logits
from snippets.grad_probs import grad_probs
from snippets.linear import linear_forward
from snippets.softmax import softmax
from snippets.softmax_jacobian import (
    softmax_jacobian,
    softmax_jacobian_elementwise,
)

__all__ = [
    "cost",
    "cross_entropy",
    "grad_logits",
    "grad_probs",
    "linear_forward",
    "relu_jacobian",
    "sigmoid_jacobian",
    "softmax",
    "softmax_jacobian",
    "softmax_jacobian_elementwise",
    "vector_jacobian_product",
]
