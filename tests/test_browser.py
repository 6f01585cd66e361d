import re
from pathlib import Path

import pytest
from browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SCREENSHOTS,
    SCREENSHOTS_WRITTEN,
    TIMEOUT_MS,
    SiteServer,
    missing_browser_reason,
)
from sitebuild import LANGUAGES, NOTEBOOKS, PAGES, ROOT, copy_project, page_path, run_build

reason = missing_browser_reason()
if reason:
    pytest.skip(f"browser tests skipped: {reason}", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402

pytestmark = pytest.mark.site

SCHEMES = ("default", "slate")
# WCAG 2.1 level AA requires 4.5:1 between normal text and its background.
MIN_CONTRAST = 4.5

# Collects, in one pass over the page, what the tests below check. MathJax has typeset a formula
# when its arithmatex element contains an mjx-container.
PAGE_STATE_JS = """
() => {
  const formulas = [...document.querySelectorAll(".arithmatex")];
  const containers = formulas.flatMap((el) => [...el.querySelectorAll(":scope > mjx-container")]);
  const readable = (container) => {
    const mathml = container.querySelector("mjx-assistive-mml math");
    if (mathml && mathml.textContent.trim()) return true;
    const label = container.getAttribute("aria-label") || "";
    return label.trim() !== "";
  };
  const hiddenVisual = (container) => {
    const visual = container.querySelector(":scope > mjx-math");
    return visual !== null && visual.getAttribute("aria-hidden") === "true";
  };
  // Text a reader sees outside code and typeset math, where leftover TeX would show.
  const skip = "pre, code, script, style, textarea, mjx-container, .arithmatex > script";
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const visibleText = [];
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (parent && !parent.closest(skip)) visibleText.push(walker.currentNode.textContent);
  }
  return {
    formulas: formulas.length,
    typeset: formulas.filter((el) => el.querySelector(":scope > mjx-container")).length,
    mathjaxErrors: [...document.querySelectorAll("mjx-merror")].map((el) => el.getAttribute("data-mjx-error") || el.textContent),
    unreadable: containers.filter((c) => !readable(c)).length,
    visualNotHidden: containers.filter((c) => readable(c) && !hiddenVisual(c)).length,
    visibleText: visibleText.join(" "),
  };
}
"""

# Lowest contrast ratio between a typeset formula and the background it is drawn on.
MIN_CONTRAST_JS = """
() => {
  const rgba = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const color = rgba(getComputedStyle(el).backgroundColor);
      if (color.length === 3 || (color.length === 4 && color[3] > 0)) return color.slice(0, 3);
    }
    return [255, 255, 255];
  };
  let lowest = Infinity;
  // A translucent text colour shows blended with the background behind it.
  const blend = ([r, g, b, alpha = 1], under) => [r, g, b].map((v, i) => alpha * v + (1 - alpha) * under[i]);
  for (const container of document.querySelectorAll(".arithmatex > mjx-container")) {
    const under = background(container);
    const fg = luminance(blend(rgba(getComputedStyle(container).color), under));
    const bg = luminance(under);
    lowest = Math.min(lowest, (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05));
  }
  return lowest === Infinity ? null : lowest;
}
"""

# Each visit costs about 4 s, so the notebook pages are the only pages added to the chapters.
VISITED_PAGES = PAGES + NOTEBOOKS

# Every output image of a notebook page, such as the loss plot, with what the reader gets to see.
IMAGES_JS = """
() => [...document.querySelectorAll("article .jp-OutputArea-output img")].map((img) => {
  const box = img.getBoundingClientRect();
  const style = getComputedStyle(img);
  return {
    alt: img.alt,
    loaded: img.complete && img.naturalWidth > 0,
    width: box.width,
    height: box.height,
    displayed: style.display !== "none" && style.visibility !== "hidden" && Number(style.opacity) > 0,
  };
})
"""

RAW_TEX = re.compile(r"\\[A-Za-z]+|\\[()\[\]]|\$\$")


@pytest.fixture(scope="session")
def server(site):
    with SiteServer(site) as running:
        yield running


@pytest.fixture(scope="session")
def context(server, tmp_path_factory):
    # Screenshots of an earlier run would mix with this run's.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    with sync_playwright() as playwright:
        # A persistent context on a new folder: a fresh profile that no other run has touched.
        context = playwright.chromium.launch_persistent_context(
            tmp_path_factory.mktemp("chromium-profile"),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1280, "height": 900},
            color_scheme="light",
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url.rstrip("/"))
        yield context
        context.close()


