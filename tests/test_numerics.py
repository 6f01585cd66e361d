"""The numerics chapter: per-sample max shift, log-sum-exp, log-softmax, label smoothing, exp range.

Every stable form is checked against a plausible unstable or wrong version from
tests/wrong_formulas.py, with the same check.
"""

import warnings

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import jacobian
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numdiff import (
    equal_up_to_rounding,
    matches_finite_differences,
    numeric_gradient,
    numeric_jacobian,
    record_check,
)
from strategies import (
    LABEL_KINDS,
    NEGATIVE_SEEDS,
    batch_sizes,
    logit_and_label_batches,
    logit_batches,
    logit_vectors,
    logits,
    moderate_case,
    num_classes,
)
from test_autodiff import matches_autodiff
from wrong_formulas import (
    log_softmax_via_probs,
    logsumexp_unshifted,
    smooth_labels_without_rescale,
    softmax_global_max,
    softmax_max_over_samples,
    softmax_max_without_keepdims,
    softmax_over_last_axis,
)

from snippets import (
    cost_from_logits,
    cross_entropy_from_logits,
    exp_range,
    grad_check,
    grad_logits,
    grad_logits_general,
    log_softmax,
    logsumexp,
    smooth_labels,
    softmax,
)

FLOAT_DTYPES = [np.float16, np.float32, np.float64]
logit_arrays = st.one_of(logit_vectors, logit_batches)

# A square batch (C = m = 3), so the version without keepdims broadcasts without error. Sample 0
# sits near +1e4 and sample 1 near -1e4, 2e4 apart: far past float64's exp range of about ±709.
EXTREME_BATCH = np.array(
    [
        [1e4 + 1.0, -1e4 + 0.5, 2.0],
        [1e4 - 2.0, -1e4 - 1.0, 0.0],
        [1e4 + 0.0, -1e4 + 3.0, -1.0],
    ]
)
WRONG_SHIFTS = [
    softmax_global_max,
    softmax_max_over_samples,
    softmax_max_without_keepdims,
    softmax_over_last_axis,
]

# ---- The maximum of each sample ---------------------------------------------------------------


def columns_equal_single_samples(function, batch):
    """Return whether column k of function(batch) is exactly function(batch[:, k])."""
    with np.errstate(all="ignore"):
        result = function(batch)
        for k in range(batch.shape[1]):
            # A wrong version may reject a 1-D sample: max(axis=1) has no axis 1 there.
            try:
                column = function(batch[:, k])
            except ValueError:
                return False
            if not np.array_equal(result[..., k], column):
                return False
    return True


@pytest.mark.equation("eq:softmax")
def test_softmax_columns_equal_single_samples():
    assert columns_equal_single_samples(softmax, EXTREME_BATCH)


@pytest.mark.equation("eq:softmax")
@pytest.mark.parametrize("wrong", WRONG_SHIFTS, ids=lambda function: function.__name__)
def test_wrong_max_shift_fails_single_samples(wrong):
    assert not columns_equal_single_samples(wrong, EXTREME_BATCH)


def test_global_max_gives_nan_column():
    with np.errstate(all="ignore"):
        probs = softmax_global_max(EXTREME_BATCH)

    assert np.all(np.isnan(probs[:, 1]))
    assert np.all(np.isfinite(softmax(EXTREME_BATCH)))


@pytest.mark.equation("eq:logsumexp")
def test_logsumexp_columns_equal_single_samples():
    assert columns_equal_single_samples(logsumexp, EXTREME_BATCH)


@pytest.mark.equation("eq:log-softmax")
def test_log_softmax_columns_equal_single_samples():
    assert columns_equal_single_samples(log_softmax, EXTREME_BATCH)


# ---- Log-sum-exp ------------------------------------------------------------------------------


def matches_reference_logsumexp(function, logits):
    # Within ±30 the unshifted float64 form neither overflows nor underflows.
    expected = np.log(np.sum(np.exp(logits), axis=0))
    # ln of a sum of C rounded exps, each relative to eps |z| after the shift, plus M + (...).
    scale = np.abs(logits).max(axis=0) + 1
    return equal_up_to_rounding(function(logits), expected, scale, terms=logits.shape[0] + 4)


@pytest.mark.equation("eq:logsumexp")
@given(logit_arrays)
def test_logsumexp_matches_unshifted_form(logits):
    assert matches_reference_logsumexp(logsumexp, logits)


