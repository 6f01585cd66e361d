import numpy as np
import pytest
from hypothesis import given
from numdiff import equal_up_to_rounding
from strategies import NEGATIVE_SEEDS, linear_arguments
from wrong_formulas import linear_forward_bias_along_samples

from snippets import linear_forward


def matches_loop(logits, weights, inputs, bias):
    features, outputs = weights.shape
    batch_size = inputs.shape[1]
    expected = np.empty((outputs, batch_size))
    magnitude = np.empty((outputs, batch_size))
    for sample in range(batch_size):
        for output in range(outputs):
            terms = [weights[f, output] * inputs[f, sample] for f in range(features)]
            expected[output, sample] = sum(terms) + bias[output]
            magnitude[output, sample] = sum(abs(t) for t in terms) + abs(bias[output])

    # Each entry sums n products and the bias, rounded in a different order than the matrix product.
    return equal_up_to_rounding(logits, expected, scale=magnitude, terms=features + 1)


@pytest.mark.equation("eq:linear")
@given(linear_arguments())
def test_linear_forward_matches_loop(arguments):
    assert matches_loop(linear_forward(*arguments), *arguments)


@pytest.mark.equation("eq:linear")
@given(linear_arguments(square=True))
def test_linear_forward_matches_loop_when_square(arguments):
    assert matches_loop(linear_forward(*arguments), *arguments)


@pytest.mark.equation("eq:linear")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_bias_along_samples_fails_loop_check(seed):
    rng = np.random.default_rng(seed)
    size = int(rng.integers(2, 7))
    weights = rng.standard_normal((size, size))
    inputs = rng.standard_normal((size, size))
    bias = rng.standard_normal(size)
    logits = linear_forward_bias_along_samples(weights, inputs, bias)

    assert not matches_loop(logits, weights, inputs, bias)
