"""`run_demo`: start a chain (or use one), deploy, play the story, report, and always clean up."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from rich.console import Console

from ..devchain import LocalNode
from ..formatting import plural
from .charts import draw_all
from .narrator import DemoError, Narrator
from .report import DemoReport, gather, show, write_json
from .story import Story

#: What a demo run writes into its folder (removed first, so that nothing stale remains).
_OUTPUTS = (
    "report.json",
    "earnings.png",
    "votes.png",
    "gas.png",
    "deploy-config.json",
    "anvil.log",
)
_OUTPUT_DIRS = ("deployments", "deliveries", "wallets")


def run_demo(
    *,
    workers: int = 4,
    tasks: int = 8,
    seed: int = 1,
    rpc_url: str | None = None,
    out_dir: Path | str = Path("out/demo"),
    console: Console | None = None,
) -> DemoReport:
    """Play a whole Jeton economy on a chain and report what happened.

    Starts its own anvil node (stopped at the end, on Ctrl-C and on failure) unless `rpc_url`
    names a running node (anvil, or one that answers anvil's time and mining calls), deploys
    the system there with the deploy script, plays the story with `workers` workers and
    `tasks` market tasks (sizes, kinds and who takes what drawn from `seed`), then writes
    `out_dir`/report.json and PNG charts and prints the report.

    Raises DemoError (a JetonError) naming the step that failed and why.
    """
    if workers < 1 or tasks < 1:
        raise ValueError("the demo needs at least one worker and one task")
    if console is None:
        console = Console(highlight=False)
        if not console.is_terminal and "COLUMNS" not in os.environ:
            console.width = 110  # a log file or a pipe: wide enough for the report's tables
    out_dir = Path(out_dir)
    narrator = Narrator(console)
    started = time.monotonic()
    _clean(out_dir)
    where = "its own local anvil node" if rpc_url is None else rpc_url
    narrator.title(
        "Jeton demo: a work economy on a local chain",
        f"{workers} {plural(workers, 'worker')} · {tasks} market {plural(tasks, 'task')} · "
        f"seed {seed} · on {where}",
    )
    node_note = ""
    try:
        with contextlib.ExitStack() as stack:
            narrator.act("Setting up")
            if rpc_url is None:
                node_note = "The local anvil node was stopped."
                with narrator.step("Start a local chain: anvil on a free port"):
                    node = stack.enter_context(LocalNode(log_path=out_dir / "anvil.log"))
                    narrator.say(f"anvil at {node.url} (chain {node.chain_id()}, pid {node.pid})")
            else:
                node_note = f"The node at {rpc_url} keeps running."
                with narrator.step(f"Connect to the running node at {rpc_url}"):
                    node = LocalNode.attach(rpc_url)
                    narrator.say(f"chain {node.chain_id()}, at block {node.block_number()}")
            story = Story(node, narrator, out_dir, workers=workers, tasks=tasks, seed=seed)
            story.play()
            narrator.act("The results")
            with narrator.step("Read every figure back from the chain"):
                data = gather(story, rpc_url=node.url, started_node=rpc_url is None)
        if rpc_url is None:
            narrator.say("[dim]the local anvil node is stopped[/]")
        with narrator.step("Draw the charts and write report.json"):
            charts = draw_all(data, out_dir)
            data["charts"] = [str(c) for c in charts]
            data["wall_seconds"] = round(time.monotonic() - started, 1)
            json_path = write_json(data, out_dir / "report.json")
    except DemoError as exc:
        narrator.failed(exc, node_note)
        raise
    except (KeyboardInterrupt, SystemExit):  # Ctrl-C, or SIGTERM while LocalNode runs
        narrator.interrupted(node_note)
        raise
    show(console, data, [json_path, *charts])
    wall = time.monotonic() - started
    console.print(f"[bold green]Done[/] in {wall:.0f} s.")
    return DemoReport(
        out_dir=out_dir, json_path=json_path, charts=charts, wall_seconds=round(wall, 1), data=data
    )


def _clean(out_dir: Path) -> None:
    """Remove what an earlier run wrote here (and nothing else)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in _OUTPUTS:
        (out_dir / name).unlink(missing_ok=True)
    for name in _OUTPUT_DIRS:
        folder = out_dir / name
        if not folder.is_dir():
            continue
        for item in folder.iterdir():
            if item.is_file() and item.suffix in (".json", ".txt"):
                item.unlink()
        with contextlib.suppress(OSError):
            folder.rmdir()
