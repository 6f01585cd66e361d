"""Bad input to the numerics chapter's snippets: each case must raise ValueError.

tests/test_bad_input.py adds NUMERICS_BAD_INPUTS to its check that every public function has
a case.
"""

import numpy as np
import pytest

from snippets import cost_from_logits, exp_range, grad_check, log_softmax, logsumexp, smooth_labels

NAN, INF = np.nan, np.inf
LOGITS = np.zeros((3, 2))
CLASSES = np.array([0, 2])
ONE_HOT = np.eye(3)[:, :2]


def case(function, arguments, match, name):
    return pytest.param(function, arguments, match, id=f"{function.__name__}-{name}")


def norm_squared(x):
    return float(np.sum(x**2))


# Each pattern names the argument at fault, the shape or value received and what was expected.
NUMERICS_BAD_INPUTS = [
    case(cost_from_logits, (np.zeros(3), [0]), r"logits must have shape \(C, m\) .*got \(3,\)", "1-D"),
    case(cost_from_logits, (np.zeros((3, 0)), CLASSES[:0]), r"logits .*m >= 1, got \(3, 0\)", "empty batch"),
    case(cost_from_logits, (np.zeros((1, 2)), CLASSES), r"logits .*C >= 2 .*got \(1, 2\)", "one class"),
    case(cost_from_logits, ([[0.0, NAN], [0.0, 0.0]], [0, 1]), r"logits must be finite", "nan"),
    case(cost_from_logits, ([[0.0, INF], [0.0, 0.0]], [0, 1]), r"logits must be finite", "inf"),
    case(
        cost_from_logits,
        (LOGITS.astype(np.complex128), CLASSES),
        r"logits has dtype complex128, expected float16, float32, float64 or an integer",
        "complex",
    ),
    case(
        cost_from_logits,
        (LOGITS.astype(np.longdouble), CLASSES),
        rf"logits has dtype {np.dtype(np.longdouble)}, expected float16",
        "long double",
    ),
    case(
        cost_from_logits,
        (LOGITS, np.array([0.0, 2.0])),
        r"classes must contain integer class indices, got dtype float64",
        "float classes",
    ),
    case(
        cost_from_logits,
        (LOGITS, np.array([0.5, 1.0])),
        r"classes must contain integer class indices",
        "non-integer classes",
    ),
    case(
        cost_from_logits,
        (np.zeros((3, 1)), []),
        r"classes is empty, expected 1 integer class indices, one per column of logits",
        "empty classes",
    ),
    case(
        cost_from_logits,
        (LOGITS, np.array([0, 1, 2])),
        r"classes has shape \(3,\), expected \(2,\)",
        "mismatched shapes",
    ),
    case(
        cost_from_logits,
        (LOGITS, np.array([[0, 1]])),
        r"classes has shape \(1, 2\), expected \(2,\)",
        "2-D classes",
    ),
    case(
        cost_from_logits,
        (LOGITS, np.array([0, 3])),
        r"classes must lie in \[0, 3\), got minimum 0 and maximum 3",
        "class too large",
    ),
    case(
        cost_from_logits,
        (LOGITS, np.array([-1, 2])),
        r"classes must lie in \[0, 3\), got minimum -1",
        "negative class",
    ),
    case(
        cost_from_logits,
        (np.array([[6e4], [-6e4]], dtype=np.float16), np.array([1])),
        r"the cost overflows float16, got inf",
        "float16 overflow",
    ),
    case(grad_check, (None, np.ones(2), np.ones(2)), r"function must be callable, got NoneType", "not callable"),
    case(grad_check, (norm_squared, np.ones(0), np.ones(0)), r"point must not be empty, got shape \(0,\)", "empty"),
    case(
        grad_check,
        (norm_squared, np.ones(2), np.ones(3)),
        r"gradient has shape \(3,\), expected the shape of point, \(2,\)",
        "mismatched shapes",
    ),
    case(grad_check, (norm_squared, [1.0, NAN], np.ones(2)), r"point must be finite", "nan point"),
    case(grad_check, (norm_squared, np.ones(2), [INF, 1.0]), r"gradient must be finite", "inf gradient"),
    case(
        grad_check,
        (norm_squared, np.array(["a", "b"]), np.ones(2)),
        r"point must contain real numbers, got dtype <U1",
        "string point",
    ),
]


