"""Smoke test of tools/bench_gradients.py on its smallest size: structure and agreement only.

Times depend on the machine and its load, so nothing here checks one. torch and jax are left
out because importing them alone can take longer than this whole test should.
"""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import bench_gradients  # noqa: E402

NUMPY_PATHS = ["textbook", "in-place", "jacobian", "memcpy"]


@pytest.fixture(scope="module")
def quick_run():
    return bench_gradients.run(quick=True, sizes=[(10, 64)], frameworks=False)


def test_quick_run_has_one_case_per_dtype(quick_run):
    cases = [(case["classes"], case["samples"], case["dtype"]) for case in quick_run["cases"]]

    assert cases == [(10, 64, "float64"), (10, 64, "float32")]
    assert quick_run["paths"] == NUMPY_PATHS


def test_quick_run_times_every_path(quick_run):
    for case in quick_run["cases"]:
        assert list(case["paths"]) == NUMPY_PATHS
        for entry in case["paths"].values():
            assert entry["repeats"] == bench_gradients.QUICK_REPEATS
            assert {"median_us", "min_us", "vs_textbook", "vs_memcpy"} <= entry.keys()
        assert case["paths"]["textbook"]["vs_textbook"] == 1.0


def test_quick_run_paths_agree(quick_run):
    assert quick_run["all_agree"] is True
    for case in quick_run["cases"]:
        for name in ("textbook", "in-place", "jacobian"):
            assert case["paths"][name]["agreement"]["ok"], (case["dtype"], name)


def test_agreement_rejects_wrong_gradient():
    logits, classes = bench_gradients.make_problem(10, 64, "float64")
    call, to_float64 = bench_gradients.make_textbook(logits, classes)
    reference = to_float64(call())

    # dZ without the 1/m of the mean, the error a wrong path would most likely make.
    check = bench_gradients.agreement(reference * 64, reference, bench_gradients.FLOAT64_TOLERANCE)

    assert not check["ok"]


def test_jacobian_path_skipped_above_limit():
    case = bench_gradients.measure_case(1000, 1024, "float64", ["jacobian"], quick=True)

    assert case["paths"]["jacobian"]["bytes_needed"] == 1024 * 1000 * 1000 * 8
    assert "skipped" in case["paths"]["jacobian"]


def test_quick_run_is_json(quick_run):
    assert json.loads(json.dumps(quick_run))["cases"]
