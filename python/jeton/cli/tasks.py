"""`jeton tasks ...`: list, show, post and move tasks through their lifecycle."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .. import records, units
from ..types import Event, TaskStatus
from .common import (
    ADDRESS,
    AMOUNT,
    DEADLINE,
    emit,
    event_json,
    fields,
    find_tx,
    iso,
    progress,
    report_tx,
    short,
    state,
    table,
    to_base_units,
)

TASK_ID = click.IntRange(min=1)
STATUSES = [s.name.lower() for s in TaskStatus if s is not TaskStatus.NONE]
ZERO_ADDRESS = "0x" + "00" * 20


@click.group()
def tasks():
    """Tasks: find work, post work, and move a task from open to paid."""


# ------------------------------------------------------------------ views


def task_json(task) -> dict[str, Any]:
    symbol, decimals = state().token(task.token)
    work_token = state().connect().deployment.addresses["WorkToken"]
    return records.task_record(task, symbol, decimals, work_token)


def _amount(record: dict[str, Any]) -> str:
    return units.format_amount(
        int(record["amount"]), record["decimals"], symbol=record["token_symbol"]
    )


def describe(event: Event, money: Callable[[int], str], jtn: Callable[[int], str]) -> str:
    """What an event means, in words (`money` formats the task's token)."""
    return records.describe_event(event, jtn, money, when=state().when)


def describer(task_id: int | None = None, token: str | None = None) -> Callable[[Event], str]:
    """`describe` with the amounts of task `task_id`'s token, or of `token` (the WorkToken if
    neither is given)."""
    st = state()
    if task_id is not None:
        token = st.connect().tasks.get(task_id).token
    money, jtn = st.money(token), st.money()
    return lambda event: describe(event, money, jtn)


# ------------------------------------------------------------------ reading


@tasks.command("list")
@click.option(
    "--status", type=click.Choice(STATUSES, case_sensitive=False), help="Only tasks in this state."
)
@click.option("--mine", is_flag=True, help="Only tasks you posted or work on.")
@click.option(
    "--open-for-me",
    is_flag=True,
    help="Only open tasks you may claim now (deadline, reputation, named worker).",
)
def list_tasks(status, mine, open_for_me):
    """List tasks (all of them, or filtered)."""
    if mine and open_for_me:
        raise click.UsageError(
            "--mine and --open-for-me exclude each other: your own tasks are never open for you"
        )
    jeton = state().connect(wallet=mine or open_for_me)
    wanted = TaskStatus[status.upper()] if status else None
    if open_for_me:
        found = [t for t in jeton.tasks.open_for_me() if wanted in (None, t.status)]
    elif mine:
        found = {t.id: t for t in jeton.tasks.list(status=wanted, client=jeton.address)}
        found.update({t.id: t for t in jeton.tasks.list(status=wanted, worker=jeton.address)})
        found = list(found.values())
    else:
        found = jeton.tasks.list(status=wanted)
    records = [task_json(t) for t in sorted(found, key=lambda t: t.id)]
    rows = [
        [
            str(r["id"]),
            r["status"],
            _amount(r),
            short(r["client"]),
            short(r["worker"]),
            f"{r['bond_bps'] / 100:g}%",
            state().when(r["deadline"]),
            str(r["min_reputation"]),
        ]
        for r in records
    ]
    columns = ["ID", "Status", "Amount", "Client", "Worker", "Bond", "Deadline", "Min rep."]
    emit(records, table(columns, rows) if rows else "No tasks match.")


@tasks.command()
@click.argument("task_id", type=TASK_ID)
def show(task_id):
    """One task: its terms, state and timeline (rebuilt from the escrow's events)."""
    jeton = state().connect()
    task = jeton.tasks.get(task_id)
    record = task_json(task)
    describe_event = describer(task_id)
    timeline = []
    events = jeton.tasks.timeline(task_id)
    stamps = jeton.events.timestamps(e.block for e in events)  # one batch
    for event in events:
        stamp = stamps[event.block]
        timeline.append(
            {
                **event_json(event),
                "timestamp": stamp,
                "time": iso(stamp),
                "summary": describe_event(event),
            }
        )
    window = {TaskStatus.SUBMITTED: "Review ends", TaskStatus.DISPUTED: "Arbitration ends"}
    if record["earns_reward"]:
        reward = f"reward {task.reward_bps / 100:g}% of the fee"
    else:
        work_symbol, _ = state().token(jeton.deployment.addresses["WorkToken"])
        reward = f"no work reward: paid in {record['token_symbol']}, not {work_symbol}"
    view = [
        ("Status", record["status"]),
        ("Amount", f"{_amount(record)} (fee {task.fee_bps / 100:g}%, {reward})"),
        (
            "Claim bond",
            f"{task.bond_bps / 100:g}% ({units.format_amount(task.bond, record['decimals'])} "
            f"{record['token_symbol']}, staked by the worker, and by whoever disputes)",
        ),
        ("Client", task.client),
        ("Worker", task.worker or "— (anyone who qualifies may claim)"),
        ("Deadline", state().when(task.deadline)),
        ("Min. reputation", f"{task.min_reputation:,} points"),
    ]
    if task.status in window:
        view.append((window[task.status], state().when(task.window_ends)))
    rows = [
        [str(e["block"]), state().when(e["timestamp"]), e["name"], e["summary"]] for e in timeline
    ]
    emit(
        {**record, "timeline": timeline},
        fields(view, title=f"Task {task_id}"),
        table(["Block", "Time", "Event", "What happened"], rows, title="Timeline"),
    )


# ------------------------------------------------------------------ writing


def send(task_id: int | None, action: str, done: str, call, extra=None, token=None) -> None:
    """Send one task transaction from the wallet, with a spinner, and report it (amounts in
    task `task_id`'s token, or in `token`)."""
    jeton = state().connect(wallet=True)
    with progress(f"{action}…"):
        result = call(jeton.tasks)
    report_tx(result, done, extra=extra, describe=describer(task_id, token))


@tasks.command()
@click.argument("amount", type=AMOUNT)
@click.option(
    "--deadline",
    type=DEADLINE,
    required=True,
    help="Duration from now (90m, 12h, 3d, 2w) or an ISO date (UTC unless given).",
)
@click.option(
    "--spec",
    required=True,
    metavar="TEXT|FILE",
    help="What to do: a file (its contents are hashed) or text/a URI.",
)
@click.option("--token", type=ADDRESS, help="Payment token (default: the work token, JTN).")
@click.option(
    "--min-reputation",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Reputation points a worker needs to claim.",
)
@click.option("--worker", type=ADDRESS, help="Reserve the task for this worker.")
@click.option(
    "--bond-bps",
    type=click.IntRange(0, 2**16 - 1),
    help="Claim bond in basis points of the amount (1000 = 10%); default: the DAO's rule.",
)
def post(amount, deadline, spec, token, min_reputation, worker, bond_bps):
    """Post a task paying AMOUNT, such as 12.5, deposited in escrow now."""
    st = state()
    jeton = st.connect(wallet=True)
    symbol, decimals = st.token(token or jeton.deployment.addresses["WorkToken"])
    base_units = to_base_units(amount, decimals)
    ends = deadline.resolve(jeton.block_timestamp())
    start = jeton.w3.eth.block_number
    with progress(f"Posting a task paying {amount} {symbol}…"):
        task = jeton.tasks.post(
            base_units,
            deadline=ends,
            spec=Path(spec) if Path(spec).is_file() else spec,
            token=token,
            min_reputation=min_reputation,
            worker=worker,
            bond_bps=bond_bps,
        )
    result = find_tx(
        jeton, start, "TaskEscrow", "TaskPosted", lambda e: e.args["taskId"] == task.id
    )
    extra = {"task_id": task.id, "task": task_json(task)}
    report_tx(
        result,
        f"Posted task {task.id}: {_amount(extra['task'])}, deadline {st.when(ends)}",
        extra=extra,
        describe=describer(task.id),
    )


def _task_command(name: str, done: str, help_text: str) -> None:
    """`jeton tasks NAME ID`: one call of Tasks.NAME(id)."""

    @tasks.command(name, help=help_text)
    @click.argument("task_id", type=TASK_ID)
    def command(task_id):
        send(
            task_id,
            f"{name.capitalize()} task {task_id}",
            f"{done} task {task_id}",
            lambda t: getattr(t, name)(task_id),
            extra={"task_id": task_id},
        )


for _name, _done, _help in [
    ("claim", "Claimed", "Claim an open task, staking its claim bond: you become its worker."),
    ("approve", "Approved", "Approve the delivered work (client): the worker is paid."),
    ("release", "Released", "Take the payment after the review period (worker)."),
    (
        "reclaim",
        "Reclaimed",
        "Take back the deposit and the claimant's bond: claimed, deadline passed, no delivery.",
    ),
    ("cancel", "Cancelled", "Cancel your open task and take back the deposit (client)."),
    (
        "dispute",
        "Disputed",
        "Dispute a delivery during review, staking a bond as large as the claim bond: an "
        "arbiter decides, and both bonds go to the side it favours.",
    ),
]:
    _task_command(_name, _done, _help)


@tasks.command()
@click.argument("task_id", type=TASK_ID)
def settle(task_id):
    """Settle a dispute no arbiter ruled on, after the arbitration window (client or worker):
    the deposit and both bonds go back to the client."""
    send(
        task_id,
        f"Settling task {task_id}",
        f"Settled task {task_id}",
        lambda t: t.settle_dispute(task_id),
        extra={"task_id": task_id},
    )


@tasks.command()
@click.option("--token", type=ADDRESS, help="The payment token (default: the work token, JTN).")
def withdraw(token):
    """Withdraw the payouts kept for you because you could not receive them."""
    send(
        None, "Withdrawing", "Withdrew your kept payouts", lambda t: t.withdraw(token), token=token
    )


@tasks.command("sweep-fees")
@click.option("--token", type=ADDRESS, help="The payment token (default: the work token, JTN).")
def sweep_fees(token):
    """Send the escrow's accrued fees to the DAO's treasury (anyone may)."""
    send(
        None,
        "Sweeping fees",
        "Swept the fees to the treasury",
        lambda t: t.sweep_fees(token),
        token=token,
    )


@tasks.command()
@click.argument("task_id", type=TASK_ID)
@click.argument("deliverable", metavar="DELIVERABLE")
def submit(task_id, deliverable):
    """Deliver the work: a file (its contents are hashed) or a URI."""
    path = Path(deliverable)
    send(
        task_id,
        f"Submitting task {task_id}",
        f"Submitted task {task_id}",
        lambda t: t.submit(task_id, path if path.is_file() else deliverable),
        extra={"task_id": task_id},
    )


@tasks.command()
@click.argument("task_id", type=TASK_ID)
@click.argument("share_bps", type=click.IntRange(0, 10_000), metavar="SHARE_BPS")
def resolve(task_id, share_bps):
    """Split a disputed task (arbiter): SHARE_BPS of the deposit to the worker (0-10000)."""
    send(
        task_id,
        f"Resolving task {task_id}",
        f"Resolved task {task_id}: {share_bps / 100:g}% to the worker",
        lambda t: t.resolve(task_id, share_bps),
        extra={"task_id": task_id},
    )


@tasks.command()
def collect():
    """Collect the work rewards (JTN) your completed tasks earned."""
    send(None, "Collecting rewards", "Collected your work rewards", lambda t: t.collect_rewards())