@pytest.mark.equation("eq:logsumexp")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_logsumexp_without_log_fails(seed):
    logits, _ = moderate_case(seed)

    assert not matches_reference_logsumexp(lambda z: np.sum(np.exp(z), axis=0), logits)


@pytest.mark.equation("eq:logsumexp")
@given(logit_arrays)
def test_logsumexp_lies_between_max_and_max_plus_log_c(logits):
    result = logsumexp(logits)
    largest = logits.max(axis=0)

    assert np.all(result >= largest)
    assert np.all(result <= largest + np.log(logits.shape[0]) * (1 + 1e-15) + 1e-15 * np.abs(largest))


@pytest.mark.equation("eq:logsumexp")
def test_logsumexp_is_exact_far_apart():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = logsumexp(EXTREME_BATCH[:, :2])

    assert result[0] == pytest.approx(1e4 + np.log(np.exp(1.0) + np.exp(-2.0) + 1.0), rel=1e-15)
    assert result[1] == pytest.approx(-1e4 + np.log(np.exp(0.5) + np.exp(-1.0) + np.exp(3.0)), rel=1e-15)


@pytest.mark.equation("eq:logsumexp")
def test_unshifted_logsumexp_overflows_far_apart():
    with np.errstate(over="ignore", divide="ignore"):
        result = logsumexp_unshifted(EXTREME_BATCH[:, :2])

    assert result[0] == np.inf
    assert result[1] == -np.inf


# ---- Log-softmax ------------------------------------------------------------------------------


def reference_log_softmax(logits):
    shifted = logits - anp.max(logits, axis=0, keepdims=True)
    return shifted - anp.log(anp.sum(anp.exp(shifted), axis=0, keepdims=True))


@pytest.mark.equation("eq:log-softmax")
@given(logit_arrays)
def test_log_softmax_equals_log_of_softmax(logits):
    expected = np.log(softmax(logits))
    # Both round ln a_i by about eps (|z_i - M| + C).
    scale = np.ptp(logits, axis=0) + 1

    assert equal_up_to_rounding(log_softmax(logits), expected, scale, terms=logits.shape[0] + 4)


@pytest.mark.equation("eq:log-softmax")
@given(logit_arrays)
def test_log_softmax_exps_sum_to_one(logits):
    sums = np.exp(log_softmax(logits)).sum(axis=0)

    assert equal_up_to_rounding(sums, 1.0, scale=1.0, terms=logits.shape[0] + 4)


@pytest.mark.equation("eq:log-softmax")
def test_log_softmax_is_finite_where_log_of_softmax_is_not():
    with np.errstate(divide="ignore"):
        naive = log_softmax_via_probs(EXTREME_BATCH[:, :2] * [[1], [-1], [1]])
    stable = log_softmax(EXTREME_BATCH[:, :2] * [[1], [-1], [1]])

    assert np.any(np.isneginf(naive))
    assert np.all(np.isfinite(stable))
    # Sample 0: z = (1e4 + 1, -1e4 + 2, 1e4), so ln a_1 = -2e4 + 1 - ln(1 + e**-1).
    assert stable[1, 0] == pytest.approx(-2e4 + 1 - np.log1p(np.exp(-1.0)), rel=1e-15)


def log_softmax_jacobian(logits):
    # d ln a_i / d z_j = delta_ij - a_j, so the Jacobian is I - 1 a^T.
    probs = softmax(logits)
    return np.eye(logits.size) - probs[None, :]


@pytest.mark.equation("eq:log-softmax")
@given(logit_vectors)
def test_log_softmax_jacobian_matches_autodiff(logits):
    expected = jacobian(reference_log_softmax)(logits)

    assert matches_autodiff(log_softmax_jacobian(logits), expected, scale=np.sqrt(logits.size))


@pytest.mark.equation("eq:log-softmax")
@given(logit_vectors)
def test_log_softmax_differences_match_autodiff(logits):
    expected = jacobian(reference_log_softmax)(logits)
    numeric = numeric_jacobian(log_softmax, logits)
    scale = np.abs(log_softmax(logits)).max() + np.abs(logits).max()

    assert matches_finite_differences(expected, numeric, scale)


@pytest.mark.equation("eq:log-softmax")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_transposed_log_softmax_jacobian_fails_autodiff(seed):
    # I - a 1^T puts a_i in row i, where I - 1 a^T puts a_j in column j.
    logits, _ = moderate_case(seed)
    expected = jacobian(reference_log_softmax)(logits)
    wrong = log_softmax_jacobian(logits).T

    assert not matches_autodiff(wrong, expected, scale=np.sqrt(logits.size))


