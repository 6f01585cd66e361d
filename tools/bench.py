"""Run every benchmark of the book in one go and write the results for the performance chapter.

    make bench                        # what the chapter shows: the full run
    .venv/bin/python tools/bench.py --quick --no-tests   # a fast trial of the script itself

This measures and reports; it asserts nothing about time. It runs, one after another and each
in its own process so that one's threads and imports cannot slow another:

1. tools/bench_site.py: strict build, `mkdocs serve` rebuild, bytes per page, MathJax against
   KaTeX on the page with the most formulas;
2. tools/bench_gradients.py: the gradient paths to dZ, against torch and JAX when installed;
3. `make test`, timed while .venv and node_modules already exist (a warm run).

It writes docs/assets/bench/bench.json (every number, with the machine, versions and date),
table.en.md and table.zh.md (the tables the chapter includes) and gradient-time.svg (the plot).
"""

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_DIR = ROOT / "docs" / "assets" / "bench"
PYTHON = sys.executable

# The chapter's targets. Each is checked against the measured value and reported, never asserted.
BUILD_TARGET_S = 5.0
TEST_TARGET_S = 60.0
MEMORY_PASSES_TARGET = 10
TARGET_CASE = {"classes": 1000, "samples": 1024, "dtype": "float64"}

LABELS = {
    "en": {
        "site": "| measurement | value |",
        "build": "strict build, both languages (median of {runs})",
        "rebuild": "`mkdocs serve` rebuild after a snippet edit (median of {runs})",
        "bytes": "bytes per page, cold load (median / largest of {pages} pages)",
        "requests": "requests per page (median)",
        "formulas": "formulas on the longest page `{page}`",
        "mathjax_visible": "MathJax: every formula visible (median of {loads})",
        "mathjax_accessible": "MathJax: assistive MathML ready (median of {loads})",
        "katex": "KaTeX, same formulas: every formula visible (median of {loads})",
        "tests": "warm `make test` ({summary})",
        "gradient": "| C | m | dtype | path | median µs | × textbook | passes over memory |",
        "skipped": "skipped: needs {gb:.1f} GB",
        "targets": "| target | measured | met |",
        "target_typeset": "longest page visible no later than KaTeX",
        "target_build": "strict build ≤ 5 s",
        "target_tests": "warm `make test` ≤ 60 s",
        "target_jax": "in-place gradient (C = 1000, m = 1024, float64) no slower than JAX",
        "target_passes": "in-place gradient costs ≤ 10 passes over memory",
        "yes": "yes",
        "no": "no",
        "not_run": "not run",
        "machine": "Measured on {date}: {cpu}, {cores} cores; Python {python}, NumPy {numpy}, "
        "torch {torch}, JAX {jax}, Chromium {chromium}, MathJax {mathjax}, KaTeX {katex}.",
    },
    "zh": {
        "site": "| 测量项 | 数值 |",
        "build": "严格构建，两种语言（{runs} 次的中位数）",
        "rebuild": "修改代码片段后 `mkdocs serve` 的重建（{runs} 次的中位数）",
        "bytes": "冷加载每页字节数（{pages} 页的中位数 / 最大值）",
        "requests": "每页请求数（中位数）",
        "formulas": "公式最多的页面 `{page}` 上的公式数",
        "mathjax_visible": "MathJax：全部公式可见（{loads} 次的中位数）",
        "mathjax_accessible": "MathJax：辅助 MathML 就绪（{loads} 次的中位数）",
        "katex": "KaTeX，同样的公式：全部公式可见（{loads} 次的中位数）",
        "tests": "预热后的 `make test`（{summary}）",
        "gradient": "| C | m | dtype | 路径 | 中位数 µs | × 教科书路径 | 内存遍数 |",
        "skipped": "跳过：需要 {gb:.1f} GB",
        "targets": "| 目标 | 测量值 | 达到 |",
        "target_typeset": "最长页面的公式不晚于 KaTeX 显示",
        "target_build": "严格构建 ≤ 5 s",
        "target_tests": "预热后的 `make test` ≤ 60 s",
        "target_jax": "原地梯度（C = 1000，m = 1024，float64）不慢于 JAX",
        "target_passes": "原地梯度不超过 10 遍内存",
        "yes": "是",
        "no": "否",
        "not_run": "未运行",
        "machine": "测量于 {date}：{cpu}，{cores} 核；Python {python}，NumPy {numpy}，"
        "torch {torch}，JAX {jax}，Chromium {chromium}，MathJax {mathjax}，KaTeX {katex}。",
    },
}


