"""Access credits: premium tools (an AI translation aid, compute time...) bought with work
tokens at prices the DAO sets (`jeton.services`).

A service has a price per unit that moves only by a vote, by at most +25% or -50% a change, at
most once a week, and a rise only after a week's notice: `Service` shows the price now and any
announced rise with its date. A purchase records the units and what was paid for them
(`Credit`); the provider records each use of them (`Use`, an event under the buyer's address)
and earns the price paid for the units used, less the DAO's cut; while a service is paused or
removed, its buyers take back what they paid for their unused units.

>>> aid = jeton.services.list()[0]
>>> print(aid)
#1 AI translation aid (active): 2 JTN a unit, rising to 2.5 JTN on 2026-12-10T14:00:00Z
>>> jeton.services.buy(aid.id, 10)          # 20 JTN, with a permit: one transaction
>>> print(jeton.services.balance(aid.id))
10 units of service #1, 20 JTN paid (2.00 JTN a unit on average)

The contract is the one judge of every rule: each write is simulated first, and a refusal
raises the contract's own error (`UnknownService`, `ServiceNotActive`, `PriceAboveLimit`...)
before anything is signed or sent. Only inputs are checked here (`jeton.parsing`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from web3 import Web3

from .errors import ContractError, error_class
from .formatting import format_jtn, format_time, format_tokens, plural
from .history import iter_events
from .parsing import check_uint, parse_address
from .permits import pull_call
from .tasks import hash_content
from .types import Event, ServiceStatus, TxResult

if TYPE_CHECKING:
    from .client import Jeton

CREDITS = "AccessCredits"
ZERO_BYTES32 = b"\x00" * 32


def units_text(count: int) -> str:
    """A number of units in words: "1 unit", "1,000 units"."""
    return f"{count:,} {plural(count, 'unit')}"


@dataclass(frozen=True)
class Service:
    """A service as it stands now. Prices are JTN base units a unit."""

    id: int
    name: str
    uri: str
    provider: str
    status: ServiceStatus
    #: What a unit costs a purchase now.
    unit_price: int
    #: An announced rise and when it applies (None when none is pending).
    next_unit_price: int | None
    next_price_at: int | None
    #: When the price last changed (or the service was added), and when it may change next.
    price_changed_at: int
    next_change_at: int
    #: keccak256(abi.encode(name, uri)), as the contract stores it.
    info_hash: bytes

    @property
    def is_active(self) -> bool:
        return self.status == ServiceStatus.ACTIVE

    @property
    def refundable(self) -> bool:
        """Paused or removed: its buyers may take back what they paid for unused units."""
        return self.status in (ServiceStatus.PAUSED, ServiceStatus.REMOVED)

    def __str__(self) -> str:
        rise = ""
        if self.next_unit_price is not None and self.next_price_at is not None:
            rise = (
                f", rising to {format_tokens(self.next_unit_price)} on "
                f"{format_time(self.next_price_at)}"
            )
        return (
            f"#{self.id} {self.name} ({self.status}): {format_tokens(self.unit_price)} a unit{rise}"
        )


@dataclass(frozen=True)
class Credit:
    """A holder's unused credits in one service: units, what was paid for them, and the DAO's
    cut locked in at purchase (taken only as units are used)."""

    service_id: int
    holder: str
    units: int
    paid: int
    cut: int

    @property
    def average_price(self) -> int:
        """The average price paid for a unit (what a use or a refund of one moves)."""
        return self.paid // self.units if self.units else 0

    def __str__(self) -> str:
        return (
            f"{units_text(self.units)} of service #{self.service_id}, {format_tokens(self.paid)} "
            f"paid ({format_jtn(self.average_price)} a unit on average)"
        )


@dataclass(frozen=True)
class Purchase:
    """Credits bought: `units` at `unit_price`, `cost` paid, `cut` of it the DAO's once used."""

    service_id: int
    buyer: str
    units: int
    unit_price: int
    cost: int
    cut: int
    tx: TxResult

    def __str__(self) -> str:
        return (
            f"bought {units_text(self.units)} of service #{self.service_id} at "
            f"{format_tokens(self.unit_price)}: {format_tokens(self.cost)}"
        )


