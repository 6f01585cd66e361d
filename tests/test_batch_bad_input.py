"""Bad input to the batch-gradient snippets: each case raises ValueError naming the argument."""

import numpy as np
import pytest

from snippets import batch_grad_logits, batch_grad_params, descent_step

NAN, INF = np.nan, np.inf
# Two samples of three classes: one-hot labels and uniform probabilities.
LABELS = np.eye(3)[:, [0, 2]]
PROBS = np.full((3, 2), 1 / 3)
INPUTS = np.ones((4, 2))
WEIGHTS, BIAS = np.ones((4, 3)), np.ones(3)


def case(function, arguments, match, name):
    return pytest.param(function, arguments, match, id=f"{function.__name__}-{name}")


BATCH_BAD_INPUTS = [
    case(
        batch_grad_logits,
        (LABELS[:, 0], PROBS[:, 0]),
        r"labels must have shape \(C, m\).*got \(3,\)",
        "1-D",
    ),
    case(
        batch_grad_logits,
        (LABELS, PROBS[:, :1]),
        r"probs has shape \(3, 1\), expected .* \(3, 2\)",
        "mismatched shapes",
    ),
    case(
        batch_grad_logits,
        (np.zeros((3, 0)), np.zeros((3, 0))),
        r"labels must have shape .*got \(3, 0\)",
        "empty batch",
    ),
    case(
        batch_grad_logits,
        (LABELS, np.where(PROBS > 0, NAN, 0)),
        r"probs must be finite and non-negative",
        "nan probs",
    ),
    case(
        batch_grad_logits,
        (LABELS * 2, PROBS),
        r"each column of labels must sum to 1, got sums \[2\. 2\.\]",
        "labels off the simplex",
    ),
    case(
        batch_grad_logits,
        (-LABELS, PROBS),
        r"labels must be finite and non-negative, got minimum -1",
        "negative labels",
    ),
    case(
        batch_grad_logits,
        (LABELS.astype(str), PROBS),
        r"labels must contain real numbers, got dtype <U",
        "strings",
    ),
    case(
        batch_grad_logits,
        (LABELS, PROBS * 1.5),
        r"each column of probs must sum to 1, got sums \[1\.5 1\.5\]",
        "probs off the simplex",
    ),
    case(
        batch_grad_logits,
        (LABELS, np.array([[1.5, 0.5], [-0.5, 0.5], [0.0, 0.0]])),
        r"probs must be finite and non-negative, got minimum -0\.5",
        "negative probs",
    ),
    case(
        batch_grad_params,
        (INPUTS[:, 0], LABELS),
        r"inputs must be a non-empty 2-D array, got shape \(4,\)",
        "1-D inputs",
    ),
    case(
        batch_grad_params,
        (INPUTS, LABELS[:, :1]),
        r"d_logits has shape \(3, 1\), expected 2 columns",
        "mismatched samples",
    ),
    case(
        batch_grad_params,
        (np.ones((4, 0)), np.ones((3, 0))),
        r"inputs must be a non-empty 2-D array, got shape \(4, 0\)",
        "empty batch",
    ),
    case(
        batch_grad_params,
        (INPUTS, np.full((3, 2), INF)),
        r"d_logits must be finite",
        "inf d_logits",
    ),
    case(
        batch_grad_params,
        (np.full((4, 2), 1e200), np.full((3, 2), 1e200)),
        r"overflow float64: got max \|inputs\| 1e\+200",
        "overflow",
    ),
    case(
        descent_step,
        (WEIGHTS, BIAS, WEIGHTS.T, BIAS, 0.1),
        r"d_weights has shape \(3, 4\), expected .* \(4, 3\)",
        "transposed d_weights",
    ),
    case(
        descent_step,
        (WEIGHTS, BIAS, WEIGHTS, 1.0, 0.1),
        r"d_bias must be a non-empty 1-D array, got shape \(\)",
        "scalar d_bias",
    ),
    case(
        descent_step,
        (WEIGHTS, BIAS, WEIGHTS, BIAS[:2], 0.1),
        r"d_bias has shape \(2,\), expected .* \(3,\)",
        "short d_bias",
    ),
    case(
        descent_step,
        (WEIGHTS, BIAS, WEIGHTS * NAN, BIAS, 0.1),
        r"d_weights must be finite",
        "nan d_weights",
    ),
    case(
        descent_step,
        (WEIGHTS, BIAS, WEIGHTS, BIAS, 0.0),
        r"learning_rate must be positive and finite, got 0\.0",
        "zero rate",
    ),
    case(
        descent_step,
        (WEIGHTS, BIAS, WEIGHTS, BIAS, -0.1),
        r"learning_rate must be positive and finite, got -0\.1",
        "negative rate",
    ),
    case(
        descent_step,
        (WEIGHTS, BIAS, WEIGHTS, BIAS, INF),
        r"learning_rate must be positive and finite, got inf",
        "inf rate",
    ),
    case(
        descent_step,
        (WEIGHTS, BIAS, WEIGHTS, BIAS, [0.1]),
        r"learning_rate must be a real number, got \[0\.1\]",
        "list rate",
    ),
    case(
        descent_step,
        (WEIGHTS * 1e300, BIAS, WEIGHTS * 1e300, BIAS, 1e10),
        r"overflows float64 at learning_rate 10000000000\.0",
        "overflow",
    ),
]


@pytest.mark.parametrize(("function", "arguments", "match"), BATCH_BAD_INPUTS)
def test_batch_bad_input_raises_value_error(function, arguments, match):
    with pytest.raises(ValueError, match=match):
        function(*arguments)