def logit_cases(function):
    # logsumexp and log_softmax take the same logits and share these cases.
    return [
        case(function, (np.zeros((3, 2, 1)),), r"logits must have shape \(C,\) or \(C, m\) .*got \(3, 2, 1\)", "3-D"),
        case(function, (np.zeros((3, 0)),), r"logits .*m >= 1, got \(3, 0\)", "empty batch"),
        case(function, (np.zeros(1),), r"logits .*C >= 2 .*got \(1,\)", "one class"),
        case(function, ([0.0, NAN],), r"logits must be finite", "nan"),
        case(function, ([[0.0], [-INF]],), r"logits must be finite", "inf"),
        case(
            function,
            (np.zeros(3, dtype=np.complex64),),
            r"logits has dtype complex64, expected float16, float32, float64 or an integer",
            "complex",
        ),
        case(function, (np.zeros(3, dtype=bool),), r"logits has dtype bool, expected", "bool"),
    ]


NUMERICS_BAD_INPUTS += logit_cases(logsumexp) + logit_cases(log_softmax) + [
    case(
        log_softmax,
        (np.array([6e4, -6e4], dtype=np.float16),),
        r"a gap z_i - max z is below -65504\.0 and overflows float16, .*; use float64 logits",
        "float16 gap overflow",
    ),
    # float64 is already the widest dtype here, so the message must not advise it.
    case(
        log_softmax,
        (np.array([1e308, -1e308]),),
        r"a gap z_i - max z is below -1\.79\d*e\+308 and overflows float64, so ln softmax\(z\) is not representable$",
        "float64 gap overflow",
    ),
    case(smooth_labels, (np.ones((3, 1, 1)) / 3, 0.1), r"labels must have shape .*got \(3, 1, 1\)", "3-D"),
    case(smooth_labels, (np.zeros((3, 0)), 0.1), r"labels .*m >= 1, got \(3, 0\)", "empty batch"),
    case(smooth_labels, ([1.0], 0.1), r"labels .*C >= 2 .*got \(1,\)", "one class"),
    case(smooth_labels, ([NAN, 1.0], 0.1), r"labels must be finite and non-negative", "nan"),
    case(smooth_labels, ([-0.5, 1.5], 0.1), r"labels must be finite and non-negative, got minimum -0.5", "negative"),
    case(smooth_labels, ([0.5, 0.6], 0.1), r"each column of labels must sum to 1, got sums 1\.1", "sum 1.1"),
    case(smooth_labels, (ONE_HOT.astype(np.complex128), 0.1), r"labels has dtype complex128, expected", "complex"),
    case(smooth_labels, (ONE_HOT, 1.0), r"smoothing must lie in \[0, 1\), got 1\.0", "smoothing 1"),
    case(smooth_labels, (ONE_HOT, -0.1), r"smoothing must lie in \[0, 1\), got -0\.1", "negative smoothing"),
    case(smooth_labels, (ONE_HOT, NAN), r"smoothing must lie in \[0, 1\), got nan", "nan smoothing"),
    case(smooth_labels, (ONE_HOT, [0.1, 0.2]), r"smoothing must be a real number in \[0, 1\), got \[0\.1, 0\.2\]", "array smoothing"),
    case(smooth_labels, (ONE_HOT, "0.1"), r"smoothing must be a real number in \[0, 1\), got '0\.1'", "string smoothing"),
    case(exp_range, (np.int32,), r"dtype must be float16, float32 or float64, got int32", "integer"),
    case(exp_range, (np.longdouble,), rf"dtype must be float16, float32 or float64, got {np.dtype(np.longdouble)}", "long double"),
    case(exp_range, (None,), r"dtype must be float16, float32 or float64, got None", "None"),
    case(exp_range, ("float8",), r"dtype must be float16, float32 or float64, got 'float8'", "unknown name"),
]


@pytest.mark.parametrize(("function", "arguments", "match"), NUMERICS_BAD_INPUTS)
def test_numerics_bad_input_raises_value_error(function, arguments, match):
    with pytest.raises(ValueError, match=match):
        function(*arguments)
