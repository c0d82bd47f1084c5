"""Timing and memory: the same work, in the same process, interleaved, as ratios to torch.

A ratio from one run is the only figure that travels between machines: both libraries meet the
same CPU, the same load and the same number of threads. Each library's step is timed in blocks
of calls long enough for the clock (``min_block_s``); the blocks alternate library by library,
the order rotating every repeat, and each repeat gives one ratio. The median ratio and its
quartiles are what the suite reports; times are medians too.

Between blocks the suite pauses (``pause_s``): after a call, OpenBLAS's and OpenMP's worker
threads keep spinning for a while in case more work comes, and on a 2-core machine the threads
of the library that just ran would otherwise take the cores from the one that runs next (torch
measured four times slower right after NumPy's GEMMs than on an idle machine).
"""

import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def numpy_blas_threads() -> int:
    """The number of threads NumPy's BLAS runs, as threadpoolctl reads it."""
    import numpy  # noqa: F401  (loads the BLAS that threadpoolctl is to find)
    from threadpoolctl import threadpool_info

    blas = [info for info in threadpool_info() if info["user_api"] == "blas"]
    ours = [info for info in blas if "numpy" in info["filepath"]] or blas
    return ours[0]["num_threads"]


def match_torch_threads() -> int:
    """Give torch as many intra-op threads as NumPy's BLAS has; return that number."""
    import torch

    threads = numpy_blas_threads()
    torch.set_num_threads(threads)
    return threads


def synchronizer(device: str):
    """A function that waits for the device's queued work (a no-op on the CPU)."""
    if device == "cpu":
        return lambda: None
    import cupy
    import torch

    def sync():
        cupy.cuda.Device().synchronize()
        torch.cuda.synchronize()
    return sync


def quartiles(values) -> dict:
    """{"median", "q1", "q3"} of ``values`` (the inclusive method: q1 = q3 for two values)."""
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return {"median": median, "q1": q1, "q3": q3}


def time_interleaved(steps: dict, repeats: int = 11, min_block_s: float = 0.1,
                     pause_s: float = 0.2, sync=lambda: None) -> dict:
    """Seconds per call of each step, ``repeats`` times, the steps taking turns.

    steps: name -> callable; returns name -> list of ``repeats`` seconds per call.
    """
    calls = {}
    for name, step in steps.items():
        step()  # warm-up: first-call allocations, lazy initialisation, caches
        sync()
        start = time.perf_counter()
        step()
        sync()
        calls[name] = max(1, math.ceil(min_block_s / max(time.perf_counter() - start, 1e-9)))
    names, times = list(steps), {name: [] for name in steps}
    for repeat in range(repeats):
        for name in names[repeat % len(names):] + names[:repeat % len(names)]:
            time.sleep(pause_s)  # let the previous block's worker threads go idle
            start = time.perf_counter()
            for _ in range(calls[name]):
                steps[name]()
            sync()
            times[name].append((time.perf_counter() - start) / calls[name])
    return times


def ratios(times: dict, baseline: str = "torch") -> dict:
    """name -> quartiles of time / baseline's time, repeat by repeat, for every other name."""
    return {name: quartiles([a / b for a, b in zip(values, times[baseline], strict=True)])
            for name, values in times.items() if name != baseline}


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def peak_rss_growth(step, calls: int = 1) -> float:
    """MiB by which the process's peak resident memory rises above its current size while
    ``step`` runs ``calls`` times (Linux: the peak is reset first through clear_refs)."""
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
    before = _status_kib("VmRSS")
    for _ in range(calls):
        step()
    return (_status_kib("VmHWM") - before) / 1024


def measure_memory(workload: str, lib: str, device: str = "cpu") -> float:
    """Peak memory growth of one library on one workload, in MiB: how far the first step of a
    freshly built model lifts the resident memory above its inputs and parameters (what it
    saves for backward, its temporaries, the gradients). Measured in a fresh process of its
    own, after a first model has done the library's one-time initialisation, so that neither
    library's allocations or caches count against the other."""
    code = ("import json, sys; from benchmarks.harness import _memory_child;"
            f" print(json.dumps(_memory_child({workload!r}, {lib!r}, {device!r})))")
    # every allocation its own mapping, returned to the system when freed: the resident size
    # then follows the live arrays, whatever each library's allocator would keep for reuse
    env = {**os.environ, "MALLOC_MMAP_THRESHOLD_": "0"}
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, cwd=Path(__file__).parent.parent, env=env)
    return json.loads(out.stdout.splitlines()[-1])


def _memory_child(workload: str, lib: str, device: str) -> float:
    import gc

    from benchmarks.workloads import WORKLOADS

    match_torch_threads()  # imports torch in every child alike, before the baseline
    build = next(w for w in WORKLOADS if w.name == workload).build
    build(lib, device)()  # a first model: each library's one-time initialisation happens here
    gc.collect()
    return peak_rss_growth(build(lib, device))  # the first step of a fresh model, nothing kept
