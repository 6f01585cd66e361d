import numpy as np
import pytest
from test_batch_bad_input import BATCH_BAD_INPUTS
from test_exercises import EXERCISE_BAD_INPUTS
from test_inplace import INPLACE_BAD_INPUTS
from test_numerics_bad_input import NUMERICS_BAD_INPUTS

import snippets
from snippets import (
    cost,
    cross_entropy,
    grad_logits,
    grad_probs,
    linear_forward,
    relu_jacobian,
    sigmoid_jacobian,
    softmax,
    softmax_jacobian,
    softmax_jacobian_elementwise,
    vector_jacobian_product,
)

NAN, INF = np.nan, np.inf
UNIFORM = np.full(3, 1 / 3)
ONE_HOT = np.array([0.0, 1.0, 0.0])


def case(function, arguments, match, name):
    return pytest.param(function, arguments, match, id=f"{function.__name__}-{name}")



# Each pattern names the argument at fault and, where the message gives it, the shape or
# value received.
BAD_INPUTS = [
    case(softmax, ([[[0.0]]],), r"logits .*\(1, 1, 1\)", "3-D"),
    case(softmax, (np.zeros(0),), r"logits .*\(0,\)", "no classes"),
    case(softmax, ([0.0, NAN],), r"logits must be finite", "nan"),
    case(softmax, ([[0.0], [-INF]],), r"logits must be finite", "inf"),
    case(cross_entropy, ([[1.0], [0.0]], [[0.5], [0.5]]), r"labels .*\(2, 1\)", "2-D"),
    case(cross_entropy, (ONE_HOT, [0.5, 0.5]), r"labels .*\(3,\) and \(2,\)", "mismatched shapes"),
    case(cross_entropy, (np.zeros(0), np.zeros(0)), r"labels .*\(0,\)", "no classes"),
    case(cross_entropy, ([NAN, 1.0, 0.0], UNIFORM), r"labels must be finite", "nan labels"),
    case(cross_entropy, (ONE_HOT, [0.5, INF, 0.5]), r"probs must be finite", "inf probs"),
    case(
        cross_entropy,
        ([-1.0, 2.0, 0.0], UNIFORM),
        r"labels must be non-negative, got minimum -1",
        "negative labels",
    ),
    case(
        cross_entropy,
        (ONE_HOT, [1.0, 0.0, 0.0]),
        r"probs must be positive wherever labels",
        "log of zero",
    ),
    case(
        cross_entropy,
        (ONE_HOT, [-0.5, 1.0, 0.5]),
        r"probs must be non-negative, got minimum -0.5",
        "negative probs",
    ),
    case(cost, (ONE_HOT, UNIFORM), r"labels .*\(3,\)", "1-D"),
    case(
        cost,
        (np.ones((3, 2)), np.ones((3, 3))),
        r"labels .*\(3, 2\) and \(3, 3\)",
        "mismatched shapes",
    ),
    case(
        cost,
        (np.zeros((3, 0)), np.zeros((3, 0))),
        r"non-empty 2-D shape, got \(3, 0\)",
        "empty batch",
    ),
    case(
        cost,
        (np.zeros((0, 2)), np.zeros((0, 2))),
        r"non-empty 2-D shape, got \(0, 2\)",
        "no classes",
    ),
    case(cost, (ONE_HOT[:, None], [[NAN], [0.5], [0.5]]), r"probs must be finite", "nan probs"),
    case(
        cost,
        (-ONE_HOT[:, None], UNIFORM[:, None]),
        r"labels must be non-negative",
        "negative labels",
    ),
    case(
        cost,
        (ONE_HOT[:, None], [[0.5], [0.0], [0.5]]),
        r"probs must be positive wherever labels",
        "log of zero",
    ),
    case(grad_probs, (ONE_HOT[:, None], UNIFORM[:, None]), r"labels .*\(3, 1\)", "2-D"),
    case(grad_probs, (ONE_HOT, UNIFORM[:2]), r"labels .*\(3,\) and \(2,\)", "mismatched shapes"),
    case(grad_probs, (np.zeros(0), np.zeros(0)), r"labels .*\(0,\)", "no classes"),
    case(grad_probs, ([0.0, NAN, 0.0], UNIFORM), r"labels must be finite", "nan labels"),
    case(grad_probs, (ONE_HOT, [INF, 0.5, 0.5]), r"probs must be finite", "inf probs"),
    case(
        grad_probs,
        ([-1.0, 2.0, 0.0], UNIFORM),
        r"labels must be non-negative, got minimum -1",
        "negative labels",
    ),
    case(
        grad_probs,
        (ONE_HOT, [0.0, 0.5, 0.5]),
        r"probs must be positive to divide by it, got minimum 0",
        "division by zero",
    ),
    case(softmax_jacobian, ([UNIFORM],), r"probs .*\(1, 3\)", "2-D"),
    case(softmax_jacobian, (np.zeros(0),), r"probs .*\(0,\)", "no classes"),
    case(softmax_jacobian, ([NAN, 0.5, 0.5],), r"probs must be finite", "nan"),
    case(softmax_jacobian, ([INF, 0.0, 0.0],), r"probs must be finite", "inf"),
    case(
        softmax_jacobian, ([-0.5, 1.0, 0.5],), r"probs must be finite and non-negative", "negative"
    ),
    case(
        softmax_jacobian, ([0.5, 0.5, 0.5],), r"probs must sum to 1 .*got sum 1.5", "unnormalised"
    ),
    case(softmax_jacobian_elementwise, ([UNIFORM],), r"probs .*\(1, 3\)", "2-D"),
    case(softmax_jacobian_elementwise, ([NAN, 0.5, 0.5],), r"probs must be finite", "nan"),
    case(
        softmax_jacobian_elementwise,
        ([-0.5, 1.0, 0.5],),
        r"probs must be finite and non-negative",
        "negative",
    ),
    case(
        softmax_jacobian_elementwise,
        ([0.2, 0.2, 0.2],),
        r"probs must sum to 1 .*got sum 0.6",
        "unnormalised",
    ),
    case(
        vector_jacobian_product,
        (np.ones((3, 1)), np.eye(3)),
        r"upstream .*\(3, 1\)",
        "2-D upstream",
    ),
    case(
        vector_jacobian_product,
        (np.ones(3), np.eye(2)),
        r"jacobian \(C, C\), got \(3,\) and \(2, 2\)",
        "small jacobian",
    ),
    case(
        vector_jacobian_product,
        (np.ones(3), np.ones((3, 2))),
        r"jacobian .*\(3, 2\)",
        "non-square jacobian",
    ),
    case(
        vector_jacobian_product, (np.zeros(0), np.zeros((0, 0))), r"upstream .*\(0,\)", "no classes"
    ),
    case(vector_jacobian_product, ([1.0, NAN, 0.0], np.eye(3)), r"upstream must be finite", "nan upstream"),
    case(vector_jacobian_product, (np.ones(3), np.diag([1, INF, 1])), r"jacobian must be finite", "inf jacobian"),
    case(grad_logits, (np.ones((3, 1, 1)), np.ones((3, 1, 1))), r"labels .*\(3, 1, 1\)", "3-D"),
    case(
        grad_logits,
        (ONE_HOT, ONE_HOT[:, None]),
        r"labels .*\(3,\) and \(3, 1\)",
        "mismatched shapes",
    ),
    case(grad_logits, (np.zeros(0), np.zeros(0)), r"labels .*\(0,\)", "no classes"),
    case(grad_logits, ([NAN, 1.0, 0.0], UNIFORM), r"labels must be finite", "nan labels"),
    case(grad_logits, (ONE_HOT, [0.5, -INF, 0.5]), r"probs must be finite", "inf probs"),
    case(
        grad_logits,
        (ONE_HOT, [0.5, 0.5, 0.5]),
        r"each column of probs must sum to 1, got sums 1\.5",
        "probs sum to 1.5",
    ),
    case(
        grad_logits,
        (ONE_HOT, [-0.5, 1.0, 0.5]),
        r"probs must be non-negative, got minimum -0\.5",
        "negative probs",
    ),
    case(softmax, (np.zeros((3, 0)),), r"logits .*\(3, 0\)", "empty batch"),
    case(
        linear_forward,
        (np.zeros((0, 2)), np.zeros((0, 3)), np.zeros(2)),
        r"weights must be a non-empty 2-D array, got shape \(0, 2\)",
        "no features",
    ),
    case(
        grad_logits,
        ([-1.0, 2.0, 0.0], UNIFORM),
        r"labels must be non-negative, got minimum -1",
        "negative labels",
    ),
    case(
        grad_logits,
        ([0.5, 0.0, 0.0], UNIFORM),
        r"each column of labels must sum to 1, got sums 0\.5",
        "labels sum to 0.5",
    ),
    case(
        grad_logits,
        (np.ones((3, 2)) / [[3, 1.5]], np.ones((3, 2)) / 3),
        r"each column of labels must sum to 1, got sums \[1\. 2\.\]",
        "column sums to 2",
    ),
    case(
        linear_forward,
        (np.ones(2), np.ones((2, 3)), np.ones(1)),
        r"weights must be a non-empty 2-D array, got shape \(2,\)",
        "1-D weights",
    ),
    case(
        linear_forward,
        (np.ones((2, 1)), np.ones(2), np.ones(1)),
        r"inputs must be a non-empty 2-D array, got shape \(2,\)",
        "1-D inputs",
    ),
    case(
        linear_forward,
        (np.ones((2, 1)), np.ones((2, 3)), np.ones((1, 1))),
        r"bias must be a non-empty 1-D array, got shape \(1, 1\)",
        "2-D bias",
    ),
    case(
        linear_forward,
        (np.ones((2, 1)), np.ones((4, 3)), np.ones(1)),
        r"inputs has shape \(4, 3\), expected 2 rows",
        "mismatched features",
    ),
    case(
        linear_forward,
        (np.ones((2, 1)), np.ones((2, 3)), np.ones(3)),
        r"bias has shape \(3,\), expected \(1,\)",
        "bias length",
    ),
    case(
        linear_forward,
        (np.full((2, 1), NAN), np.ones((2, 3)), np.ones(1)),
        r"weights must be finite",
        "nan weights",
    ),
    case(
        linear_forward,
        (np.ones((2, 1)), np.full((2, 3), INF), np.ones(1)),
        r"inputs must be finite",
        "inf inputs",
    ),
    case(
        linear_forward,
        (np.ones((2, 1)), np.ones((2, 3)), [NAN]),
        r"bias must be finite",
        "nan bias",
    ),
    case(sigmoid_jacobian, (np.zeros((2, 2)),), r"logits .*\(2, 2\)", "2-D"),
    case(sigmoid_jacobian, (np.zeros(0),), r"logits .*\(0,\)", "no classes"),
    case(sigmoid_jacobian, ([0.0, NAN],), r"logits must be finite", "nan"),
    case(sigmoid_jacobian, ([INF, 0.0],), r"logits must be finite", "inf"),
    case(relu_jacobian, (np.zeros((2, 2)),), r"logits .*\(2, 2\)", "2-D"),
    case(relu_jacobian, (np.zeros(0),), r"logits .*\(0,\)", "no classes"),
    case(relu_jacobian, ([0.0, NAN],), r"logits must be finite", "nan"),
    case(relu_jacobian, ([-INF, 0.0],), r"logits must be finite", "inf"),
]


@pytest.mark.parametrize(("function", "arguments", "match"), BAD_INPUTS)
def test_bad_input_raises_value_error(function, arguments, match):
    with pytest.raises(ValueError, match=match):
        function(*arguments)


def test_bad_input_table_covers_every_function():
    # The answers to the chapter exercises have their table in test_exercises.py.
    cases = (
        BAD_INPUTS + BATCH_BAD_INPUTS + EXERCISE_BAD_INPUTS + NUMERICS_BAD_INPUTS + INPLACE_BAD_INPUTS
    )
    tested = {param.values[0].__name__ for param in cases}

    assert tested == set(snippets.__all__)
