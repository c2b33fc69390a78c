"""JSON-ready records of what the library returns, and its events in words: the one shape
`jeton --json` prints and `jeton web` serves, so that the command, the library and the page
show the same figures in the same words.

Conventions: token amounts are base units as decimal strings (they may pass 2**53), each with
a `<key>_human` exact decimal; times are unix seconds with an ISO 8601 UTC twin; enums are
their lower-case words; bytes are 0x hex (a bytes32 name as its text); addresses checksummed.
"""

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Any

from web3 import Web3

from . import units
from .errors import bytes32_text
from .formatting import format_votes, iso_time
from .governance import rule_for_event
from .types import Event, ProposalState, TaskStatus, Vote

if TYPE_CHECKING:
    from .account import AccountSummary, Payout
    from .governance import Proposal
    from .services import Credit, Service, Use
    from .tasks import Task

ZERO_ADDRESS = "0x" + "00" * 20

#: Proposal states in which votes are still to come (the voting window's blocks matter).
VOTING = (ProposalState.PENDING, ProposalState.ACTIVE)


def iso(timestamp: int | None) -> str | None:
    """A unix time as ISO 8601 UTC (for JSON), None for 0 (unset)."""
    return iso_time(timestamp) if timestamp else None


def amount_fields(key: str, value: int, decimals: int = 18) -> dict[str, str]:
    """`{key: base units as a string, key_human: the exact decimal amount ("12.5")}`."""
    return {key: str(value), f"{key}_human": units.format_exact(value, decimals)}


