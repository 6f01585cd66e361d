"""Random float64 inputs: Hypothesis strategies, and seeded cases for the negative tests."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

# At logits within ±30 a softmax output is at least e**-60 / 50 ≈ 2e-28, far from underflow.
MAX_LOGIT = 30.0
MAX_UPSTREAM = 10.0

num_classes = st.integers(min_value=2, max_value=50)
batch_sizes = st.integers(min_value=1, max_value=8)
seeds = st.integers(min_value=0, max_value=2**32 - 1)


def finite_floats(bound):
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False)


def logits(shape):
    return arrays(np.float64, shape, elements=finite_floats(MAX_LOGIT))


logit_vectors = num_classes.flatmap(logits)
logit_batches = st.tuples(num_classes, batch_sizes).flatmap(logits)


def logits_away_from_zero(size):
    # |z| >= 1e-3 is far above FD_STEP ≈ 6e-6, so z ± step keeps the sign of z and ReLU is smooth.
    element = st.one_of(st.floats(-MAX_LOGIT, -1e-3), st.floats(1e-3, MAX_LOGIT))
    return arrays(np.float64, size, elements=element)


def one_hot_labels(size):
    return st.integers(0, size - 1).map(lambda index: np.eye(size)[index])


def soft_labels(size):
    weights = arrays(np.float64, size, elements=st.floats(0.0, 1.0))
    return weights.filter(lambda w: w.sum() > 0).map(lambda w: w / w.sum())


LABEL_KINDS = {"one-hot": one_hot_labels, "soft": soft_labels}


def upstream_vectors(size):
    # An upstream with every entry equal to c returns c times the column sums of the Jacobian.
    # They are 0 for softmax and for any wrong matrix whose columns also sum to 0, so that
    # upstream cannot tell the two apart. A spread of at least 1 keeps it far from constant.
    vectors = arrays(np.float64, size, elements=finite_floats(MAX_UPSTREAM))
    return vectors.filter(lambda u: np.ptp(u) >= 1.0)


@st.composite
def logits_and_labels(draw, kind):
    size = draw(num_classes)
    return draw(logits(size)), draw(LABEL_KINDS[kind](size))


@st.composite
def logit_and_label_batches(draw, kind):
    size, batch_size = draw(num_classes), draw(batch_sizes)
    columns = [draw(LABEL_KINDS[kind](size)) for _ in range(batch_size)]
    return draw(logits((size, batch_size))), np.stack(columns, axis=1)


@st.composite
def logits_and_upstream(draw):
    size = draw(num_classes)
    return draw(logits(size)), draw(upstream_vectors(size))


@st.composite
def linear_arguments(draw, square=False):
    if square:
        features = outputs = batch_size = draw(st.integers(1, 6))
    else:
        features, outputs, batch_size = (draw(st.integers(1, 6)) for _ in range(3))
    weights = draw(arrays(np.float64, (features, outputs), elements=finite_floats(10.0)))
    inputs = draw(arrays(np.float64, (features, batch_size), elements=finite_floats(10.0)))
    bias = draw(arrays(np.float64, outputs, elements=finite_floats(10.0)))
    return weights, inputs, bias


# Negative tests draw moderate logits (standard normal) from a seeded generator. Saturated logits
# can make a right and a wrong gradient both tiny, so both would pass a norm-relative check.
NEGATIVE_SEEDS = range(5)


def moderate_case(seed, batch_size=None):
    """Draw standard normal logits and one-hot labels of shape (C,) or (C, batch_size).

    C is drawn from 3 to 10.
    """
    rng = np.random.default_rng(seed)
    size = int(rng.integers(3, 11))
    shape = (size,) if batch_size is None else (size, batch_size)
    classes = rng.integers(0, size, size=shape[1:])
    labels = np.moveaxis(np.eye(size)[classes], -1, 0)
    return rng.standard_normal(shape), labels
