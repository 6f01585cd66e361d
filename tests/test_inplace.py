"""batch_grad_logits_inplace: the same dZ as the textbook path, written into the logits' own buffer.

The reference is batch_grad_logits(one-hot labels, softmax(logits)), computed in float64. Wrong
in-place versions go through the same checks, so each check is shown to be able to fail.
"""

import tracemalloc

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numdiff import equal_up_to_rounding
from strategies import MAX_LOGIT, NEGATIVE_SEEDS, finite_floats

from snippets import batch_grad_logits, batch_grad_logits_inplace, softmax

EPS32 = np.finfo(np.float32).eps
NAN, INF = np.nan, np.inf


@st.composite
def batches(draw, dtype=np.float64, square=False):
    """Draw logits (C, m) within ±MAX_LOGIT and their classes (m,)."""
    if square:
        size = samples = draw(st.integers(2, 8))
    else:
        size, samples = draw(st.integers(2, 50)), draw(st.integers(1, 8))
    logits = draw(arrays(np.float64, (size, samples), elements=finite_floats(MAX_LOGIT)))
    classes = draw(arrays(np.int64, samples, elements=st.integers(0, size - 1)))
    return logits.astype(dtype), classes


def seeded_batch(seed, size=4, samples=4):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((size, samples)) * 3, rng.integers(0, size, samples)


def textbook(logits, classes):
    size = logits.shape[0]
    return batch_grad_logits(np.eye(size)[:, classes], softmax(logits))


def matches_textbook_float64(result, logits, classes):
    size, samples = logits.shape
    # Both paths make the same correctly rounded steps, except that they may sum the C
    # exponentials in another order, so each entry of A differs by up to C eps relative to
    # a <= 1, and dZ by that over m.
    return equal_up_to_rounding(result, textbook(logits, classes), scale=1 / samples, terms=size)


def matches_textbook_float32(result, logits, classes):
    size, samples = logits.shape
    expected = textbook(logits, classes)
    if result.shape != expected.shape:
        return False
    probs = softmax(logits)
    spread = float(np.max(logits.max(axis=0) - logits.min(axis=0)))
    # In float32 the shift z - max is rounded by up to spread * eps32, which exp turns into a
    # relative error of a. The sum of C exponentials adds up to C eps32 more. The 1 covers
    # rounding a - y and the division by m, both relative to |a - y| <= 1.
    tolerance = 4 * EPS32 * ((spread + size + 2) * probs + 1) / samples
    return bool(np.all(np.abs(result.astype(np.float64) - expected) <= tolerance))


def without_mean_inplace(logits, classes):
    # Leaves out the division by m: the gradient of the summed losses, not of their mean.
    logits -= logits.max(axis=0)
    np.exp(logits, out=logits)
    logits /= logits.sum(axis=0)
    logits[classes, np.arange(logits.shape[1])] -= 1
    return logits


def one_hot_transposed_inplace(logits, classes):
    # Indexes [sample, class] as a row-per-sample layout would. On a square batch it runs
    # without error and subtracts 1 from the wrong entries.
    logits -= logits.max(axis=0)
    np.exp(logits, out=logits)
    logits /= logits.sum(axis=0)
    logits[np.arange(logits.shape[1]), classes] -= 1
    logits /= logits.shape[1]
    return logits


def out_of_place_copy(logits, classes):
    # The right numbers, but the textbook path allocates several (C, m) arrays before copying.
    logits[...] = textbook(logits, classes)
    return logits


@given(batch=batches())
def test_inplace_float64_matches_textbook(batch):
    logits, classes = batch
    result = batch_grad_logits_inplace(logits.copy(), classes)

    assert matches_textbook_float64(result, logits, classes)


@given(batch=batches(np.float32))
def test_inplace_float32_matches_textbook(batch):
    logits, classes = batch
    result = batch_grad_logits_inplace(logits.copy(), classes)

    assert result.dtype == np.float32
    assert matches_textbook_float32(result, logits, classes)


@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_inplace_without_mean_fails(seed):
    logits, classes = seeded_batch(seed)
    result = without_mean_inplace(logits.copy(), classes)

    assert not matches_textbook_float64(result, logits, classes)
    single = logits.astype(np.float32)
    assert not matches_textbook_float32(result.astype(np.float32), single, classes)


@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_inplace_transposed_one_hot_fails(seed):
    logits, classes = seeded_batch(seed)
    # Classes t_k = k + 1 mod 4: the entries [t_k, k] and [k, t_k] form different sets, which
    # a permutation that is its own inverse, such as t_k = k + 2 mod 4, would not give.
    classes = (np.arange(4) + 1) % 4
    result = one_hot_transposed_inplace(logits.copy(), classes)

    assert not matches_textbook_float64(result, logits, classes)


@given(batch=batches(square=True))
def test_inplace_square_batch_matches_textbook(batch):
    logits, classes = batch
    result = batch_grad_logits_inplace(logits.copy(), classes)

    assert matches_textbook_float64(result, logits, classes)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_inplace_returns_its_argument(dtype):
    logits, classes = seeded_batch(0)
    logits = logits.astype(dtype)

    result = batch_grad_logits_inplace(logits, classes)

    assert result is logits
    assert result.dtype == dtype


def peak_traced_bytes(function, logits, classes):
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        function(logits, classes)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


