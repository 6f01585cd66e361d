"""Draw the book's three figures as standalone SVG files.

    python tools/make_figures.py             # rewrites docs/assets/figures/
    python tools/make_figures.py --out DIR   # writes the same files into DIR

The script uses only the standard library, and its output depends on nothing but this
file. A rerun therefore writes byte-identical files, which tests/test_figures.py compares
with the committed ones to catch a stale figure. Every label is math, so the Chinese and the
English pages share one file per figure. Each figure sits on an opaque white card, so it
stays legible under the dark colour scheme.
"""

import argparse
import math
import re
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

FIGURE_DIR = Path(__file__).resolve().parent.parent / "docs" / "assets" / "figures"

# Local fonts only: a generic family at the end, never a web font.
FONT_FAMILY = "'Times New Roman', 'Nimbus Roman', 'DejaVu Serif', serif"
TEXT_SIZE = 20
# Material 9.8.2's content column is 688 px wide in a 1280 px Chromium window, so a 720 px
# figure shows at 0.955 of its size there. Scripts of 15 px stay at 14 px or more on screen.
MIN_SCRIPT_SIZE = 15

INK = "#1a1a1a"
EDGE = "#555555"
CARD_BORDER = "#c8c8c8"
DATA_FILL = "#e3effa"
PARAMETER_FILL = "#fdebd3"
OPERATION_FILL = "#eeeeee"
# Okabe-Ito vermilion and blue, darkened to a contrast of 4.8:1 and 6.1:1 on white, stay
# distinct for the common colour-vision deficiencies. The two path kinds also differ in width
# and dash pattern, so they read apart in greyscale.
SAME_INDEX_COLOUR = "#c14f00"
OTHER_INDEX_COLOUR = "#0066a6"
OTHER_INDEX_DASH = "9 6"

NODE_RADIUS = 22
ARROW_HEAD_LENGTH = 11
ARROW_HEAD_HALF_WIDTH = 5.5


# ---- Numbers and math labels ---------------------------------------------------------------


