"""Time the gradient of the mean cross-entropy by the logits along several paths.

    .venv/bin/python tools/bench_gradients.py           # full run; prints JSON
    .venv/bin/python tools/bench_gradients.py --quick   # a few repeats per path

This is a measurement, not a test: nothing here asserts a time. For m in {64, 1024} samples,
C in {10, 100, 1000} classes, float64 and float32, it times these paths to dZ = (A - Y) / m:

- textbook: softmax, then batch_grad_logits(one-hot labels, probs). Both snippets compute in
  float64, whatever the dtype of the logits.
- in-place: batch_grad_logits_inplace, in the dtype of the logits.
- jacobian: per sample, the row -y/a / m times diag(a) - a a^T, batched with matmul, in the
  dtype of the logits. Skipped when the m Jacobians need more than 2 GB.
- torch: cross_entropy(reduction="mean") and backward on one thread, if torch imports.
- jax: jit(grad(mean of logsumexp - true logit)) on the CPU, if jax imports.
- memcpy: one np.copyto of the logits, the unit of one pass over memory.

Before timing, every path's dZ is compared with the textbook path's. The extra packages are
pinned in requirements-bench.lock.
"""

import os
import sys

# Thread settings take effect only before NumPy, torch and JAX load, so they are set here when
# this file runs as a script. An importer (such as the smoke test) keeps its own settings, and
# the output records the values the libraries saw.
THREAD_ENVIRONMENT = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1",
    "JAX_PLATFORMS": "cpu",
}
SET_BY_SCRIPT = {}
if __name__ == "__main__":
    for _name, _value in THREAD_ENVIRONMENT.items():
        if _name not in os.environ:
            os.environ[_name] = _value
            SET_BY_SCRIPT[_name] = _value

import argparse  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from snippets import batch_grad_logits, batch_grad_logits_inplace, softmax  # noqa: E402

SIZES = [(classes, samples) for samples in (64, 1024) for classes in (10, 100, 1000)]
DTYPES = (np.float64, np.float32)
JACOBIAN_LIMIT_BYTES = 2 * 1024**3
# A full run times each path for at least MIN_SECONDS and at least MIN_REPEATS calls.
MIN_SECONDS, MIN_REPEATS, MAX_REPEATS = 0.2, 5, 100_000
QUICK_REPEATS = 3
FLOAT64_TOLERANCE = 1e-12

TIMING_NOTE = (
    "The in-place path overwrites its input, so each timed call refills one buffer with "
    "np.copyto and then calls batch_grad_logits_inplace. Its time is the median of those calls "
    "minus the median memcpy time. A refilled buffer is in cache, as logits fresh from the "
    "forward pass are, while a list of pre-made copies would be read cold from memory. "
    "in_place_with_copy_us gives the time before the subtraction."
)


def float32_tolerance(logits):
    """Norm-relative tolerance of a float32 dZ against the float64 textbook dZ."""
    eps = np.finfo(np.float32).eps
    num_classes = logits.shape[0]
    spread = float(np.max(logits.max(axis=0) - logits.min(axis=0)))
    # Rounding the shift z - max costs up to spread * eps of each a. A sum of C terms adds up to
    # C eps, and the remaining steps are a few correctly rounded operations.
    return float(4 * (spread + num_classes + 2) * eps)


def make_problem(num_classes, samples, dtype, seed=0):
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal((num_classes, samples)).astype(dtype)
    classes = rng.integers(0, num_classes, samples)
    return np.ascontiguousarray(logits), classes


# Each make_* function does its set-up outside the timed region and returns a call with no
# arguments that computes dZ, and a function that turns that call's result into a (C, m)
# float64 array for the agreement check.


def make_textbook(logits, classes):
    labels = np.eye(logits.shape[0])[:, classes]

    def call():
        return batch_grad_logits(labels, softmax(logits))

    return call, np.asarray


def make_inplace(logits, classes):
    buffer = np.empty_like(logits)

    def call():
        np.copyto(buffer, logits)
        return batch_grad_logits_inplace(buffer, classes)

    return call, lambda result: result.astype(np.float64)


