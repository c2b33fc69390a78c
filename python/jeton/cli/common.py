"""What every command shares: the global options' values and the one connection, parameter
types, JSON conversion, dates, output (a rich table for people or JSON for scripts) and the
progress spinner.

Dates: JSON gives unix times and ISO 8601 UTC (`deadline_iso`: "2026-12-03T14:00:00Z"); people
read the same ISO date with how far it is from the chain's now: "2026-12-03T14:00:00Z (in 2
days)". Amounts: JSON gives base units as decimal strings (`amount`) and the exact decimal
amount (`amount_human`); people read tokens ("12.50 JTN").
"""

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from .. import records
from ..client import Jeton
from ..errors import InvalidAddress, InvalidAmount, WalletError
from ..formatting import format_time, shorten
from ..parsing import parse_address, parse_amount

# The JSON records of the library's values, which every command prints with --json.
from ..records import amount_fields, event_json, iso, jsonable  # noqa: F401
from ..types import Event, TxResult
from ..wallet import Wallet

#: Exit codes scripts can rely on (click itself exits with 2 on a usage error).
EXIT_REFUSED, EXIT_USAGE, EXIT_SETUP, EXIT_TIMEOUT = 1, 2, 3, 4

DEFAULT_RPC = "http://127.0.0.1:8545"


# ------------------------------------------------------------------ the global options


class State:
    """The global options, and the connection they describe (made once, on first use)."""

    def __init__(
        self,
        rpc: str,
        deployment: str | None,
        wallet_option: tuple[str, str] | None,
        json_mode: bool,
        timeout: float,
    ):
        self.rpc = rpc
        self.deployment = deployment
        self.wallet_option = wallet_option
        self.json = json_mode
        self.timeout = timeout
        self._jeton: Jeton | None = None
        self._now: int | None = None

    def load_wallet(self) -> Wallet | None:
        if self.wallet_option is None:
            return None
        kind, value = self.wallet_option
        if kind == "keystore":
            return Wallet.from_keystore(value)
        if kind == "account":
            return Wallet.from_ape(value)
        return Wallet.from_env(value)

    def connect(self, *, wallet: bool = False) -> Jeton:
        """The connection; `wallet=True` when the command needs an account (WalletError if
        none was given, checked before reaching for the node)."""
        if wallet and self.wallet_option is None:
            raise WalletError(
                "this command needs your account: give --keystore FILE, --account APE_ALIAS "
                "or --key-env VAR"
            )
        if self._jeton is None:
            account = self.load_wallet()
            self._jeton = Jeton.connect(
                self.rpc, account=account, deployment=self.deployment, timeout=self.timeout
            )
        return self._jeton

    def token(self, address: str) -> tuple[str, int]:
        """(symbol, decimals) of a payment token, read once."""
        info = self.connect().token_info(address)
        return info.symbol, info.decimals

    def money(self, address: str | None = None) -> Callable[[int], str]:
        """A formatter of base-unit amounts of `address` (default: the WorkToken)."""
        return self.connect().token_info(address).format

    def now(self) -> int:
        """The chain's now (the latest block's time), read once per command."""
        if self._now is None:
            self._now = self.connect().block_timestamp()
        return self._now

    def when(self, timestamp: int | None) -> str:
        """A unix time for people: "2026-12-03T14:00:00Z (in 2 days)", by the chain's clock;
        "—" for 0 (unset)."""
        return format_time(timestamp, self.now()) if timestamp else "—"


def state() -> State:
    return click.get_current_context().find_object(State)


# ------------------------------------------------------------------ parameter types


class AddressType(click.ParamType):
    name = "ADDRESS"

    def convert(self, value, param, ctx):
        try:
            return parse_address(value)
        except InvalidAddress as exc:
            self.fail(str(exc), param, ctx)


class AmountType(click.ParamType):
    """A human amount such as `12.5`; converted to base units once the token is known."""

    name = "AMOUNT"

    def convert(self, value, param, ctx):
        try:
            amount = Decimal(str(value).replace("_", "").replace(",", ""))
        except InvalidOperation:
            self.fail(f"{value!r} is not an amount (e.g. 12.5)", param, ctx)
        if not amount.is_finite() or amount <= 0:
            self.fail(f"{value!r}: an amount must be above zero", param, ctx)
        return amount


_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhdw])$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}


def parse_duration(text: str) -> int | None:
    """Seconds in `text` ("90m", "12h", "3d", "2w", "45s"), or None if it is not a duration."""
    match = _DURATION.match(str(text).strip().lower())
    return int(float(match[1]) * _SECONDS[match[2]]) if match else None


