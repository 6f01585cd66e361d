"""Execute the book's notebooks and write their outputs back into the files.

The site shows the outputs stored in docs/*/*.ipynb, because mkdocs-jupyter does not execute
notebooks at build time. tests/test_notebooks.py executes each notebook again and fails when the
fresh outputs differ from the stored ones; `make notebooks` (this script) brings them up to date.

Usage: python tools/run_notebooks.py [NOTEBOOK ...]   (default: every docs/*/*.ipynb)
"""

import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "docs").glob("*/*.ipynb"))
# Generous for a loaded 2-core machine: the slowest cell, the gradient check, takes about 2 s.
CELL_TIMEOUT_S = 300
# One BLAS thread: the sum order, and so the last bits of every result, then no longer depends on
# the machine's core count. On a busy 2-core machine, threaded OpenBLAS also made the thousands of
# small products in the gradient check about 20 times slower (40 s against 2 s).
KERNEL_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def execute_notebook(path):
    """Run every cell of the notebook at path with the cwd at the repository root and return it.

    The kernel is this interpreter's ipykernel: jupyter_client replaces the kernelspec's
    "python" with sys.executable. A cell that raises stops the run with CellExecutionError.
    """
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        # Per-cell start and end times would change the file on every run.
        record_timing=False,
        resources={"metadata": {"path": str(ROOT)}},
    )
    client.execute(env={**os.environ, **KERNEL_ENV})
    return notebook


def main(arguments):
    paths = [Path(argument).resolve() for argument in arguments] or NOTEBOOKS
    for path in paths:
        notebook = execute_notebook(path)
        nbformat.write(notebook, path)
        print(f"executed and saved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
