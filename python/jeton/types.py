"""Typed values the client returns: statuses, transaction results, decoded events."""

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from .formatting import format_time


class Timestamp(int):
    """A unix time on the chain's clock: an int that prints as an ISO date in UTC, with how
    far it is from `now` (the chain's clock when it was read) if that is known:
    "2026-12-03T14:00:00Z (in 2 days)"."""

    now: int | None

    def __new__(cls, value: int, now: int | None = None) -> "Timestamp":
        stamp = super().__new__(cls, value)
        stamp.now = now
        return stamp

    def __str__(self) -> str:
        return format_time(int(self), self.now)


class _WordEnum(IntEnum):
    """An on-chain enum that prints as its lower-case name."""

    def __str__(self) -> str:
        return self.name.lower()


class TaskStatus(_WordEnum):
    """A task's place in its lifecycle (the escrow's `Status` enum)."""

    NONE = 0
    OPEN = 1
    CLAIMED = 2
    SUBMITTED = 3
    DISPUTED = 4
    COMPLETED = 5
    CANCELLED = 6
    EXPIRED = 7
    RESOLVED = 8

    @property
    def is_final(self) -> bool:
        return self in (self.COMPLETED, self.CANCELLED, self.EXPIRED, self.RESOLVED)


class ServiceStatus(_WordEnum):
    """Where an access-credit service is (AccessCredits' `Status` enum): active services sell
    and are used; paused ones neither, and refund; removed ones only refund, for good."""

    NONE = 0
    ACTIVE = 1
    PAUSED = 2
    REMOVED = 3


class ProposalState(_WordEnum):
    """A proposal's state (OpenZeppelin's `IGovernor.ProposalState`)."""

    PENDING = 0
    ACTIVE = 1
    CANCELED = 2
    DEFEATED = 3
    SUCCEEDED = 4
    QUEUED = 5
    EXPIRED = 6
    EXECUTED = 7


class Vote(_WordEnum):
    """A vote's direction (GovernorCountingSimple)."""

    AGAINST = 0
    FOR = 1
    ABSTAIN = 2


@dataclass(frozen=True, slots=True)
class Event:
    """A decoded log: the event's name, the contract that emitted it, and its arguments."""

    name: str
    contract: str
    args: dict[str, Any]
    block: int
    tx_hash: str
    log_index: int


@dataclass(frozen=True)
class TxResult:
    """A mined transaction: its hash, block, gas and the events it emitted."""

    tx_hash: str
    block: int
    gas_used: int
    events: list[Event] = field(default_factory=list)

    def event(self, name: str) -> Event:
        """The first event called `name` (KeyError if there is none)."""
        for event in self.events:
            if event.name == name:
                return event
        raise KeyError(f"transaction {self.tx_hash} emitted no {name} event")
