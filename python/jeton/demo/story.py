"""The story: a whole Jeton economy, played through the Python client.

Every transaction of the story goes through the client (`jeton.tasks`, `jeton.gov`, `jeton.me`)
as a real user's would: checked before sending, simulated, then sent. Only the chain's clock and
blocks are moved directly, through `LocalNode` (that is what waiting looks like on a dev chain),
and the faucet's ETH for gas is a plain transfer.
"""

from __future__ import annotations

import math
import random
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.markup import escape

from ..client import Jeton
from ..contracts import Deployment
from ..devchain import LocalNode, deploy, project_root
from ..errors import ContractError
from ..formatting import format_bps, format_duration, format_jtn, format_votes, plural, shorten
from ..governance import Proposal
from ..history import iter_events
from ..tasks import Task
from ..types import ProposalState, TaskStatus, TxResult, Vote
from .cast import (
    DEMO_PASSWORD,
    KINDS,
    TREASURY_JTN,
    Person,
    cast,
    create_workers,
    open_keystores,
    pick_size,
    write_config,
)
from .narrator import Narrator
from .tools import ToolsScene

WAD = 10**18
DAY = 86_400
HOUR = 3_600
TIER_NAMES = ("newcomer", "skilled", "expert", "master")
#: The arbiter's split of the disputed task: the worker's share in basis points.
DISPUTE_SHARE_BPS = 6_000
#: The fee the backer asks for, above the rulebook's hard bound (10%).
GREEDY_FEE_BPS = 2_000
#: ETH the faucet gives each worker for gas.
WORKER_ETH = 10**18


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass
class TaskNote:
    """What the story knows about a task beyond the chain: its kind, title and part."""

    id: int
    kind: str
    title: str
    client: str
    role: str
    amount: int
    posted_block: int
    worker: str | None = None
    claim_block: int | None = None


