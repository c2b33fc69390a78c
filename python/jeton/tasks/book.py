"""Every task's status and timeline, replayed from the escrow's task events as they arrive.

The escrow emits an event carrying the task id for every change of a task, so the events alone
say where each task stands. `TaskBook` reads them through the connection's event index (one
stream: all of the escrow's task events) and replays only what is new on each refresh: finding
the open tasks costs what happened since the last look, not one read per task. What the book
says is a lead, not the last word: callers that act on a task's state read it from the escrow
(in one batch for all the tasks they need).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..history import Stream
from ..types import Event, TaskStatus
from .values import ESCROW

if TYPE_CHECKING:
    from ..client import Jeton

#: The status each task event leaves its task in (PaymentOwed changes none).
STATUS_AFTER = {
    "TaskPosted": TaskStatus.OPEN,
    "TaskClaimed": TaskStatus.CLAIMED,
    "TaskSubmitted": TaskStatus.SUBMITTED,
    "TaskDisputed": TaskStatus.DISPUTED,
    "TaskCompleted": TaskStatus.COMPLETED,
    "TaskCancelled": TaskStatus.CANCELLED,
    "TaskReclaimed": TaskStatus.EXPIRED,
    "TaskResolved": TaskStatus.RESOLVED,
    "TaskSettled": TaskStatus.RESOLVED,
}


def task_event_names(jeton: Jeton) -> list[str]:
    """The escrow's events whose first argument is the indexed task id."""
    return [
        entry["name"]
        for entry in jeton.contracts.escrow.abi
        if entry.get("type") == "event"
        and entry["inputs"]
        and entry["inputs"][0]["name"] == "taskId"
        and entry["inputs"][0]["indexed"]
    ]


class TaskBook:
    """Tasks' statuses and timelines from the escrow's task events (one per connection)."""

    def __init__(self, jeton: Jeton):
        self._jeton = jeton
        self._names = frozenset(task_event_names(jeton))
        self._stream: Stream | None = None
        self._seen = 0
        self._generation = -1
        #: Each task's status, by id, as its events tell it.
        self.status: dict[int, TaskStatus] = {}
        #: Each task's events, oldest first, by id.
        self.timelines: dict[int, list[Event]] = {}
        #: The ids of the tasks that are open, as their events tell it.
        self.open: set[int] = set()
        #: The `TaskPosted` event of each task, by id.
        self.posted: dict[int, Event] = {}

    @property
    def is_read(self) -> bool:
        """Whether the book has read the chain at least once (it then follows it cheaply)."""
        return self._stream is not None and self._stream.cursor is not None

    def refresh(self) -> int:
        """Read the task events mined since the last refresh (in one round trip once the book
        has been read); returns the chain's head."""
        if self._stream is None:
            self._stream, _, _ = self._jeton.events.stream(ESCROW, sorted(self._names))
        head = self._jeton.events.sync([self._stream])
        if self._stream.generation != self._generation:  # the chain was reorganised
            self._generation, self._seen = self._stream.generation, 0
            self.status, self.timelines, self.open, self.posted = {}, {}, set(), {}
        for event in self._stream.events[self._seen :]:
            self._apply(event)
        self._seen = len(self._stream.events)
        return head

    def _apply(self, event: Event) -> None:
        if event.name not in self._names:  # a wider stream: another escrow event
            return
        task_id = int(event.args["taskId"])
        self.timelines.setdefault(task_id, []).append(event)
        status = STATUS_AFTER.get(event.name)
        if status is None:
            return
        if event.name == "TaskPosted":
            self.posted[task_id] = event
        self.status[task_id] = status
        if status == TaskStatus.OPEN:
            self.open.add(task_id)
        else:
            self.open.discard(task_id)
