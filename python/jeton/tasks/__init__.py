"""Tasks: post paid work into the escrow, take it, deliver it, get paid.

`jeton.tasks` is a `Tasks`. Every state-changing method is simulated before anything is sent,
and a refusal raises the escrow's own custom error (the same exception class, with the same
inputs, whether the client or the chain names it), explained; the client itself checks only
what the chain can not (that numbers fit the call). Reading tasks comes from the escrow's
state, read in batches, and from its events, read incrementally.

>>> task = jeton.tasks.post(100 * 10**18, deadline=jeton.block_timestamp() + 86400,
...                         spec="ipfs://Qm.../brief.md", bond_bps=1000)
>>> worker.tasks.claim(task.id)          # stakes the 10 JTN claim bond, with a permit
>>> worker.tasks.submit(task.id, Path("translation.txt"))
>>> jeton.tasks.approve(task.id)         # pays the worker, its bond with it

Modules: `values` (Task, TaskPage, hash_content), `book` (statuses and timelines from events),
`reading` (get, list, page, open_for_me, timelines), `lifecycle` (post ... sweep_fees).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .book import TaskBook
from .lifecycle import TaskLifecycle
from .reading import LIST_BATCH, PAGE_BATCH, TaskReading
from .values import BPS, ESCROW, ZERO_ADDRESS, Task, TaskNotFound, TaskPage, hash_content

if TYPE_CHECKING:
    from ..client import Jeton


class Tasks(TaskReading, TaskLifecycle):
    """The task escrow: read tasks, and post, take, deliver, pay, dispute (`jeton.tasks`)."""

    def __init__(self, jeton: Jeton):
        self._jeton = jeton
        self._book: TaskBook | None = None
        self._tokens: dict[int, str] = {}


__all__ = [
    "BPS",
    "ESCROW",
    "LIST_BATCH",
    "PAGE_BATCH",
    "ZERO_ADDRESS",
    "Task",
    "TaskBook",
    "TaskNotFound",
    "TaskPage",
    "Tasks",
    "hash_content",
]
