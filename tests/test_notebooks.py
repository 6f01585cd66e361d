"""Check the training notebooks: their stored outputs, both languages, and their built pages.

The site shows the outputs stored in docs/<lang>/*.ipynb, because mkdocs-jupyter does not execute
notebooks at build time. These tests execute each notebook again and compare.
"""

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from mkdocs.exceptions import PluginError
from sitebuild import LANGUAGES, NOTEBOOKS, PAGES, ROOT, copy_project, page_path, run_build

sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "tools"))
from notebook_pages import mark_markdown_math, remove_unwanted_scripts  # noqa: E402
from run_notebooks import execute_notebook  # noqa: E402

FIX = "run `make notebooks` and commit the notebooks"
# Text of the accuracy line that the training notebook prints.
HELD_OUT_ACCURACY = re.compile(r"^held-out accuracy: (?P<value>\d\.\d+)$", re.MULTILINE)
MIN_HELD_OUT_ACCURACY = 0.95
# $...$ as a notebook's Markdown cells write inline math; the hook reads them the same way.
INLINE_MATH = re.compile(r"(?<![\\$])\$(?P<tex>[^\s$](?:[^$]*?[^\s\\$])?)\$(?!\$)")

NOTEBOOK_PATHS = [ROOT / "docs" / language / f"{name}.ipynb" for name in NOTEBOOKS for language in LANGUAGES]


def notebook_id(path):
    return path.relative_to(ROOT / "docs").as_posix()


def read_notebook(language, name):
    return nbformat.read(ROOT / "docs" / language / f"{name}.ipynb", as_version=4)


def visible_outputs(cell):
    """Return what a reader sees below a code cell: every output except stderr, as plain data.

    stderr is left out because its text depends on the machine, such as matplotlib's one-time
    "building the font cache" notice on a fresh installation.
    """
    outputs = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            if output["name"] == "stdout":
                outputs.append(("stdout", output["text"]))
        elif output["output_type"] == "error":
            outputs.append(("error", output["ename"], output["evalue"]))
        else:
            outputs.append((output["output_type"], dict(output["data"])))
    return outputs


def stdout_text(notebook):
    return "".join(
        output["text"]
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output["output_type"] == "stream" and output["name"] == "stdout"
    )


# A decimal number in an SVG plot: a coordinate in points.
SVG_NUMBER = re.compile(r"-?\d+\.\d+")
# 0.001 pt is far below a pixel. Another CPU's BLAS may round the last bits of the training run
# differently, which can move a plotted point by about 1e-12 pt and flip its sixth decimal.
SVG_TOLERANCE_PT = 1e-3


def svgs_match(stored, fresh):
    """Return whether two SVG texts are equal, up to SVG_TOLERANCE_PT in each coordinate."""
    if SVG_NUMBER.sub("#", stored) != SVG_NUMBER.sub("#", fresh):
        return False
    pairs = zip(SVG_NUMBER.findall(stored), SVG_NUMBER.findall(fresh))
    return all(abs(float(a) - float(b)) <= SVG_TOLERANCE_PT for a, b in pairs)


def outputs_match(stored, fresh):
    """Compare two items of visible_outputs: SVG plots up to a tolerance, all else exactly."""
    if stored[0] != fresh[0] or not isinstance(stored[1], dict):
        return stored == fresh
    stored_data, fresh_data = dict(stored[1]), dict(fresh[1])
    stored_svg = stored_data.pop("image/svg+xml", None)
    fresh_svg = fresh_data.pop("image/svg+xml", None)
    if stored_data != fresh_data or (stored_svg is None) != (fresh_svg is None):
        return False
    return stored_svg is None or svgs_match(stored_svg, fresh_svg)


@pytest.fixture(scope="module")
def fresh_runs():
    """Execute each notebook once per test module, on first use."""
    runs = {}

    def run(path):
        if path not in runs:
            runs[path] = execute_notebook(path)
        return runs[path]

    return run


