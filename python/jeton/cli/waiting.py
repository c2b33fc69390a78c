"""Waiting for the chain (`--wait`): progress on stderr, and a chain that is not moving told
so, with how to move it.

On a terminal the wait is a spinner; when stderr is a pipe or a file, a plain line each time
the state changes (and every `REPEAT_SECONDS` while it does not), so a log shows what the
command waits for. Nothing goes to stdout: `--json` output stays one JSON document. A local
development chain makes blocks only when a transaction arrives, so waiting for blocks or for
its clock would last forever: after `STALL_SECONDS` without a new block the command says so,
and names the `jeton chain` command that moves it.
"""

import time
from collections.abc import Callable

import click

from ..client import Jeton
from .common import console

#: Seconds between two looks at the chain.
POLL_SECONDS = 1.0
#: Seconds without a new block after which the chain is said not to be moving.
STALL_SECONDS = 5.0
#: Seconds between two progress lines that say the same thing (when not on a terminal).
REPEAT_SECONDS = 30.0


def wait_until(
    jeton: Jeton,
    ready: Callable[[], bool],
    message: Callable[[], str],
    move_hint: Callable[[], str],
) -> None:
    """Poll the chain until `ready()`, showing `message()`; if no block comes for
    STALL_SECONDS, say once that the chain is not moving and how to move it (`move_hint()`,
    e.g. "jeton chain mine 5")."""
    err = console(stderr=True)
    terminal = err.is_terminal
    status = err.status(message()) if terminal else None
    last_line, last_shown = "", 0.0
    block, block_seen, warned = jeton.w3.eth.block_number, time.monotonic(), False
    if status is not None:
        status.start()
    try:
        while not ready():
            text, now = message(), time.monotonic()
            if status is not None:
                status.update(text)
            elif text != last_line or now - last_shown >= REPEAT_SECONDS:
                click.echo(f"Waiting: {text}", err=True)
                last_line, last_shown = text, now
            head = jeton.w3.eth.block_number
            if head != block:
                block, block_seen = head, now
            elif not warned and now - block_seen >= STALL_SECONDS:
                warned = True
                err.print(_stalled(jeton, block, now - block_seen, move_hint()))
            time.sleep(POLL_SECONDS)
    finally:
        if status is not None:
            status.stop()


def _stalled(jeton: Jeton, block: int, seconds: float, hint: str) -> str:
    if jeton.is_development_chain:
        return (
            f"The chain is not moving: no block since block {block} ({seconds:.0f} s). A local "
            "development chain makes blocks only when a transaction arrives; move it from "
            f"another terminal with `{hint}` (or start `jeton node --block-time 1`). Still "
            "waiting; Ctrl-C stops."
        )
    return (
        f"No new block since block {block} ({seconds:.0f} s): is the node at "
        f"{jeton.w3.provider.endpoint_uri} syncing?"  # type: ignore[attr-defined]
        " Still waiting; Ctrl-C stops."
    )
