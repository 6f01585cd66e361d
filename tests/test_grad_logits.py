import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numdiff import matches_finite_differences, numeric_gradient
from strategies import LABEL_KINDS, NEGATIVE_SEEDS, logits_and_labels, moderate_case
from wrong_formulas import grad_logits_reversed

from snippets import cross_entropy, grad_logits, softmax


def matches_loss_differences(gradient, logits, labels):
    def loss(z):
        return cross_entropy(labels, softmax(z))

    numeric = numeric_gradient(loss, logits)
    # The loss and the logits (rounded by the step) set the rounding scale.
    scale = max(abs(loss(logits)), np.abs(logits).max())
    return matches_finite_differences(gradient, numeric, scale)


@pytest.mark.equation("eq:grad-logits")
@pytest.mark.parametrize("kind", LABEL_KINDS)
@given(data=st.data())
def test_grad_logits_matches_finite_differences(kind, data):
    logits, labels = data.draw(logits_and_labels(kind))

    assert matches_loss_differences(grad_logits(labels, softmax(logits)), logits, labels)


@pytest.mark.equation("eq:grad-logits")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_reversed_grad_logits_fails_finite_differences(seed):
    logits, labels = moderate_case(seed)
    gradient = grad_logits_reversed(labels, softmax(logits))

    assert not matches_loss_differences(gradient, logits, labels)


@pytest.mark.equation("eq:grad-logits")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_grad_logits_formula_fails_unnormalised_labels(seed):
    logits, labels = moderate_case(seed)
    labels = 2 * labels

    # The exact gradient is a * sum(y) - y, which is why grad_logits rejects these labels.
    assert not matches_loss_differences(softmax(logits) - labels, logits, labels)