# ---- Stored outputs equal a fresh run --------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=notebook_id)
def test_stored_outputs_equal_fresh_run(fresh_runs, path):
    stored = nbformat.read(path, as_version=4)
    fresh = fresh_runs(path)
    assert len(fresh.cells) == len(stored.cells)
    for index, (stored_cell, fresh_cell) in enumerate(zip(stored.cells, fresh.cells)):
        if stored_cell.cell_type != "code":
            continue
        where = f"{notebook_id(path)} cell {index} ({stored_cell.get('id')})"
        stored_outputs, fresh_outputs = visible_outputs(stored_cell), visible_outputs(fresh_cell)
        assert len(stored_outputs) == len(fresh_outputs), f"{where}: stored outputs are stale; {FIX}"
        for stored_output, fresh_output in zip(stored_outputs, fresh_outputs):
            assert outputs_match(stored_output, fresh_output), f"{where}: stored outputs are stale; {FIX}"
        assert stored_cell.get("execution_count") == fresh_cell.get("execution_count"), f"{where}: {FIX}"


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=notebook_id)
def test_held_out_accuracy_reaches_minimum(fresh_runs, path):
    match = HELD_OUT_ACCURACY.search(stdout_text(fresh_runs(path)))
    assert match is not None, f"{notebook_id(path)} printed no 'held-out accuracy: ...' line"
    assert float(match["value"]) >= MIN_HELD_OUT_ACCURACY


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=notebook_id)
def test_gradient_check_prints_error_and_tolerance(fresh_runs, path):
    # The cell asserts error < tolerance itself, so a failing check stops execute_notebook.
    text = stdout_text(fresh_runs(path))
    match = re.search(r"relative error (?P<error>\S+), tolerance (?P<tolerance>\S+)$", text, re.MULTILINE)
    assert match is not None
    assert float(match["error"]) < float(match["tolerance"])


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=notebook_id)
def test_stored_notebook_has_one_svg_plot(path):
    notebook = nbformat.read(path, as_version=4)
    images = [
        output["data"]
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output["output_type"] == "display_data"
    ]
    assert len(images) == 1
    svg = images[0].get("image/svg+xml", "")
    assert svg.lstrip().startswith("<?xml"), "the loss plot is not stored as SVG"
    assert "<svg" in svg
    # A date in the SVG would change on every run.
    assert "<dc:date>" not in svg


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=notebook_id)
def test_stored_notebook_has_no_errors(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"{notebook_id(path)} {cell.get('id')}: {FIX}"


# ---- Both languages ------------------------------------------------------------------------------


def test_each_notebook_exists_in_both_languages():
    for language in LANGUAGES:
        names = sorted(path.stem for path in (ROOT / "docs" / language).glob("*.ipynb"))
        assert names == NOTEBOOKS, language


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_code_cells_identical_in_both_languages(name):
    zh, en = read_notebook("zh", name), read_notebook("en", name)
    assert [cell.cell_type for cell in zh.cells] == [cell.cell_type for cell in en.cells]
    for index, (zh_cell, en_cell) in enumerate(zip(zh.cells, en.cells)):
        if zh_cell.cell_type == "code":
            assert zh_cell.source == en_cell.source, f"{name} cell {index} differs between zh and en"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_markdown_cells_share_math_and_code(name):
    # Only prose differs: each Markdown cell carries the same formulas and code names in both.
    zh, en = read_notebook("zh", name), read_notebook("en", name)
    for index, (zh_cell, en_cell) in enumerate(zip(zh.cells, en.cells)):
        if zh_cell.cell_type != "markdown":
            continue
        for pattern in (INLINE_MATH, re.compile(r"`[^`]+`"), re.compile(r"\$\$.+?\$\$", re.DOTALL)):
            assert sorted(pattern.findall(zh_cell.source)) == sorted(pattern.findall(en_cell.source)), (
                f"{name} cell {index}: {pattern.pattern}"
            )


# ---- The build hook on its own -------------------------------------------------------------------

MARKDOWN_CELL = '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput" data-mime-type="text/markdown">{}</div>'


def test_hook_marks_inline_and_display_math():
    html = MARKDOWN_CELL.format("<p>With $Z = W^\\top X$ and</p>\n<p>$$\nJ = \\frac{1}{m}\n$$</p>")
    marked = mark_markdown_math(html)
    assert '<span class="arithmatex">\\(Z = W^\\top X\\)</span>' in marked
    assert '<div class="arithmatex">\\[\nJ = \\frac{1}{m}\n\\]</div>' in marked
    assert "$" not in marked


def test_hook_leaves_code_prices_and_outputs_alone():
    html = (
        MARKDOWN_CELL.format("<p>It costs $5 and $6, see <code>$x$</code>.</p>")
        + '<div class="jp-OutputArea-output"><pre>$y$</pre></div>'
    )
    assert mark_markdown_math(html) == html


def test_hook_rejects_missing_template_script():
    # A changed nbconvert template must fail the build, not let a CDN script through unnoticed.
    with pytest.raises(PluginError, match="expected one .*, found 0"):
        remove_unwanted_scripts("<p>no scripts here</p>")


# ---- The built pages -----------------------------------------------------------------------------

def read_built(site_dir, language, name):
    return (site_dir / page_path(language, name) / "index.html").read_text(encoding="utf-8")


def is_notebook_html(text, title):
    """Return True when a built page is an HTML page that shows the notebook, not its JSON."""
    if not text.lstrip().lower().startswith("<!doctype html>"):
        return False
    article = BeautifulSoup(text, "html.parser").select_one("article")
    return article is not None and article.select_one(".jp-Notebook") is not None and title in article.get_text()


def notebook_title(language, name):
    first = read_notebook(language, name).cells[0].source
    return re.match(r"# (.+)", first)[1]


def page_scripts(soup):
    return sorted(script["src"] for script in soup.select("script[src]"))


@pytest.mark.site
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_page_is_html_not_json(site, language, name):
    text = read_built(site, language, name)
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    assert is_notebook_html(text, notebook_title(language, name))
    soup = BeautifulSoup(text, "html.parser")
    assert soup.html["lang"] == language
    article = soup.select_one("article")
    assert "held-out accuracy:" in article.get_text()
    plots = article.select('.jp-RenderedSVG img[src^="data:image/svg+xml;base64,"]')
    assert len(plots) == 1, "the loss plot is missing"
    assert plots[0]["alt"] == {"zh": "图：损失曲线", "en": "Figure: Loss curve"}[language]


@pytest.mark.site
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_page_loads_only_site_scripts(site, language, name):
    text = read_built(site, language, name)
    for leftover in ("text/x-mathjax-config", "MathJax.Hub", '<script src="">', "mermaid.esm", "cdnjs.cloudflare.com"):
        assert leftover not in text, f"{language}/{name}: {leftover}"
    # A chapter page at the same depth loads exactly the same scripts.
    chapter = BeautifulSoup(read_built(site, language, PAGES[-1]), "html.parser")
    assert page_scripts(BeautifulSoup(text, "html.parser")) == page_scripts(chapter)
    for script in BeautifulSoup(text, "html.parser").select("script:not([src])"):
        assert not re.search(r"\bimport\b\s*\(|https?://", script.get_text()), script.get_text()[:200]


@pytest.mark.site
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_math_marked_for_mathjax(site, language, name):
    source = read_notebook(language, name)
    formulas = [
        match["tex"] for cell in source.cells if cell.cell_type == "markdown" for match in INLINE_MATH.finditer(cell.source)
    ]
    soup = BeautifulSoup(read_built(site, language, name), "html.parser")
    article = soup.select_one("article")
    marked = [node.get_text() for node in article.select(".jp-RenderedMarkdown span.arithmatex")]
    assert marked == [f"\\({tex}\\)" for tex in formulas]
    for node in article.select(".arithmatex, pre, code, script, style, svg"):
        node.decompose()
    text = article.get_text()
    for delimiter in ("$", "\\(", "\\[", "\\frac"):
        assert delimiter not in text, f"{language}/{name}: raw {delimiter!r} outside arithmatex"


@pytest.mark.site
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_offered_for_download(site, language, name):
    folder = site / page_path(language, name)
    assert (folder / f"{name}.ipynb").read_bytes() == (ROOT / "docs" / language / f"{name}.ipynb").read_bytes()
    link = BeautifulSoup(read_built(site, language, name), "html.parser").select_one("a.notebook-download")
    assert link is not None
    assert link["href"] == f"{name}.ipynb"


@pytest.mark.site
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_toc_links_resolve(site, language, name):
    soup = BeautifulSoup(read_built(site, language, name), "html.parser")
    links = [link["href"] for link in soup.select("nav.md-nav--secondary a.md-nav__link")]
    assert links, "the page has no table of contents"
    article = soup.select_one("article")
    for href in links:
        # nbconvert drops non-ASCII characters from heading ids, so Chinese headings had id="".
        assert article.find(id=href.removeprefix("#")) is not None, f"{language}/{name}: {href}"


@pytest.mark.site
@pytest.mark.parametrize(("language", "other"), [("zh", "en"), ("en", "zh")])
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_language_selector_keeps_notebook(site, language, other, name):
    soup = BeautifulSoup(read_built(site, language, name), "html.parser")
    href = soup.select_one(f"a.md-select__link[hreflang={other}]")["href"]
    depth = page_path(language, name).count("/")
    assert href == "../" * depth + page_path(other, name)


@pytest.mark.site
def test_checks_catch_the_raw_json_page(tmp_path):
    # Without the hook, mkdocs-static-i18n 1.3.1 writes each notebook's JSON to its page path
    # and the strict build passes; the checks above must reject that page.
    copy_project(tmp_path)
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    config = tmp_path / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - hooks/notebook_pages.py\n", ""), encoding="utf-8")
    result = run_build(config, tmp_path / "site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for language in LANGUAGES:
        for name in NOTEBOOKS:
            text = read_built(tmp_path / "site", language, name)
            assert json.loads(text)["cells"]
            assert not is_notebook_html(text, notebook_title(language, name))