def make_memcpy(logits, classes):
    buffer = np.empty_like(logits)

    def call():
        np.copyto(buffer, logits)
        return buffer

    return call, None


def jacobian_bytes(logits):
    num_classes, samples = logits.shape
    return samples * num_classes * num_classes * logits.itemsize


def make_jacobian(logits, classes):
    num_classes, samples = logits.shape
    columns = np.arange(samples)
    diagonal = np.arange(num_classes)

    def call():
        # One sample per row from here on, so the m Jacobians form a (m, C, C) stack.
        shifted = (logits - logits.max(axis=0)).T
        exps = np.exp(shifted)
        probs = exps / exps.sum(axis=1, keepdims=True)
        jacobians = -probs[:, :, None] * probs[:, None, :]
        jacobians[:, diagonal, diagonal] += probs
        # The upstream -y/a / m is zero except at the true class of each sample.
        upstream = np.zeros_like(probs)
        upstream[columns, classes] = -1 / (probs[columns, classes] * samples)
        return np.matmul(upstream[:, None, :], jacobians)[:, 0, :]

    return call, lambda result: result.T.astype(np.float64)


def make_torch(logits, classes):
    import torch

    torch.set_num_threads(1)
    # torch takes one sample per row, so the transpose happens here, outside the timed region.
    leaf = torch.from_numpy(np.ascontiguousarray(logits.T)).requires_grad_(True)
    target = torch.from_numpy(classes.astype(np.int64))

    def call():
        leaf.grad = None
        loss = torch.nn.functional.cross_entropy(leaf, target, reduction="mean")
        loss.backward()
        return leaf.grad

    return call, lambda result: result.numpy().T.astype(np.float64)


def make_jax(logits, classes):
    import jax
    import jax.numpy as jnp

    def loss(z, t):
        # The book's layout: one sample per column.
        true_logits = jnp.take_along_axis(z, t[None, :], axis=0)[0]
        return jnp.mean(jax.scipy.special.logsumexp(z, axis=0) - true_logits)

    gradient = jax.jit(jax.grad(loss))
    device_logits = jax.device_put(logits)
    device_classes = jax.device_put(classes.astype(np.int32))
    gradient(device_logits, device_classes).block_until_ready()

    def call():
        return gradient(device_logits, device_classes).block_until_ready()

    return call, lambda result: np.asarray(result, dtype=np.float64)


def framework_available(name):
    try:
        __import__(name)
    except ImportError:
        return False
    if name == "jax":
        import jax

        # Without x64 JAX turns float64 input into float32.
        jax.config.update("jax_enable_x64", True)
    return True


def time_call(call, quick):
    """Time call() repeatedly and return the per-call times in microseconds."""
    times = []
    start = time.perf_counter_ns()
    while True:
        before = time.perf_counter_ns()
        call()
        times.append((time.perf_counter_ns() - before) / 1000)
        if quick:
            if len(times) >= QUICK_REPEATS:
                break
            continue
        elapsed = (time.perf_counter_ns() - start) / 1e9
        if len(times) >= MAX_REPEATS or (elapsed >= MIN_SECONDS and len(times) >= MIN_REPEATS):
            break
    return times


def summarise(times):
    return {
        "median_us": statistics.median(times),
        "min_us": min(times),
        "repeats": len(times),
    }


def agreement(result, reference, tolerance):
    error = float(np.linalg.norm(result - reference) / np.linalg.norm(reference))
    return {"error": error, "tolerance": tolerance, "ok": bool(error <= tolerance)}