class DurationType(click.ParamType):
    """A duration: 90m, 12h, 3d, 2w, 45s, or a number of seconds."""

    name = "DURATION"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        text = str(value).strip()
        seconds = int(text) if text.isdigit() else parse_duration(text)
        if seconds is None or seconds <= 0:
            self.fail(f"{value!r}: give a duration such as 90m, 12h, 3d, 2w or 45s", param, ctx)
        return seconds


@dataclass(frozen=True)
class Deadline:
    """A deadline: seconds from the chain's now (`3d`), or an absolute unix time."""

    seconds: int | None = None
    timestamp: int | None = None

    def resolve(self, now: int) -> int:
        return now + self.seconds if self.seconds is not None else self.timestamp


class DeadlineType(click.ParamType):
    name = "DEADLINE"

    def convert(self, value, param, ctx):
        if isinstance(value, Deadline):
            return value
        text = str(value).strip()
        seconds = parse_duration(text)
        if seconds is not None:
            return Deadline(seconds=seconds)
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r}: give a duration (90m, 12h, 3d, 2w) or an ISO date", param, ctx)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return Deadline(timestamp=int(moment.timestamp()))


ADDRESS, AMOUNT, DEADLINE, DURATION = AddressType(), AmountType(), DeadlineType(), DurationType()


def to_base_units(amount: Decimal, decimals: int) -> int:
    try:
        return parse_amount(amount, decimals)
    except InvalidAmount as exc:
        raise click.BadParameter(str(exc), param_hint="AMOUNT") from None


# ------------------------------------------------------------------ JSON values


def tx_json(result: TxResult) -> dict[str, Any]:
    return {
        "tx_hash": result.tx_hash,
        "block": result.block,
        "gas_used": result.gas_used,
        "events": [event_json(e) for e in result.events],
    }


def describe_event(event: Event, jtn: Callable[[int], str] | None = None) -> str:
    """An event in words (`jtn` formats work-token amounts; default: the connection's), its
    times by the chain's clock."""
    return records.describe_event(event, jtn or state().money(), when=state().when)


def find_tx(
    jeton: Jeton, since_block: int, contract: str, event: str, match: Callable[[Event], bool]
) -> TxResult | None:
    """The transaction mined after `since_block` that emitted a matching event, as a TxResult
    (for library calls that return what they made rather than the transaction)."""
    from ..history import iter_events

    for found in iter_events(jeton, contract, event, from_block=since_block + 1):
        if match(found):
            receipt = jeton.w3.eth.get_transaction_receipt(found.tx_hash)
            return TxResult(
                found.tx_hash,
                receipt["blockNumber"],
                receipt["gasUsed"],
                jeton.decode_logs(receipt["logs"]),
            )
    return None


# ------------------------------------------------------------------ output


def console(stderr: bool = False) -> Console:
    # Made per use: click's test runner swaps sys.stdout during each invocation. Output that
    # is not a terminal (a pipe, a file) gets wide lines instead of 80 columns.
    out = Console(stderr=stderr, highlight=False)
    return out if out.is_terminal else Console(stderr=stderr, highlight=False, width=200)


def emit(payload: Any, *human: Any) -> None:
    """Print `payload` as JSON with --json, else the renderables (strings, tables) `human`."""
    if state().json:
        click.echo(json.dumps(payload, indent=2))
        return
    out = console()
    for item in human:
        out.print(item)


def table(columns: list[str], rows: list[list[str]], title: str | None = None) -> Table:
    grid = Table(*columns, title=title, title_justify="left", header_style="bold")
    for row in rows:
        grid.add_row(*row)
    return grid


def fields(pairs: list[tuple[str, str]], title: str | None = None) -> Table:
    """A two-column label/value view of one thing."""
    grid = Table.grid(padding=(0, 2))
    grid.title, grid.title_justify = title, "left"
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    for label, value in pairs:
        grid.add_row(label, value)
    return grid


def short(address: str | None) -> str:
    return shorten(address) if address else "—"


def report_tx(
    result: TxResult,
    summary: str,
    extra: dict[str, Any] | None = None,
    describe: Callable[[Event], str] | None = None,
) -> None:
    """A write command's output: the TxResult (plus `extra`) as JSON, or a summary line, the
    transaction and what its events say."""
    lines = [
        f"[green]✓[/green] {summary}",
        f"  tx {result.tx_hash} · block {result.block} · gas {result.gas_used:,}",
    ]
    if describe is not None:
        lines += [f"  · {describe(e)}" for e in result.events]
    emit({**tx_json(result), **(extra or {})}, *lines)


@contextmanager
def progress(message: str) -> Iterator[None]:
    """A spinner on stderr while the library waits (silent when stderr is not a terminal)."""
    with console(stderr=True).status(message):
        yield
