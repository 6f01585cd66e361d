"""Number each display equation and link it to the snippet that computes it.

A display equation in a page is a `$$` block at the start of a line that
contains `\\label{eq:NAME}`. The page's front matter gives its `chapter`, so
the third equation of chapter 4 gets the tag (4.3). Below the equation the
hook writes a link to the snippet function whose docstring names the label
("Equation: eq:NAME" or "Equations: eq:A, eq:B"), pointing at the heading
`{#code-MODULE}` of the page that includes snippets/MODULE.py.

`[](#eq:NAME)` in prose becomes a link showing the equation's number.
"""

import ast
import posixpath
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

# MkDocs loads a hook by its path, so a sibling module needs its folder on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from verification import label_status, load_callers, load_functions, load_report, load_tests  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SNIPPET_DIR = ROOT / "snippets"

DISPLAY_MATH = re.compile(r"^\$\$[ \t]*\n(?P<tex>.*?)\n\$\$[ \t]*$", re.MULTILINE | re.DOTALL)
LABEL = re.compile(r"\\label\{(?P<label>eq:[a-z0-9-]+)\}")
DOCSTRING_LABELS = re.compile(r"^\s*Equations?: (?P<labels>eq:[a-z0-9-]+(?:, eq:[a-z0-9-]+)*)", re.MULTILINE)
INCLUDE = re.compile(r'^[ \t]*--8<-- "snippets/(?P<module>\w+)\.py"', re.MULTILINE)
EQUATION_REF = re.compile(r"\[\]\(#(?P<label>eq:[a-z0-9-]+)\)")
# Fenced code blocks (possibly indented) and inline code spans: never rewritten.
FENCED_CODE = re.compile(r"^[ \t]*(?P<fence>```|~~~)[^\n]*\n.*?^[ \t]*(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]+`")

REPORT_PLACEHOLDER = "<!-- verification-report -->"
INDEX_PLACEHOLDER = "<!-- snippet-index -->"

TEXT = {
    "zh": {
        "code": "代码",
        "verified": "✓ 已验证：{functions} 项测试",
        "failed": "✗ 测试失败",
        "unverified": "未验证",
        "no_report": "未验证：没有最近一次完整测试运行的结果，或者结果早于当前的代码片段。运行 `make test` 后重新构建。",
        "run": "结果来自 {created} 的测试运行：提交 `{commit}`，NumPy {numpy}，Python {python}。",
        "report_header": "| 公式 | 函数 | 测试函数 / 用例 / 检验 | 差分误差 / 容差 | 自动微分误差 / 容差 | 状态 |",
        "index_header": "| 函数 | 文件 | 公式 | 测试 | 状态 |",
    },
    "en": {
        "code": "Code",
        "verified": "✓ verified: {functions} tests",
        "failed": "✗ tests failed",
        "unverified": "not verified",
        "no_report": "Not verified: there is no result of a full test run, or it is older than the current snippets. Run `make test`, then build again.",
        "run": "Results of the test run of {created}: commit `{commit}`, NumPy {numpy}, Python {python}.",
        "report_header": "| formula | function | test functions / cases / checks | difference error / tolerance | autodiff error / tolerance | status |",
        "index_header": "| function | file | formulas | tests | status |",
    },
}


def load_registry(snippet_dir=SNIPPET_DIR):
    """Map each equation label to the (function, module) whose docstring names it."""
    registry = {}
    for path in sorted(snippet_dir.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef):
                continue
            docstring = ast.get_docstring(node) or ""
            for match in DOCSTRING_LABELS.finditer(docstring):
                for label in match["labels"].split(", "):
                    if label in registry:
                        raise PluginError(
                            f"{label} is claimed by both {registry[label][0]}() and {node.name}()"
                        )
                    registry[label] = (node.name, path.stem)
    return registry


def _outside_code(markdown, pattern, replace):
    """Apply pattern.sub(replace) to the parts of markdown that are not code."""
    parts = []
    position = 0
    for code in FENCED_CODE.finditer(markdown):
        parts.append(pattern.sub(replace, markdown[position : code.start()]))
        parts.append(code.group(0))
        position = code.end()
    parts.append(pattern.sub(replace, markdown[position:]))
    return "".join(parts)


