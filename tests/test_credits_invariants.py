"""Stateful property test of the access credits: random action sequences against their
invariants, on the deployed system (the deploy script's own function) on anvil.

Actors: three buyers, two providers, an outsider, the DAO (the timelock, impersonated) and the
DAO's voters (the three genesis holders, delegated), who take real proposals through the
governor. Each step is one of:
- buy: a buyer (or the outsider, with no tokens) buys units of a service (or of an id never
  added), with `buy` or `buyWithPermit`, under a price limit that may be too low; zero units,
  more than it can pay, or a plain buy after a permit spent the allowance are refused;
- consume: the right provider, another one, a buyer or the outsider records a use of some
  buyer's units: none, some, all, or more than held;
- refund: a buyer takes back its unused units (of an active service: refused);
- withdraw / sweep: a provider (or anyone) withdraws proceeds; anyone sweeps the cut;
- approve: a buyer approves the contract again, without limit;
- warp: seconds, hours or days pass, or time moves onto a rise's date or a service's next
  change, give or take one second;
- dao: the timelock adds a service, sets a price (within a step, past it up or down, out of
  bounds, or within a week of the last change), pauses, resumes or removes one, or moves the
  DAO's cut of sales (in bounds or not, a step or more, or within a day), mostly as the DAO, else
  as someone else, which must fail;
- vote: a proposal that sets a price (within the step or well past it, even twice in one
  proposal) passes the governor's vote and the timelock's delay, then executes; a step too
  large or a second change fails at execution and leaves the price as it was.

A Python model keeps every service (provider, price, announced rise, last change, status),
every credit (units, paid, locked cut), the providers' proceeds, the accrued cut, the tracked
balances and the totals of money in and out. Before each transaction it says what must happen:
a refusal must revert with that custom error and those inputs and change nothing; a success
must emit the predicted event and move exactly the predicted amounts.

Invariants, after every step:
1. Conservation: the contract's balance is the sum of the credits' `paid`, the providers'
   proceeds and the accrued cut; and the tokens paid in equal what went to the providers
   (withdrawn or pending), to the treasury (swept or accrued), back to buyers as refunds, and
   what is held for unused credits.
2. Units never go negative and are never made up: units bought = units used + units refunded
   + units held, per service; every credit read back equals the model's.
3. Price steps: every accepted change was at most +25% or -50% of the price in force, at least
   a week after the last one, a rise in force a week after it was set; the price a purchase
   pays and `unitPrice` always equal the model's; a refused change leaves the price as it was.
Every 4 steps every service, credit, proceeds, balance and the cut are read back.

Size: JETON_CREDITS_EXAMPLES (default 12) examples of JETON_CREDITS_STEPS (default 25) steps.
"""

import collections
import copy
import os
import time
from dataclasses import dataclass, field

import ape_ethereum.trace
from eth_utils import keccak
from helpers import (
    ChainMachine,
    expect_error,
    expect_error_via,
    outcome_lines,
    rule_name,
    run_machine,
    sign_permit,
    web3_contract,
    weighted,
)
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule

EXAMPLES = int(os.environ.get("JETON_CREDITS_EXAMPLES", "12"))
STEPS = int(os.environ.get("JETON_CREDITS_STEPS", "25"))

WAD = 10**18
BPS = 10_000
HOUR = 3_600
DAY = 86_400
WEEK = 7 * DAY
MAX_UINT = 2**256 - 1
RISE_BPS, CUT_BPS = 2_500, 5_000
MIN_PRICE, MAX_PRICE = 10**12, 10**24
MAX_CREDITS_CUT, CREDITS_CUT_STEP = 1_000, 100
AUDIT_EVERY = 4
PRICE_RULE = rule_name("servicePrice")
CUT_RULE = rule_name("creditsCutBps")
NONE, ACTIVE, PAUSED, REMOVED = range(4)
FOR = 1

BUYERS = ("buyer1", "buyer2", "buyer3")
PROVIDERS = ("prov1", "prov2")
VOTERS = ("voter1", "voter2", "voter3")
EVERYONE = ("outsider", *BUYERS, *PROVIDERS)


STEP = weighted(
    (6, st.just("buy")),
    (5, st.just("consume")),
    (2, st.just("refund")),
    (1, st.just("withdraw")),
    (1, st.just("sweep")),
    (1, st.just("approve")),
    (3, st.just("warp")),
    (4, st.just("dao")),
    (1, st.just("vote")),
)
UNITS = weighted(
    (6, st.integers(1, 40)), (1, st.just(0)), (1, st.integers(10**4, 10**6)), (1, st.just(1))
)


