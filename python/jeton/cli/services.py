"""`jeton services ...`: premium tools bought with work tokens at prices the DAO sets: list them,
show one (its price and any announced rise), buy credits, see your credits and their uses,
refund those of a paused or removed service; for providers, record uses and withdraw."""

from pathlib import Path

import click

from ..formatting import format_tokens
from ..records import credit_record, service_record, use_record
from ..services import Service, units_text
from ..types import Event, ServiceStatus
from .common import (
    ADDRESS,
    AMOUNT,
    describe_event,
    emit,
    fields,
    progress,
    report_tx,
    short,
    state,
    table,
    to_base_units,
)
from .gov import propose_with

SERVICE_ID = click.IntRange(min=1)
UNITS = click.IntRange(1, 2**64 - 1)
STATUSES = [s.name.lower() for s in ServiceStatus if s is not ServiceStatus.NONE]


@click.group()
def services():
    """Premium tools (an AI translation aid, compute time...) bought with work tokens."""


# ------------------------------------------------------------------ words


def _rise(s: Service) -> str:
    if s.next_unit_price is None:
        return "—"
    return f"{format_tokens(s.next_unit_price)} from {state().when(s.next_price_at)}"


def describe(event: Event) -> str:
    """An event in words, JTN amounts as the credits' records show them (exact)."""
    return describe_event(event, format_tokens)


# ------------------------------------------------------------------ reading


@services.command("list")
@click.option(
    "--status", type=click.Choice(STATUSES, case_sensitive=False), help="Only services in it."
)
def list_services(status):
    """Every service, with its price now and any announced rise."""
    jeton = state().connect()
    wanted = ServiceStatus[status.upper()] if status else None
    found = jeton.services.list(wanted)
    rows = [
        [
            f"#{s.id}",
            s.name,
            str(s.status),
            format_tokens(s.unit_price),
            _rise(s),
            short(s.provider),
        ]
        for s in found
    ]
    columns = ["ID", "Service", "Status", "Price a unit", "Announced rise", "Provider"]
    emit(
        [service_record(s) for s in found],
        table(columns, rows) if rows else "No services yet: the DAO adds them by vote.",
    )


@services.command()
@click.argument("service_id", type=SERVICE_ID)
def show(service_id):
    """One service: its price now, any announced rise, and your credits in it."""
    st = state()
    jeton = st.connect()
    s = jeton.services.get(service_id)
    record = service_record(s)
    view = [
        ("Service", f"#{s.id} {s.name}"),
        ("Terms", s.uri or "—"),
        ("Provider", s.provider),
        ("Status", str(s.status)),
        ("Price a unit", format_tokens(s.unit_price)),
        ("Announced rise", _rise(s)),
        ("Next change", f"not before {st.when(s.next_change_at)} (one a week, at most +25%)"),
    ]
    if jeton.wallet is not None:
        mine = jeton.services.balance(service_id)
        record["credit"] = credit_record(mine)
        view.append(("Your credits", str(mine) if mine.units else "none"))
    emit(record, fields(view, title=f"Service #{s.id}"))


@services.command()
@click.argument("service_id", type=SERVICE_ID, required=False)
@click.option("--of", "holder", type=ADDRESS, help="Another holder's credits.")
def balance(service_id, holder):
    """Your unused credits: in every service, or in SERVICE_ID."""
    jeton = state().connect(wallet=holder is None)
    if service_id is None:
        found = jeton.services.credits(holder)
    else:
        found = [jeton.services.balance(service_id, holder)]
    rows = [
        [
            f"#{c.service_id}",
            f"{c.units:,}",
            format_tokens(c.paid),
            format_tokens(c.average_price),
        ]
        for c in found
    ]
    emit(
        [credit_record(c) for c in found],
        table(["Service", "Units", "Paid", "Average price"], rows) if rows else "No credits.",
    )