def display_blocks(markdown):
    """Return the TeX of every display equation of a page, skipping code examples."""
    blocks = []
    _outside_code(markdown, DISPLAY_MATH, lambda block: blocks.append(block["tex"]) or "")
    return blocks


def equation_labels(markdown):
    """Return the labels of the display equations of a page, in order."""
    labels = []
    for tex in display_blocks(markdown):
        found = LABEL.findall(tex)
        labels.append(found[0] if len(found) == 1 else None)
    return labels


def _front_matter_chapter(markdown):
    match = re.match(r"---\n(?P<meta>.*?)\n---\n", markdown, re.DOTALL)
    if match:
        chapter = re.search(r"^chapter:\s*(\d+)\s*$", match["meta"], re.MULTILINE)
        if chapter:
            return int(chapter[1])
    return None


class _Book:
    """Equation numbers and code anchors of the language being built."""

    def __init__(self):
        self.registry = {}
        self.numbers = {}  # label -> (src_uri, "4.3")
        self.module_pages = {}  # module -> src_uri of the page that includes it
        self.tests = {}  # label -> ids of the test functions marked with it
        self.report = None  # the latest verification report, if current
        self.report_page = None  # src_uri of the page with the report placeholder


book = _Book()


def on_nav(nav, config, files):
    book.registry = load_registry()
    book.numbers = {}
    book.module_pages = {}
    book.tests = load_tests()
    book.report = load_report()
    book.report_page = None
    chapters = {}  # chapter number -> src_uri, so two pages cannot share one
    for file in files.documentation_pages():
        markdown = file.content_string
        for module in INCLUDE.findall(markdown):
            book.module_pages.setdefault(module, file.src_uri)
        if REPORT_PLACEHOLDER in markdown:
            book.report_page = file.src_uri
        labels = equation_labels(markdown)
        if not labels:
            continue
        if None in labels:
            raise PluginError(f"{file.src_uri}: a display equation needs exactly one \\label{{eq:...}}")
        chapter = _front_matter_chapter(markdown)
        if chapter is None:
            raise PluginError(f"{file.src_uri}: a page with equations needs `chapter: N` in its front matter")
        if chapter in chapters:
            raise PluginError(f"chapter {chapter} is used by both {chapters[chapter]} and {file.src_uri}")
        chapters[chapter] = file.src_uri
        for index, label in enumerate(labels, start=1):
            if label in book.numbers:
                raise PluginError(f"{label} is defined twice: {book.numbers[label][0]} and {file.src_uri}")
            book.numbers[label] = (file.src_uri, f"{chapter}.{index}")
    return nav


def _relative_link(from_uri, to_uri, anchor):
    # MkDocs resolves a link to a .md source relative to the linking page.
    path = posixpath.relpath(to_uri, start=posixpath.dirname(from_uri) or ".")
    return f"{path}#{anchor}"


def _code_caption(label, page_uri, language):
    if label not in book.registry:
        raise PluginError(f"{page_uri}: {label} has no snippet; name it in a docstring as 'Equation: {label}'")
    function, module = book.registry[label]
    if module not in book.module_pages:
        raise PluginError(f"{label}: snippets/{module}.py is included on no page, so {function}() has no code to link")
    link = _relative_link(page_uri, book.module_pages[module], f"code-{module}")
    text = TEXT[language]
    summary = label_status(book.report, book.tests.get(label, []))
    badge = text[summary["status"]].format(**summary)
    check = _relative_link(page_uri, book.report_page, _check_anchor(label))
    # Markdown links, so MkDocs turns them into page URLs and checks the anchors.
    return (
        f"{text['code']}: [`{function}()`]({link}) · `snippets/{module}.py` · "
        f"[{badge}]({check}){{: .verification .{summary['status']} }}\n{{: .equation-code }}"
    )


def _check_anchor(label):
    return "check-" + label.replace(":", "-")


def _format_ratio(summary, kind):
    ratio = summary["max_ratio"].get(kind)
    return "—" if ratio is None else f"{ratio:.2g}"


