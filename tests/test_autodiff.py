"""Compare the snippets' derivatives with reverse-mode automatic differentiation.

autograd differentiates the forward functions below, written with autograd.numpy, so the
reference shares no code with the snippets and none of the hand derivations in the book.
"""

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad, jacobian
from hypothesis import given
from hypothesis import strategies as st
from strategies import (
    LABEL_KINDS,
    NEGATIVE_SEEDS,
    logit_and_label_batches,
    logit_vectors,
    logits_and_labels,
    moderate_case,
)
from wrong_formulas import diagonal_only_jacobian, grad_logits_reversed

from snippets import grad_logits, softmax, softmax_jacobian

# record_check only feeds the verification report, so a numdiff without it still runs every check.
try:
    from numdiff import record_check
except ImportError:

    def record_check(kind, ratio):
        pass


# 1e-13 is about 450 eps. It leaves room for the two sides rounding in a different order and for
# sums over up to 50 classes.
AUTODIFF_RTOL = 1e-13

# A batch of 2 or more samples is needed, because at m = 1 the cost gradient has no 1/m to lose.
NEGATIVE_BATCH_SIZE = 4


def reference_softmax(logits):
    # The derivative through the max shift is zero in exact arithmetic, because softmax is shift
    # invariant. autograd carries it anyway, as rounding noise the size of eps * a.
    shifted = logits - anp.max(logits, axis=0, keepdims=True)
    exps = anp.exp(shifted)
    return exps / anp.sum(exps, axis=0, keepdims=True)


def reference_loss(labels, probs):
    return -anp.sum(labels * anp.log(probs))


def reference_cost(labels, probs):
    # Column j of a (C, m) batch is sample j, so the loss of each column sums over axis 0.
    losses = -anp.sum(labels * anp.log(probs), axis=0)
    return anp.mean(losses)


def cost_gradient(labels, probs):
    return grad_logits(labels, probs) / labels.shape[1]


def matches_autodiff(ours, theirs, scale):
    """Check that ours is within AUTODIFF_RTOL of autograd's derivative, in Frobenius norm.

    The tolerance is AUTODIFF_RTOL * max(||theirs||, scale). A passing check is recorded with
    record_check as error / tolerance.
    """
    # Both sides round relative to the probabilities, not to the result. Entries
    # a_i (delta_ij - a_j) and a_i - y_i are off by a few eps times a_i or y_i, and
    # ||y|| <= ||a|| + ||a - y||. So the error stays near eps * ||a|| even where saturated logits
    # make the true derivative 1e-26. scale is therefore the norm of the probabilities times the
    # factor that the derivative carries, which is ||a|| for one sample and ||A|| / m for the
    # cost gradient.
    error = np.linalg.norm(np.asarray(ours) - np.asarray(theirs))
    tolerance = AUTODIFF_RTOL * max(np.linalg.norm(theirs), scale)
    ratio = 0.0 if error == 0 else error / tolerance
    if ratio > 1:
        return False
    record_check("autodiff", ratio)
    return True


def jacobian_matches_autodiff(jacobian_function, logits):
    probs = softmax(logits)
    expected = jacobian(reference_softmax)(logits)
    return matches_autodiff(jacobian_function(probs), expected, scale=np.linalg.norm(probs))


def loss_gradient_matches_autodiff(gradient, logits, labels):
    def loss_of_logits(z):
        return reference_loss(labels, reference_softmax(z))

    expected = grad(loss_of_logits)(logits)
    scale = np.linalg.norm(softmax(logits))
    return matches_autodiff(gradient, expected, scale)


def cost_gradient_matches_autodiff(gradient, logits, labels):
    def cost_of_logits(z):
        return reference_cost(labels, reference_softmax(z))

    expected = grad(cost_of_logits)(logits)
    scale = np.linalg.norm(softmax(logits)) / labels.shape[1]
    return matches_autodiff(gradient, expected, scale)


@pytest.mark.equation("eq:jac-matrix")
@given(logit_vectors)
def test_softmax_jacobian_matches_autodiff(logits):
    assert jacobian_matches_autodiff(softmax_jacobian, logits)


@pytest.mark.equation("eq:jac-matrix")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_diagonal_only_jacobian_fails_autodiff(seed):
    logits, _ = moderate_case(seed)

    assert not jacobian_matches_autodiff(diagonal_only_jacobian, logits)


@pytest.mark.equation("eq:grad-logits")
@pytest.mark.parametrize("kind", LABEL_KINDS)
@given(data=st.data())
def test_grad_logits_matches_autodiff(kind, data):
    logits, labels = data.draw(logits_and_labels(kind))
    gradient = grad_logits(labels, softmax(logits))

    assert loss_gradient_matches_autodiff(gradient, logits, labels)


@pytest.mark.equation("eq:grad-logits")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_reversed_grad_logits_fails_autodiff(seed):
    logits, labels = moderate_case(seed)
    gradient = grad_logits_reversed(labels, softmax(logits))

    assert not loss_gradient_matches_autodiff(gradient, logits, labels)


@pytest.mark.equation("eq:cost", "eq:grad-logits")
@pytest.mark.parametrize("kind", LABEL_KINDS)
@given(data=st.data())
def test_cost_gradient_matches_autodiff(kind, data):
    logits, labels = data.draw(logit_and_label_batches(kind))
    gradient = cost_gradient(labels, softmax(logits))

    assert gradient.shape == logits.shape
    assert cost_gradient_matches_autodiff(gradient, logits, labels)


@pytest.mark.equation("eq:cost", "eq:grad-logits")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_cost_gradient_without_mean_fails_autodiff(seed):
    logits, labels = moderate_case(seed, batch_size=NEGATIVE_BATCH_SIZE)
    # The gradient of the summed losses, which lacks the 1/m of the mean.
    gradient = grad_logits(labels, softmax(logits))

    assert not cost_gradient_matches_autodiff(gradient, logits, labels)