def measure_case(num_classes, samples, dtype, paths, quick):
    logits, classes = make_problem(num_classes, samples, dtype)
    if dtype == np.float64:
        tolerance = FLOAT64_TOLERANCE
    else:
        tolerance = float32_tolerance(logits)
    makers = {
        "textbook": make_textbook,
        "in-place": make_inplace,
        "jacobian": make_jacobian,
        "torch": make_torch,
        "jax": make_jax,
        "memcpy": make_memcpy,
    }
    compute_dtypes = {
        "textbook": "float64",
        "torch": np.dtype(dtype).name,
        "jax": np.dtype(dtype).name,
    }
    reference = None
    results = {}
    for name in paths:
        if name == "jacobian" and jacobian_bytes(logits) > JACOBIAN_LIMIT_BYTES:
            results[name] = {
                "skipped": f"the {samples} Jacobians need more than {JACOBIAN_LIMIT_BYTES} bytes",
                "bytes_needed": jacobian_bytes(logits),
            }
            continue
        call, to_float64 = makers[name](logits, classes)
        entry = {"compute_dtype": compute_dtypes.get(name, np.dtype(dtype).name)}
        if to_float64 is not None:
            result = to_float64(call())
            if name == "textbook":
                reference = result
            entry["agreement"] = agreement(result, reference, tolerance)
        entry.update(summarise(time_call(call, quick)))
        results[name] = entry
        del call

    if "in-place" in results and "memcpy" in results:
        inplace = results["in-place"]
        inplace["in_place_with_copy_us"] = inplace["median_us"]
        inplace["median_us"] -= results["memcpy"]["median_us"]
        inplace["min_us"] -= results["memcpy"]["min_us"]
    for entry in results.values():
        if "median_us" not in entry:
            continue
        entry["vs_textbook"] = entry["median_us"] / results["textbook"]["median_us"]
        if "memcpy" in results:
            entry["vs_memcpy"] = entry["median_us"] / results["memcpy"]["median_us"]
    return {
        "classes": num_classes,
        "samples": samples,
        "dtype": np.dtype(dtype).name,
        "logits_bytes": logits.nbytes,
        "paths": results,
    }


def cpu_model():
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.processor() or "unknown"
    for line in text.splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def machine(paths):
    versions = {"python": platform.python_version(), "numpy": np.__version__}
    threads = {name: os.environ.get(name) for name in THREAD_ENVIRONMENT}
    if "torch" in paths:
        import torch

        versions["torch"] = torch.__version__
        threads["torch.get_num_threads"] = torch.get_num_threads()
    if "jax" in paths:
        import jax
        import jaxlib

        versions["jax"] = jax.__version__
        versions["jaxlib"] = jaxlib.__version__
        threads["jax.devices"] = [str(device) for device in jax.devices()]
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "cpu": cpu_model(),
        "cpu_count": os.cpu_count(),
        "versions": versions,
        "threads": threads,
        "threads_set_by_script": dict(SET_BY_SCRIPT),
    }


def run(quick=False, sizes=None, frameworks=True):
    """Time every path at each (C, m) in sizes, in float64 and float32, and return a dict.

    ``sizes`` defaults to SIZES. ``frameworks=False`` leaves out torch and jax even when they
    import. Every path is compared with the textbook path before it is timed, and "all_agree"
    is True when each comparison passed.
    """
    sizes = SIZES if sizes is None else sizes
    paths = ["textbook", "in-place", "jacobian"]
    missing = {}
    for name in ("torch", "jax"):
        if not frameworks:
            missing[name] = "left out by the caller"
        elif framework_available(name):
            paths.append(name)
        else:
            missing[name] = f"import {name} failed; install requirements-bench.lock"
    paths.append("memcpy")

    started = time.perf_counter()
    cases = [
        measure_case(num_classes, samples, dtype, paths, quick)
        for num_classes, samples in sizes
        for dtype in DTYPES
    ]
    checks = [
        entry["agreement"]["ok"]
        for case in cases
        for entry in case["paths"].values()
        if "agreement" in entry
    ]
    return {
        "machine": machine(paths),
        "quick": quick,
        "paths": paths,
        "paths_not_run": missing,
        "notes": {
            "textbook": "softmax and batch_grad_logits compute in float64 for float32 logits too",
            "in-place": TIMING_NOTE,
            "agreement": (
                "norm-relative error against the textbook dZ of the same logits: at most "
                f"{FLOAT64_TOLERANCE} in float64, and 4 (spread + C + 2) eps in float32"
            ),
            "ratios": "vs_textbook and vs_memcpy divide a path's median by that path's median",
        },
        "all_agree": all(checks),
        "cases": cases,
        "wall_seconds": time.perf_counter() - started,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="time each path 3 times")
    arguments = parser.parse_args()
    print(json.dumps(run(quick=arguments.quick), indent=2))


if __name__ == "__main__":
    main()