@dataclass
class Service:
    provider: str
    price: int
    next_price: int = 0
    next_at: int = 0
    changed_at: int = 0
    status: int = ACTIVE

    def price_at(self, at):
        return self.next_price if self.next_at and at >= self.next_at else self.price


@dataclass
class Model:
    now: int
    services: dict  # id -> Service
    credits: dict  # (id, buyer) -> [units, paid, cut]
    proceeds: dict  # provider -> amount
    cut: int  # accrued
    cut_bps: int
    cut_changed_at: int
    balances: dict  # address -> JTN
    allowance: dict  # buyer -> allowance to the credits contract
    totals: collections.Counter = field(default_factory=collections.Counter)
    units: collections.Counter = field(default_factory=collections.Counter)  # (id, kind) -> n


@dataclass
class Context:
    chain: object
    credits: object
    rules: object
    token: object
    governor: object
    actors: dict
    treasury: str
    w3: object
    views: dict
    initial: Model = None


class CreditsMachine(ChainMachine):
    ctx: Context = None
    stats: collections.Counter = collections.Counter()

    def __init__(self):
        super().__init__()
        self.m = None
        self.steps = 0

    @initialize()
    def start(self):
        c = self.ctx
        self.take_snapshot()
        self.m = copy.deepcopy(c.initial)
        self.m.now = c.chain.blocks.head.timestamp + 1
        self.stats["examples", "run"] += 1

    # ------------------------------------------------------------------ plumbing

    @property
    def here(self):
        return self.ctx.credits.address

    def _tx(self, method, *args, sender, contract=None):
        self.stats[(method, "ok")] += 1
        self.ctx.chain.provider.set_timestamp(self.m.now)
        target = contract or self.ctx.credits
        return target.invoke_transaction(method, *args, sender=self.ctx.actors[sender])

    def _refused(self, error, method, *args, sender, contract=None):
        name, inputs, source = (*error, None)[:3]
        self.stats[(method, name)] += 1
        self.ctx.chain.provider.set_timestamp(self.m.now)
        target = contract or self.ctx.credits
        with expect_error(source or target, name, **inputs):
            target.invoke_transaction(method, *args, sender=self.ctx.actors[sender])

    def _event(self, receipt, name):
        [log] = list(receipt.decode_logs(getattr(self.ctx.credits, name)))
        return log.event_arguments

    def _move(self, source, target, amount):
        self.m.balances[source] -= amount
        self.m.balances[target] += amount

    def _credit(self, sid, buyer):
        return self.m.credits.setdefault((sid, buyer), [0, 0, 0])

    # ------------------------------------------------------------------ the steps

    @rule(kind=STEP, data=st.data())
    def step(self, kind, data):
        self.stats["step", kind] += 1
        started = time.monotonic()
        getattr(self, kind)(data)
        self.stats["milliseconds", kind] += int(1000 * (time.monotonic() - started))

    def _any_service(self, data):
        ids = sorted(self.m.services)
        return data.draw(st.sampled_from([*ids, *ids, *ids, len(ids) + 1]), label="service")

    def _held(self, data, refundable=False):
        """(service id, buyer's name) of a credit with units (of a paused or removed service
        if `refundable`), mostly; else a random pair, perhaps with nothing held."""
        names = {self.addr(n): n for n in (*BUYERS, "outsider")}
        held = [
            (sid, names[buyer])
            for (sid, buyer), c in sorted(self.m.credits.items())
            if c[0] and (not refundable or self.m.services[sid].status != ACTIVE)
        ]
        if held and data.draw(weighted((4, st.just(True)), (1, st.just(False))), "held"):
            return data.draw(st.sampled_from(held), label="credit")
        return self._any_service(data), data.draw(st.sampled_from(BUYERS), label="buyer")

    def buy(self, data):
        m = self.m
        who = data.draw(st.sampled_from([*BUYERS, *BUYERS, "outsider"]), label="buyer")
        buyer = self.addr(who)
        sid = self._any_service(data)
        units = data.draw(UNITS, label="units")
        s = m.services.get(sid)
        price = s.price_at(m.now) if s else 0
        limit = data.draw(
            weighted((5, st.just(price)), (1, st.just(max(0, price - 1))), (1, st.just(MAX_UINT))),
            label="limit",
        )
        permit = data.draw(st.booleans(), label="permit")
        cost = price * units
        args = [sid, units, limit]
        if permit:
            deadline = m.now + HOUR
            nonce = self._read(self.ctx.views["token"].nonces(buyer))[0]
            key = self.ctx.actors[who].private_key
            signed = sign_permit(self.ctx.token, key, buyer, self.here, cost, nonce, deadline)
            args += [deadline, *signed]
        method = "buyWithPermit" if permit else "buy"
        error = None
        if s is None:
            error = "UnknownService", {"serviceId": sid}
        elif s.status != ACTIVE:
            error = "ServiceNotActive", {"serviceId": sid, "status": s.status}
        elif units == 0:
            error = "ZeroUnits", {}
        elif price > limit:
            error = "PriceAboveLimit", {"serviceId": sid, "unitPrice": price, "maxUnitPrice": limit}
        else:
            allowance = cost if permit else m.allowance[buyer]
            if allowance < cost:
                error = (
                    "ERC20InsufficientAllowance",
                    {"spender": self.here, "allowance": allowance, "needed": cost},
                    self.ctx.token,
                )
            elif m.balances[buyer] < cost:
                error = (
                    "ERC20InsufficientBalance",
                    {"sender": buyer, "balance": m.balances[buyer], "needed": cost},
                    self.ctx.token,
                )
        if error:  # a permit signed for it is undone with the revert
            self._refused(error, method, *args, sender=who)
            return
        receipt = self._tx(method, *args, sender=who)
        cut = cost * m.cut_bps // BPS
        assert self._event(receipt, "CreditsBought") == {
            "serviceId": sid,
            "buyer": buyer,
            "units": units,
            "unitPrice": price,
            "cost": cost,
            "cut": cut,
        }
        if permit:
            m.allowance[buyer] = 0
        elif m.allowance[buyer] != MAX_UINT:
            m.allowance[buyer] -= cost
        credit = self._credit(sid, buyer)
        credit[0] += units
        credit[1] += cost
        credit[2] += cut
        self._move(buyer, self.here, cost)
        m.totals["paid in"] += cost
        m.units[(sid, "bought")] += units

    def consume(self, data):
        m = self.m
        sid, name = self._held(data)
        s = m.services.get(sid)
        buyer = self.addr(name)
        held = m.credits.get((sid, buyer), [0, 0, 0])[0]
        right = next((n for n in PROVIDERS if s and self.addr(n) == s.provider), "prov1")
        caller = data.draw(
            weighted((6, st.just(right)), (1, st.sampled_from(EVERYONE))), label="caller"
        )
        units = data.draw(
            weighted(
                (3, st.integers(1, max(1, held))),
                (2, st.just(max(held, 1))),
                (1, st.just(held + 1)),
                (1, st.just(0)),
            ),
            label="units",
        )
        ref = data.draw(st.binary(min_size=32, max_size=32), label="ref")
        error = None
        if s is None:
            error = "UnknownService", {"serviceId": sid}
        elif self.addr(caller) != s.provider:
            error = "NotServiceProvider", {"serviceId": sid, "caller": self.addr(caller)}
        elif s.status != ACTIVE:
            error = "ServiceNotActive", {"serviceId": sid, "status": s.status}
        elif units == 0:
            error = "ZeroUnits", {}
        elif units > held:
            error = (
                "InsufficientCredits",
                {
                    "serviceId": sid,
                    "buyer": buyer,
                    "held": held,
                    "wanted": units,
                },
            )
        if error:
            self._refused(error, "consume", sid, buyer, units, ref, sender=caller)
            return
        credit = m.credits[(sid, buyer)]
        value = credit[1] * units // credit[0]
        cut = credit[2] * units // credit[0]
        receipt = self._tx("consume", sid, buyer, units, ref, sender=caller)
        assert self._event(receipt, "CreditsConsumed") == {
            "serviceId": sid,
            "buyer": buyer,
            "units": units,
            "value": value,
            "cut": cut,
            "usageRef": ref,
        }
        assert not list(receipt.decode_logs(self.ctx.token.Transfer)), "a use moved tokens"
        credit[0] -= units
        credit[1] -= value
        credit[2] -= cut
        assert credit[2] <= credit[1]
        m.proceeds[s.provider] = m.proceeds.get(s.provider, 0) + value - cut
        m.cut += cut
        m.units[(sid, "used")] += units

    def refund(self, data):
        m = self.m
        sid, who = self._held(data, refundable=True)
        buyer = self.addr(who)
        s = m.services.get(sid)
        credit = m.credits.get((sid, buyer), [0, 0, 0])
        if s is None:
            error = "UnknownService", {"serviceId": sid}
        elif s.status == ACTIVE:
            error = "ServiceStillActive", {"serviceId": sid}
        elif credit[0] == 0:
            error = "NoCredits", {"serviceId": sid, "buyer": buyer}
        else:
            error = None
        if error:
            self._refused(error, "refund", sid, sender=who)
            return
        receipt = self._tx("refund", sid, sender=who)
        assert self._event(receipt, "CreditsRefunded") == {
            "serviceId": sid,
            "buyer": buyer,
            "units": credit[0],
            "amount": credit[1],
        }
        self._move(self.here, buyer, credit[1])
        m.totals["refunds"] += credit[1]
        m.units[(sid, "refunded")] += credit[0]
        m.credits[(sid, buyer)] = [0, 0, 0]

    def withdraw(self, data):
        m = self.m
        who = data.draw(st.sampled_from([*PROVIDERS, "outsider"]), label="who")
        amount = m.proceeds.get(self.addr(who), 0)
        if amount == 0:
            error = "NoProceeds", {"provider": self.addr(who)}
            self._refused(error, "withdrawProceeds", sender=who)
            return
        self._tx("withdrawProceeds", sender=who)
        m.proceeds[self.addr(who)] = 0
        self._move(self.here, self.addr(who), amount)
        m.totals["withdrawn"] += amount

    def sweep(self, data):
        m = self.m
        who = data.draw(st.sampled_from(EVERYONE), label="who")
        if m.cut <= 1:
            self._refused(("NoCutToSweep", {}), "sweepCut", sender=who)
            return
        receipt = self._tx("sweepCut", sender=who)
        amount = m.cut - 1
        assert self._event(receipt, "CutSwept") == {"treasury": self.ctx.treasury, "amount": amount}
        self._move(self.here, self.ctx.treasury, amount)
        m.cut = 1
        m.totals["swept"] += amount

    def approve(self, data):
        who = data.draw(st.sampled_from(BUYERS), label="buyer")
        self._tx("approve", self.here, MAX_UINT, sender=who, contract=self.ctx.token)
        self.m.allowance[self.addr(who)] = MAX_UINT

    def warp(self, data):
        m = self.m
        kind = data.draw(st.sampled_from(["seconds", "hours", "days", "boundary"]), label="warp")
        if kind == "seconds":
            m.now += data.draw(st.integers(1, HOUR), label="seconds")
        elif kind == "hours":
            m.now += data.draw(st.integers(1, 48), label="hours") * HOUR
        elif kind == "days":
            m.now += data.draw(st.integers(1, 10), label="days") * DAY
        else:
            marks = sorted(
                {x for s in m.services.values() for x in (s.next_at, s.changed_at + WEEK)}
                - {0, WEEK}
            )
            marks = [x for x in marks if x >= m.now] or [m.now]
            target = data.draw(st.sampled_from(marks), label="mark")
            m.now = max(m.now, target + data.draw(st.sampled_from([-1, 0, 1]), label="delta"))

    # ------------------------------------------------------------------ the DAO

    def _price_error(self, sid, new, at):
        s = self.m.services.get(sid)
        if s is None:
            return "UnknownService", {"serviceId": sid}
        if s.status == REMOVED:
            return "ServiceIsRemoved", {"serviceId": sid}
        old = s.price_at(at)
        if not MIN_PRICE <= new <= MAX_PRICE:
            return "RuleOutOfBounds", {"rule": PRICE_RULE, "value": new}
        step = old * (RISE_BPS if new > old else CUT_BPS) // BPS
        if abs(new - old) > step:
            return "RuleStepTooLarge", {
                "rule": PRICE_RULE,
                "oldValue": old,
                "newValue": new,
                "maxStep": step,
            }
        if at < s.changed_at + WEEK:
            return "RuleChangedTooSoon", {"rule": PRICE_RULE, "nextChangeAt": s.changed_at + WEEK}
        return None

    def _apply_price(self, sid, new, at, event):
        s = self.m.services[sid]
        old = s.price_at(at)
        rise = new > old
        assert new <= old + old * RISE_BPS // BPS and new >= old - old * CUT_BPS // BPS
        assert at >= s.changed_at + WEEK
        effective = at + WEEK if rise else at
        assert event == {
            "serviceId": sid,
            "oldPrice": old,
            "newPrice": new,
            "effectiveAt": effective,
        }
        s.price, s.next_price, s.next_at = (old, new, effective) if rise else (new, 0, 0)
        s.changed_at = at
        self.stats["price", "rise" if rise else "cut"] += 1

    def _draw_price(self, data, sid):
        s = self.m.services.get(sid)
        old = s.price_at(self.m.now) if s else 2 * WAD
        return data.draw(
            weighted(
                (4, st.integers(old - old * CUT_BPS // BPS, old + old * RISE_BPS // BPS)),
                (1, st.just(old + old * RISE_BPS // BPS + 1)),
                (1, st.just(old * 2)),
                (1, st.just(old - old * CUT_BPS // BPS - 1)),
                (1, st.sampled_from([0, MIN_PRICE - 1, MAX_PRICE + 1])),
            ),
            label="price",
        )

    def dao(self, data):
        m = self.m
        kind = data.draw(
            st.sampled_from(["price"] * 3 + ["status"] * 3 + ["add", "cut"]),
            label="change",
        )
        sender = data.draw(weighted((6, st.just("dao")), (1, st.sampled_from(EVERYONE))), "by")
        if kind == "cut":
            value = data.draw(
                weighted(
                    (3, st.integers(max(0, m.cut_bps - 100), min(1000, m.cut_bps + 100))),
                    (1, st.integers(0, 2_000)),
                ),
                label="cut",
            )
            args, method, contract = (value,), "setCreditsCutBps", self.ctx.rules
        elif kind == "add" and len(m.services) < 5:
            provider = self.addr(data.draw(st.sampled_from(PROVIDERS), label="provider"))
            price = data.draw(st.integers(1, 50), label="jtn") * WAD // 4
            args, method, contract = (provider, price, "Tool", "ipfs://t"), "addService", None
        elif kind in ("price", "add"):
            sid = self._any_service(data)
            args, method, contract = (sid, self._draw_price(data, sid)), "setServicePrice", None
        else:
            sid = self._held(data)[0]  # mostly a service someone holds credits of
            method = data.draw(
                st.sampled_from(["pauseService", "pauseService", "resumeService", "removeService"]),
                label="how",
            )
            args, contract = (sid,), None
        if sender != "dao":
            error = ("OwnableUnauthorizedAccount", {"account": self.addr(sender)})
            self._refused(error, method, *args, sender=sender, contract=contract)
            return
        error = self._dao_error(method, args)
        if error:
            self._refused(error, method, *args, sender="dao", contract=contract)
            return
        receipt = self._tx(method, *args, sender="dao", contract=contract)
        if method == "setCreditsCutBps":
            m.cut_bps, m.cut_changed_at = args[0], m.now
        elif method == "addService":
            sid = len(m.services) + 1
            m.services[sid] = Service(args[0], args[1], changed_at=m.now)
            assert self._event(receipt, "ServiceAdded")["serviceId"] == sid
        elif method == "setServicePrice":
            self._apply_price(*args, m.now, self._event(receipt, "ServicePriceSet"))
        else:
            status = {"pauseService": PAUSED, "resumeService": ACTIVE, "removeService": REMOVED}
            m.services[args[0]].status = status[method]

    def _dao_error(self, method, args):
        m = self.m
        if method == "setCreditsCutBps":
            if m.cut_changed_at and m.now < m.cut_changed_at + DAY:
                return (
                    "RuleChangedTooSoon",
                    {"rule": CUT_RULE, "nextChangeAt": m.cut_changed_at + DAY},
                    self.ctx.rules,
                )
            if args[0] > MAX_CREDITS_CUT:
                return "RuleOutOfBounds", {"rule": CUT_RULE, "value": args[0]}, self.ctx.rules
            if abs(args[0] - m.cut_bps) > CREDITS_CUT_STEP:
                return "RuleStepTooLarge", {"rule": CUT_RULE, "newValue": args[0]}, self.ctx.rules
            return None
        if method == "addService":
            return None
        if method == "setServicePrice":
            return self._price_error(*args, m.now)
        s = m.services.get(args[0])
        if s is None:
            return "UnknownService", {"serviceId": args[0]}
        if method == "pauseService" and s.status != ACTIVE:
            return "ServiceNotActive", {"serviceId": args[0], "status": s.status}
        if method == "resumeService" and s.status != PAUSED:
            return "ServiceNotPaused", {"serviceId": args[0], "status": s.status}
        if method == "removeService" and s.status == REMOVED:
            return "ServiceIsRemoved", {"serviceId": args[0]}
        return None

    def vote(self, data):
        """A price change through the governor: propose, vote, queue, wait, execute."""
        c, m = self.ctx, self.m
        sid = data.draw(st.sampled_from(sorted(m.services)), label="service")
        prices = [self._draw_price(data, sid)]
        if data.draw(weighted((4, st.just(False)), (1, st.just(True))), label="twice"):
            prices.append(self._draw_price(data, sid))
        calldatas = [c.credits.setServicePrice.encode_input(sid, p) for p in prices]
        targets, values = [c.credits.address] * len(prices), [0] * len(prices)
        self.stats["vote", "proposed"] += 1
        description = f"price #{self.stats['vote', 'proposed']} at {m.now}"
        c.chain.provider.set_timestamp(m.now)
        receipt = c.governor.propose(
            targets, values, calldatas, description, sender=c.actors["voter1"]
        )
        proposal = receipt.return_value
        c.chain.mine(2)
        for voter in VOTERS:
            c.governor.castVote(proposal, FOR, sender=c.actors[voter])
        c.chain.mine(c.governor.proposalDeadline(proposal) + 1 - c.chain.blocks.height)
        args = (targets, values, calldatas, keccak(text=description))
        c.governor.queue(*args, sender=c.actors["voter1"])
        m.now = max(c.chain.blocks.head.timestamp + 1, c.governor.proposalEta(proposal))
        m.now += data.draw(st.sampled_from([0, DAY, 3 * DAY]), label="later")
        # The model's verdict: each call in turn, the second after the first's effect.
        saved = copy.deepcopy(m.services)
        error = None
        for price in prices:
            error = self._price_error(sid, price, m.now)
            if error:
                break
            s = m.services[sid]
            old = s.price_at(m.now)
            s.price, s.next_price, s.next_at, s.changed_at = (
                (old, price, m.now + WEEK, m.now) if price > old else (price, 0, 0, m.now)
            )
        m.services = saved
        if error:
            self.stats["vote", f"refused {error[0]}"] += 1
            c.chain.provider.set_timestamp(m.now)
            # Raised by AccessCredits, it bubbles up through the timelock and the governor.
            with expect_error_via(c.credits, error[0], **error[1]):
                c.governor.execute(*args, sender=c.actors["voter1"])
            return
        c.chain.provider.set_timestamp(m.now)
        receipt = c.governor.execute(*args, sender=c.actors["voter1"])
        self.stats["vote", "executed"] += 1
        events = [log.event_arguments for log in receipt.decode_logs(c.credits.ServicePriceSet)]
        assert len(events) == len(prices)
        for price, event in zip(prices, events, strict=True):
            self._apply_price(sid, price, m.now, event)

    # ------------------------------------------------------------------ invariants

    @invariant()
    def after_every_step(self):
        if self.m is None:
            return
        self.conservation()
        self.steps += 1
        if self.steps % AUDIT_EVERY == 0:
            self.audit()

    def conservation(self):
        m = self.m
        v = self.ctx.views
        held = sum(c[1] for c in m.credits.values())
        pending = sum(m.proceeds.values())
        balance, cut = self._read(v["token"].balanceOf(self.here), v["credits"].accruedCut())
        assert cut == m.cut
        assert balance == m.balances[self.here] == held + pending + m.cut, (
            f"holds {balance}: credits {held} + proceeds {pending} + cut {m.cut}"
        )
        t = m.totals
        to_providers = t["withdrawn"] + pending
        to_treasury = t["swept"] + m.cut
        assert t["paid in"] == to_providers + to_treasury + t["refunds"] + held
        for sid in m.services:
            units = sum(c[0] for (i, _), c in m.credits.items() if i == sid)
            assert all(c[0] >= 0 for c in m.credits.values())
            assert m.units[(sid, "bought")] == (
                m.units[(sid, "used")] + m.units[(sid, "refunded")] + units
            )

    def audit(self):
        m, v = self.m, self.ctx.views
        head = self.ctx.chain.blocks.head.timestamp
        calls, expected = [], []
        for sid, s in m.services.items():
            calls += [v["credits"].getService(sid), v["credits"].unitPrice(sid)]
            expected += [("service", sid, s, head), ("price", sid, s.price_at(head))]
        for (sid, buyer), credit in m.credits.items():
            calls.append(v["credits"].creditOf(sid, buyer))
            expected.append(("credit", sid, buyer, tuple(credit)))
        for who in PROVIDERS:
            calls.append(v["credits"].proceedsOf(self.addr(who)))
            expected.append(("proceeds", who, m.proceeds.get(self.addr(who), 0)))
        for holder, amount in m.balances.items():
            calls.append(v["token"].balanceOf(holder))
            expected.append(("balance", holder, amount))
        calls += [v["credits"].serviceCount(), v["rules"].creditsCutBps()]
        expected += [("count", len(m.services)), ("cut bps", m.cut_bps)]
        for what, got in zip(expected, self._read(*calls), strict=True):
            if what[0] == "service":
                s, at = what[2], what[3]
                matured = s.next_at and at >= s.next_at
                want = (
                    s.provider,
                    s.changed_at,
                    s.price_at(at),
                    0 if matured else s.next_price,
                    0 if matured else s.next_at,
                    s.status,
                )
                assert tuple(got)[:6] == want, f"service {what[1]}: {got} != {want}"
            else:
                assert (tuple(got) if what[0] == "credit" else got) == what[-1], what


def test_credits_invariants(system, dao, accounts, chain, monkeypatch):
    monkeypatch.setattr(ape_ethereum.trace.Trace, "show", lambda *args, **kwargs: None)
    token, credits, rules = system.token, system.credits, system.rules
    deployer = accounts[0]
    actors = {
        "buyer1": accounts[4],
        "buyer2": accounts[5],
        "buyer3": accounts[3],
        "prov1": accounts[6],
        "prov2": accounts[8],
        "outsider": accounts[7],
        "voter1": accounts[0],
        "voter2": accounts[1],
        "voter3": accounts[2],
        "dao": dao,
    }
    for name in BUYERS:
        token.transfer(actors[name], 5_000 * WAD, sender=deployer)
        token.approve(credits, MAX_UINT, sender=actors[name])
    for name in VOTERS:
        token.invoke_transaction("delegate", actors[name], sender=actors[name])
    credits.addService(actors["prov1"], 2 * WAD, "AI aid", "ipfs://aid", sender=dao)
    added = chain.blocks.head.timestamp
    credits.addService(actors["prov2"], WAD // 2, "Compute", "ipfs://gpu", sender=dao)
    second = chain.blocks.head.timestamp
    # A week on: every price may change from the first step.
    chain.pending_timestamp += 8 * DAY
    chain.mine()
    tracked = [actors[n].address for n in (*BUYERS, *PROVIDERS, "outsider")]
    tracked += [system.timelock.address, credits.address]
    initial = Model(
        now=0,
        services={
            1: Service(actors["prov1"].address, 2 * WAD, changed_at=added),
            2: Service(actors["prov2"].address, WAD // 2, changed_at=second),
        },
        credits={},
        proceeds={},
        cut=0,
        cut_bps=rules.creditsCutBps(),
        cut_changed_at=0,
        balances={h: token.balanceOf(h) for h in tracked},
        allowance={actors[n].address: MAX_UINT for n in BUYERS} | {actors["outsider"].address: 0},
    )
    assert initial.cut_bps == 500 and credits.accruedCut() == 0
    w3 = chain.provider.web3
    CreditsMachine.ctx = Context(
        chain=chain,
        credits=credits,
        rules=rules,
        token=token,
        governor=system.governor,
        actors=actors,
        treasury=system.timelock.address,
        w3=w3,
        views={
            "credits": web3_contract(w3, credits).functions,
            "rules": web3_contract(w3, rules).functions,
            "token": web3_contract(w3, token).functions,
        },
        initial=initial,
    )
    CreditsMachine.stats.clear()
    started = time.monotonic()
    try:
        run_machine(CreditsMachine, EXAMPLES, STEPS)
    finally:
        CreditsMachine.ctx = None
        print(f"\ncredits invariants: {time.monotonic() - started:.1f} s")
        print("\n".join(outcome_lines(CreditsMachine.stats)))