def _report_markdown(page_uri, language):
    text = TEXT[language]
    if book.report is None:
        lines = [f'!!! warning "{text["unverified"]}"', f"    {text['no_report']}", ""]
    else:
        run = {key: book.report.get(key) or "?" for key in ("created", "commit", "numpy", "python")}
        lines = [text["run"].format(**run), ""]
    lines += [text["report_header"], "|" + "---|" * 6]
    ordered = sorted(book.numbers.items(), key=lambda item: tuple(int(n) for n in item[1][1].split(".")))
    for label, (equation_page, number) in ordered:
        function, module = book.registry[label]
        summary = label_status(book.report, book.tests.get(label, []))
        anchor = f'<span id="{_check_anchor(label)}"></span>'
        equation = f"[({number})]({_relative_link(page_uri, equation_page, label.replace(':', '-'))})"
        code = f"[`{function}()`]({_relative_link(page_uri, book.module_pages[module], f'code-{module}')})"
        counts = f"{summary['functions']} / {summary['cases']} / {summary['checks']}"
        lines.append(
            f"| {anchor}{equation} `{label}` | {code} | {counts} | {_format_ratio(summary, 'fd')} | "
            f"{_format_ratio(summary, 'autodiff')} | {text[summary['status']].format(**summary)} |"
        )
    return "\n".join(lines)


def _index_markdown(page_uri, language):
    """Write the table of every public snippet function, its formulas, tests and status."""
    text = TEXT[language]
    callers = load_callers()
    lines = [text["index_header"], "|" + "---|" * 5]
    for function, module in sorted(load_functions().items(), key=lambda item: (item[1], item[0])):
        if module not in book.module_pages:
            raise PluginError(
                f"snippets/{module}.py is included on no {language} page, so the snippet index "
                f'cannot link {function}(): add --8<-- "snippets/{module}.py" to a chapter'
            )
        labels = [label for label, (name, _) in book.registry.items() if name == function]
        for label in labels:
            if label not in book.numbers:
                raise PluginError(
                    f"{label} is claimed by {function}() in snippets/{module}.py but displayed "
                    f"on no {language} page: add the equation or remove the claim"
                )
        labels.sort(key=lambda label: tuple(int(n) for n in book.numbers[label][1].split(".")))
        equations = ", ".join(
            f"[({book.numbers[label][1]})]({_relative_link(page_uri, book.numbers[label][0], label.replace(':', '-'))})"
            for label in labels
        ) or "—"
        # A function with formulas is checked by the tests marked with them; an exercise
        # answer, which has none, by the tests that call it.
        tests = sorted({test_id for label in labels for test_id in book.tests.get(label, [])})
        tests = tests or sorted(set(callers.get(function, [])))
        test_list = "<br>".join(f"`{test_id.split('::')[1]}`" for test_id in tests) or "—"
        summary = label_status(book.report, tests)
        code = f"[`{function}()`]({_relative_link(page_uri, book.module_pages[module], f'code-{module}')})"
        lines.append(
            f"| {code} | `snippets/{module}.py` | {equations} | {test_list} | "
            f"{text[summary['status']].format(**summary)} |"
        )
    return "\n".join(lines)


def on_page_markdown(markdown, page, config, files):
    language = config.theme["language"]
    page_uri = page.file.src_uri

    def number_equation(block):
        label = LABEL.search(block["tex"])["label"]
        _, number = book.numbers[label]
        tex = block["tex"].replace(f"\\label{{{label}}}", f"\\tag{{{number}}}\\label{{{label}}}")
        anchor = label.replace(":", "-")
        caption = _code_caption(label, page_uri, language)
        return f'<div class="equation" id="{anchor}" markdown>\n\n$$\n{tex}\n$$\n\n{caption}\n\n</div>'

    def link_reference(reference):
        if reference["label"] is None:
            return reference.group(0)  # an inline code span, left as written
        label = reference["label"]
        if label not in book.numbers:
            raise PluginError(f"{page_uri}: reference to unknown equation {label}")
        target_uri, number = book.numbers[label]
        return f"[({number})]({_relative_link(page_uri, target_uri, label.replace(':', '-'))})"

    if REPORT_PLACEHOLDER in markdown:
        markdown = markdown.replace(REPORT_PLACEHOLDER, _report_markdown(page_uri, language))
    if INDEX_PLACEHOLDER in markdown:
        markdown = markdown.replace(INDEX_PLACEHOLDER, _index_markdown(page_uri, language))
    markdown = _outside_code(markdown, DISPLAY_MATH, number_equation)
    reference_or_code = re.compile(f"{INLINE_CODE.pattern}|{EQUATION_REF.pattern}")
    return _outside_code(markdown, reference_or_code, link_reference)
