import json
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings
from browser import SCREENSHOTS, SCREENSHOTS_WRITTEN
from numdiff import ACCEPTED_CHECKS
from sitebuild import run_build

ROOT = Path(__file__).resolve().parent.parent
# The build reads the report with hooks/verification.py, so both hash the snippets one way.
sys.path.insert(0, str(ROOT / "hooks"))
from verification import REPORT, snippets_digest  # noqa: E402


# Both profiles start from Hypothesis's built-in "default" profile. Without an explicit parent a
# profile inherits from the active one, which Hypothesis switches to its own "ci" when CI is set.
BASE = settings.get_profile("default")

# "ci" repeats the same examples on every run and prints a blob that reproduces a failure.
# Both profiles set deadline=None because the run time of an example grows with C and varies with
# machine load, so a deadline would fail at random.
settings.register_profile("ci", BASE, derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", BASE, deadline=None)

# HYPOTHESIS_PROFILE, if set, names the profile. Otherwise CI, set to any value, selects "ci".
default_profile = "ci" if "CI" in os.environ else "dev"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or default_profile)


@pytest.fixture(scope="session")
def build(tmp_path_factory):
    site_dir = tmp_path_factory.mktemp("site")
    # Build from another working folder: every path must resolve against mkdocs.yml.
    result = run_build(ROOT / "mkdocs.yml", site_dir, cwd=tmp_path_factory.mktemp("cwd"))
    return result, site_dir


@pytest.fixture(scope="session")
def site(build):
    result, site_dir = build
    assert result.returncode == 0, result.stderr
    return site_dir


def current_commit():
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() or None


OUTCOMES = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    labels = [label for mark in item.iter_markers("equation") for label in mark.args]
    if report.failed and labels:
        # Name the formula at fault in the failure output, next to the traceback.
        report.sections.append(("equation labels", ", ".join(labels)))
    if report.when == "call" or report.failed or report.skipped:
        OUTCOMES[item.nodeid] = {"outcome": report.outcome, "labels": labels}


def pytest_sessionfinish(session, exitstatus):
    # Only a run of the whole suite may stand for the book; a subset would leave claims unchecked.
    if session.config.args != [] and session.config.args != ["tests"]:
        return
    tests = {}
    for test_id, result in OUTCOMES.items():
        checks = {kind: {"count": count, "max_ratio": ratio} for kind, (count, ratio) in ACCEPTED_CHECKS.get(test_id, {}).items()}
        tests[test_id] = {**result, "checks": checks}
    report = {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": current_commit(),
        "numpy": np.__version__,
        "python": platform.python_version(),
        "snippets_sha256": snippets_digest(),
        "exit_status": int(exitstatus),
        "tests": tests,
    }
    REPORT.parent.mkdir(exist_ok=True)
    # Write a temporary file, then rename it, so a build never reads half a report.
    partial = REPORT.with_suffix(".json.partial")
    partial.write_text(json.dumps(report, indent=1, sort_keys=True), encoding="utf-8")
    partial.replace(REPORT)


def pytest_terminal_summary(terminalreporter):
    if SCREENSHOTS_WRITTEN:
        terminalreporter.write_line(f"browser screenshots ({len(SCREENSHOTS_WRITTEN)}): {SCREENSHOTS}")
