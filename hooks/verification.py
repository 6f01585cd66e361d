"""Read which tests check each equation, and what the latest test run showed.

Tests declare the labels they check with @pytest.mark.equation("eq:..."),
read here with `ast`, so the build needs no test run. tests/conftest.py
writes reports/verification.json after a full run. A label counts as
verified only when that report exists, was made from the current snippet
files, and contains a passing result for every test that names the label.
"""

import ast
import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "reports" / "verification.json"


def _marker_labels(decorator):
    # Matches @pytest.mark.equation("eq:a", "eq:b") and nothing else.
    if not isinstance(decorator, ast.Call):
        return []
    name = ast.unparse(decorator.func)
    if name not in ("pytest.mark.equation", "mark.equation"):
        return []
    return [arg.value for arg in decorator.args if isinstance(arg, ast.Constant)]


def load_tests(test_dir=ROOT / "tests"):
    """Map each label to the ids ("tests/FILE::NAME") of the test functions that check it."""
    tests = {}
    for path in sorted(test_dir.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                for label in _marker_labels(decorator):
                    # The same id pytest gives, relative to the project folder.
                    test_id = f"{path.relative_to(test_dir.parent).as_posix()}::{node.name}"
                    tests.setdefault(label, []).append(test_id)
    return tests


def load_functions(snippet_dir=ROOT / "snippets"):
    """Map each public snippet function to its module name."""
    functions = {}
    for path in sorted(snippet_dir.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                functions[node.name] = path.stem
    return functions


def load_callers(test_dir=ROOT / "tests"):
    """Map each name to the ids of the test functions whose body uses it."""
    callers = {}
    for path in sorted(test_dir.glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or not node.name.startswith("test_"):
                continue
            test_id = f"{path.relative_to(test_dir.parent).as_posix()}::{node.name}"
            for name in {child.id for child in ast.walk(node) if isinstance(child, ast.Name)}:
                callers.setdefault(name, []).append(test_id)
    return callers


def snippets_digest(root=ROOT):
    """Return the SHA-256 of the snippet files, which tests/conftest.py stores in the report."""
    digest = hashlib.sha256()
    for path in sorted((root / "snippets").glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_report(path=REPORT):
    """Return the latest test report, or None when it is missing, unreadable or stale."""
    if not path.is_file():
        return None
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        # An unreadable report proves nothing, so the site shows "not verified".
        return None
    if not isinstance(report, dict) or report.get("snippets_sha256") != snippets_digest():
        return None
    return report


def label_status(report, test_ids):
    """Summarise the results of one label's tests: status, cases run and largest errors.

    The status is "verified", "failed" or "unverified". A test function that the
    report does not contain, in any parametrisation, leaves its label unverified.
    """
    summary = {"status": "unverified", "functions": len(test_ids), "cases": 0, "checks": 0, "max_ratio": {}}
    if report is None or not test_ids:
        return summary
    outcomes = []
    for test_id in test_ids:
        runs = [
            result
            for run_id, result in report["tests"].items()
            if run_id == test_id or run_id.startswith(test_id + "[")
        ]
        if not runs:
            return summary
        for result in runs:
            outcomes.append(result["outcome"])
            for kind, check in result["checks"].items():
                summary["checks"] += check["count"]
                summary["max_ratio"][kind] = max(summary["max_ratio"].get(kind, 0.0), check["max_ratio"])
    summary["cases"] = len(outcomes)
    summary["status"] = "verified" if all(outcome == "passed" for outcome in outcomes) else "failed"
    return summary