@services.command()
@click.argument("service_id", type=SERVICE_ID, required=False)
@click.option("--of", "holder", type=ADDRESS, help="Another holder's credits.")
def uses(service_id, holder):
    """Every use of your credits that providers recorded (to check against your own)."""
    jeton = state().connect(wallet=holder is None)
    found = jeton.services.uses(holder, service_id)
    rows = [
        [str(u.block), f"#{u.service_id}", f"{u.units:,}", format_tokens(u.value), short(u.tx_hash)]
        for u in found
    ]
    emit(
        [use_record(u) for u in found],
        table(["Block", "Service", "Units", "Paid for them", "Tx"], rows) if rows else "No uses.",
    )


# ------------------------------------------------------------------ writing


def send(action: str, call, summary, extra=None) -> None:
    """One transaction from the wallet, with a spinner; `summary(result)` says what it did."""
    jeton = state().connect(wallet=True)
    with progress(f"{action}…"):
        outcome = call(jeton.services)
    tx = getattr(outcome, "tx", outcome)
    report_tx(tx, summary(outcome), extra=extra, describe=describe)


@services.command()
@click.argument("service_id", type=SERVICE_ID)
@click.argument("units", type=UNITS)
@click.option(
    "--max-price",
    type=AMOUNT,
    help="The most a unit may cost when mined, in JTN (default: its price now).",
)
def buy(service_id, units, max_price):
    """Buy UNITS of a service, paying with a permit (one transaction)."""
    limit = None if max_price is None else to_base_units(max_price, 18)
    send(
        f"Buying {units_text(units)} of service #{service_id}",
        lambda s: s.buy(service_id, units, limit),
        lambda p: f"Bought {units_text(p.units)} of service #{service_id}: {format_tokens(p.cost)}",
        extra={"service_id": service_id},
    )


@services.command()
@click.argument("service_id", type=SERVICE_ID)
def refund(service_id):
    """Take back what you paid for your unused credits of a paused or removed service."""
    send(
        f"Refunding service #{service_id}",
        lambda s: s.refund(service_id),
        lambda r: (
            f"Refunded {units_text(r.units)} of service #{service_id}: {format_tokens(r.amount)}"
        ),
        extra={"service_id": service_id},
    )


@services.command()
@click.argument("service_id", type=SERVICE_ID)
@click.argument("buyer", type=ADDRESS)
@click.argument("units", type=UNITS)
@click.option("--usage", metavar="TEXT|FILE", help="Your record of the use (hashed).")
def consume(service_id, buyer, units, usage):
    """Record that BUYER used UNITS of its credits (the service's provider only)."""
    record = Path(usage) if usage and Path(usage).is_file() else usage
    send(
        f"Recording {units_text(units)} used by {buyer}",
        lambda s: s.consume(service_id, buyer, units, record),
        lambda u: (
            f"Recorded {units_text(u.units)} of service #{service_id} used by {buyer}: "
            f"{format_tokens(u.value - u.cut)} to your proceeds"
        ),
        extra={"service_id": service_id},
    )


@services.command()
def withdraw():
    """Withdraw your proceeds from used credits (providers)."""
    send("Withdrawing proceeds", lambda s: s.withdraw_proceeds(), lambda _: "Withdrew proceeds")


@services.command("sweep-cut")
def sweep_cut():
    """Send the DAO's accrued cut of credit sales to the treasury (anyone may)."""
    send("Sweeping the cut", lambda s: s.sweep_cut(), lambda _: "Swept the cut to the treasury")


# ------------------------------------------------------------------ governance (`jeton gov`)


@click.command("propose-service-price")
@click.argument("service_id", type=SERVICE_ID)
@click.argument("price", type=AMOUNT)
@click.option("--description", required=True, help="Why: shown to every voter.")
def propose_service_price(service_id, price, description):
    """Propose setting a service's price to PRICE JTN a unit: at most +25% (announced a week
    ahead) or -50% from the price in force, once a week at most; the contract checks it first."""
    price_units = to_base_units(price, 18)
    propose_with(lambda g: g.propose_service_price(service_id, price_units, description))
