"""Reading tasks: one by id, pages of the newest, lists by party or status, the open tasks a
wallet may claim, and timelines rebuilt from events.

A task's current state comes from the escrow (`getTask`), read in JSON-RPC batches when many
are needed; which tasks to read comes from the events (`TaskBook`, the event index), so no
reader walks every task id when the events can name the few it needs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from web3.contract import Contract

from ..errors import ContractError, error_class
from ..parsing import parse_address
from ..types import Event, TaskStatus, Timestamp
from .book import TaskBook, task_event_names
from .values import ESCROW, TOKEN_FIELD, Task, TaskNotFound, TaskPage, as_status

if TYPE_CHECKING:
    from ..client import Jeton

#: Tasks read per JSON-RPC batch request by `Tasks.page`.
PAGE_BATCH = 100
#: Tasks read per JSON-RPC batch request by `Tasks.list` and the other bulk readers.
LIST_BATCH = 500


class TaskReading:
    """The reading half of `jeton.tasks`."""

    _jeton: Jeton
    _book: TaskBook | None
    #: Each task's payment token, by id, once read (see `tokens_of`).
    _tokens: dict[int, str]

    @property
    def _escrow(self) -> Contract:
        return self._jeton.contracts.escrow

    @property
    def book(self) -> TaskBook:
        """Every task's status and timeline from the escrow's events (read on first use,
        then followed incrementally)."""
        if self._book is None:
            self._book = TaskBook(self._jeton)
        return self._book

    # ------------------------------------------------------------------ one task

    def get(self, task_id: int) -> Task:
        """Task `task_id` (TaskNotFound, a JetonError, if there is none)."""
        escrow = self._escrow.functions
        struct, count = self._jeton.call(escrow.getTask(task_id), escrow.taskCount())
        task = self._task(task_id, struct)
        if task.status == TaskStatus.NONE:
            raise TaskNotFound(f"no task {task_id}: ids run from 1 to {count}")
        return task

    def count(self) -> int:
        """How many tasks have been posted; their ids run from 1 to this."""
        return int(self._jeton.call(self._escrow.functions.taskCount())[0])

    def timeline(self, task_id: int) -> list[Event]:
        """Every escrow event of task `task_id`, oldest first, rebuilt from logs alone (from
        the task book when it is read, else with one query of this task's events)."""
        if self._book is not None and self._book.is_read:
            self._book.refresh()
            return list(self._book.timelines.get(task_id, []))
        return self._jeton.events.query(ESCROW, task_event_names(self._jeton), {"taskId": task_id})

    def timelines(self) -> dict[int, list[Event]]:
        """Every task's events, oldest first, by task id: the whole history of the escrow's
        tasks from one ranged query per block window (later calls read only new blocks)."""
        self.book.refresh()
        return {task_id: list(events) for task_id, events in self.book.timelines.items()}

    # ------------------------------------------------------------------ many tasks

    def list(
        self,
        status: TaskStatus | int | str | None = None,
        client: str | None = None,
        worker: str | None = None,
    ) -> list[Task]:
        """Tasks in id order, optionally only those in `status` (a TaskStatus or its name),
        posted by `client`, or whose worker is `worker` (named or having claimed it).

        With `client` or `worker`, the candidates come from the indexed TaskPosted and
        TaskClaimed events; otherwise every id from 1 to `count()` is read. Tasks are read in
        JSON-RPC batches.
        """
        wanted = as_status(status) if status is not None else None
        client = parse_address(client, "client") if client else None
        worker = parse_address(worker, "worker") if worker else None
        tasks = self.load_many(self._candidate_ids(client, worker))
        return [
            t
            for t in tasks
            if (wanted is None or t.status == wanted)
            and (client is None or t.client == client)
            and (worker is None or t.worker == worker)
        ]

    def page(
        self,
        limit: int = 20,
        *,
        before: int | None = None,
        status: TaskStatus | int | str | None = None,
    ) -> TaskPage:
        """The newest tasks first: up to `limit` tasks with ids below `before` (default: from
        the newest), optionally only those in `status`.

        Tasks are read in JSON-RPC batch requests (the newest `limit`, then `PAGE_BATCH` at a
        time while too few match `status`), so a page costs the same at task 10 and task
        100,000 (a rare status may take more batches).
        """
        if limit < 1:
            raise ValueError(f"a page holds at least one task, not {limit}")
        wanted = as_status(status) if status is not None else None
        total = self.count()
        cursor = total if before is None else min(before - 1, total)
        found: list[Task] = []
        size = limit  # the newest `limit` first: often all that is needed
        while cursor >= 1 and len(found) < limit:
            ids = range(cursor, max(cursor - size, 0), -1)
            size = max(limit, PAGE_BATCH)
            for task in self.load_many(ids):
                cursor = task.id - 1
                if wanted is None or task.status == wanted:
                    found.append(task)
                    if len(found) == limit:
                        break
        return TaskPage(tasks=found, total=total, next_before=cursor + 1 if cursor >= 1 else None)

    def open_for_me(self) -> list[Task]:
        """Open tasks the wallet may claim now: deadline not passed, enough reputation, not its
        own, and either unreserved or reserved for it. The same checks as the escrow's `claim`
        (see `claim_refusal`); whether the wallet holds the claim bond (`Task.bond`) is left
        to the claim's simulation.

        The task book names the open tasks (from the events since its last look); they and
        the wallet's reputation are then read from the chain in one batch.
        """
        me = self._jeton.address
        head = self.book.refresh()
        now = self._jeton.events.timestamps([head])[head]
        ids = sorted(self.book.open)
        points_of = self._jeton.contracts.reputation.functions.pointsOf(me)
        if len(ids) < LIST_BATCH:  # the usual case: one round trip
            escrow = self._escrow.functions
            *structs, points = self._jeton.call(*(escrow.getTask(i) for i in ids), points_of)
            tasks = [self._task(i, struct) for i, struct in zip(ids, structs, strict=True)]
        else:
            tasks, (points,) = self.load_many(ids), self._jeton.call(points_of)
        return [t for t in tasks if self.claim_refusal(t, me, now=now, points=points) is None]

    def claim_refusal(
        self, task: Task, account: str, *, now: int | None = None, points: int | None = None
    ) -> ContractError | None:
        """Why `account` may not claim `task` now (the error the escrow's `claim` would raise,
        checked in its order), or None if it may. `now` (the chain's time) and `points` (the
        account's reputation) are read when not given."""
        account = parse_address(account, "account")
        now = self._jeton.block_timestamp() if now is None else now
        if points is None:
            reputation = self._jeton.contracts.reputation.functions
            points = int(self._jeton.call(reputation.pointsOf(account))[0])
        try:
            _check_claim(task, account, now, points)
        except ContractError as exc:
            return exc
        return None

    # ------------------------------------------------------------------ balances in the escrow

    def rewards_owed(self, worker: str | None = None) -> int:
        """Work rewards (JTN base units) credited to `worker` (default: the wallet) and not
        collected yet."""
        worker = parse_address(worker, "worker") if worker else self._jeton.address
        return int(self._jeton.call(self._escrow.functions.rewardsOwed(worker))[0])

    def owed(self, token: str | None = None, recipient: str | None = None) -> int:
        """Payouts of `token` (default: the work token) kept for `recipient` (default: the
        wallet) because it could not receive them (a frozen address): see `withdraw`."""
        token = self._token(token)
        who = parse_address(recipient, "recipient") if recipient else self._jeton.address
        return int(self._jeton.call(self._escrow.functions.owed(token, who))[0])

    def accrued_fees(self, token: str | None = None) -> int:
        """Fees in `token` (default: the work token) accrued in the escrow and not swept yet."""
        return int(self._jeton.call(self._escrow.functions.accruedFees(self._token(token)))[0])

    def tokens_of(self, ids: Iterable[int]) -> dict[int, str]:
        """The payment token of each task of `ids` (it never changes): remembered, or read from
        the task book, or from the tasks' TaskPosted events (one query for all of them)."""
        wanted = set(ids)
        if self._book is not None and self._book.is_read:
            self._book.refresh()
            for task_id in wanted - self._tokens.keys():
                if task_id in self._book.posted:
                    self._tokens[task_id] = self._book.posted[task_id].args["token"]
        missing = sorted(wanted - self._tokens.keys())
        for first in range(0, len(missing), LIST_BATCH):
            chunk = missing[first : first + LIST_BATCH]
            for posted in self._jeton.events.fetch(ESCROW, ["TaskPosted"], {"taskId": chunk}):
                self._tokens[posted.args["taskId"]] = posted.args["token"]
        return {i: self._tokens[i] for i in wanted if i in self._tokens}

    # ------------------------------------------------------------------ internals

    def load_many(self, ids: Iterable[int]) -> list[Task]:
        """Tasks `ids` as stored (status NONE included), read in JSON-RPC batch requests of
        `LIST_BATCH`."""
        ids = list(ids)
        escrow = self._escrow.functions
        tasks: list[Task] = []
        for first in range(0, len(ids), LIST_BATCH):
            chunk = ids[first : first + LIST_BATCH]
            structs = self._jeton.call(*(escrow.getTask(i) for i in chunk))
            tasks += [self._task(i, s) for i, s in zip(chunk, structs, strict=True)]
        return tasks

    def _task(self, task_id: int, struct: Sequence[Any]) -> Task:
        """A Task from `getTask`'s tuple, with its token's symbol and decimals."""
        token = struct[TOKEN_FIELD]
        info = self._jeton.token_info(token) if int(token, 16) else None
        return Task.from_struct(task_id, struct, info)

    def _token(self, token: str | None) -> str:
        return parse_address(token, "token") if token else self._jeton.contracts.token.address

    def _candidate_ids(self, client: str | None, worker: str | None) -> list[int]:
        """Task ids to read for `list`: all of them, or those the events tie to the parties."""
        if client is None and worker is None:
            return list(range(1, self.count() + 1))
        ids: set[int] | None = None
        if client is not None:
            ids = self._event_ids("TaskPosted", {"client": client})
        if worker is not None:
            mine = self._event_ids("TaskPosted", {"worker": worker})
            mine |= self._event_ids("TaskClaimed", {"worker": worker})
            ids = mine if ids is None else ids & mine
        return sorted(ids or ())

    def _event_ids(self, event_name: str, where: dict[str, Any]) -> set[int]:
        return {e.args["taskId"] for e in self._jeton.events.query(ESCROW, [event_name], where)}


# ---------------------------------------------------------------------- the claim's checks


def refuse(error_name: str, **inputs: Any) -> None:
    """Raise the escrow's custom error `error_name` with `inputs`, as its revert would."""
    raise error_class(error_name)(inputs, contract=ESCROW)


def _check_claim(task: Task, caller: str, now: int, points: int) -> None:
    """What the escrow's `claim` checks, in its order, for a task already read."""
    if task.status != TaskStatus.OPEN:
        refuse("TaskNotOpen", taskId=task.id, status=task.status)
    if now > task.deadline:
        refuse("DeadlinePassed", taskId=task.id, deadline=Timestamp(task.deadline, now))
    if caller == task.client:
        refuse("ClientCannotWork", client=caller)
    if task.worker is not None and task.worker != caller:
        refuse("NotNamedWorker", taskId=task.id, namedWorker=task.worker)
    if points < task.min_reputation:
        refuse("ReputationTooLow", taskId=task.id, points=points, required=task.min_reputation)