# ---- Label smoothing --------------------------------------------------------------------------

smoothings = st.floats(0.0, 0.999)


@pytest.mark.equation("eq:label-smoothing")
@pytest.mark.parametrize("kind", LABEL_KINDS)
@given(data=st.data(), smoothing=smoothings)
def test_smoothed_labels_sum_to_one(kind, data, smoothing):
    _, labels = data.draw(logit_and_label_batches(kind))
    smoothed = smooth_labels(labels, smoothing)

    assert np.all(smoothed >= smoothing / labels.shape[0] * (1 - 1e-15))
    assert equal_up_to_rounding(smoothed.sum(axis=0), 1.0, scale=1.0, terms=2 * labels.shape[0] + 4)


@pytest.mark.equation("eq:label-smoothing")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_smoothing_without_rescale_breaks_sum(seed):
    _, labels = moderate_case(seed)
    smoothed = smooth_labels_without_rescale(labels, 0.1)

    assert not equal_up_to_rounding(smoothed.sum(axis=0), 1.0, scale=1.0, terms=2 * labels.shape[0] + 4)


def matches_smoothed_loss_differences(gradient, logits, labels):
    def loss(z):
        return cross_entropy_from_logits(labels, z)

    numeric = numeric_gradient(loss, logits)
    scale = max(loss(logits), np.abs(logits).max())
    return matches_finite_differences(gradient, numeric, scale)


@pytest.mark.equation("eq:label-smoothing", "eq:grad-logits")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_smoothed_labels_keep_a_minus_y(seed):
    logits, labels = moderate_case(seed)
    smoothed = smooth_labels(labels, 0.1)

    assert matches_smoothed_loss_differences(grad_logits(smoothed, softmax(logits)), logits, smoothed)


@pytest.mark.equation("eq:label-smoothing", "eq:grad-logits")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_unrescaled_labels_fail_a_minus_y(seed):
    logits, labels = moderate_case(seed)
    smoothed = smooth_labels_without_rescale(labels, 0.1)
    probs = softmax(logits)

    # The labels sum to 1.1, so the gradient is 1.1 a - y, not a - y.
    assert not matches_smoothed_loss_differences(probs - smoothed, logits, smoothed)
    assert matches_smoothed_loss_differences(grad_logits_general(smoothed, probs), logits, smoothed)


# ---- Exp range per dtype ----------------------------------------------------------------------


@pytest.mark.equation("eq:exp-range")
@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=lambda dtype: dtype.__name__)
def test_exp_range_bounds_are_tight(dtype):
    lowest, highest = exp_range(dtype)
    info = np.finfo(dtype)
    up, down = dtype(np.inf), dtype(-np.inf)

    with np.errstate(over="ignore", under="ignore"):
        assert lowest.dtype == highest.dtype == np.dtype(dtype)
        assert np.isfinite(np.exp(highest))
        assert np.exp(np.nextafter(highest, up)) == np.inf
        assert np.exp(lowest) >= info.tiny
        assert np.exp(np.nextafter(lowest, down)) < info.tiny


@pytest.mark.equation("eq:exp-range")
def test_rounded_log_max_overflows_float32():
    # ln(max) rounded to float32 lies above the true bound, so rounding alone is not enough.
    rounded = np.float32(np.log(np.float64(np.finfo(np.float32).max)))

    with np.errstate(over="ignore"):
        assert np.exp(rounded) == np.inf
    assert rounded > exp_range(np.float32)[1]


# Approximate values quoted in the book, to catch a bound computed from the wrong constant.
QUOTED_RANGES = {np.float16: (-9.70, 11.09), np.float32: (-87.34, 88.72), np.float64: (-708.40, 709.78)}


@pytest.mark.equation("eq:exp-range")
@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=lambda dtype: dtype.__name__)
def test_exp_range_matches_quoted_values(dtype):
    lowest, highest = exp_range(dtype)
    quoted_lowest, quoted_highest = QUOTED_RANGES[dtype]

    # Two decimals of the quoted values, and float16's own spacing of about 0.008 near 11.
    assert float(lowest) == pytest.approx(quoted_lowest, abs=0.01)
    assert float(highest) == pytest.approx(quoted_highest, abs=0.01)


@pytest.mark.equation("eq:exp-range")
@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=lambda dtype: dtype.__name__)
def test_exp_range_of_tiny_is_wrong(dtype):
    # ln of the smallest subnormal in place of the smallest normal number gives a lower bound
    # whose exp loses precision: it fails the same tightness check.
    smallest_subnormal = np.nextafter(dtype(0), dtype(1))
    lowest = dtype(np.log(np.float64(smallest_subnormal)))

    with np.errstate(under="ignore"):
        assert not np.exp(lowest) >= np.finfo(dtype).tiny


