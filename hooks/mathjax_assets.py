"""Copy the pinned MathJax from node_modules/ into the built site.

The site serves MathJax and its font itself, so a page requests nothing from
another host. The files come from the npm packages pinned in package.json and
package-lock.json, and `make assets` (which runs `npm ci`) installs them.
"""

import json
import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
MATHJAX_DIR = ROOT / "node_modules" / "mathjax"
FONT_DIR = ROOT / "node_modules" / "@mathjax" / "mathjax-newcm-font"
# Site-relative target; mkdocs.yml loads assets/mathjax/tex-chtml.js from here.
TARGET = Path("assets") / "mathjax"
# Only the TeX-to-CommonHTML component and the parts it loads on demand.
MATHJAX_PARTS = ["tex-chtml.js", "a11y", "input", "output", "sre", "ui", "LICENSE"]
FONT_PARTS = ["chtml", "chtml.js", "package.json"]
FIX = "Run `make assets` (it runs `npm ci`) in the folder of mkdocs.yml."


def _locked_versions():
    """Return {package folder: version} as package-lock.json pins them."""
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    packages = lock["packages"]
    return {
        package_dir: packages[package_dir.relative_to(ROOT).as_posix()]["version"]
        for package_dir in (MATHJAX_DIR, FONT_DIR)
    }


def _installed_version(package_dir):
    manifest = package_dir / "package.json"
    if not manifest.is_file():
        return None
    return json.loads(manifest.read_text(encoding="utf-8"))["version"]


def on_config(config):
    for package_dir, locked in _locked_versions().items():
        installed = _installed_version(package_dir)
        if installed is None:
            raise PluginError(f"MathJax is missing: {package_dir} not found. {FIX}")
        if installed != locked:
            raise PluginError(
                f"{package_dir.name} {installed} is installed but package-lock.json pins {locked}. {FIX}"
            )
    return config


def _copy(source, target):
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def on_post_build(config):
    # The i18n plugin runs this once per language into the same site_dir, and
    # `mkdocs serve` runs it on every rebuild: a stamp skips repeated copies.
    target = Path(config.site_dir) / TARGET
    stamp = target / ".version"
    version = " ".join(_locked_versions().values())
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == version:
        return

    for part in MATHJAX_PARTS:
        _copy(MATHJAX_DIR / part, target / part)
    # MathJax looks for its font under [fonts]/mathjax-newcm-font; the config
    # script points [fonts] at assets/mathjax/fonts.
    for part in FONT_PARTS:
        _copy(FONT_DIR / part, target / "fonts" / "mathjax-newcm-font" / part)
    stamp.write_text(version, encoding="utf-8")
