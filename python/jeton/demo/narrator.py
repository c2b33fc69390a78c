"""Telling the story as it happens: numbered steps in plain words, progress while waiting.

Every step runs inside `Narrator.step(title)`: when anything in it fails, the failure is
re-raised as a `DemoError` that names the step and carries the library's own explanation.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeRemainingColumn

from ..errors import ContractError, JetonError
from ..formatting import format_blocks, format_duration


class DemoError(JetonError):
    """A step of the demo failed: `step` (its number), `title`, and the `cause`."""

    def __init__(self, step: int, title: str, cause: BaseException):
        self.step = step
        self.title = title
        self.cause = cause
        why = " ".join(str(cause).split()) or type(cause).__name__
        if not isinstance(cause, JetonError):
            why = f"{type(cause).__name__}: {why}"
        super().__init__(f"the demo failed at step {step} ({title}): {why}")


def plain_error(error: BaseException) -> str:
    """A contract error for people: its contract, name and explanation, without the raw
    inputs (ids and bitmaps) that the full message also lists."""
    if isinstance(error, ContractError):
        return " ".join(error.plain().split())
    return " ".join(str(error).split())


@dataclass
class StepRecord:
    n: int
    title: str
    act: str
    seconds: float = 0.0
    lines: list[str] = field(default_factory=list)


class Narrator:
    """Prints the story on a rich console and keeps a record of its steps."""

    def __init__(self, console: Console, *, animate: bool | None = None):
        self.console = console
        #: Whether waits are drawn as animated bars (only on a terminal).
        self.animate = console.is_terminal if animate is None else animate
        self.steps: list[StepRecord] = []
        self.act_title = ""
        self.current: StepRecord | None = None

    # -------------------------------------------------------------- structure

    def title(self, text: str, subtitle: str) -> None:
        self.console.print(Panel(f"[bold]{escape(text)}[/]\n{escape(subtitle)}", expand=False))

    def act(self, title: str) -> None:
        self.act_title = title
        self.console.print()
        self.console.rule(f"[bold]{escape(title)}")

    @contextlib.contextmanager
    def step(self, title: str) -> Iterator[StepRecord]:
        """A numbered step; any failure inside becomes a DemoError naming it."""
        record = StepRecord(len(self.steps) + 1, title, self.act_title)
        self.steps.append(record)
        self.current = record
        self.console.print(f"[bold cyan]{record.n:>3}.[/] {escape(title)}")
        started = time.monotonic()
        try:
            yield record
        except (DemoError, KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:
            raise DemoError(record.n, title, exc) from exc
        finally:
            record.seconds = time.monotonic() - started

    def say(self, text: str, *, style: str = "") -> None:
        """A line under the current step (rich markup allowed)."""
        if self.current is not None:
            self.current.lines.append(text)
        line = f"     {text}"
        self.console.print(f"[{style}]{line}[/]" if style else line, highlight=False)

    def refused(self, who: str, action: str, error: BaseException) -> None:
        """A refusal the client raised before sending anything."""
        self.say(f"{escape(who)} tries to {escape(action)}: [yellow]refused before sending[/]")
        self.say(f"  [yellow]{escape(plain_error(error))}[/]")

    # -------------------------------------------------------------- waiting

    def wait_blocks(self, blocks: int, mine: Callable[[int], int], why: str) -> int:
        """Mine `blocks` blocks with a progress bar; returns the block number reached."""
        if blocks <= 0:
            return mine(0)
        height = self._in_steps(blocks, min(blocks, 25), mine, why, "blocks")
        self.say(f"[dim]… {why}: {format_blocks(blocks)} pass (now block {height})[/]")
        return height

    def wait_time(self, seconds: int, advance: Callable[[int], int], why: str) -> int:
        """Move the chain's clock `seconds` ahead with a progress bar; returns the timestamp."""
        stamp = self._in_steps(seconds, 24, advance, why, "s")
        self.say(f"[dim]… {why}: {format_duration(seconds)} pass on the chain's clock[/]")
        return stamp

    def _in_steps(
        self, total: int, steps: int, move: Callable[[int], int], why: str, unit: str
    ) -> int:
        """`move` the chain `total` ahead in `steps` near-equal steps with a progress bar;
        returns what the last step returned."""
        done = 0
        reached = 0
        with self._progress() as progress:
            task = progress.add_task(why, total=total, unit=unit)
            for i in range(steps):
                size = total * (i + 1) // steps - done
                reached = move(size)
                done += size
                progress.update(task, completed=done)
                self._pause()
        return reached

    def _progress(self) -> Progress:
        return Progress(
            SpinnerColumn(),
            TextColumn("     [progress.description]{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
            disable=not self.animate,
        )

    def _pause(self) -> None:
        if self.animate:
            time.sleep(0.03)

    # -------------------------------------------------------------- endings

    def failed(self, error: DemoError, node_note: str) -> None:
        cause = escape(" ".join(str(error.cause).split()) or type(error.cause).__name__)
        self.console.print(
            Panel(
                f"[bold red]Step {error.step} failed:[/] {escape(error.title)}\n"
                f"[red]{type(error.cause).__name__}:[/] {cause}\n{escape(node_note)}",
                title="The demo stopped",
                border_style="red",
                expand=False,
            )
        )

    def interrupted(self, node_note: str) -> None:
        where = f" during step {self.current.n} ({self.current.title})" if self.current else ""
        self.console.print(f"\n[bold yellow]Interrupted{escape(where)}.[/] {escape(node_note)}")