def jsonable(value: Any) -> Any:
    """Event arguments and call arguments for JSON: integers as decimal strings (they may be
    uint256), bytes as 0x hex, enums as words, addresses checksummed."""
    if isinstance(value, Enum):
        return str(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, bytes | bytearray):
        return bytes32_text(bytes(value)) or "0x" + bytes(value).hex()
    if isinstance(value, str) and Web3.is_address(value) and value.startswith("0x"):
        return Web3.to_checksum_address(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return str(value) if not isinstance(value, str | float) else value


def event_json(event: Event) -> dict[str, Any]:
    """A decoded event: contract, name, block, transaction, log index and arguments."""
    return {
        "contract": event.contract,
        "name": event.name,
        "block": event.block,
        "tx_hash": event.tx_hash,
        "log_index": event.log_index,
        "args": jsonable(event.args),
    }


# ---------------------------------------------------------------------- records


def task_record(task: "Task", symbol: str, decimals: int, work_token: str) -> dict[str, Any]:
    """A task with its token's `symbol` and `decimals` (`work_token`: the WorkToken's address,
    which decides whether the task earns a work reward)."""
    return {
        "id": task.id,
        "status": str(TaskStatus(task.status)),
        "client": task.client,
        "worker": task.worker,
        "token": task.token,
        "token_symbol": symbol,
        "decimals": decimals,
        **amount_fields("amount", task.amount, decimals),
        "bond_bps": task.bond_bps,
        **amount_fields("bond", task.bond, decimals),
        "deadline": task.deadline,
        "deadline_iso": iso(task.deadline),
        "window_ends": task.window_ends,
        "window_ends_iso": iso(task.window_ends),
        "fee_bps": task.fee_bps,
        "reward_bps": task.reward_bps,
        # Only a task paid in JTN earns a work reward; the others, reputation alone.
        "earns_reward": task.earns_reward(work_token),
        "min_reputation": task.min_reputation,
        "review_period": task.review_period,
    }


def proposal_record(
    proposal: "Proposal", number: int | None, head: int, now: int
) -> dict[str, Any]:
    """A proposal with its `number` (#1, #2, ... in proposal order), at block `head` and unix
    time `now` (for the blocks and seconds left), and its calls as queue and execute take
    them back."""
    p = proposal
    return {
        "number": number,
        "id": str(p.id),
        "proposer": p.proposer,
        "description": p.description,
        "text": p.text,  # the description without its #proposer= suffix
        "state": str(ProposalState(p.state)),
        **amount_fields("for_votes", p.for_votes),
        **amount_fields("against_votes", p.against_votes),
        **amount_fields("abstain_votes", p.abstain_votes),
        **amount_fields("quorum", p.quorum),
        "quorum_reached": p.quorum_reached,
        "snapshot": p.snapshot,
        "deadline": p.deadline,
        "current_block": head,
        "blocks_left": p.blocks_left(head) if p.state in VOTING else 0,
        "eta": p.eta,
        "eta_iso": iso(p.eta),
        "expires": p.expires,
        "expires_iso": iso(p.expires),
        "stale": p.is_stale(now),
        "seconds_until_executable": p.seconds_until_executable(now),
        "changes": [
            {
                "contract": c.contract,
                "function": c.function,
                "args": jsonable(list(c.args)),
                "description": c.description,
            }
            for c in p.changes
        ],
        "targets": list(p.targets),
        "values": [str(v) for v in p.values],
        "calldatas": ["0x" + bytes(c).hex() for c in p.calldatas],
        "description_hash": "0x" + bytes(p.description_hash).hex(),
    }


def account_record(s: "AccountSummary") -> dict[str, Any]:
    """An account's standing: balances, votes, delegate, reputation, tier and rewards owed."""
    return {
        "address": s.address,
        **amount_fields("balance", s.balance),
        **amount_fields("eth_balance", s.eth_balance),
        **amount_fields("votes", s.votes),
        **amount_fields("token_votes", s.token_votes),
        "delegate": s.delegate,
        "reputation": s.reputation,
        "voting_points": s.voting_points,
        "tier": s.tier,
        "tier_name": s.tier_name,
        "next_tier_points": s.next_tier_points,
        **amount_fields("rewards_owed", s.rewards_owed),
    }


def payout_record(p: "Payout") -> dict[str, Any]:
    """One payment to a worker for a task."""
    return {
        "task_id": p.task_id,
        "kind": p.kind,
        "block": p.block,
        "timestamp": p.timestamp,
        "time": iso(p.timestamp),
        "token": p.token,
        "token_symbol": p.symbol,
        **amount_fields("worker_amount", p.worker_amount, p.decimals),
        **amount_fields("fee", p.fee, p.decimals),
        **amount_fields("reward", p.reward),
        "points": p.points,
        "arbiter": p.arbiter,
        "tx_hash": p.tx_hash,
    }


def service_record(s: "Service") -> dict[str, Any]:
    """An access-credit service: its price now and any announced rise (prices in JTN)."""
    rise = s.next_unit_price  # None when no rise is pending
    pending = {"next_unit_price": None, "next_unit_price_human": None}
    return {
        "id": s.id,
        "name": s.name,
        "uri": s.uri,
        "provider": s.provider,
        "status": str(s.status),
        **amount_fields("unit_price", s.unit_price),
        **(amount_fields("next_unit_price", rise) if rise is not None else pending),
        "next_price_at": s.next_price_at,
        "next_price_at_iso": iso(s.next_price_at),
        "price_changed_at": s.price_changed_at,
        "next_change_at": s.next_change_at,
        "next_change_at_iso": iso(s.next_change_at),
        "info_hash": "0x" + s.info_hash.hex(),
    }


def credit_record(c: "Credit") -> dict[str, Any]:
    """A holder's unused credits in a service: units, paid, the average price, the locked cut."""
    return {
        "service_id": c.service_id,
        "holder": c.holder,
        "units": str(c.units),
        **amount_fields("paid", c.paid),
        **amount_fields("average_price", c.average_price),
        **amount_fields("cut", c.cut),
    }


def use_record(u: "Use") -> dict[str, Any]:
    """A use of a buyer's credits its provider recorded."""
    return {
        "service_id": u.service_id,
        "buyer": u.buyer,
        "units": str(u.units),
        **amount_fields("value", u.value),
        **amount_fields("cut", u.cut),
        "usage_ref": "0x" + u.usage_ref.hex(),
        "block": u.block,
        "tx_hash": u.tx_hash,
    }


# ---------------------------------------------------------------------- events in words


def describe_event(
    event: Event,
    jtn: Callable[[int], str],
    money: Callable[[int], str] | None = None,
    when: Callable[[int], str] = iso_time,
) -> str:
    """What an event means, in words, as the command prints it: the escrow's task events
    (`money` formats the task's token, default `jtn`; `when` a time), the token, reputation and
    DAO events (`jtn` formats work-token amounts), a rule's change, the governor's and the
    timelock's bookkeeping by name only, others plainly."""
    described = _task_event(event.args, event.name, money or jtn, jtn, when)
    if described is None and event.contract == "AccessCredits":
        described = _credits_event(event.args, event.name, jtn)
    if described is not None:
        return described
    a, votes = event.args, format_votes
    if event.contract == "WorkToken" and event.name == "Transfer":
        source = "minted" if int(a["from"], 16) == 0 else f"from {a['from']}"
        return f"{jtn(a['value'])} {source} to {a['to']}"
    if event.contract == "WorkToken" and event.name == "Approval":
        return f"{a['spender']} may spend {jtn(a['value'])} of {a['owner']}"
    if event.name == "DelegateChanged":
        return f"{a['delegator']} delegates to {a['toDelegate']} (was {a['fromDelegate']})"
    if event.name == "DelegateVotesChanged":
        return f"votes of {a['delegate']}: {votes(a['previousVotes'])} -> {votes(a['newVotes'])}"
    if event.name == "ReputationChanged":
        return (
            f"reputation of {a['worker']}: {a['oldPoints']} -> {a['newPoints']} points "
            f"(voting {a['oldVotingPoints']} -> {a['newVotingPoints']})"
        )
    if event.name in ("VoteCast", "VoteCastWithParams"):
        reason = f': "{a["reason"]}"' if a.get("reason") else ""
        return (
            f"{a['voter']} voted {_VOTE_WORDS.get(a['support'], a['support'])} with "
            f"{votes(a['weight'])} votes{reason}"
        )
    found = rule_for_event(event)
    if found is not None:
        rule, old = found
        new = event.args.get("newValue", list(event.args.values())[-1])
        return f"{rule.label}: {rule.format(old)} -> {rule.format(int(new))}"
    if event.contract in ("WorkGovernor", "Timelock"):
        return f"{event.contract}.{event.name}"
    return plain_event(event)


def plain_event(event: Event) -> str:
    """Any event in plain form: `Contract.Name(arg=value, ...)`."""
    args = ", ".join(f"{k}={v}" for k, v in jsonable(event.args).items())
    return f"{event.contract}.{event.name}({args})"


_VOTE_WORDS = {int(vote): str(vote) for vote in Vote}


def _task_event(
    a: dict[str, Any],
    name: str,
    money: Callable[[int], str],
    jtn: Callable[[int], str],
    when: Callable[[int], str],
) -> str | None:
    """An escrow event with arguments `a`, in words; None for any other event."""
    if name == "TaskPosted":
        extra = f", needs {a['minReputation']} points" if a["minReputation"] else ""
        if a["worker"] != ZERO_ADDRESS:
            extra += f", reserved for {a['worker']}"
        return (
            f"posted by {a['client']}: {money(a['amount'])}, deadline "
            f"{when(a['deadline'])}, claim bond {a['bondBps'] / 100:g}%{extra}"
        )
    if name == "TaskClaimed":
        return f"claimed by {a['worker']}{_staked(a['bond'], money)}"
    if name == "TaskSubmitted":
        return (
            f"delivered 0x{a['deliverableHash'].hex()}; the client may review until "
            f"{when(a['reviewEnds'])}"
        )
    if name == "TaskCompleted":
        how = "released by the worker" if a["released"] else "approved by the client"
        bond = f" and its {money(a['bond'])} bond back" if a["bond"] else ""
        return (
            f"{how}: worker paid {money(a['workerAmount'])}{bond}, fee {money(a['fee'])}, "
            f"reward {jtn(a['reward'])}, +{a['points']} points"
        )
    if name == "TaskCancelled":
        return f"cancelled: {money(a['amount'])} back to the client"
    if name == "TaskReclaimed":
        bond = f" and the claimant's {money(a['bond'])} bond" if a["bond"] else ""
        return f"reclaimed after the deadline: {money(a['amount'])}{bond} to the client"
    if name == "TaskDisputed":
        return (
            f"disputed by {a['by']}{_staked(a['bond'], money)}; an arbiter may resolve it "
            f"until {when(a['arbitrationEnds'])}, then either party may settle it"
        )
    if name == "TaskResolved":
        side = "the worker" if a["workerShareBps"] >= 5_000 else "the client"
        bonds = f", both bonds ({money(a['bonds'])}) to {side}" if a["bonds"] else ""
        return (
            f"resolved by {a['arbiter']}: worker share {a['workerShareBps'] / 100:g}%, worker "
            f"paid {money(a['workerAmount'])}, client back {money(a['clientAmount'])}, "
            f"fee {money(a['fee'])}{bonds}"
        )
    if name == "TaskSettled":
        bonds = f" and both bonds ({money(a['bonds'])})" if a["bonds"] else ""
        return (
            f"settled by {a['by']} with no arbiter's ruling: {money(a['amount'])}{bonds} back "
            "to the client; no fee, reward or reputation"
        )
    if name == "PaymentOwed":
        return (
            f"{a['recipient']} could not receive {money(a['amount'])}: kept for it to "
            "withdraw (jeton tasks withdraw)"
        )
    if name == "Withdrawn":
        return f"{a['recipient']} withdrew {money(a['amount'])} kept for it"
    if name == "FeesSwept":
        return f"{money(a['amount'])} of fees swept to the treasury {a['treasury']}"
    if name == "RewardsCollected":
        return f"{jtn(a['amount'])} of work rewards collected by {a['worker']}"
    return None


def _credits_event(a: dict[str, Any], name: str, jtn: Callable[[int], str]) -> str | None:
    """An AccessCredits event with arguments `a`, in words; None for the others."""
    if name == "CreditsBought":
        return (
            f"{a['buyer']} bought {a['units']:,} units of service #{a['serviceId']} at "
            f"{jtn(a['unitPrice'])}: {jtn(a['cost'])} (the DAO's cut, {jtn(a['cut'])}, is "
            "taken only as units are used)"
        )
    if name == "CreditsConsumed":
        return (
            f"the provider used {a['units']:,} units of {a['buyer']}'s credits in service "
            f"#{a['serviceId']}: {jtn(a['value'])}, of which {jtn(a['cut'])} to the DAO"
        )
    if name == "CreditsRefunded":
        return (
            f"{a['buyer']} took back {jtn(a['amount'])} for {a['units']:,} unused units of "
            f"service #{a['serviceId']}"
        )
    if name == "ProceedsWithdrawn":
        return f"{a['provider']} withdrew {jtn(a['amount'])} of proceeds"
    if name == "CutSwept":
        return f"{jtn(a['amount'])} of the DAO's cut swept to {a['treasury']}"
    return None


def _staked(bond: int, money: Callable[[int], str]) -> str:
    return f", staking {money(bond)}" if bond else ""


__all__ = [
    "VOTING",
    "account_record",
    "amount_fields",
    "credit_record",
    "describe_event",
    "event_json",
    "iso",
    "jsonable",
    "payout_record",
    "plain_event",
    "proposal_record",
    "service_record",
    "task_record",
    "use_record",
]
