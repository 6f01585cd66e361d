"""Build the notebooks in docs/<lang>/*.ipynb as pages of both languages, typeset by the site's MathJax.

Fixes to what mkdocs-jupyter 0.26.3, nbconvert 7.17 and mkdocs-static-i18n 1.3.1 produce together:

1. mkdocs-jupyter marks each notebook as a page in its on_files event. The i18n plugin's on_files
   runs later (priority -100) and copies every file into a plain mkdocs File, which counts only
   Markdown as a page. The notebook then kept the page's path but was copied as a static file,
   so `training/index.html` held the raw notebook JSON and the strict build still passed.
   on_files below runs after the i18n plugin, marks those files as pages again, and links each
   to its other language for the language selector and sitemap.xml.
2. nbconvert's template adds a MathJax 2 configuration block, a MathJax script whose src is
   empty, and a module script that imports mermaid from a CDN. The site loads its own MathJax 4
   and requests nothing from another host, so on_page_content removes all three.
3. The site's MathJax typesets only elements of class "arithmatex" (see
   docs/assets/javascripts/mathjax-config.js), but nbconvert leaves notebook math as plain
   `$...$` and `$$...$$` text. on_page_content wraps each formula of a Markdown cell in the
   markup that pymdownx.arithmatex writes for Markdown pages, so notebook math is typeset, and
   checked by the tests, exactly like the math of every other page. Code cells and outputs are
   left alone, so a `$` in code or in printed text is never taken for math.
4. nbconvert gives every output image the alt text "No description has been provided for this
   image"; on_page_content names the section that shows the image instead.
5. nbconvert's heading ids drop every character outside ASCII, so the table of contents of the
   Chinese notebook linked to ids that no heading had. on_page_content sets the ids it links to.
"""

import html
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

# ---- Notebooks as pages ------------------------------------------------------------------------


class NotebookPage(File):
    """A notebook file that MkDocs builds as a page; mkdocs-jupyter renders its HTML."""

    def is_documentation_page(self):
        return True


def is_notebook(file):
    return file.src_uri.endswith(".ipynb")


def _translation(file, language, i18n, config):
    """Return the page of the same notebook in another language, or None when there is none."""
    src_uri = f"{language}/{file.norm_src_uri}"
    if not (Path(config.docs_dir) / src_uri).is_file():
        return None
    page = NotebookPage(src_uri, config.docs_dir, config.site_dir, config.use_directory_urls)
    if language == i18n.default_language:
        # The default language is built at the site root, as the i18n plugin's folder layout does.
        page = NotebookPage(
            src_uri,
            config.docs_dir,
            config.site_dir,
            config.use_directory_urls,
            dest_uri=page.dest_uri.removeprefix(f"{language}/"),
        )
    return page


# After the i18n plugin's on_files (priority -100), which replaced mkdocs-jupyter's page files.
@event_priority(-110)
def on_files(files, config):
    i18n = config.plugins.get("i18n")
    for file in files:
        if not is_notebook(file) or file.is_documentation_page():
            continue
        # mkdocs-jupyter gave the file a page's path, such as training/index.html, and the i18n
        # plugin kept it. Without that path the notebook is not in mkdocs-jupyter's `include`.
        if not file.dest_uri.endswith(".html"):
            raise PluginError(
                f"{file.src_uri} was not rendered as a page: check the include and ignore options of mkdocs-jupyter in mkdocs.yml"
            )
        # Changing the class keeps the object that the i18n plugin already lists as this page.
        file.__class__ = NotebookPage
        if i18n is None:
            continue
        # The i18n plugin links the two languages of a page only for Markdown pages. The language
        # selector and sitemap.xml read these links, so without them both pointed at the home page.
        for language in i18n.build_languages:
            translation = _translation(file, language, i18n, config)
            if language not in file.alternates and translation is not None:
                file.alternates[language] = translation
    if i18n is not None:
        # NOTE: sitemap.xml lists the pages that the i18n plugin recorded in its own on_files, before
        # the notebooks were pages. i18n_files_per_language is internal to mkdocs-static-i18n 1.3.1.
        i18n.i18n_files_per_language[i18n.current_language] = files.documentation_pages()
    return files


# ---- Scripts from nbconvert's template ---------------------------------------------------------

# nbconvert's base/mathjax.html.j2 and lab templates (nbconvert 7.17) write these once per notebook.
UNWANTED_HTML = {
    "MathJax 2 script with an empty src": re.compile(r'<!-- Load mathjax -->\s*<script src="[^"]*">\s*</script>\s*'),
    "MathJax 2 configuration": re.compile(
        r'<!-- MathJax configuration -->\s*<script type="text/x-mathjax-config">.*?</script>\s*'
        r"<!-- End of mathjax configuration -->\s*",
        re.DOTALL,
    ),
    # The script imports mermaid from cdnjs.cloudflare.com when the notebook has a diagram.
    "mermaid loader": re.compile(r'<script type="module">(?:(?!</script>).)*?mermaid.*?</script>\s*', re.DOTALL),
}


