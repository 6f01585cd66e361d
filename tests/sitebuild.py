"""Build the book once per test session, for the HTML checks and the browser tests."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Site folder of each language: Chinese at the root, English under en/.
LANGUAGES = {"zh": "", "en": "en/"}
PAGES = sorted(path.stem for path in (ROOT / "docs" / "zh").glob("*.md"))
# Notebook pages (docs/zh/*.ipynb), rendered by mkdocs-jupyter from their stored outputs.
NOTEBOOKS = sorted(path.stem for path in (ROOT / "docs" / "zh").glob("*.ipynb"))


def run_build(config_file, site_dir, cwd):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file), "-d", str(site_dir)]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def copy_project(target):
    # Every folder that mkdocs.yml names: docs_dir, hooks, the snippet base and theme.custom_dir.
    for name in ("docs", "hooks", "overrides", "snippets"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, target / name)
    for name in ("mkdocs.yml", "package.json", "package-lock.json"):
        shutil.copy2(ROOT / name, target / name)
    # The numerics chapter includes the wrong formulas by section from this test file.
    (target / "tests").mkdir()
    shutil.copy2(ROOT / "tests" / "wrong_formulas.py", target / "tests" / "wrong_formulas.py")


def page_path(language, page):
    """Return the URL path of a page, relative to the site root."""
    return LANGUAGES[language] + ("" if page == "index" else f"{page}/")
