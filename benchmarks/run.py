"""Run the suite: ``python -m benchmarks.run [--device cuda] [--only conv2d lstm] [--out F]``.

Writes a JSON file (by default chapters/performance.json, which the performance appendix
draws) and prints a table of median ratios dlbook / torch with their quartiles.
"""

import argparse
import json
import os
import platform
from pathlib import Path

import numpy as np

from benchmarks.harness import (
    match_torch_threads,
    measure_memory,
    ratios,
    synchronizer,
    time_interleaved,
)
from benchmarks.workloads import WORKLOADS

ROOT = Path(__file__).parent.parent
DEFAULT_OUT = {"cpu": ROOT / "chapters" / "performance.json",
               "cuda": ROOT / "benchmarks" / "performance-cuda.json"}


def machine(device: str, threads: int) -> dict:
    import torch

    info = {"python": platform.python_version(), "numpy": np.__version__,
            "torch": torch.__version__.split("+")[0], "cpus": os.cpu_count(),
            "threads": threads, "processor": _processor()}
    if device == "cuda":
        import cupy

        info["gpu"] = torch.cuda.get_device_name()
        info["cupy"] = cupy.__version__
    return info


def _processor() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def run_workload(workload, device: str, repeats: int, memory: bool) -> dict:
    libs = ["dlbook", "torch"] + (["peer"] if workload.peer and device == "cpu" else [])
    steps = {lib: workload.build(lib, device) for lib in libs}
    times = time_interleaved(steps, repeats, sync=synchronizer(device))
    result = {"name": workload.name, "description": workload.description,
              "target": workload.target,
              "ms": {lib: 1000 * float(np.median(times[lib])) for lib in libs},
              "ratio": ratios(times)}
    if memory and workload.memory and device == "cpu":
        result["memory_mib"] = {lib: measure_memory(workload.name, lib, device) for lib in libs}
    return result


def table(results: list[dict]) -> str:
    """Markdown: each workload's ratios (median, quartiles), target and memory."""
    lines = ["| work | dlbook / torch | quartiles | target | peer / torch | dlbook ms | torch ms |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        ratio, peer = r["ratio"]["dlbook"], r["ratio"].get("peer")
        target = "" if r["target"] is None else f"≤ {r['target']:g}"
        peer = "" if peer is None else f"{peer['median']:.2f}"
        lines.append(f"| {r['name']} | {ratio['median']:.2f} | {ratio['q1']:.2f}–{ratio['q3']:.2f}"
                     f" | {target} | {peer} | {r['ms']['dlbook']:.2f} | {r['ms']['torch']:.2f} |")
    memory = [r for r in results if "memory_mib" in r]
    if memory:
        lines += ["", "| peak memory growth (MiB) | dlbook | torch | peer |",
                  "|---|---:|---:|---:|"]
        for r in memory:
            m = r["memory_mib"]
            peer = f"{m['peer']:.1f}" if "peer" in m else ""
            lines.append(f"| {r['name']} | {m['dlbook']:.1f} | {m['torch']:.1f} | {peer} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--only", nargs="*", metavar="NAME",
                        help=f"some of: {' '.join(w.name for w in WORKLOADS)}")
    parser.add_argument("--repeats", type=int, default=11)
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    threads = match_torch_threads()
    chosen = [w for w in WORKLOADS if not args.only or w.name in args.only]
    results = []
    for workload in chosen:
        results.append(run_workload(workload, args.device, args.repeats, not args.no_memory))
        r = results[-1]["ratio"]["dlbook"]
        print(f"{workload.name:>18}: dlbook / torch {r['median']:.2f}"
              f" ({r['q1']:.2f}–{r['q3']:.2f})", flush=True)
    report = {"device": args.device, "dtype": "float32", "repeats": args.repeats,
              "machine": machine(args.device, threads), "results": results}
    out = args.out or DEFAULT_OUT[args.device]
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    print(table(results))
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


if __name__ == "__main__":
    main()
