"""The demo's report: figures read back from the chain, tables for people, JSON for scripts.

Every figure of the final report is rebuilt from the chain through the client (the escrow's
events, account summaries, proposals), not from what the story believed it did; the story's
own records add the names, kinds and the timeline between.

Amounts in report.json are integers in JTN base units (1 JTN = 10**18), exact.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group
from rich.table import Table

from ..formatting import format_bps, format_duration, format_jtn, format_votes
from ..units import format_amount
from .tools import render_credits

if TYPE_CHECKING:
    from .story import Story

SCHEMA = "jeton-demo-report/1"
AMOUNT_UNIT = "JTN base units (1 JTN = 10**18)"

_FINAL_EVENTS = ("TaskCompleted", "TaskResolved", "TaskReclaimed", "TaskCancelled")


@dataclass
class DemoReport:
    """What `run_demo` returns: where the report went, and its data (as in report.json)."""

    out_dir: Path
    json_path: Path
    charts: list[Path]
    wall_seconds: float
    data: dict[str, Any] = field(repr=False)

    def __str__(self) -> str:
        charts = ", ".join(str(c) for c in self.charts)
        return f"Demo report: {self.json_path} · charts: {charts} · {self.wall_seconds:.0f} s"


# ---------------------------------------------------------------------- gathering


def gather(story: Story, *, rpc_url: str, started_node: bool) -> dict[str, Any]:
    """The report's data, read from the chain after the story ended."""
    j = story.people["faucet"].j
    ledger = story.ledger
    token = j.contracts.token.address
    escrow = j.deployment.addresses["TaskEscrow"]
    last_block = j.w3.eth.block_number
    last_time = j.block_timestamp()

    tasks = _tasks(story)
    deposits = sum(t["amount"] for t in tasks)
    paid = sum(t["worker_amount"] for t in tasks)
    fees = sum(t["fee"] for t in tasks)
    refunds = sum(t["refund"] for t in tasks)
    # Besides the one base unit of fees the escrow keeps accrued (see TaskEscrow.sweepFees).
    escrow_balance = j.me.summary(escrow).balance - j.tasks.accrued_fees()

    workers = []
    for w in story.workers:
        summary = j.me.summary(w.address)
        earnings = j.me.earnings(w.address)
        workers.append({
            "name": w.name,
            "address": w.address,
            "keystore": str(w.keystore),
            "tasks": earnings.tasks,
            "earned": earnings.earned.get(token, 0),
            "fees_paid": earnings.fees.get(token, 0),
            "rewards": earnings.rewards,
            "balance": summary.balance,
            "votes": summary.votes,
            "reputation": summary.reputation,
            "tier": summary.tier,
            "tier_name": summary.tier_name,
            "tracked_earned": ledger.earned[w.key],
            "tracked_points": ledger.points[w.key],
        })  # fmt: skip

    proposals = []
    for record in ledger.proposals:
        now = j.gov.proposal(int(record["id"]))
        proposals.append({**record, "state": str(now.state), "eta": now.eta})

    gas = {
        kind: {
            "count": len(values),
            "total": sum(values),
            "mean": round(sum(values) / len(values)),
            "min": min(values),
            "max": max(values),
        }
        for kind, values in ledger.gas.items()
        if values
    }
    people = [
        {"name": p.name, "role": p.role, "address": p.address, "genesis_jtn": p.genesis_jtn}
        for p in [*story.people.values(), *story.workers]
    ]
    return {
        "schema": SCHEMA,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "amount_unit": AMOUNT_UNIT,
        "parameters": {
            "workers": story.worker_count,
            "tasks": story.task_count,
            "seed": story.seed,
            "rpc_url": rpc_url,
            "started_node": started_node,
        },
        "chain": {
            "chain_id": j.chain_id,
            "genesis_block": story.genesis_block,
            "genesis_timestamp": story.genesis_time,
            "final_block": last_block,
            "final_timestamp": last_time,
            "days": round((last_time - story.genesis_time) / 86_400, 2),
        },
        "deployment": {
            "file": str(j.deployment.path),
            "config": str(story.config_path),
            "contracts": dict(j.deployment.addresses),
        },
        "tier_thresholds": story.thresholds,
        "people": people,
        "workers": workers,
        "tasks": tasks,
        "accounting": {
            "token": token,
            "tasks": len(tasks),
            "tasks_final": sum(1 for t in tasks if t["final"]),
            "deposits": deposits,
            "paid_to_workers": paid,
            "fees_to_treasury": fees,
            "refunds_to_clients": refunds,
            "accounted": paid + fees + refunds,
            "escrow_balance": escrow_balance,
            "balanced": paid + fees + refunds == deposits and escrow_balance == 0,
        },
        "reserved_task": ledger.facts.get("reserved_task"),
        "fee_change": ledger.facts.get("fee_change"),
        "out_of_bounds": ledger.facts.get("out_of_bounds"),
        "credits": ledger.facts.get("credits"),
        "proposals": proposals,
        "gas": gas,
        "refusals": ledger.refusals,
        "timeline": ledger.snapshots,
        "steps": [
            {"n": s.n, "act": s.act, "title": s.title, "seconds": round(s.seconds, 3)}
            for s in story.n.steps
        ],
    }


