"""The connected account (`jeton.me`): balance, reputation, tier, votes, and what it earned.

Amounts are int fields in base units; each result prints in tokens.

>>> me = jeton.me.summary()
>>> print(me.tier_name, me.reputation, me.next_tier_points)
skilled 150 1000
>>> me.balance
691610000000000000000
>>> print(me)
0x70997970C51812dc3A010C7d01b50e0d17dc79C8: 691.61 JTN and 9,999.99 ETH; 700 votes (...
>>> jeton.me.earnings().earned
{'0x5FbD...': 190000000000000000000}
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .formatting import format_time, format_votes, plural, shorten
from .parsing import checksum, parse_address
from .rpc import quantity
from .types import Event
from .units import TokenInfo, format_amount, format_eth

if TYPE_CHECKING:
    from .client import Jeton

#: Tier names, from tier 0 to tier 3 (the rulebook holds the thresholds of tiers 1 to 3).
TIER_NAMES = ("newcomer", "skilled", "expert", "master")

ZERO_ADDRESS = "0x" + "00" * 20
ESCROW = "TaskEscrow"


@dataclass(frozen=True)
class AccountSummary:
    """An account's standing. Token amounts are base units (JTN has 18 decimals)."""

    address: str
    #: Work tokens held.
    balance: int
    eth_balance: int
    #: Voting power now: delegated token votes plus weighted reputation (WorkVotes.getVotes).
    votes: int
    #: Delegated token votes alone (WorkToken.getVotes).
    token_votes: int
    #: Whom the account's token votes are delegated to (None: nobody, so they count nowhere).
    delegate: str | None
    #: Reputation's tier points (from every paid task; they open tasks and tiers).
    reputation: int
    tier: int
    tier_name: str
    #: The points at which the next tier starts (None at the top tier).
    next_tier_points: int | None
    #: Work rewards credited and not collected yet (`jeton.tasks.collect_rewards()`).
    rewards_owed: int
    #: Reputation's voting points (from fees paid in the work token only; they carry votes).
    voting_points: int = 0

    @property
    def points_to_next_tier(self) -> int | None:
        """Points still missing for the next tier (None at the top tier)."""
        if self.next_tier_points is None:
            return None
        return max(self.next_tier_points - self.reputation, 0)

    def __str__(self) -> str:
        if self.delegate is None:
            delegate = "votes not delegated"
        else:
            delegate = "delegated to " + (
                "itself" if self.delegate == self.address else self.delegate
            )
        upto = f", next tier at {self.next_tier_points:,}" if self.next_tier_points else ""
        return (
            f"{self.address}: {_jtn(self.balance)} and {format_eth(self.eth_balance)}; "
            f"{format_votes(self.votes)} votes ({format_votes(self.token_votes)} from tokens, "
            f"{delegate}); {self.reputation:,} reputation points, tier {self.tier} "
            f"{self.tier_name}{upto}; {_jtn(self.rewards_owed)} of rewards to collect"
        )


@dataclass(frozen=True)
class Payout:
    """One payment to a worker for a task, as its event recorded it."""

    task_id: int
    block: int
    #: What the worker received, in base units of `token`, the fee already taken.
    worker_amount: int
    #: The fee the payout took for the treasury, in base units of `token`.
    fee: int
    #: Work reward credited, in JTN base units (always 0 for a task paid in another token).
    reward: int
    #: Reputation change the payout caused (negative when a dispute was lost).
    points: int
    token: str
    #: "approved" (by the client), "released" (by the worker after review) or "resolved"
    #: (a dispute split by an arbiter; a dispute settled without one pays the worker nothing).
    kind: str
    #: The arbiter who resolved the dispute (None otherwise).
    arbiter: str | None = None
    tx_hash: str = ""
    #: Unix time of the payout's block.
    timestamp: int = 0
    #: The symbol and decimals of `token`, for reading its amounts.
    symbol: str = "JTN"
    decimals: int = 18

    def __str__(self) -> str:
        when = f" on {format_time(self.timestamp)}" if self.timestamp else ""
        by = f" by {self.arbiter}" if self.arbiter else ""
        money = TokenInfo(self.token, self.symbol, self.decimals).format
        return (
            f"task {self.task_id}, {self.kind}{by}{when}: {money(self.worker_amount)} paid "
            f"(fee {money(self.fee)}), reward {_jtn(self.reward)}, {self.points:+,} points"
        )


