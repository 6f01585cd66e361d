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
      // Without noundefined, a misspelt command such as \fracc is a MathJax
      // error node, which the browser tests catch, not quiet red text.
      packages: { "[-]": ["noundefined"] },
    },
    options: {
      // Typeset only what arithmatex marked, never code or prose. On notebook
      // pages, hooks/notebook_pages.py writes the same markup around the math
      // of Markdown cells.
      ignoreHtmlClass: ".*|",
      processHtmlClass: "arithmatex",
      menuOptions: {
        settings: {
          // Screen readers get a hidden MathML copy of every formula, written
          // in the same pass as the visible output. MathJax's own speech
          // (enrich + speech) kept working for about five more seconds after
          // the formulas showed on the 79-formula Jacobian page (2-core
          // machine). Readers can still turn speech on in MathJax's context
          // menu, and it then loads from this site.
          assistiveMml: true,
          enrich: false,
          speech: false,
          braille: false,
        },
      },
    },
  };
})();