@dataclass
class Ledger:
    """What the story records as it goes: gas per kind, tasks, the workers' progress."""

    gas: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    notes: dict[int, TaskNote] = field(default_factory=dict)
    earned: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    points: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    snapshots: list[dict[str, Any]] = field(default_factory=list)
    refusals: list[dict[str, Any]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    proposals: list[dict[str, Any]] = field(default_factory=list)


class Story(ToolsScene):
    """Plays the demo on the node at `node.url` and records what happened in `ledger`."""

    def __init__(
        self,
        node: LocalNode,
        narrator: Narrator,
        out_dir: Path,
        *,
        workers: int,
        tasks: int,
        seed: int,
    ):
        if workers < 1 or tasks < 1:
            raise ValueError("the demo needs at least one worker and one task")
        self.node = node
        self.n = narrator
        self.out_dir = out_dir
        self.worker_count = workers
        self.task_count = tasks
        self.seed = seed
        self.rng = random.Random(seed)
        self.ledger = Ledger()
        self.people: dict[str, Person] = cast(tasks)
        self.workers: list[Person] = []
        self.deployment: Deployment | None = None
        self.config_path = out_dir / "deploy-config.json"
        self.genesis_block = 0
        self.genesis_time = 0
        self.thresholds: list[int] = []
        self.reserved: Task | None = None
        self.fee_proposal: Proposal | None = None
        self.greedy_proposal: Proposal | None = None

    # ================================================================== the acts

    def play(self) -> None:
        self.setup()
        self.market()
        self.trouble()
        self.fee_vote()
        self.greedy_vote()
        self.payday()
        self.tools()

    # ------------------------------------------------------------------ setting up

    def setup(self) -> None:
        n, p = self.n, self.people
        wallets = self.out_dir / "wallets"
        with n.step(
            f"{self.worker_count} {plural(self.worker_count, 'worker')} create a wallet: "
            f"an encrypted keystore each"
        ):
            self.workers = create_workers(wallets, self.worker_count)
            for w in self.workers:
                n.say(f"{w.name:<9} {w.address}")
            n.say(
                f"[dim]keystores in {_rel(wallets)}, password {DEMO_PASSWORD!r} "
                "(demo wallets only)[/]"
            )

        with n.step("Write the genesis: tokens to three clients, a backer and the treasury"):
            write_config(
                self.config_path,
                project_root() / "deploy-config.json",
                p,
                self.workers,
                self.task_count,
            )
            for person in p.values():
                if person.genesis_jtn:
                    n.say(f"{person.name:<20} {person.genesis_jtn:>10,} JTN  {person.role}")
            n.say(f"{'Treasury (timelock)':<20} {TREASURY_JTN:>10,} JTN  fees go here too")
            n.say(f"{'Workers':<20} {0:>10,} JTN  no tokens, no reputation")
            n.say(f"[dim]{_rel(self.config_path)}[/]")

        with n.step("Deploy the whole system with the deploy script (ape run deploy)"):
            self.deployment = deploy(
                self.node.url,
                self.config_path,
                deployments_dir=self.out_dir / "deployments",
                profile="local",
            )
            for name, address in self.deployment.addresses.items():
                n.say(f"{name:<14} {address}")
            n.say(f"[dim]{_rel(self.deployment.path)}[/]")

        with n.step("Everyone connects; the workers open their keystores with their password"):
            open_keystores(self.workers)
            for person in [*p.values(), *self.workers]:
                person.jeton = Jeton.connect(
                    self.node.url, account=person.wallet, deployment=self.deployment
                )
            faucet = p["faucet"].j
            self.genesis_block = self.deployment.block
            self.genesis_time = int(faucet.w3.eth.get_block(self.genesis_block)["timestamp"])
            self.thresholds = [int(x) for x in self._rules().tierThresholds().call()]
            fee = faucet.gov.rule_value("fee")
            review = self._rules().reviewPeriod().call()
            n.say(
                f"rules: fee {format_bps(fee)}, review period {format_duration(review)}, "
                f"tiers at {', '.join(f'{t:,}' for t in self.thresholds)} reputation points"
            )

        with n.step("The faucet (a funded test account) sends each worker 1 ETH for gas"):
            for w in self.workers:
                self._send_eth(p["faucet"], w, WORKER_ETH)
            n.say(f"{len(self.workers)} transfers of 1 ETH")

        with n.step("Everyone delegates their votes to themselves (only delegated tokens vote)"):
            for person in [p["lumen"], p["forge"], p["atlas"], p["vesta"], *self.workers]:
                self._tx("delegate", person.j.gov.delegate)
            n.say("clients, backer and workers now carry their own votes")
        self._snapshot("genesis", self.node.block_number())

    # ------------------------------------------------------------------ act 1

    def market(self) -> None:
        n, p = self.n, self.people
        n.act("Act 1 · The market: post, claim, deliver, get paid")
        threshold = self.thresholds[0]
        tier = TIER_NAMES[1]
        rounds = math.ceil(self.task_count / len(self.workers))

        with n.step(
            f"Forge Software posts a large task reserved for '{tier}' workers "
            f"({threshold}+ reputation points)"
        ):
            self.reserved = self._post(
                p["forge"], "software", "Audit the payment integration",
                self.rng.randint(250, 400), days=30 + rounds, min_reputation=threshold,
                role="reserved",
            )  # fmt: skip

        newcomer = self.workers[0]
        with n.step(f"{newcomer.name}, a newcomer, tries to take it"):
            self._expect_refusal(
                newcomer,
                f"claim task #{self.reserved.id}",
                lambda: newcomer.j.tasks.claim(self.reserved.id),
                "ReputationTooLow",
            )

        remaining, round_no = self.task_count, 0
        while remaining:
            round_no += 1
            batch = min(len(self.workers), remaining)
            remaining -= batch
            posted: list[Task] = []
            with n.step(f"Round {round_no}: clients post {batch} {plural(batch, 'task')}"):
                for _ in range(batch):
                    posted.append(self._post_of_kind(self.rng.choice(sorted(KINDS))))
            with n.step(
                f"Round {round_no}: workers list the open tasks they qualify for, "
                "claim one and deliver"
            ):
                taken = self._workers_pick({t.id for t in posted})
            with n.step(f"Round {round_no}: clients review and approve; workers are paid"):
                for _worker, task in taken:
                    self._approve(self._client_of(task.id), task.id)
            self._maybe_take_reserved()
            if remaining:
                self.node.advance(12 * HOUR)

        if self.ledger.facts.get("reserved_task") is None:
            self._top_up(threshold)
            self._maybe_take_reserved()
        with n.step(f"Forge Software approves the reserved task #{self.reserved.id}"):
            self._approve(p["forge"], self.reserved.id)

    def _workers_pick(self, batch: set[int]) -> list[tuple[Person, Task]]:
        taken = []
        order = list(self.workers)
        self.rng.shuffle(order)
        for worker in order:
            visible = worker.j.tasks.open_for_me()
            choices = [t for t in visible if t.id in batch]
            if not choices:
                self.n.say(f"{worker.name} finds nothing left to take this round")
                continue
            task = self.rng.choice(choices)
            batch.discard(task.id)
            self._claim(worker, task.id)
            self._deliver(worker, task.id)
            self.n.say(
                f"{worker.name} sees {len(visible)} open {plural(len(visible), 'task')} "
                f"for them, claims #{task.id} and delivers"
            )
            taken.append((worker, task))
        return taken

    def _maybe_take_reserved(self) -> None:
        if self.ledger.facts.get("reserved_task") is not None:
            return
        threshold = self.thresholds[0]
        ready = [w for w in self.workers if self.ledger.points[w.key] >= threshold]
        if not ready:
            return
        worker = max(ready, key=lambda w: self.ledger.points[w.key])
        task_id = self.reserved.id
        with self.n.step(
            f"{worker.name} reached tier '{TIER_NAMES[1]}' "
            f"({self.ledger.points[worker.key]} points): the reserved task "
            f"#{task_id} opens to them"
        ):
            visible = [t.id for t in worker.j.tasks.open_for_me()]
            if task_id not in visible:
                raise RuntimeError(f"task #{task_id} is not among {worker.name}'s open tasks")
            result = self._claim(worker, task_id)
            points = int(self._reputation().getPastPoints(worker.address, result.block - 1).call())
            self._deliver(worker, task_id)
            self.ledger.facts["reserved_task"] = {
                "task_id": task_id,
                "min_reputation": threshold,
                "tier": 1,
                "tier_name": TIER_NAMES[1],
                "worker": worker.address,
                "worker_name": worker.name,
                "points_at_claim": points,
                "claim_block": result.block,
            }
            self.n.say(
                f"{worker.name} claims #{task_id} with {points} points "
                f"(needs {threshold}) and delivers"
            )

    def _top_up(self, threshold: int) -> None:
        """Nobody reached the tier in the market rounds: the best worker gets follow-up work."""
        leader = max(self.workers, key=lambda w: self.ledger.points[w.key])
        fee_bps = self.people["forge"].j.gov.rule_value("fee")
        # A point is earned per FEE_PER_POINT of fee the work paid (see TaskEscrow).
        fee_per_point = int(
            self.people["forge"].j.contracts.escrow.functions.FEE_PER_POINT().call()
        )
        for _ in range(5):
            gap = threshold - self.ledger.points[leader.key]
            if gap <= 0:
                return
            amount = math.ceil(gap * fee_per_point * 10_000 / max(fee_bps, 1) / WAD) + 1
            with self.n.step(
                f"Forge Software offers {leader.name} follow-up work, reserved for "
                f"them by name ({gap} points short of the tier)"
            ):
                task = self._post(
                    self.people["forge"],
                    "software",
                    "Follow-up: extend the tests",
                    amount,
                    days=7,
                    worker=leader,
                    role="follow-up",
                )
                self._claim(leader, task.id)
                self._deliver(leader, task.id)
                self._approve(self.people["forge"], task.id)
        raise RuntimeError(f"{leader.name} did not reach {threshold} points")

    # ------------------------------------------------------------------ act 2

    def trouble(self) -> None:
        n, p = self.n, self.people
        n.act("Act 2 · When things go wrong")
        a, b, c = self._three_workers()
        review = int(self._rules().reviewPeriod().call())

        with n.step(f"Lumen Translations posts an urgent task due in one day; {a.name} claims it"):
            late = self._post(
                p["lumen"],
                "translation",
                "Urgent: translate a press release",
                pick_size(self.rng, KINDS["translation"]),
                days=1,
                role="expired",
            )
            self._claim(a, late.id)
            n.say(f"{a.name} claims #{late.id}… and never delivers")

        with n.step(f"Atlas ML posts a task; {b.name} delivers it; then Atlas goes silent"):
            quiet = self._post_of_kind("training", role="silent client")
            self._claim(b, quiet.id)
            self._deliver(b, quiet.id)
            n.say(f"{b.name} delivers #{quiet.id}; Atlas ML neither approves nor disputes")

        with n.step(f"{b.name} asks for the payment at once"):
            self._expect_refusal(
                b,
                f"release task #{quiet.id}",
                lambda: b.j.tasks.release(quiet.id),
                "ReviewPeriodActive",
            )

        with n.step(f"Lumen Translations posts a task; {c.name} delivers; Lumen disputes it"):
            disputed = self._post_of_kind("translation", role="disputed")
            self._claim(c, disputed.id)
            self._deliver(c, disputed.id)
            self._tx("dispute", lambda: p["lumen"].j.tasks.dispute(disputed.id))
            n.say(f"Lumen: “half of #{disputed.id} reads like a machine translation”")

        share = DISPUTE_SHARE_BPS
        with n.step(
            f"Iris, the arbiter the DAO appointed, splits #{disputed.id} "
            f"{share // 100}/{100 - share // 100}"
        ):
            result = self._tx("resolve", lambda: p["iris"].j.tasks.resolve(disputed.id, share))
            event = result.event("TaskResolved").args
            self._paid(result, f"#{disputed.id} resolved")
            n.say(
                f"{c.name} gets {format_jtn(event['workerAmount'])} "
                f"(fee {format_jtn(event['fee'])}), "
                f"Lumen gets {format_jtn(event['clientAmount'])} back; {c.name} now has "
                f"{self.ledger.points[c.key]} reputation points (a share under half would "
                f"have cost some)"
            )

        with n.step(f"Time passes: the {format_duration(review)} review period runs out"):
            n.wait_time(review + 1, self.node.advance, "waiting for the review period")

        with n.step(f"{b.name} releases the payment: Atlas ML had its chance to review"):
            result = self._tx("release", lambda: b.j.tasks.release(quiet.id))
            self._paid(result, f"#{quiet.id} released")
            self._say_paid(result, b, "released by the worker")

        with n.step(f"The deadline of #{late.id} has passed: Lumen reclaims its deposit"):
            result = self._tx("reclaim", lambda: p["lumen"].j.tasks.reclaim(late.id))
            refund = result.event("TaskReclaimed").args["amount"]
            n.say(f"Lumen Translations gets {format_jtn(refund)} back; {a.name} gets nothing")
            self._snapshot(f"#{late.id} reclaimed", result.block)

    # ------------------------------------------------------------------ act 3

    def fee_vote(self) -> None:
        n, p = self.n, self.people
        n.act("Act 3 · The DAO lowers the fee")
        proposer = max(self.workers, key=lambda w: self.ledger.points[w.key])
        gov = proposer.j.gov
        fee_before = gov.rule_value("fee")
        step = gov.rule_limits("fee").step
        new_fee = max(0, fee_before - step)

        with n.step(f"{proposer.name} proposes to lower the platform fee by one step"):
            description = (
                f"Lower the platform fee from {format_bps(fee_before)} to "
                f"{format_bps(new_fee)}: workers keep more of what they earn"
            )
            proposal = self._propose(proposer, lambda: gov.propose_fee(new_fee, description))
            n.say(f"“{proposal.changes[0].description}”")
            n.say(
                f"voting opens after block {proposal.snapshot} and closes after block "
                f"{proposal.deadline}"
            )
        self.fee_proposal = proposal

        self._open_voting(proposal)
        voters: list[tuple[Person, Vote, str]] = [
            *((w, Vote.FOR, "we keep more of what we earn") for w in self.workers),
            (p["lumen"], Vote.FOR, "lower fees bring better workers"),
            (p["forge"], Vote.FOR, "fair to the people who do the work"),
            (p["atlas"], Vote.ABSTAIN, "no strong view"),
            (p["vesta"], Vote.AGAINST, "fees fund the treasury"),
        ]
        with n.step("The DAO votes: delegated tokens and reputation both count"):
            self._cast(proposal, voters)
        proposal = self._close_voting(proposal)

        with n.step("The proposal passed: it is queued in the timelock, which gives notice"):
            queued = self._tx("queue", lambda: gov.queue(proposal.id))
            queued_at = self._timestamp(queued.block)
            proposal = gov.proposal(proposal.id)
            delay = int(self._timelock().getMinDelay().call())
            n.say(
                f"queued at block {queued.block}; executable after "
                f"{format_duration(delay)}, from {proposal.eta} (unix time)"
            )

        worker = self.workers[self.rng.randrange(len(self.workers))]
        with n.step(
            f"Meanwhile Forge Software posts a task: its fee is locked at {format_bps(fee_before)}"
        ):
            before = self._post_of_kind("software", role="fee before")
            self._claim(worker, before.id)
            self._deliver(worker, before.id)
            n.say(f"{worker.name} claims #{before.id} and delivers")

        with n.step("Somebody tries to execute the change at once"):
            self._expect_refusal(
                proposer,
                f"execute proposal {shorten(proposal.id)}",
                lambda: gov.execute(proposal.id),
                "TimelockUnexpectedOperationState",
            )

        with n.step(f"The timelock's {format_duration(delay)} pass"):
            wait = max(1, proposal.eta - p["faucet"].j.block_timestamp())
            n.wait_time(wait, self.node.advance, "waiting in the timelock")

        with n.step("Anyone may execute now: the fee changes"):
            executed = self._tx("execute", lambda: gov.execute(proposal.id))
            executed_at = self._timestamp(executed.block)
            fee_after = gov.rule_value("fee")
            n.say(
                f"platform fee: {format_bps(fee_before)} → {format_bps(fee_after)} "
                f"(block {executed.block}, {format_duration(executed_at - queued_at)} "
                f"after queueing)"
            )
            self._snapshot("fee lowered", executed.block)

        with n.step(f"Forge approves #{before.id}, posted before the change: it pays the old fee"):
            result = self._approve(p["forge"], before.id)
        fee_paid_before = result.event("TaskCompleted").args["fee"]

        worker2 = self.workers[self.rng.randrange(len(self.workers))]
        with n.step("Atlas ML posts a new task: it pays the new fee"):
            after = self._post_of_kind("training", role="fee after")
            self._claim(worker2, after.id)
            self._deliver(worker2, after.id)
            result = self._approve(p["atlas"], after.id)
        fee_paid_after = result.event("TaskCompleted").args["fee"]

        before_task = p["forge"].j.tasks.get(before.id)
        after_task = p["atlas"].j.tasks.get(after.id)
        self.ledger.facts["fee_change"] = {
            "proposal_id": str(proposal.id),
            "proposer": proposer.address,
            "proposer_name": proposer.name,
            "fee_before_bps": fee_before,
            "fee_after_bps": fee_after,
            "queued_block": queued.block,
            "queued_at": queued_at,
            "delay": delay,
            "eta": proposal.eta,
            "executed_block": executed.block,
            "executed_at": executed_at,
            "task_before": {
                "id": before.id,
                "posted_block": self.ledger.notes[before.id].posted_block,
                "amount": before_task.amount,
                "fee_bps": before_task.fee_bps,
                "fee": fee_paid_before,
            },
            "task_after": {
                "id": after.id,
                "posted_block": self.ledger.notes[after.id].posted_block,
                "amount": after_task.amount,
                "fee_bps": after_task.fee_bps,
                "fee": fee_paid_after,
            },
        }

    # ------------------------------------------------------------------ act 4

    def greedy_vote(self) -> None:
        n, p = self.n, self.people
        n.act("Act 4 · A fee above the hard bound")
        vesta = p["vesta"]
        gov = vesta.j.gov
        limits = gov.rule_limits("fee")
        description = f"Raise the platform fee to {format_bps(GREEDY_FEE_BPS)} to fill the treasury"

        with n.step(
            f"Vesta Capital wants the fee at {format_bps(GREEDY_FEE_BPS)}: "
            "the client checks the rule's bounds first"
        ):
            self._expect_refusal(
                vesta,
                f"propose a fee of {format_bps(GREEDY_FEE_BPS)}",
                lambda: gov.propose_fee(GREEDY_FEE_BPS, description),
                "RuleOutOfBounds",
            )

        with n.step("Vesta proposes it anyway, with the client's bounds check turned off"):
            proposal = self._propose(
                vesta, lambda: gov.propose_fee(GREEDY_FEE_BPS, description, check_bounds=False)
            )
            n.say(f"“{proposal.changes[0].description}” (hard bound: {format_bps(limits.max)})")
        self.greedy_proposal = proposal

        self._open_voting(proposal)
        voters: list[tuple[Person, Vote, str]] = [(vesta, Vote.FOR, "more fees, more treasury")]
        smallest = min(self.workers, key=lambda w: w.j.gov.voting_power(proposal.id))
        if smallest.j.gov.voting_power(proposal.id) < vesta.j.gov.voting_power(proposal.id):
            voters.append((smallest, Vote.AGAINST, "a 20% fee is not fair"))
        with n.step("Vesta votes for; few others turn out"):
            self._cast(proposal, voters)
        proposal = self._close_voting(proposal, note="it passes on Vesta's tokens")

        with n.step("The proposal is queued in the timelock"):
            self._tx("queue", lambda: gov.queue(proposal.id))
            proposal = gov.proposal(proposal.id)
        with n.step("The timelock's delay passes"):
            wait = max(1, proposal.eta - vesta.j.block_timestamp())
            n.wait_time(wait, self.node.advance, "waiting in the timelock")

        with n.step("Execution: the rulebook's hard bound stops it"):
            fee_before = gov.rule_value("fee")
            block_before = self.node.block_number()
            error = self._expect_refusal(
                vesta,
                f"execute proposal {shorten(proposal.id)}",
                lambda: gov.execute(proposal.id),
                None,
            )
            block_after = self.node.block_number()
            fee_after = gov.rule_value("fee")
            state = gov.proposal(proposal.id).state
            n.say(
                f"no transaction was sent (still block {block_after}); the fee stays "
                f"{format_bps(fee_after)}; the proposal stays {state}"
            )
        self.ledger.facts["out_of_bounds"] = {
            "proposal_id": str(proposal.id),
            "proposer": vesta.address,
            "proposer_name": vesta.name,
            "proposed_bps": GREEDY_FEE_BPS,
            "max_bps": limits.max,
            "error": getattr(error, "name", type(error).__name__),
            "message": str(error),
            "fee_before_bps": fee_before,
            "fee_after_bps": fee_after,
            "state": str(state),
            "block_before": block_before,
            "block_after": block_after,
            "tx_sent": block_after != block_before,
        }

    # ------------------------------------------------------------------ act 5

    def payday(self) -> None:
        n = self.n
        n.act("Act 5 · Payday")
        with n.step("Workers collect their work rewards: one mint each for all their tasks"):
            for w in self.workers:
                owed = w.j.tasks.rewards_owed()
                if not owed:
                    n.say(f"{w.name} has no rewards to collect")
                    continue
                self._tx("collect rewards", w.j.tasks.collect_rewards)
                n.say(f"{w.name} collects {format_jtn(owed)}")
        with n.step("Anyone sweeps the fees the escrow accrued to the treasury"):
            faucet = self.people["faucet"].j
            accrued = faucet.tasks.accrued_fees()
            self._tx("sweep fees", faucet.tasks.sweep_fees)
            n.say(f"{format_jtn(accrued)} of fees to the treasury (the timelock)")
        with n.step("Every task is final: nothing is left in escrow"):
            escrow = self.deployment.addresses["TaskEscrow"]
            # One base unit of fees stays accrued (the escrow keeps its slot warm for gas).
            left = faucet.me.summary(escrow).balance - faucet.tasks.accrued_fees()
            open_tasks = [t for t in faucet.tasks.list() if not t.is_final]
            n.say(f"tasks still open: {len(open_tasks)}; escrow balance: {format_jtn(left)}")
            if open_tasks or left:
                raise RuntimeError(
                    f"{len(open_tasks)} task(s) not final, {format_jtn(left)} in escrow"
                )

    # ================================================================== helpers

    def _tx(self, kind: str, call: Callable[[], TxResult]) -> TxResult:
        result = call()
        self.ledger.gas[kind].append(result.gas_used)
        return result

    def _post(
        self,
        client: Person,
        kind: str,
        title: str,
        amount_jtn: int,
        *,
        days: float,
        min_reputation: int = 0,
        worker: Person | None = None,
        role: str = "market",
    ) -> Task:
        j = client.j
        since = j.w3.eth.block_number
        task = j.tasks.post(
            amount_jtn * WAD,
            deadline=j.block_timestamp() + int(days * DAY),
            spec=f"jeton-demo://{kind}/{slug(title)}",
            min_reputation=min_reputation,
            worker=worker.address if worker else None,
            bond_bps=0,  # the demo's workers start with no tokens to stake as a claim bond
        )
        posted = next(iter_events(j, "TaskEscrow", "TaskPosted", {"taskId": task.id}, since + 1))
        self.ledger.gas["post task"].append(self._gas_of(j, posted.tx_hash))
        self.ledger.notes[task.id] = TaskNote(
            task.id, kind, title, client.key, role, task.amount, posted.block
        )
        extra = ""
        if min_reputation:
            extra = f", needs {min_reputation} reputation"
        if worker is not None:
            extra = f", reserved for {worker.name}"
        self.n.say(
            f"#{task.id} {kind}: “{escape(title)}” · {format_jtn(task.amount)} from "
            f"{client.name} · fee {format_bps(task.fee_bps)} locked{extra}"
        )
        return task

    def _post_of_kind(self, kind: str, *, role: str = "market") -> Task:
        """A task of `kind` (a key of KINDS) due in a week, posted by the kind's client, its
        title and size drawn from the kind."""
        spec = KINDS[kind]
        title = self.rng.choice(spec.titles)
        return self._post(
            self.people[spec.client], kind, title, pick_size(self.rng, spec), days=7, role=role
        )

    def _claim(self, worker: Person, task_id: int) -> TxResult:
        result = self._tx("claim", lambda: worker.j.tasks.claim(task_id))
        note = self.ledger.notes[task_id]
        note.worker, note.claim_block = worker.key, result.block
        return result

    def _deliver(self, worker: Person, task_id: int) -> TxResult:
        note = self.ledger.notes[task_id]
        path = self.out_dir / "deliveries" / f"task-{task_id:03d}-{slug(worker.name)}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{note.title}\nDelivered by {worker.name} ({worker.address}).\n")
        return self._tx("submit", lambda: worker.j.tasks.submit(task_id, path))

    def _approve(self, client: Person, task_id: int) -> TxResult:
        result = self._tx("approve", lambda: client.j.tasks.approve(task_id))
        self._paid(result, f"#{task_id} approved")
        worker = self._worker_of(task_id)
        self._say_paid(result, worker, f"{client.name} approves #{task_id}")
        return result

    def _say_paid(self, result: TxResult, worker: Person, how: str) -> None:
        args = result.event("TaskCompleted").args
        points = self.ledger.points[worker.key]
        self.n.say(
            f"{how}: {worker.name} gets {format_jtn(args['workerAmount'])}, "
            f"fee {format_jtn(args['fee'])} to the treasury, +{args['points']} reputation "
            f"→ {points} ({self._tier_name(points)})"
        )

    def _paid(self, result: TxResult, label: str) -> None:
        """Follow a payout's events: the worker's earnings and reputation."""
        for event in result.events:
            args = event.args
            if event.name in ("TaskCompleted", "TaskResolved"):
                worker = self._worker_of(args["taskId"])
                self.ledger.earned[worker.key] += args["workerAmount"]
            elif event.name == "ReputationChanged":
                worker = self._person(args["worker"])
                self.ledger.points[worker.key] = int(args["newPoints"])
        self._snapshot(label, result.block)

    def _snapshot(self, label: str, block: int) -> None:
        stamp = self._timestamp(block)
        self.ledger.snapshots.append({
            "label": label,
            "block": block,
            "timestamp": stamp,
            "day": round((stamp - self.genesis_time) / DAY, 4) if self.genesis_time else 0.0,
            "workers": {
                w.name: {"earned": self.ledger.earned[w.key], "points": self.ledger.points[w.key]}
                for w in self.workers
            },
        })  # fmt: skip

    def _expect_refusal(
        self, who: Person, action: str, call: Callable[[], Any], error_name: str | None
    ) -> ContractError:
        """Run `call`, which the client must refuse before sending; show its explanation."""
        nonce = who.j.w3.eth.get_transaction_count(who.address)
        try:
            call()
        except ContractError as exc:
            if error_name is not None and exc.name != error_name:
                raise
            if who.j.w3.eth.get_transaction_count(who.address) != nonce:
                raise RuntimeError(f"a transaction was sent for: {action}") from exc
            self.n.refused(who.name, action, exc)
            self.ledger.refusals.append({
                "step": self.n.current.n if self.n.current else 0,
                "who": who.name,
                "action": action,
                "error": exc.name,
                "message": str(exc),
            })  # fmt: skip
            return exc
        raise RuntimeError(
            f"expected {error_name or 'a refusal'} for {who.name}: {action}, but it went through"
        )

    def _propose(self, proposer: Person, call: Callable[[], Proposal]) -> Proposal:
        proposal = call()
        created = next(
            e
            for e in iter_events(
                proposer.j,
                "WorkGovernor",
                "ProposalCreated",
                None,
                proposal.created_block,
                proposal.created_block,
            )
            if int(e.args["proposalId"]) == proposal.id
        )
        self.ledger.gas["propose"].append(self._gas_of(proposer.j, created.tx_hash))
        return proposal

    def _open_voting(self, proposal: Proposal) -> None:
        j = self.people["faucet"].j
        with self.n.step("Voting opens after the voting delay"):
            blocks = max(0, proposal.snapshot + 1 - j.w3.eth.block_number)
            self.n.wait_blocks(blocks, self.node.mine, "waiting for the vote to open")
            for _ in range(10):
                if j.gov.proposal(proposal.id).state != ProposalState.PENDING:
                    break
                self.node.mine(1)

    def _cast(self, proposal: Proposal, voters: list[tuple[Person, Vote, str]]) -> None:
        for person, support, reason in voters:
            result = self._tx(
                "vote", lambda p=person, s=support, r=reason: p.j.gov.vote(proposal.id, s, reason=r)
            )
            weight = result.event("VoteCast").args["weight"]
            tokens = int(self._token().getPastVotes(person.address, proposal.snapshot).call())
            self.n.say(
                f"{person.name:<18} votes {str(support):<7} with "
                f"{format_votes(weight):>8} votes "
                f"({format_votes(tokens)} from tokens, "
                f"{format_votes(weight - tokens)} from reputation): "
                f"“{escape(reason)}”"
            )

    def _close_voting(self, proposal: Proposal, note: str = "") -> Proposal:
        j = self.people["faucet"].j
        with self.n.step("The voting period runs out"):
            current = j.gov.proposal(proposal.id)
            blocks = max(0, current.deadline + 1 - j.w3.eth.block_number)
            self.n.wait_blocks(blocks, self.node.mine, "voting is open")
            # A late quorum may have extended the deadline: mine on until the vote closes.
            for _ in range(100):
                current = j.gov.proposal(proposal.id)
                if current.state != ProposalState.ACTIVE:
                    break
                self.node.mine(max(1, current.deadline + 1 - j.w3.eth.block_number))
            tally = (
                f"for {format_votes(current.for_votes)}, against "
                f"{format_votes(current.against_votes)}, abstain "
                f"{format_votes(current.abstain_votes)}; quorum "
                f"{format_votes(current.quorum)}"
            )
            self.n.say(f"{tally} → {current.state}" + (f": {note}" if note else ""))
            self.ledger.proposals.append(self._proposal_record(current))
            if current.state != ProposalState.SUCCEEDED:
                raise RuntimeError(f"proposal {shorten(current.id)} was {current.state}: {tally}")
        return current

    def _proposal_record(self, proposal: Proposal) -> dict[str, Any]:
        tally = self.people["faucet"].j.gov.tally(proposal.id)
        voters = [
            {
                "name": self._person(record.voter).name,
                "address": record.voter,
                "support": str(record.support),
                "weight": record.weight,
                "token_votes": tokens,
                "reputation_votes": record.weight - tokens,
                "reason": record.reason,
                "block": record.block,
            }
            for record, tokens in tally.votes
        ]
        split = {
            str(side): {"tokens": tally.tokens[side], "reputation": tally.reputation[side]}
            for side in (Vote.FOR, Vote.AGAINST, Vote.ABSTAIN)
        }
        return {
            "id": str(proposal.id),
            "proposer": proposal.proposer,
            "proposer_name": self._person(proposal.proposer).name,
            "description": proposal.description,
            "change": proposal.changes[0].description if proposal.changes else "",
            "state_after_vote": str(proposal.state),
            "for": proposal.for_votes,
            "against": proposal.against_votes,
            "abstain": proposal.abstain_votes,
            "quorum": proposal.quorum,
            "snapshot": proposal.snapshot,
            "deadline": proposal.deadline,
            "split": split,
            "voters": voters,
        }

    def _send_eth(self, sender: Person, to: Person, wei: int) -> None:
        w3 = sender.j.w3
        tx = {
            "to": to.address,
            "value": wei,
            "gas": 21_000,
            "gasPrice": w3.eth.gas_price,
            "nonce": w3.eth.get_transaction_count(sender.address, "pending"),
            "chainId": sender.j.chain_id,
        }
        tx_hash = w3.eth.send_raw_transaction(sender.wallet.sign_transaction(tx))
        receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=60, poll_latency=0.1)
        if receipt["status"] != 1:
            raise RuntimeError(f"the ETH transfer to {to.name} failed")
        self.ledger.gas["send ETH"].append(int(receipt["gasUsed"]))

    def _three_workers(self) -> list[Person]:
        order = list(self.workers)
        self.rng.shuffle(order)
        return [order[i % len(order)] for i in range(3)]

    def _client_of(self, task_id: int) -> Person:
        return self.people[self.ledger.notes[task_id].client]

    def _worker_of(self, task_id: int) -> Person:
        key = self.ledger.notes[task_id].worker
        return next(w for w in self.workers if w.key == key)

    def _person(self, address: str) -> Person:
        for person in [*self.people.values(), *self.workers]:
            if person.address.lower() == address.lower():
                return person
        raise KeyError(address)

    def _tier_name(self, points: int) -> str:
        tier = sum(1 for t in self.thresholds if points >= t)
        return TIER_NAMES[tier]

    def _timestamp(self, block: int) -> int:
        return int(self.people["faucet"].j.w3.eth.get_block(block)["timestamp"])

    def _gas_of(self, j: Jeton, tx_hash: str) -> int:
        return int(j.w3.eth.get_transaction_receipt(tx_hash)["gasUsed"])

    # Read-only views of the contracts, for figures the story reports.
    def _rules(self):
        return self.people["faucet"].j.contracts.rules.functions

    def _reputation(self):
        return self.people["faucet"].j.contracts.reputation.functions

    def _token(self):
        return self.people["faucet"].j.contracts.token.functions

    def _timelock(self):
        return self.people["faucet"].j.contracts.timelock.functions


def _rel(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


__all__ = ["Story", "Ledger", "TaskNote", "TaskStatus"]
