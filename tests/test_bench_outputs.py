"""Check the committed benchmark results that the performance chapter shows.

`make bench` writes docs/assets/bench/. These tests read those files; they never time anything.
"""

import json
import re
import sys
from pathlib import Path

import pytest
from sitebuild import LANGUAGES, ROOT

sys.path.insert(0, str(ROOT / "tools"))
from bench import write_plot, write_tables  # noqa: E402

BENCH_DIR = ROOT / "docs" / "assets" / "bench"
NUMBER = re.compile(r"\d+(?:\.\d+)?")
FIX = "run `make bench` and commit docs/assets/bench/"


@pytest.fixture(scope="module")
def results():
    return json.loads((BENCH_DIR / "bench.json").read_text(encoding="utf-8"))


def test_results_have_every_part(results):
    for part in ("date", "site", "gradients", "tests", "targets"):
        assert results.get(part) is not None, f"bench.json has no {part!r}; {FIX}"
    assert not results["quick"], f"bench.json comes from a --quick run; {FIX}"


def test_gradient_paths_agreed(results):
    assert results["gradients"]["all_agree"], "a gradient path disagreed with the textbook path"


def test_tests_passed_in_timed_run(results):
    assert results["tests"]["exit_code"] == 0, f"the timed make test failed: {results['tests']['summary']}"


def test_tables_come_from_results(results, tmp_path):
    write_tables(results, tmp_path)
    for language in LANGUAGES:
        name = f"table.{language}.md"
        expected = (tmp_path / name).read_text(encoding="utf-8")
        assert (BENCH_DIR / name).read_text(encoding="utf-8") == expected, f"{name} is stale; {FIX}"


def test_plot_comes_from_results(results, tmp_path):
    write_plot(results, tmp_path)
    expected = (tmp_path / "gradient-time.svg").read_text(encoding="utf-8")
    assert (BENCH_DIR / "gradient-time.svg").read_text(encoding="utf-8") == expected, f"the plot is stale; {FIX}"


def test_tables_carry_same_numbers_in_both_languages():
    numbers = {
        language: NUMBER.findall((BENCH_DIR / f"table.{language}.md").read_text(encoding="utf-8"))
        for language in LANGUAGES
    }
    assert numbers["zh"] == numbers["en"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_chapter_includes_its_table_and_plot(language):
    page = (ROOT / "docs" / language / "performance.md").read_text(encoding="utf-8")
    assert f'--8<-- "docs/assets/bench/table.{language}.md"' in page
    assert "../assets/bench/gradient-time.svg" in page