def _tasks(story: Story) -> list[dict[str, Any]]:
    """Every task of the deployment, with its outcome, from the escrow's events alone."""
    j = story.people["faucet"].j
    by_task: dict[int, dict[str, Any]] = defaultdict(dict)
    for task_id, timeline in j.tasks.timelines().items():
        for event in timeline:
            by_task[task_id].setdefault(event.name, event)
    names = {p.address: p.name for p in [*story.people.values(), *story.workers]}
    rows = []
    for task_id in sorted(by_task):
        events = by_task[task_id]
        posted = events["TaskPosted"].args
        note = story.ledger.notes.get(task_id)
        claimed = events.get("TaskClaimed")
        worker = claimed.args["worker"] if claimed else None
        row: dict[str, Any] = {
            "id": task_id,
            "kind": note.kind if note else "",
            "title": note.title if note else "",
            "role": note.role if note else "",
            "client": posted["client"],
            "client_name": names.get(posted["client"], ""),
            "worker": worker,
            "worker_name": names.get(worker, "") if worker else "",
            "amount": int(posted["amount"]),
            "fee_bps": int(posted["feeBps"]),
            "reward_bps": int(posted["rewardBps"]),
            "min_reputation": int(posted["minReputation"]),
            "posted_block": events["TaskPosted"].block,
            "claim_block": claimed.block if claimed else None,
            "outcome": "open",
            "final": False,
            "final_block": None,
            "worker_amount": 0,
            "fee": 0,
            "refund": 0,
            "reward": 0,
            "points": 0,
            "worker_share_bps": None,
        }
        if "TaskCompleted" in events:
            args = events["TaskCompleted"].args
            row.update(
                outcome="released" if args["released"] else "approved",
                worker_amount=int(args["workerAmount"]),
                fee=int(args["fee"]),
                reward=int(args["reward"]),
                points=int(args["points"]),
            )
        elif "TaskResolved" in events:
            args = events["TaskResolved"].args
            row.update(
                outcome="resolved",
                worker_amount=int(args["workerAmount"]),
                fee=int(args["fee"]),
                refund=int(args["clientAmount"]),
                reward=int(args["reward"]),
                worker_share_bps=int(args["workerShareBps"]),
            )
        elif "TaskReclaimed" in events:
            row.update(outcome="reclaimed", refund=int(events["TaskReclaimed"].args["amount"]))
        elif "TaskCancelled" in events:
            row.update(outcome="cancelled", refund=int(events["TaskCancelled"].args["amount"]))
        final = next((events[n] for n in _FINAL_EVENTS if n in events), None)
        if final is not None:
            row.update(final=True, final_block=final.block)
        rows.append(row)
    return rows


# ---------------------------------------------------------------------- writing


