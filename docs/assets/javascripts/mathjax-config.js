// MathJax reads window.MathJax when its script loads, so mkdocs.yml lists
// this file before assets/mathjax/tex-chtml.js.
(function () {
  // Resolve the font folder from this script's own URL, so pages at any
  // depth (and under /en/) load the copy that the site serves itself.
  var script = document.currentScript;
  var mathjaxRoot = new URL("../mathjax/", script.src).href;

  window.MathJax = {
    loader: {
      // Without this, MathJax 4 fetches its font from a CDN.
      paths: { fonts: mathjaxRoot + "fonts" },
    },
    tex: {
      // pymdownx.arithmatex (generic mode) writes \( \) and \[ \].
      inlineMath: [["\\(", "\\)"]],
      displayMath: [["\\[", "\\]"]],
      processEscapes: false,
      processEnvironments: true,
      tags: "ams",
    },
    options: {
      // Typeset only what arithmatex marked, never code or prose.
      ignoreHtmlClass: ".*|",
      processHtmlClass: "arithmatex",
    },
  };
})();