# ---- float16 and float32 ----------------------------------------------------------------------


def dtype_tolerance(dtype, reference, size):
    # Shift, exp, sum of C terms, log and the final add each round by eps of the dtype relative
    # to a value at most |reference| + C; a factor 4 leaves room for the exp's own rounding.
    return 4 * float(np.finfo(dtype).eps) * (np.abs(reference) + size)


def low_precision_logits(dtype):
    # Up to ±1e4 in both dtypes: far past their exp range, and gaps up to 2e4 stay below
    # float16's maximum of 65504.
    element = st.floats(-1e4, 1e4, width=np.finfo(dtype).bits)
    shapes = st.tuples(num_classes, batch_sizes)
    return shapes.flatmap(lambda shape: arrays(dtype, shape, elements=element))


@pytest.mark.equation("eq:logsumexp", "eq:exp-range")
@pytest.mark.parametrize("dtype", [np.float16, np.float32], ids=lambda dtype: dtype.__name__)
@given(data=st.data())
def test_low_precision_logsumexp_matches_float64(dtype, data):
    logits = data.draw(low_precision_logits(dtype))
    result = logsumexp(logits)
    # The reference starts from the same rounded logits, so only the computation's rounding counts.
    reference = logsumexp(logits.astype(np.float64))
    tolerance = dtype_tolerance(dtype, reference, logits.shape[0])
    error = np.abs(result.astype(np.float64) - reference)

    assert result.dtype == dtype
    assert np.all(error <= tolerance)
    record_check("exact", (error / tolerance).max())


@pytest.mark.equation("eq:log-softmax", "eq:exp-range")
@pytest.mark.parametrize("dtype", [np.float16, np.float32], ids=lambda dtype: dtype.__name__)
@given(data=st.data())
def test_low_precision_log_softmax_matches_float64(dtype, data):
    logits = data.draw(low_precision_logits(dtype))
    result = log_softmax(logits)
    reference = log_softmax(logits.astype(np.float64))
    tolerance = dtype_tolerance(dtype, reference, logits.shape[0])
    error = np.abs(result.astype(np.float64) - reference)

    assert result.dtype == dtype
    assert np.all(error <= tolerance)
    record_check("exact", (error / tolerance).max())


@pytest.mark.equation("eq:logsumexp", "eq:exp-range")
@pytest.mark.parametrize("dtype", [np.float16, np.float32], ids=lambda dtype: dtype.__name__)
def test_naive_forms_fail_past_exp_range(dtype):
    lowest, highest = exp_range(dtype)
    # Sample 0 sits just past the upper bound. Sample 1 sits at twice the lower bound, where exp
    # underflows past the subnormal numbers to 0.
    logits = np.array([[highest * 1.01, lowest * 2], [0, lowest * 2.1]], dtype=dtype)

    with np.errstate(all="ignore"):
        naive_logsumexp = logsumexp_unshifted(logits)
        naive_log_softmax = np.log(np.exp(logits) / np.exp(logits).sum(axis=0))

    assert naive_logsumexp[0] == np.inf
    assert naive_logsumexp[1] == -np.inf
    assert not np.all(np.isfinite(naive_log_softmax))
    assert np.all(np.isfinite(logsumexp(logits)))
    assert np.all(np.isfinite(log_softmax(logits)))


@pytest.mark.equation("eq:logsumexp", "eq:exp-range")
@pytest.mark.parametrize("dtype", [np.float16, np.float32], ids=lambda dtype: dtype.__name__)
def test_naive_forms_stay_finite_just_below_range(dtype):
    # Just past the lower bound exp is subnormal, not 0, so the unshifted forms are still finite.
    lowest, _ = exp_range(dtype)
    logits = np.array([lowest * 1.01, lowest * 1.02], dtype=dtype)

    with np.errstate(under="ignore"):
        naive_logsumexp = logsumexp_unshifted(logits)
        naive_log_softmax = np.log(np.exp(logits) / np.exp(logits).sum(axis=0))
        assert 0 < np.exp(logits[0]) < np.finfo(dtype).tiny

    assert np.isfinite(naive_logsumexp)
    assert np.all(np.isfinite(naive_log_softmax))


# More classes than float16's maximum 65504, so a float16 sum of their exps would overflow.
MANY_CLASSES = 70_000


