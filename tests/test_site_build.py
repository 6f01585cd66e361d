import json
import re
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
from equations import LABEL, display_blocks, equation_labels, load_registry  # noqa: E402
from sitebuild import LANGUAGES, PAGES, ROOT, copy_project, run_build  # noqa: E402

pytestmark = pytest.mark.site


def read_page(site_dir, language, page):
    path = site_dir / LANGUAGES[language] / ("index.html" if page == "index" else f"{page}/index.html")
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def source_markdown(language, page):
    return (ROOT / "docs" / language / f"{page}.md").read_text(encoding="utf-8")


def test_build_is_strict_and_has_no_warnings(build):
    result, _ = build
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_built_in_both_languages(site, language, page):
    soup = read_page(site, language, page)
    assert soup.html["lang"] == language


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_chapter_heading_shows_its_number(language, page):
    markdown = source_markdown(language, page)
    chapter = re.match(r"---\nchapter: (\d+)\n---\n", markdown)
    heading = re.search(r"^# (.*)$", markdown, re.MULTILINE)[1]
    if chapter is None:
        assert not re.match(r"\d+\. ", heading), f"{language}/{page}: numbered but no chapter"
    else:
        # Equation numbers start with the chapter number, so the heading must show it.
        assert heading.startswith(f"{chapter[1]}. "), f"{language}/{page}: {heading}"


@pytest.mark.parametrize("page", PAGES)
def test_zh_and_en_pages_have_the_same_labels(page):
    zh_labels = equation_labels(source_markdown("zh", page))
    en_labels = equation_labels(source_markdown("en", page))
    assert zh_labels == en_labels, f"{page}: zh {zh_labels} differs from en {en_labels}"


@pytest.mark.parametrize("page", PAGES)
def test_zh_and_en_pages_have_the_same_equations(page):
    # Only prose differs between the languages; every display equation is identical.
    zh_blocks = display_blocks(source_markdown("zh", page))
    en_blocks = display_blocks(source_markdown("en", page))
    for zh_tex, en_tex in zip(zh_blocks, en_blocks):
        assert zh_tex == en_tex, f"{page}: {LABEL.search(zh_tex)['label']} differs between zh and en"
    assert len(zh_blocks) == len(en_blocks)


@pytest.mark.parametrize("page", PAGES)
def test_zh_and_en_pages_share_chapter_number(page):
    def chapter(language):
        return re.match(r"(?:---\nchapter: (\d+)\n---\n)?", source_markdown(language, page))[1]

    assert chapter("zh") == chapter("en")


@pytest.mark.parametrize("page", PAGES)
def test_rendered_labels_match_between_languages(site, page):
    def labels(language):
        tex = [node.get_text() for node in read_page(site, language, page).select("div.arithmatex")]
        return [match["label"] for text in tex for match in LABEL.finditer(text)]

    assert labels("zh") == labels("en")


