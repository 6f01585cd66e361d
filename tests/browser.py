"""Serve the built site on 127.0.0.1 and drive Debian's Chromium through playwright.

The tests never run `playwright install`: it downloads a browser, and this machine may only
reach package registries. Playwright's Python package drives the system Chromium instead.
"""

import functools
import http.server
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

# Debian's chromium package installs /usr/bin/chromium; CHROMIUM names another binary.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Screenshots for a person to look at; the test session prints the folder when it wrote any.
SCREENSHOTS = Path(__file__).resolve().parent.parent / "reports" / "screenshots"
SCREENSHOTS_WRITTEN = []
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Long enough for MathJax on the longest page of a loaded 2-core machine (about 2 s when idle).
TIMEOUT_MS = 20_000


def missing_browser_reason():
    """Return why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed; run `make test`, which installs requirements.lock"
    if not CHROMIUM.is_file():
        return f"Chromium not found at {CHROMIUM}; install Debian's chromium and fonts-noto-cjk (.ci/run does)"
    return None


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serve the built site, and 404.html with status 404 for a missing path, as GitHub Pages does."""

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):
        # The tests record every request in the browser; the server log would only repeat them.
        pass


class SiteServer:
    """An HTTP server for one folder on 127.0.0.1, on a port the system picks."""

    def __init__(self, directory):
        handler = functools.partial(SiteHandler, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        host, port = self.httpd.server_address[:2]
        self.url = f"http://{host}:{port}/"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)

    def is_own(self, url):
        """Return True when a URL names this server, or needs no host at all (data:, blob:)."""
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            return True
        return parts.netloc == urlsplit(self.url).netloc
