"""Measure how fast the book builds, rebuilds, loads and typesets, on this machine.

    .venv/bin/python tools/bench_site.py           # full run, a few minutes; prints JSON
    .venv/bin/python tools/bench_site.py --quick   # one run per measurement

This is a measurement, not a test: nothing here asserts a time. Each measurement is its own
function, so a caller can run one of them. `run()` returns every figure with its median.

- build: wall time of `mkdocs build --strict`, which builds both languages in one run.
- serve_rebuild: seconds from a write to a snippet until `mkdocs serve` serves the new text.
- bytes_per_page: bytes transferred and requests made on a cold load of every page.
- typeset: on the page with the most formulas, MathJax (as the site configures it) against
  KaTeX rendering the same TeX, both served by one 127.0.0.1 server, in headless Chromium.
- machine: CPU, core count, load average, Chromium, MathJax and KaTeX versions, date.

The browser measurements need playwright and Debian's Chromium, as tests/test_browser.py does.
"""

import argparse
import datetime
import html
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM, CHROMIUM_ARGS, SiteServer  # noqa: E402
from sitebuild import LANGUAGES, NOTEBOOKS, PAGES, copy_project, page_path, run_build  # noqa: E402

NODE_MODULES = ROOT / "node_modules"
KATEX_DIST = NODE_MODULES / "katex" / "dist"
# Site-relative folder of the KaTeX files, beside the MathJax copy in assets/mathjax/.
KATEX_TARGET = Path("assets") / "katex"
# The reference page sits beside the page it copies, so its relative asset URLs still resolve.
KATEX_PAGE_NAME = "katex-reference.html"
# The snippet the rebuild measurement edits, and the pages that include it.
EDITED_SNIPPET = Path("snippets") / "softmax.py"
EDITED_PAGES = ("model/", "en/model/")
# The viewport of tests/test_browser.py, so the pages lay out as they do in the tests.
VIEWPORT = {"width": 1280, "height": 900}
# Generous limits for a loaded 2-core machine. They stop a hung run and measure nothing.
SERVE_START_TIMEOUT_S = 300
REBUILD_TIMEOUT_S = 300
PAGE_TIMEOUT_MS = 60_000

# Runs in every page before its own scripts. On each animation frame it checks the DOM and
# stores performance.now(), which counts from navigation start, when a state is first reached:
#   frame       every .arithmatex element has MathJax or KaTeX output (or a KaTeX error box),
#               at the start of the first frame that will paint it;
#   visible     that frame has been laid out and painted;
#   promise     MathJax.startup.promise has resolved (MathJax's first typeset pass ended);
#   accessible  after that, every MathJax container also has its hidden assistive MathML.
# The KaTeX and the MathJax page run the same check, so its cost falls on both alike.
MONITOR_SCRIPT = """
(() => {
  const bench = (window.__bench = {});
  const rendered = (el) => el.querySelector(":scope > mjx-container, .katex, .katex-error") !== null;
  const accessible = (el) => el.querySelector(":scope > mjx-container mjx-assistive-mml") !== null;
  function check() {
    const mathjax = window.MathJax && window.MathJax.startup ? window.MathJax : null;
    if (mathjax && mathjax.startup.promise && !bench.promiseHooked) {
      bench.promiseHooked = true;
      mathjax.startup.promise.then(() => { bench.promise = performance.now(); });
    }
    if (document.readyState !== "loading") {
      const elements = Array.from(document.querySelectorAll(".arithmatex"));
      bench.formulas = elements.length;
      if (bench.frame === undefined && elements.every(rendered)) {
        bench.frame = performance.now();
        // This frame lays out and paints the formulas; a zero-delay task runs after the paint.
        setTimeout(() => { bench.visible = performance.now(); }, 0);
      }
      if (bench.accessible === undefined && bench.promise !== undefined && elements.every(accessible)) {
        bench.accessible = performance.now();
      }
    }
    const waiting = bench.frame === undefined || (mathjax && bench.accessible === undefined);
    if (waiting) {
      requestAnimationFrame(check);
    }
  }
  requestAnimationFrame(check);
})();
"""

