"""Check that the SVG figures are current, self-contained and shown in both languages."""

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from sitebuild import LANGUAGES, PAGES, ROOT, page_path

FIGURE_DIR = ROOT / "docs" / "assets" / "figures"
SCRIPT = ROOT / "tools" / "make_figures.py"
FIGURES = sorted(path.name for path in FIGURE_DIR.glob("*.svg"))

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
SVG = f"{{{SVG_NAMESPACE}}}"
# A Markdown image of a file in assets/figures/.
FIGURE_IMAGE = re.compile(
    r"!\[(?P<alt>[^\]]*)\]\((?P<path>[^)\s]*assets/figures/(?P<name>[\w-]+\.svg))\)"
)
FIGURE_ID = re.compile(r'<figure\b[^>]*\bid="(?P<id>[^"]+)"')
CSS_URL = re.compile(r"url\(\s*['\"]?(?P<target>[^'\")]*)")
# Labels are math, so one file serves both languages. The only words allowed are operator names.
OPERATOR_NAMES = {"exp", "softmax", "ReLU"}
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
GENERIC_FONT_FAMILIES = {"serif", "sans-serif"}
MIN_TEXT_SIZE = 14
MIN_STROKE_WIDTH = 1.5


def run_script(out_dir):
    command = [sys.executable, str(SCRIPT), "--out", str(out_dir)]
    result = subprocess.run(command, check=False, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"tools/make_figures.py failed:\n{result.stderr}"
    return {path.name: path.read_bytes() for path in sorted(out_dir.glob("*.svg"))}


def page_figures(language, page):
    """Return the (name, path, alt) of each figure image on a page, in page order."""
    markdown = (ROOT / "docs" / language / f"{page}.md").read_text(encoding="utf-8")
    return [
        (match["name"], match["path"], match["alt"]) for match in FIGURE_IMAGE.finditer(markdown)
    ]


def page_figure_ids(language, page):
    markdown = (ROOT / "docs" / language / f"{page}.md").read_text(encoding="utf-8")
    return FIGURE_ID.findall(markdown)


def parse_svg(name):
    return ET.parse(FIGURE_DIR / name).getroot()


# ---- The committed files are what the script writes -----------------------------------------


def test_figures_match_script_output(tmp_path):
    generated = run_script(tmp_path)
    assert sorted(generated) == FIGURES, (
        "run `python tools/make_figures.py` and commit docs/assets/figures/"
    )
    for name, content in generated.items():
        committed = (FIGURE_DIR / name).read_bytes()
        assert committed == content, (
            f"{name} is stale: run `python tools/make_figures.py` and commit it"
        )


def test_script_output_is_deterministic(tmp_path):
    first = run_script(tmp_path / "first")
    second = run_script(tmp_path / "second")
    assert first == second


# ---- Every figure is a self-contained SVG that reads on a dark page --------------------------


@pytest.mark.parametrize("name", FIGURES)
def test_svg_has_size_viewbox_and_title(name):
    root = parse_svg(name)
    assert root.tag == f"{SVG}svg"
    width, height = root.get("width"), root.get("height")
    assert width is not None and height is not None, f"{name}: width or height missing"
    assert root.get("viewBox") == f"0 0 {width} {height}", (
        f"{name}: viewBox does not match the size"
    )
    title = root.find(f"{SVG}title")
    assert title is not None, f"{name}: <title> missing"
    assert title.text and title.text.strip(), f"{name}: <title> is empty"


@pytest.mark.parametrize("name", FIGURES)
def test_svg_references_nothing_outside(name):
    raw = (FIGURE_DIR / name).read_text(encoding="utf-8")
    # The SVG namespace is an identifier, not a request. Nothing else may name a URL.
    without_namespace = raw.replace(f'xmlns="{SVG_NAMESPACE}"', "", 1)
    assert "http" not in without_namespace, f"{name}: contains 'http' outside the namespace"
    assert "//" not in without_namespace, f"{name}: contains '//'"
    assert "@import" not in raw, f"{name}: contains @import"
    for element in parse_svg(name).iter():
        assert element.tag not in (f"{SVG}image", f"{SVG}script", f"{SVG}foreignObject"), (
            f"{name}: {element.tag}"
        )
        texts = list(element.attrib.items())
        if element.tag == f"{SVG}style":
            texts.append(("<style>", element.text or ""))
        for attribute, value in texts:
            if attribute.endswith("href"):
                assert value.startswith("#"), (
                    f"{name}: {attribute}={value!r} is not a local fragment"
                )
            for target in CSS_URL.findall(value):
                assert target.startswith("#"), (
                    f"{name}: {attribute} url({target}) is not a local fragment"
                )


@pytest.mark.parametrize("name", FIGURES)
def test_svg_sits_on_opaque_white_card(name):
    root = parse_svg(name)
    width, height = float(root.get("width")), float(root.get("height"))
    drawn = [element for element in root if element.tag != f"{SVG}title"]
    card = drawn[0]
    # The first shape is painted under all others, so a white one hides a dark page behind it.
    assert card.tag == f"{SVG}rect", (
        f"{name}: the first shape is {card.tag}, not the background card"
    )
    assert card.get("fill") == "#ffffff"
    assert card.get("fill-opacity") in (None, "1")
    assert card.get("opacity") in (None, "1")
    assert float(card.get("rx", 0)) > 0, f"{name}: the card has no rounded corners"
    assert float(card.get("x")) <= 1, f"{name}: the card does not start at the left edge"
    assert float(card.get("y")) <= 1, f"{name}: the card does not start at the top edge"
    assert float(card.get("width")) >= width - 2, f"{name}: the card is narrower than the canvas"
    assert float(card.get("height")) >= height - 2, f"{name}: the card is shorter than the canvas"


@pytest.mark.parametrize("name", FIGURES)
def test_svg_text_size_fonts_and_strokes(name):
    for element in parse_svg(name).iter():
        font_size = element.get("font-size")
        if font_size is not None:
            assert float(font_size) >= MIN_TEXT_SIZE, (
                f"{name}: font-size {font_size} below {MIN_TEXT_SIZE}"
            )
        stroke_width = element.get("stroke-width")
        if stroke_width is not None:
            assert float(stroke_width) >= MIN_STROKE_WIDTH, f"{name}: stroke-width {stroke_width}"
        font_family = element.get("font-family")
        if font_family is not None:
            last = font_family.split(",")[-1].strip().strip("'\"")
            assert last in GENERIC_FONT_FAMILIES, (
                f"{name}: font-family {font_family!r} ends without a generic family"
            )


@pytest.mark.parametrize("name", FIGURES)
def test_svg_labels_are_math_only(name):
    root = parse_svg(name)
    for text in root.iter(f"{SVG}text"):
        label = "".join(text.itertext())
        assert not CJK.search(label), f"{name}: label {label!r} contains Chinese text"
        # Each variable is its own <tspan>, so words are read per run of text, not across runs.
        runs = [text.text or ""] + [
            part or "" for tspan in text for part in (tspan.text, tspan.tail)
        ]
        words = {word for run in runs for word in re.findall(r"[A-Za-z]{2,}", run)}
        assert words <= OPERATOR_NAMES, (
            f"{name}: label {label!r} contains words {sorted(words - OPERATOR_NAMES)}"
        )


# ---- The pages show every figure, the same ones in both languages ----------------------------


@pytest.mark.parametrize("page", PAGES)
def test_zh_en_pages_show_same_figures(page):
    zh_figures, en_figures = page_figures("zh", page), page_figures("en", page)
    zh_names, en_names = [name for name, _, _ in zh_figures], [name for name, _, _ in en_figures]
    assert zh_names == en_names, f"{page}: zh shows {zh_names}, en shows {en_names}"
    zh_paths, en_paths = [path for _, path, _ in zh_figures], [path for _, path, _ in en_figures]
    assert zh_paths == en_paths, f"{page}: zh links {zh_paths}, en links {en_paths}"
    zh_ids, en_ids = page_figure_ids("zh", page), page_figure_ids("en", page)
    assert zh_ids == en_ids, f"{page}: zh figure ids {zh_ids}, en figure ids {en_ids}"
    for (name, _, zh_alt), (_, _, en_alt) in zip(zh_figures, en_figures):
        assert zh_alt.strip(), f"zh/{page}: {name} has no alt text"
        assert en_alt.strip(), f"en/{page}: {name} has no alt text"
        assert zh_alt != en_alt, f"{page}: {name} has the same alt text in zh and en"


def test_every_figure_is_shown():
    referenced = {
        name
        for language in LANGUAGES
        for page in PAGES
        for name, _, _ in page_figures(language, page)
    }
    assert set(FIGURES) <= referenced, f"not shown on any page: {sorted(set(FIGURES) - referenced)}"


def test_en_figure_folder_is_the_shared_one():
    # mkdocs-static-i18n leaves docs/assets/ out of the English build (fallback_to_default is
    # false), so docs/en/assets/figures links to the shared folder instead of copying it.
    en_folder = ROOT / "docs" / "en" / "assets" / "figures"
    assert en_folder.is_symlink(), (
        "docs/en/assets/figures must be a symlink to ../../assets/figures"
    )
    assert en_folder.resolve() == FIGURE_DIR.resolve()


@pytest.mark.site
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", [page for page in PAGES if page_figures("zh", page)])
def test_built_figures_resolve(site, language, page):
    url = page_path(language, page)
    html = (site / url / "index.html").read_text(encoding="utf-8")
    images = BeautifulSoup(html, "html.parser").select("article figure img")
    expected = [name for name, _, _ in page_figures(language, page)]
    assert [Path(urlsplit(image["src"]).path).name for image in images] == expected
    for image in images:
        target = urlsplit(urljoin(f"http://site/{url}", image["src"])).path.lstrip("/")
        built = site / target
        assert built.is_file(), f"{language}/{page}: {image['src']} does not resolve"
        assert built.read_bytes() == (FIGURE_DIR / built.name).read_bytes()
