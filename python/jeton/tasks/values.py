"""What the escrow stores of a task, as Python values: `Task`, `TaskPage`, and the hash that
stands on chain for a brief or a deliverable (`hash_content`)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_utils import keccak

from ..errors import JetonError
from ..formatting import format_bps, format_time
from ..parsing import checksum
from ..types import Event, TaskStatus
from ..units import TokenInfo

#: The name the deployment gives the escrow (errors and events are labelled with it).
ESCROW = "TaskEscrow"
ZERO_ADDRESS = "0x" + "00" * 20
BPS = 10_000
#: Where `getTask`'s tuple holds the task's token (see `Task.from_struct`).
TOKEN_FIELD = 7


class TaskNotFound(JetonError):
    """No task has this id (the escrow reports status NONE for it)."""


# ---------------------------------------------------------------------- values


@dataclass(frozen=True)
class Task:
    """A task as the escrow stores it. Amounts are base units of `token`."""

    id: int
    client: str
    #: The worker who claimed it, or the worker the client named while it is open; else None.
    worker: str | None
    token: str
    amount: int
    status: TaskStatus
    #: Unix time after which it can no longer be claimed or delivered.
    deadline: int
    #: End of the review period while SUBMITTED, of the arbitration window while DISPUTED; else 0.
    window_ends: int
    #: Fee and work-reward rates locked when the task was posted. The reward rate applies only
    #: to a task paid in the work token (see `earns_reward`).
    fee_bps: int
    reward_bps: int
    min_reputation: int
    #: Seconds the client has to review a submission, locked when the task was posted.
    review_period: int
    #: The claim bond in basis points of the deposit, locked when the task was posted.
    bond_bps: int
    #: The symbol and decimals of `token`, for reading `amount`.
    token_symbol: str = "JTN"
    token_decimals: int = 18

    @classmethod
    def from_struct(
        cls, task_id: int, struct: tuple | list, token_info: TokenInfo | None = None
    ) -> Task:
        """A Task from `getTask`'s tuple (client, amount, worker, status, windowEnds,
        minReputation, bondBps, token, deadline, feeBps, rewardBps, reviewPeriod), with the
        token's symbol and decimals if given."""
        (
            client,
            amount,
            worker,
            status,
            window_ends,
            min_rep,
            bond_bps,
            token,
            deadline,
            fee,
            reward,
            review_period,
        ) = struct
        status = TaskStatus(status)
        in_window = status in (TaskStatus.SUBMITTED, TaskStatus.DISPUTED)
        return cls(
            id=task_id,
            client=checksum(client),
            worker=None if int(worker, 16) == 0 else checksum(worker),
            token=checksum(token),
            amount=amount,
            status=status,
            deadline=deadline,
            window_ends=window_ends if in_window else 0,
            fee_bps=fee,
            reward_bps=reward,
            min_reputation=min_rep,
            review_period=review_period,
            bond_bps=bond_bps,
            **(
                {"token_symbol": token_info.symbol, "token_decimals": token_info.decimals}
                if token_info
                else {}
            ),
        )

    @classmethod
    def from_event(cls, posted: Event, token_info: TokenInfo | None = None) -> Task:
        """The task as its `TaskPosted` event describes it: open, as it was just posted."""
        args: dict[str, Any] = posted.args
        worker = args["worker"]
        return cls(
            id=args["taskId"],
            client=args["client"],
            worker=None if int(worker, 16) == 0 else worker,
            token=args["token"],
            amount=args["amount"],
            status=TaskStatus.OPEN,
            deadline=args["deadline"],
            window_ends=0,
            fee_bps=args["feeBps"],
            reward_bps=args["rewardBps"],
            min_reputation=args["minReputation"],
            review_period=args["reviewPeriod"],
            bond_bps=args["bondBps"],
            **(
                {"token_symbol": token_info.symbol, "token_decimals": token_info.decimals}
                if token_info
                else {}
            ),
        )

    def __str__(self) -> str:
        worker = f", worker {self.worker}" if self.worker else ""
        needs = f", needs {self.min_reputation:,} points" if self.min_reputation else ""
        money = TokenInfo(self.token, self.token_symbol, self.token_decimals).format
        return (
            f"task {self.id} ({self.status}): {money(self.amount)}, fee {format_bps(self.fee_bps)}"
            f", claim bond {format_bps(self.bond_bps)}, deadline {format_time(self.deadline)}, "
            f"client {self.client}{worker}{needs}"
        )

    @property
    def is_final(self) -> bool:
        """Completed, cancelled, expired or resolved: its deposit has left the escrow."""
        return self.status.is_final

    @property
    def is_reserved(self) -> bool:
        """Open and reserved for the worker the client named."""
        return self.status == TaskStatus.OPEN and self.worker is not None

    @property
    def fee(self) -> int:
        """The platform fee taken from the whole deposit when the task is approved or released."""
        return self.amount * self.fee_bps // BPS

    @property
    def worker_amount(self) -> int:
        """What the worker receives when the task is approved or released (and its bond back)."""
        return self.amount - self.fee

    @property
    def bond(self) -> int:
        """The claim bond: what the worker stakes to claim it, and a disputer to dispute it.
        It comes back with the pay, goes to the client on a reclaim, and in a dispute both
        bonds go to the side the arbiter favours (the client when nobody rules)."""
        return self.amount * self.bond_bps // BPS

    def earns_reward(self, work_token: str) -> bool:
        """Whether its payout credits a work reward (`reward_bps` of the fee, within what the
        token's cap leaves): only a task paid in the work token (`work_token`, the WorkToken's
        address) does. A task paid in another allowed token earns reputation, no reward."""
        return self.token.lower() == work_token.lower()


@dataclass(frozen=True)
class TaskPage:
    """One page of tasks, newest first (`Tasks.page`)."""

    tasks: list[Task]
    #: How many tasks have been posted in all.
    total: int
    #: The `before` of the next page (None when no older task is left to read).
    next_before: int | None


def hash_content(content: str | bytes | Path) -> bytes:
    """The keccak-256 hash (32 bytes) that stands on chain for a spec or a deliverable.

    A `Path`, or a `str` naming an existing file, is hashed by the file's contents; any other
    `str` (a URI, a text) by its UTF-8 bytes; `bytes` as they are.
    """
    if isinstance(content, bytes):
        return keccak(content)
    if isinstance(content, Path) or os.path.isfile(content):
        path = Path(content).expanduser()
        try:
            return keccak(path.read_bytes())
        except OSError as exc:
            raise JetonError(f"can not read {path} to hash it: {exc.strerror}") from exc
    return keccak(text=content)


def as_status(status: TaskStatus | int | str) -> TaskStatus:
    """A TaskStatus from itself, its number or its name (any case)."""
    if isinstance(status, str):
        try:
            return TaskStatus[status.upper()]
        except KeyError:
            names = ", ".join(str(s) for s in TaskStatus)
            raise JetonError(f"no task status {status!r}; one of {names}") from None
    return TaskStatus(status)