# Renders every .arithmatex element with KaTeX once the DOM is parsed, as KaTeX's auto-render
# extension is usually started. KaTeX has no \\label, so it is stripped, but it supports \\tag.
# window.__katex stores the end time and every formula that KaTeX rendered as an error.
KATEX_RENDER_SCRIPT = r"""
document.addEventListener("DOMContentLoaded", () => {
  const failed = [];
  let labels = 0;
  for (const el of document.querySelectorAll(".arithmatex")) {
    const display = el.tagName === "DIV";
    let tex = el.textContent.trim();
    const open = display ? "\\[" : "\\(";
    const close = display ? "\\]" : "\\)";
    if (tex.startsWith(open) && tex.endsWith(close)) {
      tex = tex.slice(open.length, tex.length - close.length);
    }
    tex = tex.replace(/\\label\{[^}]*\}/g, () => { labels += 1; return ""; });
    try {
      katex.render(tex, el, { displayMode: display, throwOnError: false, strict: "ignore" });
    } catch (error) {
      el.textContent = "";
      const box = el.appendChild(document.createElement("span"));
      box.className = "katex-error";
      box.title = String(error);
    }
    const error = el.querySelector(".katex-error");
    if (error) {
      failed.push({ tex: tex.slice(0, 200), message: error.title });
    }
  }
  window.__katex = { done: performance.now(), failed, labels };
});
"""


def median(values):
    return statistics.median(values) if values else None


# ---- Build -------------------------------------------------------------------------------