def remove_unwanted_scripts(content):
    for name, pattern in UNWANTED_HTML.items():
        content, count = pattern.subn("", content)
        if count != 1:
            # Another nbconvert version may write these differently. Failing keeps them off the site.
            raise PluginError(
                f"notebook HTML: expected one {name}, found {count}. Update UNWANTED_HTML in hooks/notebook_pages.py"
            )
    return content


# ---- Math in Markdown cells --------------------------------------------------------------------

# The HTML of one Markdown cell, as nbconvert's lab template writes it.
# NOTE: the first </div> ends the match, so a <div> written in a Markdown cell would end it early.
MARKDOWN_CELL = re.compile(
    r'(?P<open><div class="[^"]*\bjp-RenderedMarkdown\b[^"]*"[^>]*>)(?P<body>.*?)(?P<close></div>)', re.DOTALL
)
# Elements whose text is never math.
NO_MATH = re.compile(r"<(?P<tag>pre|code|script|style)\b.*?</(?P=tag)>", re.DOTALL)
# $$...$$ first, so its $ signs are not read as two inline formulas. A $ of inline math must not
# touch a space on its inner side, as in Pandoc, so "costs $5 and $6" stays text.
DISPLAY_MATH = re.compile(r"\$\$(?P<tex>.+?)\$\$", re.DOTALL)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?P<tex>[^\s$](?:[^$]*?[^\s\\$])?)\$(?!\$)")


def _display(match):
    return f'<div class="arithmatex">\\[{match["tex"]}\\]</div>'


def _inline(match):
    return f'<span class="arithmatex">\\({match["tex"]}\\)</span>'


def _math_outside_tags(text):
    # Only text between tags can hold a formula; nbconvert keeps each formula's text in one piece.
    parts = re.split(r"(<[^>]+>)", text)
    for index in range(0, len(parts), 2):
        parts[index] = INLINE_MATH.sub(_inline, DISPLAY_MATH.sub(_display, parts[index]))
    return "".join(parts)


def mark_markdown_math(content):
    """Wrap the $ and $$ formulas of every Markdown cell in arithmatex markup."""

    def cell(match):
        body = match["body"]
        pieces = []
        position = 0
        for code in NO_MATH.finditer(body):
            pieces.append(_math_outside_tags(body[position : code.start()]))
            pieces.append(code.group(0))
            position = code.end()
        pieces.append(_math_outside_tags(body[position:]))
        return match["open"] + "".join(pieces) + match["close"]

    return MARKDOWN_CELL.sub(cell, content)


# ---- Descriptions of images --------------------------------------------------------------------

# nbconvert 7.17 writes this alt text on every output image, such as a matplotlib plot.
PLACEHOLDER_ALT = 'alt="No description has been provided for this image"'
HEADING_OR_PLACEHOLDER = re.compile(r"<h[1-6]\b[^>]*>(?P<heading>.*?)</h[1-6]>|" + re.escape(PLACEHOLDER_ALT), re.DOTALL)
FIGURE_LABEL = {"zh": "图：{}", "en": "Figure: {}"}


def describe_images(content, language):
    """Replace nbconvert's placeholder alt text with the title of the section that shows the image."""
    section = ""

    def replace(match):
        nonlocal section
        if match["heading"] is not None:
            # Drop the heading's anchor link and any other tags, keep its text.
            section = html.unescape(re.sub(r"<a\b.*?</a>|<[^>]+>", "", match["heading"])).strip()
            return match.group(0)
        label = FIGURE_LABEL.get(language, FIGURE_LABEL["en"]).format(section)
        return f'alt="{html.escape(label)}"'

    return HEADING_OR_PLACEHOLDER.sub(replace, content)


# ---- Heading ids --------------------------------------------------------------------------------

HEADING = re.compile(r'<h(?P<level>[1-6]) id="(?P<id>[^"]*)"(?P<attributes>[^>]*)>(?P<inner>.*?)</h(?P=level)>', re.DOTALL)


def _toc_anchors(items):
    for item in items:
        yield item.id
        yield from _toc_anchors(item.children)


def match_heading_ids(content, toc, page_uri):
    """Give each heading the id that the page's table of contents links to.

    mkdocs-jupyter builds the table of contents with Python-Markdown's slugs, but nbconvert's
    headings keep only ASCII letters in their ids, so a Chinese heading got id="" and its
    table-of-contents link led nowhere.
    """
    anchors = list(_toc_anchors(toc))
    headings = list(HEADING.finditer(content))
    if len(anchors) != len(headings):
        raise PluginError(f"{page_uri}: {len(headings)} headings but {len(anchors)} table-of-contents entries")
    pieces = []
    position = 0
    for heading, anchor in zip(headings, anchors):
        inner = heading["inner"].replace(f'href="#{heading["id"]}"', f'href="#{anchor}"')
        pieces.append(content[position : heading.start()])
        pieces.append(f'<h{heading["level"]} id="{anchor}"{heading["attributes"]}>{inner}</h{heading["level"]}>')
        position = heading.end()
    pieces.append(content[position:])
    return "".join(pieces)


def on_page_content(content, page, config, files):
    if not is_notebook(page.file):
        return content
    content = mark_markdown_math(remove_unwanted_scripts(content))
    content = match_heading_ids(content, page.toc, page.file.src_uri)
    return describe_images(content, config.theme["language"])