@dataclass(frozen=True)
class Use:
    """A use of a buyer's credits, recorded by the service's provider: `value` is what the
    buyer had paid for the units, `cut` of it went to the DAO and the rest to the provider."""

    service_id: int
    buyer: str
    units: int
    value: int
    cut: int
    usage_ref: bytes
    block: int
    tx_hash: str
    #: The transaction that recorded it, when this client sent it (`Services.consume`).
    tx: TxResult | None = None

    @classmethod
    def from_event(cls, event: Event, tx: TxResult | None = None) -> Use:
        """The use a CreditsConsumed event records (sent in `tx`, if known)."""
        a = event.args
        return cls(
            service_id=int(a["serviceId"]),
            buyer=a["buyer"],
            units=int(a["units"]),
            value=int(a["value"]),
            cut=int(a["cut"]),
            usage_ref=bytes(a["usageRef"]),
            block=event.block,
            tx_hash=event.tx_hash,
            tx=tx,
        )

    def __str__(self) -> str:
        return (
            f"{units_text(self.units)} of service #{self.service_id} used by its provider "
            f"(block {self.block}): {format_tokens(self.value)}, reference "
            f"0x{self.usage_ref.hex()}"
        )


@dataclass(frozen=True)
class Refund:
    """Unused credits of a paused or removed service paid back at the price paid."""

    service_id: int
    units: int
    amount: int
    tx: TxResult

    def __str__(self) -> str:
        return (
            f"refunded {units_text(self.units)} of service #{self.service_id}: "
            f"{format_tokens(self.amount)}"
        )