def format_number(value):
    """Format a coordinate with at most two decimals and no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def parse_math(source, size=TEXT_SIZE, shift=0.0):
    """Split a TeX-like label into (text, font size, baseline shift) runs.

    `_x`, `^x`, `_{...}` and `^{...}` make subscripts and superscripts, which may nest
    (`e^{z_i}`). A positive shift moves the baseline down, as SVG's y axis does.
    """
    script_size = max(MIN_SCRIPT_SIZE, round(size * 0.7))
    runs = []
    index = 0
    while index < len(source):
        char = source[index]
        if char in "_^":
            if source[index + 1] == "{":
                end = matching_brace(source, index + 1)
                group = source[index + 2 : end]
                index = end + 1
            else:
                group = source[index + 1]
                index += 2
            if char == "^":
                group_shift = shift - 0.42 * size
            elif shift == 0:
                group_shift = shift + 0.3 * size
            else:
                # A script of a script keeps the minimum size, so only a deeper drop
                # shows the i of e^{z_i} as a subscript of z.
                group_shift = shift + 0.6 * size
            runs.extend(parse_math(group, script_size, group_shift))
        else:
            runs.append((char, size, shift))
            index += 1
    return runs


def matching_brace(source, open_index):
    depth = 0
    for index in range(open_index, len(source)):
        if source[index] == "{":
            depth += 1
        elif source[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    raise ValueError(f"unbalanced braces in math label {source!r}")


def math_tspans(source, size=TEXT_SIZE):
    """Return the <tspan> elements of a math label.

    A single Latin letter is a variable and is set in italics. Longer words such as exp,
    softmax and ReLU are operator names and stay upright, as in TeX. Scripts are moved with
    `dy`, because Firefox does not implement `baseline-shift` (MDN browser compatibility data).
    """
    pieces = []
    for text, run_size, shift in merge_runs(parse_math(source, size)):
        for token in re.findall(r"[A-Za-z]+|[^A-Za-z]+", text):
            italic = len(token) == 1 and token.isalpha()
            pieces.append((token, run_size, shift, italic))

    tspans = []
    current_shift = 0.0
    for text, run_size, shift, italic in pieces:
        attributes = {}
        if shift != current_shift:
            attributes["dy"] = shift - current_shift
            current_shift = shift
        if run_size != size:
            attributes["font_size"] = run_size
        if italic:
            attributes["font_style"] = "italic"
        if attributes:
            tspans.append(element("tspan", escape(text), **attributes))
        else:
            tspans.append(escape(text))
    return "".join(tspans)


def merge_runs(runs):
    merged = []
    for text, size, shift in runs:
        if merged and merged[-1][1:] == (size, shift):
            merged[-1] = (merged[-1][0] + text, size, shift)
        else:
            merged.append((text, size, shift))
    return merged


# ---- Drawing helpers -----------------------------------------------------------------------


def element(tag, content=None, **attributes):
    """Return one SVG element with its attributes in the order given.

    A keyword's underscores become hyphens (stroke_width is stroke-width), numbers go through
    format_number, and None drops the attribute. The content is inserted as it is.
    """
    parts = [tag]
    for name, value in attributes.items():
        if value is None:
            continue
        text = format_number(value) if isinstance(value, (int, float)) else value
        parts.append(f"{name.replace('_', '-')}={quoteattr(text)}")
    opening = " ".join(parts)
    if content is None:
        return f"<{opening}/>"
    return f"<{opening}>{content}</{tag}>"


def label(x, y, source, size=TEXT_SIZE, anchor="middle", colour=INK):
    """Draw a math label whose base line is centred vertically on y."""
    tspans = math_tspans(source, size)
    baseline = y + 0.34 * size
    return element("text", tspans, x=x, y=baseline, font_size=size, text_anchor=anchor, fill=colour)


def circle_node(cx, cy, source="", fill=DATA_FILL):
    shape = element("circle", cx=cx, cy=cy, r=NODE_RADIUS, fill=fill, stroke=INK, stroke_width=1.75)
    return shape + (label(cx, cy, source) if source else "")


def box(x, y, width, height, source="", fill=OPERATION_FILL):
    shape = element(
        "rect", x=x, y=y, width=width, height=height, rx=8, fill=fill, stroke=INK, stroke_width=1.75
    )
    return shape + (label(x + width / 2, y + height / 2, source) if source else "")


def line(x1, y1, x2, y2, colour=EDGE, width=1.5, dash=None):
    return element(
        "line",
        x1=x1,
        y1=y1,
        x2=x2,
        y2=y2,
        stroke=colour,
        stroke_width=width,
        stroke_dasharray=dash,
    )


def arrow(x1, y1, x2, y2, colour=INK, width=1.75, dash=None):
    """Draw a line from (x1, y1) with its arrowhead tip exactly at (x2, y2).

    The head is a polygon rather than an SVG marker, so the figure needs no url(#id)
    reference and the line stops under the head instead of poking through its tip.
    """
    length = math.hypot(x2 - x1, y2 - y1)
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    # End the shaft 1 px inside the head so no gap shows between them.
    shaft_end_x = x2 - ux * (ARROW_HEAD_LENGTH - 1)
    shaft_end_y = y2 - uy * (ARROW_HEAD_LENGTH - 1)
    base_x, base_y = x2 - ux * ARROW_HEAD_LENGTH, y2 - uy * ARROW_HEAD_LENGTH
    corners = [
        (x2, y2),
        (base_x - uy * ARROW_HEAD_HALF_WIDTH, base_y + ux * ARROW_HEAD_HALF_WIDTH),
        (base_x + uy * ARROW_HEAD_HALF_WIDTH, base_y - ux * ARROW_HEAD_HALF_WIDTH),
    ]
    points = " ".join(f"{format_number(px)},{format_number(py)}" for px, py in corners)
    shaft = line(x1, y1, shaft_end_x, shaft_end_y, colour, width, dash)
    return shaft + element("polygon", points=points, fill=colour)


def arrow_between_nodes(start, end, colour=INK, width=1.75, dash=None, gap=2):
    """Draw an arrow from the rim of one circle node to the rim of another."""
    (x1, y1), (x2, y2) = start, end
    length = math.hypot(x2 - x1, y2 - y1)
    dx, dy = (x2 - x1) / length * (NODE_RADIUS + gap), (y2 - y1) / length * (NODE_RADIUS + gap)
    return arrow(x1 + dx, y1 + dy, x2 - dx, y2 - dy, colour, width, dash)


def arrow_from_node(centre, x2, y2, colour=INK, width=1.75, gap=2):
    """Draw an arrow from the rim of a circle node to the point (x2, y2)."""
    x1, y1 = centre
    length = math.hypot(x2 - x1, y2 - y1)
    dx, dy = (x2 - x1) / length * (NODE_RADIUS + gap), (y2 - y1) / length * (NODE_RADIUS + gap)
    return arrow(x1 + dx, y1 + dy, x2, y2, colour, width)


def vertical_dots(x, y):
    """Draw ⋮ centred on (x, y), the rows left out between row 2 and the last row."""
    return "".join(
        element("circle", cx=x, cy=y + offset, r=2.25, fill=INK) for offset in (-9, 0, 9)
    )


def horizontal_dots(x, y):
    """Draw ⋯ centred on (x, y), the layers left out of a network."""
    return "".join(
        element("circle", cx=x + offset, cy=y, r=2.75, fill=INK) for offset in (-12, 0, 12)
    )


def svg_document(width, height, title, elements):
    """Wrap elements in an <svg> root on a white rounded card that fills the canvas."""
    card = element(
        "rect",
        x=0.75,
        y=0.75,
        width=width - 1.5,
        height=height - 1.5,
        rx=14,
        fill="#ffffff",
        stroke=CARD_BORDER,
        stroke_width=1.5,
    )
    body = "\n".join([element("title", escape(title)), card, *elements])
    root = element(
        "svg",
        f"\n{body}\n",
        xmlns="http://www.w3.org/2000/svg",
        width=width,
        height=height,
        viewBox=f"0 0 {width} {height}",
        role="img",
        font_family=FONT_FAMILY,
    )
    return root + "\n"


# ---- Figures -------------------------------------------------------------------------------


def rows_with_gap(first, second, last):
    """Return the y of the three drawn rows and of the ⋮ between rows 2 and last."""
    return [first, second, last], (second + last) / 2 + 2


def softmax_unit():
    """Figure 1: x, W and b give z = Wᵀx + b, then exp and a division by the sum give a."""
    rows, dots_y = rows_with_gap(110, 175, 275)
    top, bottom = 80, 305
    x_nodes = 46
    linear_left, linear_right = 112, 262
    exp_left, exp_right = 330, 396
    divide_left, divide_right = 472, 600
    a_nodes = 664

    elements = []
    for y, x_index, class_index in zip(rows, ["1", "2", "n"], ["1", "2", "C"]):
        elements.append(circle_node(x_nodes, y, f"x_{x_index}"))
        elements.append(arrow(x_nodes + NODE_RADIUS + 2, y, linear_left, y))
        elements.append(arrow(linear_right, y, exp_left, y))
        elements.append(label((linear_right + exp_left) / 2, y - 16, f"z_{class_index}"))
        elements.append(arrow(exp_right, y, divide_left, y))
        elements.append(label((exp_right + divide_left) / 2, y - 17, f"e^{{z_{class_index}}}"))
        elements.append(arrow(divide_right, y, a_nodes - NODE_RADIUS - 2, y))
        elements.append(circle_node(a_nodes, y, f"a_{class_index}"))
    for x in (x_nodes, (linear_right + exp_left) / 2, (exp_right + divide_left) / 2, a_nodes):
        elements.append(vertical_dots(x, dots_y))

    middle = (top + bottom) / 2
    linear_centre = (linear_left + linear_right) / 2
    elements.append(box(linear_left, top, linear_right - linear_left, bottom - top))
    elements.append(label(linear_centre, middle, "z = W^⊤x + b"))
    elements.append(box(exp_left, top, exp_right - exp_left, bottom - top, "exp"))
    elements.append(
        box(divide_left, top, divide_right - divide_left, bottom - top, "÷ Σ_c e^{z_c}")
    )

    # The parameters enter the linear step from above (b) and below (W).
    elements.append(box(linear_centre - 22, 18, 44, 36, "b", PARAMETER_FILL))
    elements.append(arrow(linear_centre, 54, linear_centre, top))
    elements.append(box(linear_centre - 22, 330, 44, 36, "W", PARAMETER_FILL))
    elements.append(arrow(linear_centre, 330, linear_centre, bottom))
    title = "一个 softmax 单元 · One softmax unit: z = Wᵀx + b, a = softmax(z)"
    return svg_document(720, 384, title, elements)


def network():
    """Figure 2: L fully connected layers, the last with C softmax units, then the loss."""
    rows, dots_y = rows_with_gap(120, 185, 285)
    input_x, first_x, gap_x, before_last_x, last_x = 56, 186, 270, 354, 484
    loss_left, loss_right, loss_top, loss_bottom = 560, 700, 178, 232
    loss_centre_x = (loss_left + loss_right) / 2
    loss_middle = (loss_top + loss_bottom) / 2

    elements = []
    # Every unit feeds every unit of the next layer. The layers between 1 and L−1 are left
    # out, so their connections show only as stubs at both ends.
    for start_x, end_x, drawn_part in (
        (input_x, first_x, 1.0),
        (before_last_x, last_x, 1.0),
        (first_x, before_last_x, 0.28),
    ):
        for start_y in rows:
            for end_y in rows:
                elements.extend(connection(start_x, start_y, end_x, end_y, drawn_part))
    elements.append(horizontal_dots(gap_x, (rows[1] + rows[2]) / 2))

    for y, x_index, class_index in zip(rows, ["1", "2", "n"], ["1", "2", "C"]):
        elements.append(circle_node(input_x, y, f"x_{x_index}"))
        elements.append(circle_node(first_x, y))
        elements.append(circle_node(before_last_x, y))
        elements.append(circle_node(last_x, y, f"a_{class_index}"))
        # The arrows end on the loss box 12 % as far apart as the rows they start from.
        arrow_end_y = loss_middle + (y - rows[1]) * 0.12
        elements.append(arrow_from_node((last_x, y), loss_left, arrow_end_y))
    for x in (input_x, first_x, before_last_x, last_x):
        elements.append(vertical_dots(x, dots_y))

    for x, activation, values, size in (
        (input_x, "", "x", "n"),
        (first_x, "σ / ReLU", "a^{[1]}", "n^{[1]}"),
        (before_last_x, "σ / ReLU", "a^{[L−1]}", "n^{[L−1]}"),
        (last_x, "softmax", "a^{[L]}", "n^{[L]} = C"),
    ):
        if activation:
            elements.append(label(x, 34, activation))
        elements.append(label(x, 72, values))
        elements.append(label(x, 338, size))

    elements.append(
        box(loss_left, loss_top, loss_right - loss_left, loss_bottom - loss_top, "ℓ(y, a^{[L]})")
    )
    elements.append(circle_node(loss_centre_x, 100, "y"))
    elements.append(arrow(loss_centre_x, 100 + NODE_RADIUS + 2, loss_centre_x, loss_top))
    title = "L 层全连接网络 · An L-layer fully connected network with a softmax output"
    return svg_document(720, 370, title, elements)


def connection(start_x, start_y, end_x, end_y, drawn_part):
    """Draw the edge between two units rim to rim, or only its two ends when drawn_part < 1."""
    length = math.hypot(end_x - start_x, end_y - start_y)
    ux, uy = (end_x - start_x) / length, (end_y - start_y) / length
    x1, y1 = start_x + ux * NODE_RADIUS, start_y + uy * NODE_RADIUS
    x2, y2 = end_x - ux * NODE_RADIUS, end_y - uy * NODE_RADIUS
    if drawn_part >= 1:
        return [line(x1, y1, x2, y2)]
    dx, dy = (x2 - x1) * drawn_part, (y2 - y1) * drawn_part
    return [line(x1, y1, x1 + dx, y1 + dy), line(x2 - dx, y2 - dy, x2, y2)]


def backward_paths():
    """Figure 3: backward paths from a to z under σ or ReLU (one each) and softmax (all)."""
    rows, dots_y = rows_with_gap(122, 192, 300)
    hidden_z, hidden_a = 62, 214
    softmax_z, softmax_a = 356, 664
    divider_x = 280

    elements = [line(divider_x, 24, divider_x, 332, CARD_BORDER, 1.5)]
    elements.append(label((hidden_z + hidden_a) / 2, 36, "σ / ReLU"))
    elements.append(label((softmax_z + softmax_a) / 2, 36, "softmax"))
    for x, source in (
        (hidden_z, "z^{[1]}"),
        (hidden_a, "a^{[1]}"),
        (softmax_z, "z^{[L]}"),
        (softmax_a, "a^{[L]}"),
    ):
        elements.append(label(x, 76, source))

    for y in rows:
        elements.append(same_index_arrow((hidden_a, y), (hidden_z, y)))
    # Draw the i ≠ j paths first, so the i = j paths lie on top where they cross.
    for start_y in rows:
        for end_y in rows:
            if start_y != end_y:
                elements.append(
                    arrow_between_nodes(
                        (softmax_a, start_y),
                        (softmax_z, end_y),
                        OTHER_INDEX_COLOUR,
                        2,
                        OTHER_INDEX_DASH,
                    )
                )
    for y in rows:
        elements.append(same_index_arrow((softmax_a, y), (softmax_z, y)))

    for y, index in zip(rows, ["1", "2", "C"]):
        for z_x, a_x in ((hidden_z, hidden_a), (softmax_z, softmax_a)):
            elements.append(circle_node(z_x, y, f"z_{index}"))
            elements.append(circle_node(a_x, y, f"a_{index}"))
    for x in (hidden_z, hidden_a, softmax_z, softmax_a):
        elements.append(vertical_dots(x, dots_y))

    # The legend uses only math, so it serves both languages.
    # It sits under both panels because the σ / ReLU paths are i = j paths too.
    legend_y = 362
    elements.append(line(222, legend_y, 274, legend_y, SAME_INDEX_COLOUR, 3))
    elements.append(label(284, legend_y, "i = j", anchor="start"))
    elements.append(line(392, legend_y, 444, legend_y, OTHER_INDEX_COLOUR, 2, OTHER_INDEX_DASH))
    elements.append(label(454, legend_y, "i ≠ j", anchor="start"))
    title = "反向传播路径 · Backward paths from a to z: σ or ReLU versus softmax"
    return svg_document(720, 396, title, elements)


def same_index_arrow(start, end):
    return arrow_between_nodes(start, end, SAME_INDEX_COLOUR, 3)


FIGURES = {
    "softmax-unit.svg": softmax_unit,
    "network.svg": network,
    "backward-paths.svg": backward_paths,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=FIGURE_DIR,
        help=f"folder to write the SVG files into (default: {FIGURE_DIR})",
    )
    arguments = parser.parse_args()
    arguments.out.mkdir(parents=True, exist_ok=True)
    for name, draw in FIGURES.items():
        # newline="\n" keeps the bytes the same on every platform.
        (arguments.out / name).write_text(draw(), encoding="utf-8", newline="\n")


if __name__ == "__main__":
    main()