# C = 1000 and m = 256 make the logits 2 MB in float64 and 1 MB in float32, while each
# temporary of m entries takes 2 kB. A tenth of the buffer leaves room for the m-sized
# temporaries and Python objects, and one (C, m) temporary exceeds it tenfold.
LARGE_CLASSES, LARGE_SAMPLES = 1000, 256


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_inplace_allocates_no_full_temporary(dtype):
    rng = np.random.default_rng(1)
    logits = rng.standard_normal((LARGE_CLASSES, LARGE_SAMPLES)).astype(dtype)
    classes = rng.integers(0, LARGE_CLASSES, LARGE_SAMPLES)

    peak = peak_traced_bytes(batch_grad_logits_inplace, logits, classes)

    assert peak < logits.nbytes / 10


def test_out_of_place_copy_exceeds_memory_bound():
    rng = np.random.default_rng(1)
    logits = rng.standard_normal((LARGE_CLASSES, LARGE_SAMPLES))
    classes = rng.integers(0, LARGE_CLASSES, LARGE_SAMPLES)

    peak = peak_traced_bytes(out_of_place_copy, logits, classes)

    assert not peak < logits.nbytes / 10


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_inplace_finite_at_extreme_logits(dtype):
    # Columns near +1e4, near -1e4, with a gap of 2e4, and with the true class far below the rest.
    logits = np.array(
        [[1e4, -1e4, 1e4, -1e4], [1e4 - 1, -1e4 + 1, -1e4, 1e4], [0.0, -1e4, 1e4, 1e4]],
        dtype=dtype,
    )
    classes = np.array([2, 0, 1, 0])

    result = batch_grad_logits_inplace(logits.copy(), classes)

    assert np.all(np.isfinite(result))
    # Column 3 puts probability 1/2 on classes 1 and 2 and none on class 0, its true class.
    assert np.allclose(result[:, 3], np.array([-1.0, 0.5, 0.5]) / 4)


def test_inplace_matches_textbook_within_1e4():
    rng = np.random.default_rng(2)
    centres = rng.uniform(-1e4, 1e4, 6)
    logits = np.clip(centres + rng.uniform(-1e4, 1e4, (5, 6)), -1e4, 1e4)
    classes = rng.integers(0, 5, 6)

    result = batch_grad_logits_inplace(logits.copy(), classes)

    assert np.all(np.isfinite(result))
    assert matches_textbook_float64(result, logits, classes)


# The contract test breaks each argument by adding a dimension, a NaN, an infinity or by emptying
# it, which needs a fresh writeable copy for every call. This table covers the same mutations and
# the arguments that only an in-place function can get wrong.
LOGITS = np.array([[1.0, -2.0], [0.5, 0.0], [-1.0, 3.0]])
CLASSES = np.array([0, 2])


def read_only(array):
    array = array.copy()
    array.flags.writeable = False
    return array


def case(logits, classes, match, name):
    return pytest.param(batch_grad_logits_inplace, (logits, classes), match, id=f"inplace-{name}")


INPLACE_BAD_INPUTS = [
    case(LOGITS.tolist(), CLASSES, r"logits must be a NumPy array .*got list", "list"),
    case(LOGITS.astype(np.int64), CLASSES, r"logits has dtype int64, expected float32", "int"),
    case(LOGITS.astype(np.float16), CLASSES, r"logits has dtype float16", "float16"),
    case(LOGITS.astype(">f8"), CLASSES, r"logits .*>f8.*native byte order", "byte order"),
    case(LOGITS[:, 0], CLASSES, r"logits must have shape \(C, m\).*got \(3,\)", "1-D"),
    case(LOGITS[..., None], CLASSES, r"logits must have shape .*got \(3, 2, 1\)", "3-D"),
    case(LOGITS[:1], CLASSES, r"logits must have shape .*C >= 2.*got \(1, 2\)", "one class"),
    case(np.zeros((3, 0)), CLASSES[:0], r"logits must have shape .*got \(3, 0\)", "empty batch"),
    case(np.where(LOGITS > 0, NAN, LOGITS), CLASSES, r"logits must be finite", "nan"),
    case(np.where(LOGITS > 2, INF, LOGITS), CLASSES, r"logits must be finite", "inf"),
    case(np.where(LOGITS < -1.5, -INF, LOGITS), CLASSES, r"logits must be finite", "minus inf"),
    case(
        np.asfortranarray(LOGITS),
        CLASSES,
        r"logits of shape \(3, 2\) must be C-contiguous",
        "fortran",
    ),
    case(
        np.ones((3, 4))[:, ::2],
        CLASSES,
        r"logits .* must be C-contiguous, got strides \(32, 16\)",
        "strided",
    ),
    case(read_only(LOGITS), CLASSES, r"logits is read-only", "read-only"),
    case(
        LOGITS.copy(),
        CLASSES.astype(float),
        r"classes must contain integer .*got dtype float64",
        "float classes",
    ),
    case(LOGITS.copy(), CLASSES > 0, r"classes .*got dtype bool", "bool classes"),
    case(LOGITS.copy(), CLASSES[:1], r"classes has shape \(1,\), expected \(2,\)", "short classes"),
    case(LOGITS.copy(), CLASSES[:, None], r"classes has shape \(2, 1\)", "2-D classes"),
    case(
        LOGITS.copy(),
        np.array([0, 3]),
        r"classes must lie in \[0, 3\), got minimum 0 and maximum 3",
        "too large",
    ),
    case(LOGITS.copy(), np.array([-1, 2]), r"classes .*\[0, 3\), got minimum -1", "negative"),
]


@pytest.mark.parametrize(("function", "arguments", "match"), INPLACE_BAD_INPUTS)
def test_inplace_bad_input_leaves_logits_unchanged(function, arguments, match):
    logits, classes = arguments
    before = np.array(logits, copy=True)

    with pytest.raises(ValueError, match=match):
        function(logits, classes)

    assert np.array_equal(np.asarray(logits), before, equal_nan=True)
