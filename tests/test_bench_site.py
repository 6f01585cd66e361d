"""Check the KaTeX reference page of tools/bench_site.py on a small page, without a browser."""

import pytest

from tools.bench_site import build_katex_page, count_formulas

# The shape of a built page: arithmatex output, then the two MathJax scripts that mkdocs.yml loads.
PAGE = r"""<!doctype html>
<html><head><title>t</title></head><body>
<p>Inline <span class="arithmatex">\(a &lt; b\)</span> text.</p>
<div class="arithmatex">\[
z = W x + b \label{eq:linear}
\]</div>
<p class="note arithmatex">\(\tag{2} y\)</p>
<script src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>
<script src="../assets/javascripts/mathjax-config.js"></script>
<script src="../assets/mathjax/tex-chtml.js"></script>
</body></html>
"""


@pytest.fixture
def katex_page():
    return build_katex_page(PAGE, "../assets/katex/")


def test_katex_page_keeps_every_formula(katex_page):
    for tex in (r"\(a &lt; b\)", r"z = W x + b \label{eq:linear}", r"\(\tag{2} y\)"):
        assert tex in katex_page
    assert count_formulas(katex_page) == 3


def test_katex_page_drops_mathjax(katex_page):
    assert "mathjax" not in katex_page.lower()
    # Material's own bundle stays, so both pages run the same theme code.
    assert "bundle.a5f9d56c.min.js" in katex_page


def test_katex_page_loads_katex(katex_page):
    head, body = katex_page.split("</head>")
    assert '<link rel="stylesheet" href="../assets/katex/katex.min.css">' in head
    assert '<script src="../assets/katex/katex.min.js"></script>' in body
    assert "katex.render(" in body


def test_page_without_mathjax_rejected():
    with pytest.raises(ValueError, match="no MathJax"):
        build_katex_page("<html><head></head><body></body></html>", "k/")
