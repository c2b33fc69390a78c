"""What every scene of the demo's story shares: the ledger it keeps, and the steps a scene is
made of (post, claim, deliver, approve, expect a refusal...), each through the client as a real
user's call would go.

Every transaction of the story goes through the client (`jeton.tasks`, `jeton.gov`, `jeton.me`)
as a real user's would: simulated, then sent. Only the chain's clock and blocks are moved
directly, through `LocalNode` (that is what waiting looks like on a dev chain), and the faucet's
ETH for gas is a plain transfer.
"""

from __future__ import annotations

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
from ..devchain import LocalNode
from ..errors import ContractError
from ..formatting import format_bps, format_jtn
from ..governance import Proposal
from ..tasks import Task
from ..types import TxResult
from .cast import KINDS, Person, pick_size
from .narrator import Narrator

WAD = 10**18
DAY = 86_400
HOUR = 3_600
TIER_NAMES = ("newcomer", "skilled", "expert", "master")
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


class Scene:
    """The state a story plays with and the steps its scenes share (see `Story`)."""

    node: LocalNode
    n: Narrator
    out_dir: Path
    worker_count: int
    task_count: int
    seed: int
    rng: random.Random
    ledger: Ledger
    people: dict[str, Person]
    workers: list[Person]
    deployment: Deployment | None
    config_path: Path
    genesis_block: int
    genesis_time: int
    thresholds: list[int]
    reserved: Task | None
    fee_proposal: Proposal | None
    greedy_proposal: Proposal | None

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
        posted = next(
            e
            for e in j.events.query("TaskEscrow", ["TaskPosted"], from_block=since + 1)
            if e.args["taskId"] == task.id
        )
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


def rel_path(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