@pytest.mark.equation("eq:logsumexp")
def test_float16_logsumexp_with_many_classes():
    result = logsumexp(np.zeros(MANY_CLASSES, dtype=np.float16))

    assert result.dtype == np.float16
    # ln 70000 ≈ 11.156, rounded once to float16.
    assert float(result) == pytest.approx(np.log(MANY_CLASSES), rel=float(np.finfo(np.float16).eps))


@pytest.mark.equation("eq:log-softmax")
def test_float16_log_softmax_with_many_classes():
    result = log_softmax(np.zeros(MANY_CLASSES, dtype=np.float16))

    assert result.dtype == np.float16
    assert np.all(result == np.float16(-np.log(MANY_CLASSES)))


# ---- Dtypes of the inputs ---------------------------------------------------------------------

LOGIT_FUNCTIONS = [logsumexp, log_softmax]


@pytest.mark.parametrize("function", LOGIT_FUNCTIONS, ids=lambda function: function.__name__)
def test_integer_logits_give_float64(function):
    integers = np.arange(12).reshape(3, 4) - 5
    result = function(integers)

    assert result.dtype == np.float64
    assert np.array_equal(result, function(integers.astype(np.float64)))


@pytest.mark.parametrize("function", LOGIT_FUNCTIONS, ids=lambda function: function.__name__)
@pytest.mark.parametrize("dtype", [">f8", ">f4", ">f2"])
def test_logits_in_either_byte_order(function, dtype):
    logits, _ = moderate_case(0, batch_size=3)
    native = logits.astype(np.dtype(dtype).newbyteorder("="))
    result = function(logits.astype(dtype))

    assert result.dtype == native.dtype
    assert np.array_equal(result, function(native))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int64], ids=lambda dtype: dtype.__name__)
def test_smoothed_labels_dtype(dtype):
    labels = np.eye(3, dtype=dtype)
    expected = np.float64 if dtype == np.int64 else dtype

    assert smooth_labels(labels, 0.1).dtype == expected


@pytest.mark.parametrize("dtype", [">f8", ">f4"])
def test_smoothed_labels_in_either_byte_order(dtype):
    labels = np.eye(3).astype(dtype)
    native = np.eye(3).astype(np.dtype(dtype).newbyteorder("="))

    assert np.array_equal(smooth_labels(labels, 0.1), smooth_labels(native, 0.1))


@pytest.mark.equation("eq:exp-range")
def test_exp_range_accepts_either_byte_order():
    assert exp_range(">f4") == exp_range(np.float32)


# ---- Finite for every finite logit within ±1e4 ------------------------------------------------

EXTREME = 1e4


@st.composite
def extreme_batches(draw):
    """Draw (C, m) logits within ±1e4, with some columns pinned near +1e4 and others near -1e4."""
    size, batch_size = draw(num_classes), draw(batch_sizes)
    centres = draw(
        st.lists(
            st.one_of(st.sampled_from([EXTREME - 30, 30 - EXTREME]), st.floats(30 - EXTREME, EXTREME - 30)),
            min_size=batch_size,
            max_size=batch_size,
        )
    )
    offsets = draw(logits((size, batch_size)))
    classes = draw(st.lists(st.integers(0, size - 1), min_size=batch_size, max_size=batch_size))
    return offsets + np.array(centres), np.array(classes)


@pytest.mark.equation("eq:logsumexp", "eq:log-softmax", "eq:cost-logits")
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=lambda dtype: dtype.__name__)
@given(case=extreme_batches())
def test_outputs_finite_within_1e4(dtype, case):
    batch, classes = case
    batch = batch.astype(dtype)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for k in range(batch.shape[1]):
            column = batch[:, k]
            assert np.isfinite(logsumexp(batch)[k]), k
            assert np.isfinite(logsumexp(column)), k
            assert np.all(np.isfinite(log_softmax(batch)[:, k])), k
            assert np.all(np.isfinite(log_softmax(column))), k
            assert np.isfinite(cost_from_logits(batch[:, k : k + 1], classes[k : k + 1])), k
        assert np.isfinite(cost_from_logits(batch, classes))


@pytest.mark.equation("eq:fd-step")
@given(case=extreme_batches())
def test_grad_check_finite_within_1e4(case):
    batch, classes = case

    def cost_of_logits(z):
        return cost_from_logits(z, classes)

    probs = softmax(batch)
    gradient = (probs - np.eye(batch.shape[0])[classes].T) / batch.shape[1]

    assert np.isfinite(grad_check(cost_of_logits, batch, gradient))
