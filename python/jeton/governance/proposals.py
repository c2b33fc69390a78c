"""What the governance client returns and the pure logic of proposals: a call in plain words
(`RuleChange`), a proposal as the chain sees it (`Proposal`), a cast vote (`VoteRecord`), a
proposal's id (`hash_proposal`), a vote's direction from words (`parse_vote`), and the
`#proposer=` suffix that lets only its proposer submit a description (`restricted_proposer`,
`with_proposer`).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eth_abi import encode as abi_encode
from eth_utils import keccak

from ..errors import error_class
from ..formatting import format_time, format_votes
from ..types import Event, ProposalState, Vote

#: The deployment's name of the DAO's governor.
GOVERNOR = "WorkGovernor"
ZERO_BYTES32 = b"\x00" * 32


@dataclass(frozen=True)
class RuleChange:
    """One call of a proposal, in plain words.

    `description` reads "set the platform fee from 5.00% to 4.00%" for a governed rule (the
    "from" is the rule's value when read, or, once executed, the value the execution replaced),
    and "call PlatformRules.setArbiter(arbiter=0x..., allowed=True)" for any other call.
    """

    #: The deployment's name of the target contract (its address if not a Jeton contract).
    contract: str
    #: The called function's name ("" when the calldata does not decode).
    function: str
    args: tuple[Any, ...]
    description: str
    target: str
    calldata: bytes
    #: Wei sent with the call.
    value: int = 0
    #: The key of the governed rule it changes (see `RULES`), or None.
    rule: str | None = None
    #: The rule's value the description starts "from", or None.
    current: int | None = None

    def __str__(self) -> str:
        return self.description

    @property
    def new_value(self) -> int | None:
        """The rule's value after the change (None if it is not a governed-rule change)."""
        return self.args[0] if self.rule is not None else None


@dataclass(frozen=True)
class Proposal:
    """A proposal as the chain sees it now: its calls, state, tally and times.

    `snapshot` and `deadline` are block numbers (the governor's clock): voting is open in the
    blocks after `snapshot` up to and including `deadline` (which a late quorum may extend).
    `eta` is the unix time from which a queued proposal can be executed, and `expires` the unix
    time from which it never can (both 0 until queued). Between the two it is "stale" once its
    ETA has passed without execution: its proposer may then cancel it.
    """

    id: int
    proposer: str
    description: str
    state: ProposalState
    for_votes: int
    against_votes: int
    abstain_votes: int
    #: Votes (for + abstain) needed; for a pending proposal, the quorum at the latest block.
    quorum: int
    snapshot: int
    deadline: int
    eta: int
    changes: list[RuleChange]
    targets: list[str]
    values: list[int]
    calldatas: list[bytes]
    description_hash: bytes
    #: The block of the ProposalCreated event.
    created_block: int = 0
    #: Its number: 1 for the first proposal ever made, 2 for the next... (None if unknown).
    number: int | None = None
    expires: int = 0

    def __str__(self) -> str:
        name = f"#{self.number}" if self.number else f"proposal {self.id}"
        changes = "; ".join(c.description for c in self.changes) or self.text
        quorum = "reached" if self.quorum_reached else "not reached"
        return (
            f"{name} ({self.state}): {changes}; for {format_votes(self.for_votes)}, against "
            f"{format_votes(self.against_votes)}, abstain {format_votes(self.abstain_votes)} "
            f"(quorum {format_votes(self.quorum)}, {quorum}); voting blocks {self.snapshot + 1}"
            f" to {self.deadline}"
            + (f"; executable from {format_time(self.eta)}" if self.eta else "")
            + (f" until {format_time(self.expires)}" if self.expires else "")
        )

    @property
    def text(self) -> str:
        """The description for people: without its `#proposer=` suffix."""
        return strip_proposer(self.description)

    @property
    def quorum_reached(self) -> bool:
        """For and abstain votes together reach the quorum (GovernorCountingSimple)."""
        return self.for_votes + self.abstain_votes >= self.quorum

    @property
    def vote_succeeded(self) -> bool:
        """More votes for than against (a tie fails)."""
        return self.for_votes > self.against_votes

    def blocks_left(self, current_block: int) -> int:
        """Blocks in which a vote can still be cast after `current_block` (0 once closed)."""
        return max(0, self.deadline - current_block)

    def seconds_until_executable(self, now: int) -> int | None:
        """Seconds from `now` (unix time) until the timelock lets the proposal execute;
        0 when it can execute now, None when it is not queued."""
        if not self.eta:
            return None
        return max(0, self.eta - now)

    def is_stale(self, now: int) -> bool:
        """Queued, its ETA passed at unix time `now`, not executed: its proposer may cancel."""
        return self.state == ProposalState.QUEUED and bool(self.eta) and now >= self.eta


@dataclass(frozen=True)
class VoteRecord:
    """A vote cast on a proposal (from its VoteCast event)."""

    voter: str
    support: Vote
    weight: int
    reason: str
    block: int
    tx_hash: str

    def __str__(self) -> str:
        reason = f': "{self.reason}"' if self.reason else ""
        return f"{self.voter} voted {self.support} with {format_votes(self.weight)} votes{reason}"

    @classmethod
    def from_event(cls, event: Event) -> "VoteRecord":
        """The vote a VoteCast (or VoteCastWithParams) event records."""
        args = event.args
        return cls(
            voter=args["voter"],
            support=Vote(int(args["support"])),
            weight=int(args["weight"]),
            reason=args["reason"],
            block=event.block,
            tx_hash=event.tx_hash,
        )


@dataclass(frozen=True)
class Tally:
    """The votes cast on a proposal per side, token votes and reputation votes apart.

    A voter's token votes are its delegated work tokens at the proposal's snapshot; the rest of
    its weight came from its reputation (WorkVotes adds weight times points).
    """

    #: Token votes per side.
    tokens: dict[Vote, int]
    #: Reputation votes per side.
    reputation: dict[Vote, int]
    #: Each vote cast, in order, with the token votes in its weight.
    votes: list[tuple[VoteRecord, int]]


def hash_proposal(
    targets: Sequence[str],
    values: Sequence[int],
    calldatas: Sequence[bytes],
    description_hash: bytes,
) -> int:
    """A proposal's id, as `Governor.hashProposal` computes it."""
    encoded = abi_encode(
        ["address[]", "uint256[]", "bytes[]", "bytes32"],
        [list(targets), list(values), list(calldatas), description_hash],
    )
    return int.from_bytes(keccak(encoded), "big")


#: OpenZeppelin's front-running guard: a description ending with it can only be proposed by
#: that address.
PROPOSER_MARKER = "#proposer="
_SUFFIX = re.compile(r"#proposer=0x[0-9a-fA-F]{40}\Z")


def restricted_proposer(description: str) -> str | None:
    """The address of a trailing `#proposer=0x...`, as OpenZeppelin's Governor reads it."""
    data = description.encode()
    if len(data) < 52 or data[-52:-42] != PROPOSER_MARKER.encode():
        return None
    candidate = data[-42:].decode(errors="replace")
    return candidate if re.fullmatch(r"0x[0-9a-fA-F]{40}", candidate) else None


def with_proposer(description: str, proposer: str) -> str:
    """`description` restricted to `proposer`: with a `#proposer=<address>` suffix on a line
    of its own, unless it already ends with one."""
    if restricted_proposer(description) is not None:
        return description
    return f"{description}\n\n{PROPOSER_MARKER}{proposer}"


def strip_proposer(description: str) -> str:
    """`description` without a trailing `#proposer=` suffix (and the space before it)."""
    if restricted_proposer(description) is None:
        return description
    return _SUFFIX.sub("", description).rstrip()


def parse_vote(support: Vote | str | int) -> Vote:
    """`Vote.FOR` from "for", "FOR", 1 or `Vote.FOR`; GovernorInvalidVoteType otherwise."""
    try:
        if isinstance(support, str):
            return Vote[support.strip().upper()]
        return Vote(int(support))
    except (KeyError, ValueError):
        raise error_class("GovernorInvalidVoteType")(
            {},
            contract=GOVERNOR,
            detail=f"a vote is 'for', 'against' or 'abstain' (1, 0, 2), not {support!r}",
        ) from None


def as_bytes(data: bytes | str) -> bytes:
    """Calldata or a signature as bytes, from bytes or hex (with or without 0x)."""
    if isinstance(data, str):
        return bytes.fromhex(data.removeprefix("0x"))
    return bytes(data)


__all__ = [
    "GOVERNOR",
    "PROPOSER_MARKER",
    "ZERO_BYTES32",
    "Proposal",
    "RuleChange",
    "Tally",
    "VoteRecord",
    "as_bytes",
    "hash_proposal",
    "parse_vote",
    "restricted_proposer",
    "strip_proposer",
    "with_proposer",
]