class Services:
    """The access credits (`jeton.services`): read services and credits, buy, refund; for a
    provider, record uses and withdraw; for anyone, sweep the DAO's cut to the treasury."""

    def __init__(self, jeton: Jeton):
        self._jeton = jeton
        self._info: dict[int, tuple[str, str]] = {}
        self._interval: int | None = None

    @property
    def _credits(self):
        return self._jeton.contracts.credits

    # ------------------------------------------------------------------ reading

    def count(self) -> int:
        """How many services were added; their ids run from 1 to this."""
        return int(self._credits.functions.serviceCount().call())

    def get(self, service_id: int) -> Service:
        """Service `service_id` now (the contract's UnknownService if there is none)."""
        check_uint(service_id, "service id")
        functions = self._credits.functions
        raw = functions.getService(service_id).call()
        provider, changed_at, price, next_price, next_at, status, info_hash = raw
        if ServiceStatus(status) == ServiceStatus.NONE:
            raise error_class("UnknownService")({"serviceId": service_id}, contract=CREDITS)
        name, uri = self._names().get(service_id, ("", ""))
        if self._interval is None:
            self._interval = int(functions.PRICE_CHANGE_INTERVAL().call())
        return Service(
            id=service_id,
            name=name,
            uri=uri,
            provider=Web3.to_checksum_address(provider),
            status=ServiceStatus(status),
            unit_price=int(price),
            next_unit_price=int(next_price) if next_at else None,
            next_price_at=int(next_at) if next_at else None,
            price_changed_at=int(changed_at),
            next_change_at=int(changed_at) + self._interval,
            info_hash=bytes(info_hash),
        )

    def list(self, status: ServiceStatus | None = None) -> list[Service]:
        """Every service in id order (optionally only those in `status`)."""
        found = [self.get(i) for i in range(1, self.count() + 1)]
        return [s for s in found if status is None or s.status == status]

    def balance(self, service_id: int, holder: str | None = None) -> Credit:
        """The unused credits `holder` (default: the wallet) holds in service `service_id`."""
        check_uint(service_id, "service id")
        who = self._holder(holder)
        units, paid, cut = self._credits.functions.creditOf(service_id, who).call()
        return Credit(service_id, who, int(units), int(paid), int(cut))

    def credits(self, holder: str | None = None) -> list[Credit]:
        """`holder`'s credits in every service where it holds some, in id order."""
        who = self._holder(holder)
        held = (self.balance(i, who) for i in range(1, self.count() + 1))
        return [c for c in held if c.units]

    def uses(self, holder: str | None = None, service_id: int | None = None) -> list[Use]:
        """Every use of `holder`'s credits its providers recorded, oldest first (optionally of
        one service): what a worker checks against its own use of the tools."""
        filters: dict[str, Any] = {"buyer": self._holder(holder)}
        if service_id is not None:
            filters["serviceId"] = check_uint(service_id, "service id")
        events = iter_events(self._jeton, CREDITS, "CreditsConsumed", filters)
        return [Use.from_event(e) for e in events]

    def proceeds(self, provider: str | None = None) -> int:
        """A provider's proceeds from used credits, not withdrawn yet (JTN base units)."""
        return int(self._credits.functions.proceedsOf(self._holder(provider)).call())

    def accrued_cut(self) -> int:
        """The DAO's cut accrued and not swept yet (one base unit always stays)."""
        return int(self._credits.functions.accruedCut().call())

    # ------------------------------------------------------------------ buying

    def buy(self, service_id: int, units: int, max_unit_price: int | None = None) -> Purchase:
        """Buy `units` of service `service_id`, paying with a permit (one transaction).

        `max_unit_price` (JTN base units) is the most a unit may cost when the purchase is
        mined; by default the price read now, so that a rise that applies meanwhile refuses
        the purchase (PriceAboveLimit) rather than charging more.
        """
        check_uint(service_id, "service id")
        check_uint(units, "units", 64)
        functions = self._credits.functions
        limit = max_unit_price
        if limit is None:
            limit = int(functions.unitPrice(service_id).call())
        check_uint(limit, "max_unit_price")
        call = pull_call(
            self._jeton,
            self._jeton.erc20(self._jeton.contracts.token.address),
            units * limit,
            lambda: functions.buy(service_id, units, limit),
            lambda *sig: functions.buyWithPermit(service_id, units, limit, *sig),
            spender=self._credits.address,
        )
        result = self._jeton.transact(call, CREDITS)
        a = result.event("CreditsBought").args
        return Purchase(
            service_id, a["buyer"], a["units"], a["unitPrice"], a["cost"], a["cut"], result
        )

    def refund(self, service_id: int) -> Refund:
        """Take back what was paid for all unused units of a paused or removed service."""
        check_uint(service_id, "service id")
        result = self._jeton.transact(self._credits.functions.refund(service_id), CREDITS)
        a = result.event("CreditsRefunded").args
        return Refund(service_id, int(a["units"]), int(a["amount"]), result)

    # ------------------------------------------------------------------ providers

    def consume(
        self, service_id: int, buyer: str, units: int, usage: str | bytes | Path | None = None
    ) -> Use:
        """As the service's provider, record that `buyer` used `units` of its credits; `usage`
        (a receipt: text, URI, file or bytes) is hashed into the event the buyer sees."""
        check_uint(service_id, "service id")
        check_uint(units, "units", 64)
        who = parse_address(buyer, "buyer")
        ref = ZERO_BYTES32 if usage is None else hash_content(usage)
        fn = self._credits.functions.consume(service_id, who, units, ref)
        result = self._jeton.transact(fn, CREDITS)
        return Use.from_event(result.event("CreditsConsumed"), result)

    def withdraw_proceeds(self) -> TxResult:
        """As a provider, withdraw the proceeds of used credits."""
        return self._jeton.transact(self._credits.functions.withdrawProceeds(), CREDITS)

    def sweep_cut(self) -> TxResult:
        """Send the DAO's accrued cut to the treasury the rulebook names (anyone may)."""
        return self._jeton.transact(self._credits.functions.sweepCut(), CREDITS)

    # ------------------------------------------------------------------ internals

    def _holder(self, address: str | None) -> str:
        return parse_address(address, "address") if address else self._jeton.address

    def _names(self) -> dict[int, tuple[str, str]]:
        """(name, URI) of each service, from the ServiceAdded events (read once)."""
        if len(self._info) < self.count():
            for event in iter_events(self._jeton, CREDITS, "ServiceAdded"):
                self._info[int(event.args["serviceId"])] = (
                    event.args["name"],
                    event.args["uri"],
                )
        return self._info


def describe_credits_call(jeton: Jeton, function: str, args: dict[str, Any]) -> str | None:
    """A governance call to AccessCredits in plain words ("set the price of service #1 (AI
    translation aid) to 2.5 JTN a unit"), or None for a function it does not describe."""
    if function == "addService":
        return (
            f"add the service {args['name']!r} provided by {args['provider']} at "
            f"{format_tokens(args['price'])} a unit"
        )
    service_id = args.get("serviceId")
    if service_id is None:
        return None
    try:
        name = jeton.services.get(int(service_id)).name
    except ContractError:  # a proposal may name a service that is not added yet
        name = ""
    label = f"service #{service_id}" + (f" ({name})" if name else "")
    if function == "setServicePrice":
        return f"set the price of {label} to {format_tokens(args['newPrice'])} a unit"
    verbs = {"pauseService": "pause", "resumeService": "resume", "removeService": "remove"}
    return f"{verbs[function]} {label}" if function in verbs else None


__all__ = [
    "Credit",
    "Purchase",
    "Refund",
    "Service",
    "Services",
    "Use",
    "describe_credits_call",
    "units_text",
]