class Recorder:
    """Every request a page makes, and every error it reports, from the moment it is attached."""

    def __init__(self, page, server):
        self.requests = []
        self.foreign = []
        self.errors = []
        page.on("request", lambda request: self.requests.append(request))
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on("requestfailed", lambda request: self.errors.append(f"failed: {request.url} {request.failure}"))
        page.on("response", lambda response: response.status >= 400 and self.errors.append(f"HTTP {response.status}: {response.url}"))
        # Nothing may leave 127.0.0.1: a request to any other host is recorded, then aborted.
        page.route("**/*", lambda route: self.route(route, server))

    def route(self, route, server):
        if server.is_own(route.request.url):
            route.continue_()
        else:
            self.foreign.append(route.request.url)
            route.abort()


def wait_for_mathjax(page):
    """Wait until every formula is typeset, or until MathJax's first pass has ended without it.

    MathJax never finds a formula with an unbalanced brace, so it is never typeset. The end of
    the first pass stops the wait, and the checks report the formula.
    """
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("MathJax.startup.promise.then(() => { window.firstTypesetDone = true; })")
    page.wait_for_function(
        "() => window.firstTypesetDone"
        " || [...document.querySelectorAll('.arithmatex')].every((el) => el.querySelector(':scope > mjx-container'))"
    )


def switch_scheme(page):
    page.locator("form[data-md-component=palette] label:visible").click()
    # Colours fade to the new scheme; measure them only once every CSS transition has ended.
    # Polls on a timer, because Chromium may hold back animation frames of a page in the background.
    page.wait_for_function(
        "() => document.getAnimations().every((animation) => !(animation instanceof CSSTransition))",
        polling=100,
    )


def copy_snippet_blocks(page):
    """Click the copy button of every included snippet file and return what reached the clipboard."""
    copied = {}
    # Exercise solutions are in closed <details>, so open them to make their buttons clickable.
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    blocks = page.locator("div.highlight:has(> span.filename)")
    for index in range(blocks.count()):
        block = blocks.nth(index)
        name = block.locator("span.filename").inner_text()
        page.evaluate("navigator.clipboard.writeText('')")
        block.hover()
        block.locator("button[data-md-type=copy]").click()
        copied[name] = page.evaluate("navigator.clipboard.readText()")
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = false; })")
    return copied


def screenshot_path(scheme, language, page_name):
    return SCREENSHOTS / f"{language}-{page_name}-{scheme}.png"


