"""The demo's time and memory: `jeton demo` with 8 workers and 40, then 200 tasks.

Each run is a process of its own (as `jeton demo` is), which reports its wall time, its own
peak resident memory and the largest peak of the processes it started and waited for (the
deploy script run by Ape, the anvil node). Into the benchmark's table (`make bench`).
"""

import json
import subprocess
import sys

from table import Target

RUNNER = """
import json, resource, sys, time
from rich.console import Console
from jeton.demo import run_demo
workers, tasks, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
started = time.monotonic()
with open(out + ".log", "w") as log:
    run_demo(workers=workers, tasks=tasks, seed=7, out_dir=out, console=Console(file=log))
print(json.dumps({
    "seconds": time.monotonic() - started,
    "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""

#: Peak memory of the demo's own process that a small machine (1 GB) holds with room to spare.
SMALL_MACHINE_MB = 512


def run(workers: int, tasks: int, out: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, str(workers), str(tasks), out],
        capture_output=True,
        text=True,
        timeout=3600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_demo_time_and_memory(scale, bench, tmp_path):
    workers, (small, large) = scale.demo_workers, scale.demo_tasks
    first = run(workers, small, str(tmp_path / "small"))
    second = run(workers, large, str(tmp_path / "large"))
    for key, tasks, result in (("small", small, first), ("large", large, second)):
        bench.add(
            "demo",
            f"demo.{key}",
            f"jeton demo --workers {workers} --tasks {tasks}",
            result["seconds"],
            "s",
        )
    bench.add(
        "demo",
        "demo.growth",
        f"demo time, {large} tasks against {small} ({large / small:g}× the tasks)",
        second["seconds"] / first["seconds"],
        "×",
        Target(large / small, f"≤ {large / small:g}× (linear)"),
    )
    peak = max(first["self_mb"], second["self_mb"])
    helpers = max(first["children_mb"], second["children_mb"])
    bench.add(
        "demo",
        "demo.memory",
        f"demo's peak memory (the largest process it starts, Ape's deploy or anvil: "
        f"{helpers:.0f} MB)",
        peak,
        "MB",
        Target(SMALL_MACHINE_MB, f"≤ {SMALL_MACHINE_MB} MB"),
    )