@dataclass(frozen=True)
class Earnings:
    """What an account earned as a worker, totalled from its payouts."""

    address: str
    #: Tasks that paid it (approved, released or resolved).
    tasks: int
    #: Amount received, per payment token (base units).
    earned: dict[str, int] = field(default_factory=dict)
    #: Fees taken from those payouts, per payment token (base units).
    fees: dict[str, int] = field(default_factory=dict)
    #: Work rewards credited, in JTN base units (collected or not).
    rewards: int = 0
    #: Net reputation points from those payouts.
    points: int = 0
    #: Each payment token's symbol and decimals, by address.
    tokens: dict[str, TokenInfo] = field(default_factory=dict)

    @classmethod
    def from_payouts(cls, address: str, payouts: list[Payout]) -> Earnings:
        """The totals of `payouts`."""
        earned: dict[str, int] = defaultdict(int)
        fees: dict[str, int] = defaultdict(int)
        for payout in payouts:
            earned[payout.token] += payout.worker_amount
            fees[payout.token] += payout.fee
        return cls(
            address=address,
            tasks=len(payouts),
            earned=dict(earned),
            fees=dict(fees),
            rewards=sum(p.reward for p in payouts),
            points=sum(p.points for p in payouts),
            tokens={p.token: TokenInfo(p.token, p.symbol, p.decimals) for p in payouts},
        )

    def __str__(self) -> str:
        def money(amounts: dict[str, int]) -> str:
            shown = [self._format(token, value) for token, value in amounts.items()]
            return " and ".join(shown) or _jtn(0)

        return (
            f"{self.address}: {self.tasks} {plural(self.tasks, 'task')} paid, "
            f"{money(self.earned)} earned (fees {money(self.fees)}), {_jtn(self.rewards)} of "
            f"work rewards, {self.points:+,} reputation points"
        )

    def _format(self, token: str, value: int) -> str:
        info = self.tokens.get(token)
        if info is None:
            return f"{format_amount(value)} of {shorten(token)}"
        return info.format(value)


@dataclass(frozen=True)
class WorkHistory:
    """A worker's payouts, oldest first, and their totals."""

    payouts: list[Payout]
    earnings: Earnings

    def __str__(self) -> str:
        return "\n".join([str(self.earnings), *(f"  {p}" for p in self.payouts)])


def _jtn(amount: int) -> str:
    return format_amount(amount, symbol="JTN")


