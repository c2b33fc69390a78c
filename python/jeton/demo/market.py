"""The market scenes of the story: the setting up, the market rounds where clients post and
workers pick, claim and deliver, what goes wrong (a silent client, a missed deadline, a dispute),
and payday."""

from __future__ import annotations

import math

from ..client import Jeton
from ..devchain import deploy, project_root
from ..formatting import format_bps, format_duration, format_jtn, plural
from ..tasks import Task
from .cast import (
    DEMO_PASSWORD,
    KINDS,
    TREASURY_JTN,
    Person,
    create_workers,
    open_keystores,
    pick_size,
    write_config,
)
from .scene import HOUR, TIER_NAMES, WAD, WORKER_ETH, Scene, rel_path

#: The arbiter's split of the disputed task: the worker's share in basis points.
DISPUTE_SHARE_BPS = 6_000


class MarketScenes(Scene):
    """Setting up, act 1 (the market), act 2 (when things go wrong) and act 5 (payday)."""

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
                f"[dim]keystores in {rel_path(wallets)}, password {DEMO_PASSWORD!r} "
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
            n.say(f"[dim]{rel_path(self.config_path)}[/]")

        with n.step("Deploy the whole system with the deploy script (ape run deploy)"):
            self.deployment = deploy(
                self.node.url,
                self.config_path,
                deployments_dir=self.out_dir / "deployments",
                profile="local",
            )
            for name, address in self.deployment.addresses.items():
                n.say(f"{name:<14} {address}")
            n.say(f"[dim]{rel_path(self.deployment.path)}[/]")

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