@pytest.mark.parametrize("page", PAGES)
def test_zh_en_inline_math_match(site, page):
    # Prose may differ between the languages, but every inline formula appears in both.
    def inline_math(language):
        article = read_page(site, language, page).select_one("article")
        return sorted(node.get_text() for node in article.select("span.arithmatex"))

    assert inline_math("zh") == inline_math("en")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_display_equations_survive_markdown(site, language, page):
    markdown = source_markdown(language, page)
    soup = read_page(site, language, page)
    rendered = [node.get_text() for node in soup.select("div.arithmatex")]
    sources = display_blocks(markdown)
    assert len(rendered) == len(sources)
    for source, html in zip(sources, rendered):
        label = LABEL.search(source)["label"]
        # Markdown would eat a backslash of each \\ if the block escaped arithmatex.
        assert html.count("\\\\") == source.count("\\\\"), label
        assert html.strip().startswith("\\["), label
        assert html.strip().endswith("\\]"), label


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_no_math_left_outside_arithmatex(site, language, page):
    # The whole page, so TeX in a heading that leaks into the table of contents counts too.
    soup = read_page(site, language, page)
    for node in soup.select(".arithmatex, pre, code, script"):
        node.decompose()
    text = soup.get_text() + (soup.title.string or "")
    # A lone $ is what a | inside inline math in a table leaves behind.
    for delimiter in ("$", "\\[", "\\(", "\\frac", "\\begin"):
        assert delimiter not in text, f"{language}/{page}: raw {delimiter!r} outside arithmatex"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_equations_numbered_and_linked_to_code(site, language, page):
    soup = read_page(site, language, page)
    page_url = f"http://site/{LANGUAGES[language]}{'' if page == 'index' else page + '/'}"
    for equation in soup.select("div.arithmatex"):
        text = equation.get_text()
        label = LABEL.search(text)["label"]
        assert re.search(r"\\tag\{\d+\.\d+\}", text), f"{label} has no number"

        wrapper = equation.find_parent("div", class_="equation")
        assert wrapper is not None, f"{label} is not wrapped in div.equation"
        assert wrapper["id"] == label.replace(":", "-")

        link = wrapper.select_one("p.equation-code a")
        assert link is not None, f"{label} has no code link"
        function, module = load_registry()[label]
        assert link.get_text() == f"{function}()"

        target = urlsplit(urljoin(page_url, link["href"]))
        target_page = target.path.strip("/").removeprefix("en").strip("/") or "index"
        target_soup = read_page(site, language, target_page)
        assert target_soup.find(id=target.fragment) is not None, f"{label}: #{target.fragment} missing"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_shown_code_equals_snippet_file(site, language, page):
    soup = read_page(site, language, page)
    for block in soup.select("div.highlight"):
        title = block.select_one("span.filename")
        if title is None or not title.get_text().startswith("snippets/"):
            continue
        shown = block.select_one("pre code").get_text()
        expected = (ROOT / title.get_text()).read_text(encoding="utf-8")
        assert shown.rstrip("\n") == expected.rstrip("\n"), title.get_text()


CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")
# Attributes that make a browser fetch a URL; <a href> only navigates, so it is not listed.
FETCHING_ATTRIBUTES = ("src", "data", "poster", "background", "action", "formaction", "xlink:href")


def fetched_urls(soup):
    """Yield every URL that loading the page can request, with where it was found."""
    for tag in soup.find_all(True):
        for attribute in FETCHING_ATTRIBUTES:
            if tag.has_attr(attribute):
                yield f"<{tag.name} {attribute}>", tag[attribute]
        if tag.has_attr("srcset"):
            for candidate in tag["srcset"].split(","):
                yield f"<{tag.name} srcset>", candidate.strip().split(" ")[0]
        # A canonical link names the page's published address; browsers never fetch it.
        if tag.name == "link" and tag.has_attr("href") and "canonical" not in tag.get("rel", []):
            yield "<link href>", tag["href"]
        if tag.has_attr("style"):
            for url in CSS_URL.findall(tag["style"]):
                yield f"<{tag.name} style>", url
        if tag.name == "style":
            for url in CSS_URL.findall(tag.get_text()):
                yield "<style>", url


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_no_resource_from_another_host(site, language, page):
    soup = read_page(site, language, page)
    for where, url in fetched_urls(soup):
        assert not urlsplit(url).netloc, f"{language}/{page}: {where} {url}"


def test_no_stylesheet_fetches_from_another_host(site):
    for stylesheet in site.rglob("*.css"):
        for url in CSS_URL.findall(stylesheet.read_text(encoding="utf-8")):
            assert not urlsplit(url).netloc, f"{stylesheet.relative_to(site)}: {url}"


def test_mathjax_and_font_served_by_site(site):
    assert (site / "assets" / "mathjax" / "tex-chtml.js").is_file()
    font = site / "assets" / "mathjax" / "fonts" / "mathjax-newcm-font" / "chtml"
    assert any(font.glob("woff2/*.woff2"))


def test_mathjax_config_points_fonts_at_the_site(site):
    config = (site / "assets" / "javascripts" / "mathjax-config.js").read_text(encoding="utf-8")
    # MathJax 4 defaults its [fonts] path to a CDN; the config must override it.
    assert "paths: { fonts:" in config
    assert "http" not in config


