import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numdiff import equal_up_to_rounding
from strategies import NEGATIVE_SEEDS, logit_batches, logit_vectors, logits, moderate_case
from wrong_formulas import logits_over_their_sum, softmax_over_last_axis

from snippets import softmax

logit_arrays = st.one_of(logit_vectors, logit_batches)


def is_positive(probs):
    return bool(np.all(probs > 0))


def columns_sum_to_one(probs):
    # Each column sum adds C rounded entries of at most 1.
    return equal_up_to_rounding(probs.sum(axis=0), 1.0, scale=1.0, terms=probs.shape[0])


def batch_matches_columns(softmax_function, logits):
    batch = softmax_function(logits)
    for j in range(logits.shape[1]):
        column = softmax_function(logits[:, j])
        # The two sums of C terms may add in different orders.
        if not equal_up_to_rounding(batch[:, j], column, scale=column, terms=logits.shape[0]):
            return False
    return True


def is_shift_invariant(softmax_function, logits, shifts):
    probs = softmax_function(logits)
    shifted = logits + shifts
    # Adding a shift rounds each logit by up to eps * |z + c|, which exp turns into a relative
    # error of the output. The normalising sum adds about C roundings more.
    terms = np.abs(logits).max() + np.abs(shifted).max() + logits.shape[0]
    return equal_up_to_rounding(softmax_function(shifted), probs, scale=probs, terms=terms)


@pytest.mark.equation("eq:softmax")
@given(logit_arrays)
def test_softmax_outputs_are_positive(logits):
    assert is_positive(softmax(logits))


@pytest.mark.equation("eq:softmax")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_logits_over_their_sum_are_not_all_positive(seed):
    logits, _ = moderate_case(seed)

    assert not is_positive(logits_over_their_sum(logits))


@pytest.mark.equation("eq:softmax")
@given(logit_arrays)
def test_softmax_columns_sum_to_one(logits):
    assert columns_sum_to_one(softmax(logits))


@pytest.mark.equation("eq:softmax")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_last_axis_softmax_breaks_column_sums(seed):
    logits, _ = moderate_case(seed, batch_size=4)

    assert not columns_sum_to_one(softmax_over_last_axis(logits))


@pytest.mark.equation("eq:softmax")
@given(logit_batches)
def test_softmax_of_batch_equals_each_column(logits):
    assert batch_matches_columns(softmax, logits)


@pytest.mark.equation("eq:softmax")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_last_axis_softmax_breaks_batching(seed):
    logits, _ = moderate_case(seed, batch_size=4)

    # The 1-D call on each column is right, so only the batch call can be wrong.
    assert not batch_matches_columns(softmax_over_last_axis, logits)


@pytest.mark.equation("eq:softmax")
@given(st.data())
def test_softmax_is_shift_invariant_per_column(data):
    logits_batch = data.draw(logit_batches)
    shifts = data.draw(logits((1, logits_batch.shape[1])))

    assert is_shift_invariant(softmax, logits_batch, shifts)


@pytest.mark.equation("eq:softmax")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_last_axis_softmax_breaks_shift_invariance(seed):
    logits_batch, _ = moderate_case(seed, batch_size=4)
    shifts = np.random.default_rng(seed).standard_normal((1, 4))

    assert not is_shift_invariant(softmax_over_last_axis, logits_batch, shifts)


def naive_softmax(logits):
    exps = np.exp(logits)
    return exps / exps.sum(axis=0, keepdims=True)


# Logits far beyond exp's float64 range (about 709): only the per-column shift keeps the
# result finite. Each column has its own scale, so a single batch-wide shift would not do.
HUGE_LOGITS = np.array([[1e4, -1e4, 0.0], [1e4 - 1.0, -1e4 + 2.0, 800.0], [-1e4, -1e4, -800.0]])


@pytest.mark.equation("eq:softmax")
def test_softmax_is_finite_for_huge_logits():
    probs = softmax(HUGE_LOGITS)
    assert np.all(np.isfinite(probs))
    assert columns_sum_to_one(probs)


@pytest.mark.equation("eq:softmax")
def test_naive_softmax_overflows_for_huge_logits():
    with np.errstate(over="ignore", invalid="ignore"):
        probs = naive_softmax(HUGE_LOGITS)
    assert not np.all(np.isfinite(probs))
