import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy
import pytest
from bs4 import BeautifulSoup
from sitebuild import LANGUAGES, PAGES, copy_project, run_build
from test_site_build import read_page, source_markdown

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
from equations import equation_labels, load_registry  # noqa: E402
from verification import load_tests, snippets_digest  # noqa: E402

import snippets  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = load_registry()
TESTS = load_tests()


def displayed_labels(language):
    return [label for page in PAGES for label in equation_labels(source_markdown(language, page))]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_displayed_label_has_a_function(language):
    for label in displayed_labels(language):
        assert label in REGISTRY, f"{label} is displayed in {language} but no snippet docstring claims it"


@pytest.mark.parametrize("label", sorted(REGISTRY))
def test_every_claimed_label_is_displayed(label):
    for language in LANGUAGES:
        function, _ = REGISTRY[label]
        assert label in displayed_labels(language), f"{label} ({function}) is displayed on no {language} page"


@pytest.mark.parametrize("label", sorted(REGISTRY))
def test_every_label_has_a_test(label):
    assert TESTS.get(label), f"{label}: no test is marked @pytest.mark.equation({label!r})"


def test_every_marked_label_exists():
    for label, test_ids in TESTS.items():
        assert label in REGISTRY, f"{label} is named by {test_ids[0]} but claimed by no snippet"


@pytest.mark.parametrize("label", sorted(REGISTRY))
def test_claiming_function_is_public(label):
    function, module = REGISTRY[label]
    assert function in snippets.__all__, f"{label}: {function}() is not exported by snippets"
    assert getattr(snippets, function).__module__ == f"snippets.{module}", label


@pytest.mark.parametrize("page", PAGES)
def test_zh_and_en_labels_match_in_order(page):
    zh_labels = equation_labels(source_markdown("zh", page))
    en_labels = equation_labels(source_markdown("en", page))
    for position, (zh_label, en_label) in enumerate(zip(zh_labels, en_labels), start=1):
        assert zh_label == en_label, f"{page} equation {position}: zh {zh_label}, en {en_label}"
    for label in set(zh_labels) ^ set(en_labels):
        assert False, f"{page}: {label} is on one language's page only"


@pytest.mark.parametrize("function", snippets.__all__)
def test_every_public_function_is_shown(function):
    module = getattr(snippets, function).__module__.removeprefix("snippets.")
    include = f'--8<-- "snippets/{module}.py"'
    for language in LANGUAGES:
        shown = any(include in source_markdown(language, page) for page in PAGES)
        assert shown, f"{function}() in snippets/{module}.py is shown on no {language} page"


def python_blocks(site_dir):
    for language in LANGUAGES:
        for page in PAGES:
            soup = read_page(site_dir, language, page)
            for block in soup.select("div.language-python pre code"):
                yield f"{language}/{page}", block.get_text()


@pytest.fixture(scope="module")
def numpy_only_folder(tmp_path_factory):
    # A folder whose only importable package is NumPy, for `python -E -s -S` runs.
    folder = tmp_path_factory.mktemp("numpy_only")
    site_packages = Path(numpy.__file__).resolve().parent.parent
    for name in ("numpy", "numpy.libs"):
        if (site_packages / name).exists():
            (folder / name).symlink_to(site_packages / name)
    return folder


def test_every_code_block_runs_with_numpy_alone(site, numpy_only_folder):
    blocks = list(python_blocks(site))
    assert blocks
    for index, (where, code) in enumerate(blocks):
        script = numpy_only_folder / f"block_{index}.py"
        script.write_text(code, encoding="utf-8")
        # -E ignores PYTHONPATH, -s the user site and -S every site-packages folder, so only
        # the script's own folder, holding NumPy alone, is on the path besides the stdlib.
        command = [sys.executable, "-E", "-s", "-S", str(script)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, f"{where}: block {index} failed:\n{result.stderr}"


def fake_report(project, outcome="passed", digest=None):
    tests = {test_id: {"outcome": outcome, "labels": [label], "checks": {"fd": {"count": 3, "max_ratio": 0.01}}}
             for label, test_ids in load_tests(project / "tests").items() for test_id in test_ids}
    # load_tests names tests relative to the real project root, which the copy mirrors.
    report = {"created": "2026-01-01T00:00:00+00:00", "commit": "abc123", "numpy": numpy.__version__,
              "python": "3.11", "snippets_sha256": digest or snippets_digest(), "exit_status": 0, "tests": tests}
    (project / "reports").mkdir(exist_ok=True)
    (project / "reports" / "verification.json").write_text(json.dumps(report), encoding="utf-8")


@pytest.fixture
def project_with_tests(tmp_path):
    copy_project(tmp_path)
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    # Replace the copied wrong_formulas.py with every test file, for load_tests.
    shutil.rmtree(tmp_path / "tests")
    (tmp_path / "tests").symlink_to(ROOT / "tests")
    return tmp_path


def badges(site_dir, language):
    marks = []
    for page in PAGES:
        soup = read_page(site_dir, language, page)
        marks += [mark.get_text() for mark in soup.select("p.equation-code a.verification")]
    return marks


def build_badges(project):
    result = run_build(project / "mkdocs.yml", project / "site", cwd=project)
    assert result.returncode == 0, result.stderr
    return {language: badges(project / "site", language) for language in LANGUAGES}


def test_without_report_every_badge_says_not_verified(project_with_tests):
    marks = build_badges(project_with_tests)
    assert set(marks["zh"]) == {"未验证"}
    assert set(marks["en"]) == {"not verified"}
    report_page = read_page(project_with_tests / "site", "en", "report").get_text()
    assert "✓" not in report_page


def test_current_passing_report_marks_every_badge_verified(project_with_tests):
    fake_report(project_with_tests)
    marks = build_badges(project_with_tests)
    assert all(mark.startswith("✓ 已验证") for mark in marks["zh"])
    assert all(mark.startswith("✓ verified") for mark in marks["en"])


def test_stale_report_says_not_verified(project_with_tests):
    fake_report(project_with_tests, digest="0" * 64)
    marks = build_badges(project_with_tests)
    assert set(marks["en"]) == {"not verified"}


def test_failed_report_marks_badges_failed(project_with_tests):
    fake_report(project_with_tests, outcome="failed")
    marks = build_badges(project_with_tests)
    assert set(marks["en"]) == {"✗ tests failed"}
    assert set(marks["zh"]) == {"✗ 测试失败"}


def test_unreadable_report_says_not_verified(project_with_tests):
    (project_with_tests / "reports").mkdir()
    (project_with_tests / "reports" / "verification.json").write_text('{"tests": {', encoding="utf-8")
    marks = build_badges(project_with_tests)
    assert set(marks["en"]) == {"not verified"}