class AccountInfo:
    """The wallet's account, or any other address given (`jeton.me`)."""

    def __init__(self, jeton: Jeton):
        self._jeton = jeton

    def summary(self, address: str | None = None) -> AccountSummary:
        """Balance, votes, reputation and tier of `address` (default: the wallet), read in
        one batched round trip."""
        who = self._who(address)
        contracts = self._jeton.contracts
        token = contracts.token.functions
        reputation = contracts.reputation.functions
        calls = [
            token.balanceOf(who),
            contracts.votes.functions.getVotes(who),
            token.getVotes(who),
            token.delegates(who),
            reputation.pointsOf(who),
            reputation.tierOf(who),
            contracts.rules.functions.tierThresholds(),
            contracts.escrow.functions.rewardsOwed(who),
            reputation.votingPointsOf(who),
        ]
        values, (eth,) = self._jeton.call_with(calls, [("eth_getBalance", [who, "latest"])])
        balance, votes, token_votes, delegate, points, tier, thresholds, owed, voting = values
        return AccountSummary(
            address=who,
            balance=int(balance),
            eth_balance=quantity(eth),
            votes=int(votes),
            token_votes=int(token_votes),
            delegate=None if int(delegate, 16) == 0 else checksum(delegate),
            reputation=int(points),
            tier=int(tier),
            tier_name=TIER_NAMES[tier],
            next_tier_points=int(thresholds[tier]) if tier < len(thresholds) else None,
            rewards_owed=int(owed),
            voting_points=int(voting),
        )

    def payouts(self, address: str | None = None) -> list[Payout]:
        """Every payout to `address` (default: the wallet) as a worker, oldest first, with
        its time: from the TaskCompleted and TaskResolved events."""
        return self._payouts(self._who(address), with_times=True)

    def earnings(self, address: str | None = None) -> Earnings:
        """Totals of `address`'s payouts (default: the wallet): tasks, amounts and fees per
        token, rewards and reputation."""
        who = self._who(address)
        return Earnings.from_payouts(who, self._payouts(who, with_times=False))

    def history(self, address: str | None = None) -> WorkHistory:
        """`address`'s payouts as a worker (default: the wallet) and their totals, from one
        reading of the events."""
        who = self._who(address)
        payouts = self.payouts(who)
        return WorkHistory(payouts, Earnings.from_payouts(who, payouts))

    # ------------------------------------------------------------------ internals

    def _who(self, address: str | None) -> str:
        return parse_address(address) if address else self._jeton.address

    def _payouts(self, who: str, with_times: bool) -> list[Payout]:
        """The worker's payouts from the event index: its TaskCompleted events and the
        TaskResolved events of the tasks it worked on (the escrow says whose they are), each
        with its task's token (from the TaskPosted events) and, for a resolution, the
        reputation it gained or lost (from the ReputationChanged events)."""
        events = self._jeton.events
        completed, resolved = events.query_all(
            [
                (ESCROW, ["TaskCompleted"], {"worker": who}),
                (ESCROW, ["TaskResolved"], None),
            ]
        )
        tasks = self._jeton.tasks
        resolved_ids = [e.args["taskId"] for e in resolved]
        mine = {t.id for t in tasks.load_many(resolved_ids) if t.worker == who}
        resolved = [e for e in resolved if e.args["taskId"] in mine]
        points = {e.args["taskId"]: e.args["points"] for e in completed}
        if mine:
            changes = events.fetch(
                "Reputation", ["ReputationChanged"], {"worker": who, "taskId": sorted(mine)}
            )
            for change in changes:
                delta = change.args["newPoints"] - change.args["oldPoints"]
                points[change.args["taskId"]] = points.get(change.args["taskId"], 0) + delta
        payouts = sorted([*completed, *resolved], key=lambda e: (e.block, e.log_index))
        tokens = tasks.tokens_of([e.args["taskId"] for e in payouts])
        times = events.timestamps(e.block for e in payouts) if with_times else {}
        return [
            self._payout(e, points.get(e.args["taskId"], 0), tokens[e.args["taskId"]], times)
            for e in payouts
        ]

    def _payout(self, event: Event, points: int, token: str, times: dict[int, int]) -> Payout:
        args = event.args
        resolved = event.name == "TaskResolved"
        arbiter = args.get("arbiter")
        info = self._jeton.token_info(token)
        return Payout(
            task_id=args["taskId"],
            block=event.block,
            worker_amount=args["workerAmount"],
            fee=args["fee"],
            reward=args["reward"],
            points=points,
            token=info.address,
            kind="resolved" if resolved else "released" if args["released"] else "approved",
            arbiter=arbiter if resolved and int(arbiter, 16) != 0 else None,
            tx_hash=event.tx_hash,
            timestamp=times.get(event.block, 0),
            symbol=info.symbol,
            decimals=info.decimals,
        )
