import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numdiff import equal_up_to_rounding
from strategies import (
    LABEL_KINDS,
    NEGATIVE_SEEDS,
    logit_and_label_batches,
    logits_and_labels,
    moderate_case,
)
from wrong_formulas import cross_entropy_without_minus, summed_cost

from snippets import cost, cross_entropy, softmax


def is_negative_log_of_true_class(loss, labels, probs):
    true_class = int(np.argmax(labels))
    expected = -np.log(probs[true_class])
    # Only one term of the sum is non-zero, so the loss is one logarithm rounded a few times.
    return equal_up_to_rounding(loss, expected, scale=abs(expected))


def is_mean_of_column_losses(cost_value, labels, probs):
    losses = [cross_entropy(labels[:, j], probs[:, j]) for j in range(labels.shape[1])]
    expected = sum(losses) / len(losses)
    # A sum of m non-negative losses, each at most max(losses).
    return equal_up_to_rounding(cost_value, expected, scale=max(losses), terms=len(losses))


def is_unchanged_by_repeating_batch(cost_function, labels, probs):
    repeated = cost_function(np.tile(labels, 2), np.tile(probs, 2))
    original = cost_function(labels, probs)
    # The repeated batch sums 2m losses in place of m.
    return equal_up_to_rounding(repeated, original, scale=abs(original), terms=2 * labels.shape[1])


@pytest.mark.equation("eq:loss")
@given(logits_and_labels("one-hot"))
def test_cross_entropy_of_one_hot_is_negative_log(case):
    logits, labels = case
    probs = softmax(logits)

    assert is_negative_log_of_true_class(cross_entropy(labels, probs), labels, probs)


@pytest.mark.equation("eq:loss")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_loss_without_minus_fails_log_check(seed):
    logits, labels = moderate_case(seed)
    probs = softmax(logits)
    loss = cross_entropy_without_minus(labels, probs)

    assert not is_negative_log_of_true_class(loss, labels, probs)


@pytest.mark.equation("eq:cost")
@pytest.mark.parametrize("kind", LABEL_KINDS)
@given(data=st.data())
def test_cost_is_mean_of_column_losses(kind, data):
    logits, labels = data.draw(logit_and_label_batches(kind))
    probs = softmax(logits)

    assert is_mean_of_column_losses(cost(labels, probs), labels, probs)


@pytest.mark.equation("eq:cost")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_summed_cost_fails_mean_check(seed):
    logits, labels = moderate_case(seed, batch_size=3)
    probs = softmax(logits)

    assert not is_mean_of_column_losses(summed_cost(labels, probs), labels, probs)


@pytest.mark.equation("eq:cost")
@pytest.mark.parametrize("kind", LABEL_KINDS)
@given(data=st.data())
def test_cost_unchanged_by_repeating_batch(kind, data):
    logits, labels = data.draw(logit_and_label_batches(kind))

    assert is_unchanged_by_repeating_batch(cost, labels, softmax(logits))


@pytest.mark.equation("eq:cost")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_summed_cost_changes_when_batch_repeats(seed):
    logits, labels = moderate_case(seed, batch_size=3)

    assert not is_unchanged_by_repeating_batch(summed_cost, labels, softmax(logits))