def test_every_snippet_function_is_shown():
    shown = set()
    for page in (ROOT / "docs" / "zh").glob("*.md"):
        shown.update(re.findall(r'--8<-- "snippets/(\w+)\.py"', page.read_text(encoding="utf-8")))
    modules = {path.stem for path in (ROOT / "snippets").glob("*.py")} - {"__init__"}
    assert modules <= shown, f"never shown: {sorted(modules - shown)}"


def test_missing_mathjax_names_the_fix(tmp_path):
    copy_project(tmp_path)
    result = run_build(tmp_path / "mkdocs.yml", tmp_path / "site", cwd=tmp_path)
    assert result.returncode != 0
    assert "make assets" in result.stderr


@pytest.fixture
def project_copy(tmp_path):
    copy_project(tmp_path)
    # Reuse the installed MathJax so only the edited page can fail the build.
    (tmp_path / "node_modules").symlink_to(ROOT / "node_modules")
    return tmp_path


def test_unlabelled_equation_fails_the_build(project_copy):
    page = project_copy / "docs" / "en" / "loss.md"
    page.write_text(page.read_text(encoding="utf-8").replace("\\label{eq:cost}", ""), encoding="utf-8")
    result = run_build(project_copy / "mkdocs.yml", project_copy / "site", cwd=project_copy)
    assert result.returncode != 0
    assert "needs exactly one \\label" in result.stderr


def test_label_without_snippet_fails_the_build(project_copy):
    # Rename the label and every link to it, so that the unclaimed label is the only fault.
    for page in (project_copy / "docs" / "zh").glob("*.md"):
        text = page.read_text(encoding="utf-8")
        text = text.replace("{eq:cost}", "{eq:cost-renamed}").replace("(#eq:cost)", "(#eq:cost-renamed)")
        page.write_text(text, encoding="utf-8")
    result = run_build(project_copy / "mkdocs.yml", project_copy / "site", cwd=project_copy)
    assert result.returncode != 0
    assert "eq:cost-renamed has no snippet" in result.stderr


def test_wrong_snippet_path_fails_the_build(project_copy):
    # pymdownx.snippets with check_paths turns a missing include into an error.
    page = project_copy / "docs" / "en" / "model.md"
    block = '\n```python\n--8<-- "snippets/no_such_file.py"\n```\n'
    page.write_text(page.read_text(encoding="utf-8") + block, encoding="utf-8")
    result = run_build(project_copy / "mkdocs.yml", project_copy / "site", cwd=project_copy)
    assert result.returncode != 0
    assert "no_such_file.py" in result.stderr


@pytest.mark.parametrize("term", ["雅可比", "交叉熵", "链式法则"])
def test_search_index_keeps_terms_whole(site, term):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = re.compile(index["config"]["separator"])
    tokens = set()
    for doc in index["docs"]:
        tokens.update(separator.split(doc["title"] + " " + doc["text"]))
    # jieba without hooks/jieba_user_dict.txt cuts 雅可比 into 雅 and 可比.
    assert term in tokens


def test_code_examples_are_left_alone(project_copy):
    # A page may show how to write an equation; the hook must not number code.
    page = project_copy / "docs" / "en" / "index.md"
    example = "\n```markdown\n$$\nx = 1\n\\label{eq:example}\n$$\n```\n\nWrite `[](#eq:loss)` to cite.\n"
    page.write_text(page.read_text(encoding="utf-8") + example, encoding="utf-8")
    result = run_build(project_copy / "mkdocs.yml", project_copy / "site", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    html = (project_copy / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert "\\label{eq:example}" in html
    assert "<code>[](#eq:loss)</code>" in html


def test_shared_chapter_number_fails_the_build(project_copy):
    for language in LANGUAGES:
        page = project_copy / "docs" / language / "grad-probs.md"
        text = page.read_text(encoding="utf-8").replace("chapter: 3", "chapter: 2")
        page.write_text(text, encoding="utf-8")
    result = run_build(project_copy / "mkdocs.yml", project_copy / "site", cwd=project_copy)
    assert result.returncode != 0
    assert "chapter 2 is used by both" in result.stderr