def measure_build(site_dir, runs=3):
    """Time `mkdocs build --strict` into site_dir, where the last run's site stays."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = run_build(ROOT / "mkdocs.yml", site_dir, ROOT)
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            raise RuntimeError(f"mkdocs build --strict failed:\n{result.stderr[-4000:]}")
        times.append(elapsed)
    return {"runs_s": times, "median_s": median(times), "languages": list(LANGUAGES)}


# ---- mkdocs serve rebuild ----------------------------------------------------------------


def free_port():
    # The port is free when this returns; another program could still take it before serve does.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch_text(url):
    """Return the body of url, or None while the server fails to return it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def stop_process(process, timeout=10):
    """Terminate the process by its PID, and kill it if it has not exited after timeout seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def wait_until_served(process, url, log_path):
    deadline = time.monotonic() + SERVE_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = log_path.read_text(encoding="utf-8", errors="replace")
            raise RuntimeError(f"mkdocs serve exited with code {process.returncode}:\n{log[-4000:]}")
        if fetch_text(url) is not None:
            return
        time.sleep(0.25)
    raise TimeoutError(f"mkdocs serve did not serve {url} within {SERVE_START_TIMEOUT_S} s")


def wait_for_marker(base_url, marker, start):
    """Return {page: seconds from start until the page contains marker} for EDITED_PAGES."""
    seen = {}
    deadline = start + REBUILD_TIMEOUT_S
    while len(seen) < len(EDITED_PAGES):
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{sorted(set(EDITED_PAGES) - set(seen))} never showed the edit")
        for page in EDITED_PAGES:
            if page not in seen:
                body = fetch_text(base_url + page)
                if body is not None and marker in body:
                    seen[page] = time.perf_counter() - start
        time.sleep(0.05)
    return seen


def measure_serve_rebuild(edits=3):
    """Time how long `mkdocs serve` takes to serve a snippet edit, in a copy of the project.

    The copy links node_modules/ because hooks/mathjax_assets.py copies MathJax from there.
    """
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as temp:
        project = Path(temp) / "project"
        project.mkdir()
        copy_project(project)
        (project / "node_modules").symlink_to(NODE_MODULES)
        port = free_port()
        base_url = f"http://127.0.0.1:{port}/"
        log_path = Path(temp) / "serve.log"
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        command = [str(ROOT / ".venv" / "bin" / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}"]
        with open(log_path, "w", encoding="utf-8") as log:
            started = time.perf_counter()
            process = subprocess.Popen(command, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
            try:
                wait_until_served(process, base_url + EDITED_PAGES[0], log_path)
                first_serve_s = time.perf_counter() - started
                for _ in range(edits):
                    marker = f"bench-site-marker-{uuid.uuid4().hex}"
                    start = time.perf_counter()
                    with open(project / EDITED_SNIPPET, "a", encoding="utf-8") as snippet:
                        snippet.write(f"# {marker}\n")
                    runs.append(wait_for_marker(base_url, marker, start))
            finally:
                stop_process(process)
    all_pages = [max(run.values()) for run in runs]
    return {
        "snippet": EDITED_SNIPPET.as_posix(),
        "pages": list(EDITED_PAGES),
        "first_serve_s": first_serve_s,
        "runs": runs,
        "median_s": {page: median([run[page] for run in runs]) for page in EDITED_PAGES},
        "median_all_pages_s": median(all_pages),
    }


# ---- Pages in the browser ----------------------------------------------------------------


@contextmanager
def launch_browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def block_foreign(context, server, foreign):
    """Abort and record in foreign every request to a host other than server."""

    def route(route):
        if server.is_own(route.request.url):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", route)


def site_pages():
    """Return the URL path of every page of both languages."""
    return [page_path(language, page) for language in LANGUAGES for page in PAGES + NOTEBOOKS]


def wait_for_quiet_page(page):
    # MathJax loads its fonts and components while it typesets, after the load event.
    page.wait_for_load_state("networkidle")
    has_mathjax = page.evaluate("() => Boolean(window.MathJax && MathJax.startup && MathJax.startup.promise)")
    if has_mathjax:
        page.evaluate("() => MathJax.startup.promise.then(() => true)")
        page.wait_for_load_state("networkidle")


def measure_page_bytes(browser, server, path):
    """Load one page in a new context (empty cache) and count its requests and bytes.

    Bytes are CDP's Network.loadingFinished encodedDataLength: what came over the socket,
    response headers included. The test server does not compress, so these are uncompressed.
    """
    foreign = []
    context = browser.new_context(viewport=VIEWPORT)
    try:
        block_foreign(context, server, foreign)
        page = context.new_page()
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        cdp = context.new_cdp_session(page)
        urls = {}
        finished = {}
        failed = []
        cdp.on("Network.requestWillBeSent", lambda event: urls.__setitem__(event["requestId"], event["request"]["url"]))
        cdp.on("Network.loadingFinished", lambda event: finished.__setitem__(event["requestId"], event["encodedDataLength"]))
        cdp.on("Network.loadingFailed", lambda event: failed.append(event["requestId"]))
        cdp.send("Network.enable")
        page.goto(server.url + path, wait_until="load")
        wait_for_quiet_page(page)
        cdp.detach()
    finally:
        context.close()

    own = {request_id: url for request_id, url in urls.items() if url.startswith(server.url)}
    largest = sorted(((finished.get(request_id, 0), url) for request_id, url in own.items()), reverse=True)
    return {
        "page": path or "/",
        "requests": len(own),
        "bytes": sum(finished.get(request_id, 0) for request_id in own),
        "largest": [{"url": url[len(server.url):], "bytes": size} for size, url in largest[:3]],
        "failed_requests": len(failed),
        "foreign_requests": foreign,
    }


def measure_bytes_per_page(browser, server):
    return [measure_page_bytes(browser, server, path) for path in site_pages()]


# ---- Typesetting: MathJax against KaTeX -------------------------------------------------


class ArithmatexCounter(HTMLParser):
    def __init__(self):
        super().__init__()
        self.count = 0

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if "arithmatex" in classes:
            self.count += 1


def count_formulas(page_html):
    counter = ArithmatexCounter()
    counter.feed(page_html)
    counter.close()
    return counter.count


def find_longest_page(site_dir):
    """Return (URL path, formula count) of the built page with the most .arithmatex elements.

    A tie goes to the first page of site_pages(), so Chinese before English.
    """
    best_path, best_count = None, -1
    for path in site_pages():
        page_html = (Path(site_dir) / path / "index.html").read_text(encoding="utf-8")
        count = count_formulas(page_html)
        if count > best_count:
            best_path, best_count = path, count
    return best_path, best_count


MATHJAX_SCRIPT_TAG = re.compile(r"<script\b[^>]*\bsrc=\"[^\"]*mathjax[^\"]*\"[^>]*>\s*</script>", re.IGNORECASE)


def build_katex_page(page_html, katex_base):
    """Return page_html with its MathJax scripts replaced by KaTeX, loaded from katex_base.

    katex_base is the URL folder, ending in "/", that contains katex.min.css, katex.min.js
    and fonts/. The formulas stay in the page as arithmatex wrote them, and
    KATEX_RENDER_SCRIPT renders them in the browser.
    """
    without_mathjax, removed = MATHJAX_SCRIPT_TAG.subn("", page_html)
    if removed == 0:
        raise ValueError("page_html has no MathJax <script src=...>; expected the built page of this site")
    base = html.escape(katex_base, quote=True)
    stylesheet = f'<link rel="stylesheet" href="{base}katex.min.css">'
    scripts = f'<script src="{base}katex.min.js"></script>\n<script>{KATEX_RENDER_SCRIPT}</script>'
    with_css = without_mathjax.replace("</head>", stylesheet + "\n</head>", 1)
    return with_css.replace("</body>", scripts + "\n</body>", 1)


def install_katex_page(site_dir, path):
    """Write the KaTeX reference page of path beside it in site_dir, and return its URL path."""
    target = Path(site_dir) / KATEX_TARGET
    target.mkdir(parents=True, exist_ok=True)
    for name in ("katex.min.css", "katex.min.js"):
        shutil.copy2(KATEX_DIST / name, target / name)
    shutil.copytree(KATEX_DIST / "fonts", target / "fonts", dirs_exist_ok=True)
    depth = path.count("/")
    katex_base = "../" * depth + KATEX_TARGET.as_posix() + "/"
    page_html = (Path(site_dir) / path / "index.html").read_text(encoding="utf-8")
    (Path(site_dir) / path / KATEX_PAGE_NAME).write_text(build_katex_page(page_html, katex_base), encoding="utf-8")
    return path + KATEX_PAGE_NAME


def load_and_time(browser, server, path, done_condition):
    """Load path cold, wait for done_condition (JS), and return the page's window.__bench."""
    foreign = []
    context = browser.new_context(viewport=VIEWPORT)
    try:
        block_foreign(context, server, foreign)
        context.add_init_script(MONITOR_SCRIPT)
        page = context.new_page()
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        page.goto(server.url + path, wait_until="commit")
        page.wait_for_function(done_condition)
        bench = page.evaluate("() => window.__bench")
        bench["katex"] = page.evaluate("() => window.__katex || null")
    finally:
        context.close()
    if foreign:
        raise RuntimeError(f"{path} requested another host: {foreign}")
    return bench