def run_json(script, quick):
    """Run a benchmark script in its own process and return the JSON it prints."""
    command = [PYTHON, str(ROOT / "tools" / script)] + (["--quick"] if quick else [])
    print(f"bench: running {' '.join(command)}", file=sys.stderr, flush=True)
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"bench: {script} failed with exit code {result.returncode}")
    return json.loads(result.stdout)


def time_make_test():
    """Time one `make test` with CI set (derandomized inputs) and return its wall time and summary."""
    print("bench: running make test (warm)", file=sys.stderr, flush=True)
    environment = dict(os.environ, CI="true")
    started = time.perf_counter()
    result = subprocess.run(["make", "test"], cwd=ROOT, env=environment, capture_output=True, text=True, check=False)
    wall_s = time.perf_counter() - started
    summaries = re.findall(r"=+ (.*? in [\d.]+s.*?) =+", result.stdout)
    return {
        "wall_s": wall_s,
        "exit_code": result.returncode,
        "summary": summaries[-1] if summaries else None,
    }


def target_case(gradients):
    for case in gradients["cases"]:
        if all(case[key] == value for key, value in TARGET_CASE.items()):
            return case
    return None


def evaluate_targets(results):
    """Return each target as (key, measured text, met or None when it could not be measured)."""
    site, gradients, tests = results["site"], results["gradients"], results.get("tests")
    typeset = site["typeset"]
    targets = [
        (
            "target_typeset",
            f"MathJax {typeset['median_mathjax_visible_ms']:.0f} ms, KaTeX {typeset['median_katex_ms']:.0f} ms",
            typeset["median_mathjax_visible_ms"] <= typeset["median_katex_ms"],
        ),
        ("target_build", f"{site['build']['median_s']:.1f} s", site["build"]["median_s"] <= BUILD_TARGET_S),
    ]
    if tests is None:
        targets.append(("target_tests", None, None))
    else:
        targets.append(("target_tests", f"{tests['wall_s']:.0f} s", tests["wall_s"] <= TEST_TARGET_S))
    case = target_case(gradients)
    paths = case["paths"] if case else {}
    inplace = paths.get("in-place", {})
    jax = paths.get("jax", {})
    if "median_us" in inplace and "median_us" in jax:
        measured = f"in-place {inplace['median_us']:.0f} µs, JAX {jax['median_us']:.0f} µs"
        targets.append(("target_jax", measured, inplace["median_us"] <= jax["median_us"]))
    else:
        targets.append(("target_jax", None, None))
    if "vs_memcpy" in inplace:
        passes = inplace["vs_memcpy"]
        targets.append(("target_passes", f"{passes:.1f}", passes <= MEMORY_PASSES_TARGET))
    else:
        targets.append(("target_passes", None, None))
    return targets


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def site_table(results, text):
    site = results["site"]
    typeset = site["typeset"]
    pages = site["bytes_per_page"]
    sizes = [page["bytes"] for page in pages]
    rows = [
        (text["build"].format(runs=len(site["build"]["runs_s"])), f"{site['build']['median_s']:.2f} s"),
        (
            text["rebuild"].format(runs=len(site["serve_rebuild"]["runs"])),
            f"{site['serve_rebuild']['median_all_pages_s']:.2f} s",
        ),
        (
            text["bytes"].format(pages=len(pages)),
            f"{median(sizes) / 1024:.0f} KiB / {max(sizes) / 1024:.0f} KiB",
        ),
        (text["requests"], f"{median([page['requests'] for page in pages]):.0f}"),
        (text["formulas"].format(page=typeset["page"]), str(typeset["formulas"])),
        (text["mathjax_visible"].format(loads=typeset["loads"]), f"{typeset['median_mathjax_visible_ms']:.0f} ms"),
        (
            text["mathjax_accessible"].format(loads=typeset["loads"]),
            f"{typeset['median_mathjax_accessible_ms']:.0f} ms",
        ),
        (text["katex"].format(loads=typeset["loads"]), f"{typeset['median_katex_ms']:.0f} ms"),
    ]
    tests = results.get("tests")
    if tests is not None:
        rows.append((text["tests"].format(summary=tests["summary"]), f"{tests['wall_s']:.0f} s"))
    lines = [text["site"], "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return "\n".join(lines)


def gradient_table(results, text):
    lines = [text["gradient"], "|---|---|---|---|---|---|---|"]
    for case in results["gradients"]["cases"]:
        for name, entry in case["paths"].items():
            prefix = f"| {case['classes']} | {case['samples']} | {case['dtype']} | {name} |"
            if "median_us" not in entry:
                gigabytes = entry.get("bytes_needed", 0) / 1e9
                lines.append(f"{prefix} {text['skipped'].format(gb=gigabytes)} | | |")
                continue
            lines.append(
                f"{prefix} {entry['median_us']:.1f} | {entry['vs_textbook']:.2f} | {entry.get('vs_memcpy', 1.0):.1f} |"
            )
    return "\n".join(lines)


def target_table(results, text):
    lines = [text["targets"], "|---|---|---|"]
    for key, measured, met in evaluate_targets(results):
        if met is None:
            verdict = text["not_run"]
        elif met:
            verdict = text["yes"]
        else:
            verdict = text["no"]
        lines.append(f"| {text[key]} | {measured or text['not_run']} | {verdict} |")
    return "\n".join(lines)


def machine_line(results, text):
    site_machine = results["site"]["machine"]
    gradient_machine = results["gradients"]["machine"]
    versions = gradient_machine.get("versions", {})
    return text["machine"].format(
        date=results["date"],
        cpu=site_machine["cpu"],
        cores=site_machine["cores"],
        python=site_machine["python"],
        numpy=versions.get("numpy", "?"),
        torch=versions.get("torch") or "—",
        jax=versions.get("jax") or "—",
        chromium=site_machine["chromium"],
        mathjax=site_machine["mathjax"],
        katex=site_machine["katex"],
    )


def write_tables(results, output_dir=OUTPUT_DIR):
    for language, text in LABELS.items():
        parts = [
            machine_line(results, text),
            target_table(results, text),
            site_table(results, text),
            gradient_table(results, text),
        ]
        path = output_dir / f"table.{language}.md"
        path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def write_plot(results, output_dir=OUTPUT_DIR):
    """Plot time per call against C, one panel per batch size, float64, on log-log axes."""
    import matplotlib

    matplotlib.use("svg")
    import matplotlib.pyplot as plt

    # A fixed hash salt and no date keep the SVG the same for the same numbers.
    plt.rcParams["svg.hashsalt"] = "bench"
    cases = [case for case in results["gradients"]["cases"] if case["dtype"] == "float64"]
    batch_sizes = sorted({case["samples"] for case in cases})
    figure, axes = plt.subplots(1, len(batch_sizes), figsize=(9, 3.6), sharey=True)
    for axis, samples in zip(axes, batch_sizes):
        chosen = sorted((case for case in cases if case["samples"] == samples), key=lambda case: case["classes"])
        for name in results["gradients"]["paths"]:
            points = [
                (case["classes"], case["paths"][name]["median_us"])
                for case in chosen
                if "median_us" in case["paths"].get(name, {})
            ]
            if points:
                style = "--" if name == "memcpy" else "-"
                axis.plot(*zip(*points), style, marker="o", label=name)
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_title(f"m = {samples}, float64")
        axis.set_xlabel("C")
        axis.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("µs per call")
    axes[-1].legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(output_dir / "gradient-time.svg", metadata={"Date": None})
    plt.close(figure)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats in each benchmark")
    parser.add_argument("--no-tests", action="store_true", help="leave out the timed `make test`")
    arguments = parser.parse_args()

    started = time.perf_counter()
    results = {
        "date": datetime.date.today().isoformat(),
        "quick": arguments.quick,
        "site": run_json("bench_site.py", arguments.quick),
        "gradients": run_json("bench_gradients.py", arguments.quick),
        "tests": None if arguments.no_tests else time_make_test(),
    }
    results["targets"] = [
        {"target": key, "measured": measured, "met": met} for key, measured, met in evaluate_targets(results)
    ]
    results["wall_s"] = time.perf_counter() - started

    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUTPUT_DIR / "bench.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_tables(results)
    write_plot(results)
    print(f"bench: wrote {OUTPUT_DIR.relative_to(ROOT)}/ in {results['wall_s']:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