def write_json(data: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path


# ---------------------------------------------------------------------- showing


def render(data: dict[str, Any]) -> Group:
    """The final report as rich renderables: the tables a person reads."""
    parts: list[Any] = []

    workers = Table(title="Workers", title_justify="left", header_style="bold")
    for column in (
        "Worker",
        "Tasks",
        "Earned (JTN)",
        "Fees paid",
        "Rewards",
        "Balance",
        "Reputation",
        "Tier",
    ):
        workers.add_column(column, justify="left" if column in ("Worker", "Tier") else "right")
    for w in data["workers"]:
        workers.add_row(
            w["name"],
            str(w["tasks"]),
            format_amount(w["earned"]),
            format_amount(w["fees_paid"]),
            format_amount(w["rewards"]),
            format_amount(w["balance"]),
            f"{w['reputation']:,}",
            f"{w['tier']} {w['tier_name']}",
        )
    parts.append(workers)

    reserved = data.get("reserved_task")
    if reserved:
        parts.append(
            f"Reserved task #{reserved['task_id']} (needs {reserved['min_reputation']} points, "
            f"tier '{reserved['tier_name']}'): taken by {reserved['worker_name']} with "
            f"{reserved['points_at_claim']} points at claim time.\n"
        )

    votes = Table(title="Proposals", title_justify="left", header_style="bold")
    for column in ("Proposal", "For", "Against", "Abstain", "Quorum", "Outcome"):
        votes.add_column(column, justify="left" if column in ("Proposal", "Outcome") else "right")
    for p in data["proposals"]:
        outcome = p["state"]
        oob = data.get("out_of_bounds") or {}
        if oob.get("proposal_id") == p["id"]:
            outcome = f"{p['state']}: refused at execution ({oob.get('error')})"
        split = p["split"]["for"]
        votes.add_row(
            f"{p['change']}\n[dim]by {p['proposer_name']}[/]",
            f"{format_votes(p['for'])}\n[dim]{format_votes(split['tokens'])} tokens + "
            f"{format_votes(split['reputation'])} rep.[/]",
            format_votes(p["against"]),
            format_votes(p["abstain"]),
            format_votes(p["quorum"]),
            outcome,
        )
    parts.append(votes)

    fee = data.get("fee_change")
    oob = data.get("out_of_bounds")
    if fee:
        before, after = fee["task_before"], fee["task_after"]
        lines = [
            f"[bold]Fee[/]: {format_bps(fee['fee_before_bps'])} before → "
            f"{format_bps(fee['fee_after_bps'])} after; executed "
            f"{format_duration(fee['executed_at'] - fee['queued_at'])} after queueing "
            f"(timelock delay {format_duration(fee['delay'])}).",
            f"  task #{before['id']}, posted before the change: paid "
            f"{format_bps(before['fee_bps'])} ({format_jtn(before['fee'])}); task #{after['id']}, "
            f"posted after: paid {format_bps(after['fee_bps'])} ({format_jtn(after['fee'])}).",
        ]
        if oob:
            lines.append(
                f"  the {format_bps(oob['proposed_bps'])} proposal was refused at execution "
                f"({oob['error']}); the fee stayed {format_bps(oob['fee_after_bps'])}."
            )
        parts.append("\n".join(lines) + "\n")

    tools = render_credits(data)
    if tools:
        parts.append(tools)

    acc = data["accounting"]
    money = Table(
        title="Money in escrow (JTN)", title_justify="left", header_style="bold", show_header=False
    )
    money.add_column("What")
    money.add_column("Amount", justify="right")
    money.add_row(f"Deposits of {acc['tasks']} tasks", format_amount(acc["deposits"]))
    money.add_row("Paid to workers", format_amount(acc["paid_to_workers"]))
    money.add_row("Fees to the treasury", format_amount(acc["fees_to_treasury"]))
    money.add_row("Refunds to clients", format_amount(acc["refunds_to_clients"]))
    money.add_row("[bold]Left in escrow[/]", f"[bold]{format_amount(acc['escrow_balance'])}[/]")
    parts.append(money)
    verdict = (
        "every deposit accounted for" if acc["balanced"] else "[red]the figures do not add up[/]"
    )
    parts.append(f"{acc['tasks_final']} of {acc['tasks']} tasks final: {verdict}.\n")

    gas = Table(title="Gas per transaction", title_justify="left", header_style="bold")
    for column in ("Transaction", "Count", "Mean", "Min", "Max"):
        gas.add_column(column, justify="left" if column == "Transaction" else "right")
    for kind, g in sorted(data["gas"].items(), key=lambda item: -item[1]["mean"]):
        gas.add_row(kind, str(g["count"]), f"{g['mean']:,}", f"{g['min']:,}", f"{g['max']:,}")
    parts.append(gas)
    return Group(*parts)


def show(console: Console, data: dict[str, Any], files: list[Path]) -> None:
    console.print()
    console.rule("[bold]Report")
    console.print(render(data))
    console.print("[bold]Files[/]: " + ", ".join(str(f) for f in files))