@pytest.fixture(scope="session")
def visits(context, server):
    """Load each page once, check it in both colour schemes, and keep what was seen."""
    seen = {}

    def visit(language, page_name):
        key = (language, page_name)
        if key in seen:
            return seen[key]
        page = context.new_page()
        recorder = Recorder(page, server)
        page.goto(server.url + page_path(language, page_name))
        wait_for_mathjax(page)
        state = page.evaluate(PAGE_STATE_JS)
        state["images"] = page.evaluate(IMAGES_JS)

        state["contrast"] = {}
        for scheme in SCHEMES:
            if page.evaluate("document.body.getAttribute('data-md-color-scheme')") != scheme:
                switch_scheme(page)
            state["contrast"][scheme] = page.evaluate(MIN_CONTRAST_JS)
            state.setdefault("schemes", []).append(page.evaluate("document.body.getAttribute('data-md-color-scheme')"))
            # Sticky parts (header, sidebars) are drawn where the last scroll left them.
            page.evaluate("window.scrollTo(0, 0)")
            path = screenshot_path(scheme, language, page_name)
            page.screenshot(path=path, full_page=True)
            SCREENSHOTS_WRITTEN.append(path)

        # After the screenshots, so they do not show Material's "copied" message.
        state["copied"] = copy_snippet_blocks(page)
        # The next page starts from the reader's system setting again, not from the last toggle.
        page.evaluate("localStorage.clear()")

        state["requests"] = [request.url for request in recorder.requests]
        state["foreign"] = recorder.foreign
        state["console"] = recorder.errors
        page.close()
        seen[key] = state
        return state

    return visit


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_name", VISITED_PAGES)
def test_mathjax_typesets_every_formula(visits, language, page_name):
    state = visits(language, page_name)
    assert state["typeset"] == state["formulas"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_name", VISITED_PAGES)
def test_no_mathjax_errors(visits, language, page_name):
    assert visits(language, page_name)["mathjaxErrors"] == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_name", VISITED_PAGES)
def test_no_raw_tex_visible(visits, language, page_name):
    leftovers = RAW_TEX.findall(visits(language, page_name)["visibleText"])
    assert leftovers == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_name", VISITED_PAGES)
def test_no_request_to_another_host(visits, language, page_name):
    state = visits(language, page_name)
    assert state["requests"], "the page made no request at all"
    assert state["foreign"] == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_name", VISITED_PAGES)
def test_no_console_errors(visits, language, page_name):
    assert visits(language, page_name)["console"] == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_name", VISITED_PAGES)
def test_formulas_reach_screen_readers(visits, language, page_name):
    state = visits(language, page_name)
    # Each formula needs assistive MathML or a speech label ...
    assert state["unreadable"] == 0
    # ... and its glyphs hidden from screen readers, or they would read it twice.
    assert state["visualNotHidden"] == 0


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_name", VISITED_PAGES)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_formulas_legible_in_scheme(visits, language, page_name, scheme):
    state = visits(language, page_name)
    assert state["schemes"] == list(SCHEMES), "the palette toggle did not switch the colour scheme"
    contrast = state["contrast"][scheme]
    if state["formulas"] == 0:
        assert contrast is None
    else:
        assert contrast >= MIN_CONTRAST


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_name", NOTEBOOKS)
def test_notebook_plot_is_visible(visits, language, page_name):
    images = visits(language, page_name)["images"]
    assert len(images) == 1, "expected the loss plot as the only output image"
    plot = images[0]
    assert plot["loaded"], "the plot's SVG did not decode"
    assert plot["displayed"]
    # A collapsed image measures 0. The plot is 6 by 3.5 inches before it is scaled to the column.
    assert plot["width"] > 300
    assert plot["height"] > 150
    assert plot["alt"].strip()


def switch_language(page, language):
    # The language menu opens on hover, like a reader's mouse would open it.
    page.hover(".md-header__option .md-select")
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator(f".md-select__link[hreflang={language}]").click()


@pytest.fixture
def page(context, server):
    page = context.new_page()
    page.recorder = Recorder(page, server)
    yield page
    page.evaluate("localStorage.clear()")
    page.close()


# A chapter deep in the book, so a switch that lands on the home page cannot pass.
DEEP_PAGE = "chain-rule"


@pytest.mark.parametrize(("start", "target"), [("zh", "en"), ("en", "zh")])
def test_language_switch_keeps_the_page(page, server, start, target):
    page.goto(server.url + page_path(start, DEEP_PAGE), wait_until="domcontentloaded")
    switch_language(page, target)
    assert page.url == server.url + page_path(target, DEEP_PAGE)
    assert page.evaluate("document.documentElement.lang").startswith(target)
    assert page.recorder.foreign == []


SEARCHES = [
    ("zh", "雅可比", "jacobian"),
    ("zh", "交叉熵", "loss"),
    ("en", "Jacobian", "jacobian"),
]


@pytest.mark.parametrize(("language", "query", "chapter"), SEARCHES)
def test_search_finds_the_chapter(page, server, language, query, chapter):
    # Material reads the query from ?q= on load; typing would need key-up events.
    page.goto(server.url + page_path(language, "index") + "?q=" + query, wait_until="domcontentloaded")
    page.wait_for_selector(".md-search-result__item")
    hrefs = page.eval_on_selector_all(".md-search-result__item > a", "links => links.map((a) => a.href)")
    first = hrefs[0].split("?")[0].split("#")[0]
    assert first == server.url + page_path(language, chapter), hrefs[:5]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_name", VISITED_PAGES)
def test_copy_button_copies_the_file(visits, language, page_name):
    for name, copied in visits(language, page_name)["copied"].items():
        # Material trims trailing whitespace from what it copies.
        assert copied == (ROOT / name).read_text(encoding="utf-8").rstrip(), name


def test_every_snippet_has_a_copy_button(visits):
    copied_files = {
        name for language in LANGUAGES for page_name in PAGES for name in visits(language, page_name)["copied"]
    }
    files = {f"snippets/{path.name}" for path in (ROOT / "snippets").glob("*.py") if path.name != "__init__.py"}
    assert files <= copied_files


def test_dark_scheme_survives_language_switch(page, server):
    page.goto(server.url + page_path("zh", DEEP_PAGE), wait_until="domcontentloaded")
    switch_scheme(page)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    switch_language(page, "en")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"


@pytest.mark.parametrize("missing_path", ["no-such-page/", "en/no/such/page/"])
def test_404_page_renders_at_any_depth(page, server, missing_path):
    response = page.goto(server.url + missing_path)
    assert response.status == 404
    # Material's stylesheet applied: the header is sticky only when it loaded.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    homes = page.eval_on_selector_all("article a[hreflang]", "links => links.map((a) => a.href)")
    assert homes == [server.url, server.url + "en/"]
    assert page.recorder.foreign == []
    # Only the page itself returns 404, reported once as its response and once in Chromium's console.
    assert sorted(page.recorder.errors) == [
        "Failed to load resource: the server responded with a status of 404 (Not Found)",
        f"HTTP 404: {server.url + missing_path}",
    ]
    for scheme in SCHEMES:
        if page.evaluate("document.body.getAttribute('data-md-color-scheme')") != scheme:
            switch_scheme(page)
        path = screenshot_path(scheme, "both", "404-" + missing_path.strip("/").replace("/", "-"))
        page.screenshot(path=path)
        SCREENSHOTS_WRITTEN.append(path)


# ---- The checks above can fail ------------------------------------------------------------------
# One copy of the project carries three breakages, each on its own page, so one extra build covers
# them all.
BROKEN_FORMULA_PAGE = "loss"
FOREIGN_SCRIPT_PAGE = "model"
DARK_FORMULA_PAGE = "grad-probs"
DARK_FORMULA_STYLE = '<style>[data-md-color-scheme="slate"] mjx-container { color: #444; }</style>'
# A reserved name that never resolves; the route aborts the request before it leaves anyway.
FOREIGN_SCRIPT = '<script src="http://cdn.example.invalid/tracker.js"></script>'
ROOT_ALTERNATES = """
extra:
  alternate:
    - name: 中文
      link: /
      lang: zh
    - name: English
      link: /en/
      lang: en
"""


@pytest.fixture(scope="session")
def broken_server(tmp_path_factory):
    project = tmp_path_factory.mktemp("broken-project")
    copy_project(project)
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    loss = project / "docs" / "en" / f"{BROKEN_FORMULA_PAGE}.md"
    # An unbalanced brace inside one inline formula ...
    text = loss.read_text(encoding="utf-8").replace("$m$", "$\\frac{m$", 1)
    # A command that MathJax does not know, which it shows as an error node.
    text = text.replace("$J$", "$\\fracc{J}$", 1)
    loss.write_text(text, encoding="utf-8")
    model = project / "docs" / "en" / f"{FOREIGN_SCRIPT_PAGE}.md"
    model.write_text(model.read_text(encoding="utf-8") + "\n" + FOREIGN_SCRIPT + "\n", encoding="utf-8")
    grad_probs = project / "docs" / "en" / f"{DARK_FORMULA_PAGE}.md"
    grad_probs.write_text(grad_probs.read_text(encoding="utf-8") + "\n" + DARK_FORMULA_STYLE + "\n", encoding="utf-8")
    # Language links to each home page, as Material's own alternate config writes them.
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("reconfigure_material: true", "reconfigure_material: false")
    config.write_text(text + ROOT_ALTERNATES, encoding="utf-8")
    result = run_build(config, project / "site", cwd=project)
    assert result.returncode == 0, result.stderr
    with SiteServer(project / "site") as running:
        yield running


def visit_broken(context, server, page_name):
    page = context.new_page()
    recorder = Recorder(page, server)
    page.goto(server.url + page_path("en", page_name))
    wait_for_mathjax(page)
    state = page.evaluate(PAGE_STATE_JS)
    page.close()
    return state, recorder


def test_unbalanced_brace_is_caught(context, broken_server):
    state, _ = visit_broken(context, broken_server, BROKEN_FORMULA_PAGE)
    # MathJax never finds the end of the formula, so it stays raw TeX on the page.
    assert state["typeset"] < state["formulas"]
    assert "\\frac" in RAW_TEX.findall(state["visibleText"])


def test_undefined_command_is_caught(context, broken_server):
    state, _ = visit_broken(context, broken_server, BROKEN_FORMULA_PAGE)
    assert "Undefined control sequence \\fracc" in state["mathjaxErrors"]


def test_script_from_another_host_is_caught(context, broken_server):
    _, recorder = visit_broken(context, broken_server, FOREIGN_SCRIPT_PAGE)
    assert recorder.foreign == ["http://cdn.example.invalid/tracker.js"]
    assert recorder.errors != []


def test_switch_to_home_page_is_caught(context, broken_server):
    page = context.new_page()
    page.goto(broken_server.url + page_path("zh", DEEP_PAGE), wait_until="domcontentloaded")
    switch_language(page, "en")
    # The check in test_language_switch_keeps_the_page would fail: the reader lands on the home page.
    assert page.url == broken_server.url + page_path("en", "index")
    page.close()


def test_dark_formula_colour_is_caught(context, broken_server):
    page = context.new_page()
    page.goto(broken_server.url + page_path("en", DARK_FORMULA_PAGE))
    wait_for_mathjax(page)
    assert page.evaluate(MIN_CONTRAST_JS) >= MIN_CONTRAST
    switch_scheme(page)
    assert page.evaluate(MIN_CONTRAST_JS) < MIN_CONTRAST
    page.evaluate("localStorage.clear()")
    page.close()