MATHJAX_DONE = "() => window.__bench && window.__bench.visible !== undefined && window.__bench.accessible !== undefined"
KATEX_DONE = "() => window.__bench && window.__bench.visible !== undefined"


def measure_typeset(browser, server, site_dir, loads=5):
    """Time MathJax and KaTeX on the page with the most formulas, alternating cold loads.

    Each list has one value per load, in ms from navigation start:
    *_dom_ms: all output is in the DOM (MathJax: startup promise; KaTeX: render loop ended);
    *_visible_ms: the first frame that contains all output has been painted;
    mathjax_accessible_ms: the promise has resolved and every formula has assistive MathML.
    """
    path, formulas = find_longest_page(site_dir)
    katex_path = install_katex_page(site_dir, path)
    times = {
        "mathjax_dom_ms": [],
        "mathjax_visible_ms": [],
        "mathjax_accessible_ms": [],
        "katex_dom_ms": [],
        "katex_ms": [],
    }
    katex_result = None
    for _ in range(loads):
        # Alternating the two keeps a change in machine load from falling on one side only.
        mathjax = load_and_time(browser, server, path, MATHJAX_DONE)
        times["mathjax_dom_ms"].append(mathjax["promise"])
        times["mathjax_visible_ms"].append(mathjax["visible"])
        times["mathjax_accessible_ms"].append(mathjax["accessible"])
        katex = load_and_time(browser, server, katex_path, KATEX_DONE)
        katex_result = katex["katex"]
        times["katex_dom_ms"].append(katex_result["done"])
        times["katex_ms"].append(katex["visible"])

    medians = {f"median_{name}": median(values) for name, values in times.items()}
    return {
        "page": path,
        "katex_page": katex_path,
        "formulas": formulas,
        "loads": loads,
        **times,
        **medians,
        "mathjax_to_katex_visible_ratio": medians["median_mathjax_visible_ms"] / medians["median_katex_ms"],
        "katex_failed": len(katex_result["failed"]),
        "katex_failed_formulas": katex_result["failed"],
        "katex_labels_stripped": katex_result["labels"],
        "timing": "performance.now() in the page (0 = navigation start), checked once per animation frame",
    }


# ---- Machine -----------------------------------------------------------------------------


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def package_version(name):
    manifest = NODE_MODULES / name / "package.json"
    if not manifest.is_file():
        return None
    return json.loads(manifest.read_text(encoding="utf-8"))["version"]


def machine_facts(browser=None):
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "load_average": list(os.getloadavg()),
        "chromium": browser.version if browser is not None else None,
        "mathjax": package_version("mathjax"),
        "katex": package_version("katex"),
        "python": platform.python_version(),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }


# ---- All together ------------------------------------------------------------------------


def run(quick=False):
    """Run every measurement and return them in one dict. With quick, each runs once."""
    started = time.perf_counter()
    result = {"quick": quick}
    with tempfile.TemporaryDirectory(prefix="bench-site-") as temp:
        site_dir = Path(temp) / "site"
        result["build"] = measure_build(site_dir, runs=1 if quick else 3)
        result["serve_rebuild"] = measure_serve_rebuild(edits=1 if quick else 3)
        with launch_browser() as browser, SiteServer(site_dir) as server:
            result["bytes_per_page"] = measure_bytes_per_page(browser, server)
            result["typeset"] = measure_typeset(browser, server, site_dir, loads=1 if quick else 5)
            result["machine"] = machine_facts(browser)
    result["wall_time_s"] = time.perf_counter() - started
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run of each measurement in place of 3 or 5")
    args = parser.parse_args()
    print(json.dumps(run(quick=args.quick), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
