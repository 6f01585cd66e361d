import numpy as np
import pytest
from hypothesis import given
from numdiff import equal_up_to_rounding, is_diagonal, matches_finite_differences, numeric_jacobian
from strategies import NEGATIVE_SEEDS, logit_vectors, moderate_case
from wrong_formulas import (
    WRONG_SOFTMAX_JACOBIANS,
    diagonal_case_everywhere_jacobian,
    diagonal_only_jacobian,
)

from snippets import softmax, softmax_jacobian, softmax_jacobian_elementwise

JACOBIANS = [softmax_jacobian, softmax_jacobian_elementwise]


def matches_matrix_form(jacobian, probs):
    # Off the diagonal both forms compute the same product -a_i a_j. On the diagonal a(1 - a) and
    # a - a**2 differ by a few roundings relative to a_i.
    return equal_up_to_rounding(jacobian, softmax_jacobian(probs), scale=probs[:, None])


def jacobian_matches_finite_differences(jacobian_function, logits):
    probs = softmax(logits)
    numeric = numeric_jacobian(softmax, logits)
    # Rounding of the softmax output is relative to ||a||.
    scale = np.linalg.norm(probs)
    return matches_finite_differences(jacobian_function(probs), numeric, scale)


def is_symmetric(jacobian):
    # a_i a_j and a_j a_i are the same correctly rounded product, so the matrix is symmetric bit
    # for bit.
    return bool(np.array_equal(jacobian, jacobian.T))


def rows_sum_to_zero(jacobian, probs):
    # Row i adds C terms, each rounded relative to a_i.
    return equal_up_to_rounding(jacobian.sum(axis=1), 0.0, scale=probs, terms=probs.size + 2)


@pytest.mark.equation("eq:jac-diag", "eq:jac-offdiag", "eq:jac-cases", "eq:jac-matrix")
@given(logit_vectors)
def test_elementwise_jacobian_equals_matrix_form(logits):
    probs = softmax(logits)

    assert matches_matrix_form(softmax_jacobian_elementwise(probs), probs)


@pytest.mark.equation("eq:jac-diag", "eq:jac-offdiag", "eq:jac-cases", "eq:jac-matrix")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_diagonal_case_everywhere_differs_from_matrix_form(seed):
    logits, _ = moderate_case(seed)
    probs = softmax(logits)

    assert not matches_matrix_form(diagonal_case_everywhere_jacobian(probs), probs)


@pytest.mark.equation("eq:jac-diag", "eq:jac-offdiag", "eq:jac-cases", "eq:jac-matrix")
@pytest.mark.parametrize("jacobian_function", JACOBIANS)
@given(logits=logit_vectors)
def test_softmax_jacobian_matches_finite_differences(jacobian_function, logits):
    assert jacobian_matches_finite_differences(jacobian_function, logits)


@pytest.mark.equation("eq:jac-diag", "eq:jac-offdiag", "eq:jac-cases", "eq:jac-matrix")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
@pytest.mark.parametrize("wrong_jacobian", WRONG_SOFTMAX_JACOBIANS)
def test_wrong_jacobian_fails_finite_differences(wrong_jacobian, seed):
    logits, _ = moderate_case(seed)

    assert not jacobian_matches_finite_differences(wrong_jacobian, logits)


@pytest.mark.equation("eq:jac-offdiag", "eq:jac-cases", "eq:jac-matrix")
@pytest.mark.parametrize("jacobian_function", JACOBIANS)
@given(logits=logit_vectors)
def test_softmax_jacobian_is_symmetric(jacobian_function, logits):
    assert is_symmetric(jacobian_function(softmax(logits)))


@pytest.mark.equation("eq:jac-offdiag", "eq:jac-cases", "eq:jac-matrix")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_diagonal_case_everywhere_is_not_symmetric(seed):
    logits, _ = moderate_case(seed)

    assert not is_symmetric(diagonal_case_everywhere_jacobian(softmax(logits)))


@pytest.mark.equation("eq:jac-diag", "eq:jac-offdiag", "eq:jac-cases", "eq:jac-matrix")
@pytest.mark.parametrize("jacobian_function", JACOBIANS)
@given(logits=logit_vectors)
def test_softmax_jacobian_rows_sum_to_zero(jacobian_function, logits):
    probs = softmax(logits)

    assert rows_sum_to_zero(jacobian_function(probs), probs)


@pytest.mark.equation("eq:jac-diag", "eq:jac-offdiag", "eq:jac-cases", "eq:jac-matrix")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
@pytest.mark.parametrize("wrong_jacobian", WRONG_SOFTMAX_JACOBIANS)
def test_wrong_jacobian_rows_do_not_sum_to_zero(wrong_jacobian, seed):
    logits, _ = moderate_case(seed)
    probs = softmax(logits)

    assert not rows_sum_to_zero(wrong_jacobian(probs), probs)


@pytest.mark.equation("eq:jac-offdiag", "eq:jac-matrix")
@given(logit_vectors)
def test_softmax_jacobian_is_not_diagonal(logits):
    jacobian = softmax_jacobian(softmax(logits))
    off_diagonal = jacobian[~np.eye(len(logits), dtype=bool)]

    assert not is_diagonal(jacobian)
    # Stronger: every -a_i a_j is below zero, since a_i >= 2e-28 at logits within ±30 and the
    # product cannot underflow.
    assert np.all(off_diagonal < 0)


@pytest.mark.equation("eq:jac-offdiag", "eq:jac-matrix")
@pytest.mark.parametrize("seed", NEGATIVE_SEEDS)
def test_diagonal_only_jacobian_is_diagonal(seed):
    logits, _ = moderate_case(seed)

    assert is_diagonal(diagonal_only_jacobian(softmax(logits)))
