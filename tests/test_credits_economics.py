"""Incentives of the access credits: who ends with what, in tokens, on every path.

A worker buys 10 units of the AI translation aid at 2 JTN (20 JTN, of which the DAO's 5% cut,
1 JTN, is locked in and taken only as units are used). Each party's net outcome is its JTN
balance change once everything owed has been paid out: the provider withdraws its proceeds and
anyone sweeps the cut to the treasury (one base unit of the cut always stays accrued, so the
treasury's figure is the swept amount plus that unit).

| path                                                        | buyer | provider | treasury |
| all 10 units used                                           |   -20 |      +19 |       +1 |
| 4 used, the DAO pauses the service, the buyer refunds 6     |    -8 |     +7.6 |     +0.4 |
| the DAO removes the service before any use; refund          |     0 |        0 |        0 |
| the DAO raises the price 25% after the purchase; all used   |   -20 |      +19 |       +1 |
| the DAO raises the price, then removes the service; refund  |     0 |        0 |        0 |
| the DAO raises the cut to 6% after the purchase; all used   |   -20 |      +19 |       +1 |
| the DAO halves the price; 10 more bought at 1 JTN; all used |   -30 |    +28.5 |     +1.5 |
| a provider that used 2 claims all 10                        |   -20 |      +19 |       +1 |
|   ...against the honest outcome (2 used, then a refund)     |    -4 |     +3.8 |     +0.2 |
So unused credits always come back at the price paid, whatever the DAO does to prices, cuts or
the service; the provider and the DAO earn only from units used; and a dishonest provider takes
at most what the buyer still holds of its own service, never more and never another's, each use
an event under the buyer's address. The worker limits that exposure by buying what it will use
soon; the DAO stops a dishonest provider by pausing its service, and the buyer refunds the rest.
"""

from dataclasses import dataclass
from decimal import Decimal

import ape
import pytest
from helpers import DAY, add_service, buy_credits, expect_error

WAD = 10**18
PRICE = 2 * WAD
USE = b"\x0b" * 32
PAUSED = 2


def jtn_units(value):
    """Whole or fractional JTN ("7.6") in base units, exactly."""
    return int(Decimal(value) * WAD)


@dataclass(frozen=True)
class Net:
    """Net outcomes in JTN base units: the buyer, the provider and the treasury."""

    buyer: int
    provider: int
    treasury: int

    @classmethod
    def of(cls, buyer, provider, treasury):
        return cls(jtn_units(buyer), jtn_units(provider), jtn_units(treasury))


@pytest.fixture
def world(credits, jtn, dao, rules, provider, buyer, timelock, outsider):
    """The service, and `settle()`: pays out everything owed and returns the net outcomes."""
    service = add_service(credits, dao, provider, PRICE)
    start = {who: jtn.balanceOf(who) for who in (buyer, provider, timelock)}

    def settle():
        if credits.proceedsOf(provider):
            credits.withdrawProceeds(sender=provider)
        if credits.accruedCut() > 1:
            credits.sweepCut(sender=outsider)
        delta = {who: jtn.balanceOf(who) - start[who] for who in start}
        kept = credits.accruedCut()  # the one base unit that stays, the treasury's
        # Conservation: what the contract holds is the unused credits' and that unit.
        assert jtn.balanceOf(credits) == credits.creditOf(service, buyer).paid + kept
        return Net(delta[buyer], delta[provider], delta[timelock] + kept)

    class World:
        pass

    w = World()
    w.service, w.settle = service, settle
    return w


def next_change(credits, service):
    ape.chain.pending_timestamp = credits.getService(service).priceChangedAt + 7 * DAY
    ape.chain.mine(1)


def test_all_units_used(credits, jtn, world, buyer, provider):
    buy_credits(credits, jtn, buyer, world.service, 10)
    credits.consume(world.service, buyer, 10, USE, sender=provider)
    assert world.settle() == Net.of(-20, 19, 1)


def test_some_used_then_paused_and_refunded(credits, jtn, dao, world, buyer, provider):
    buy_credits(credits, jtn, buyer, world.service, 10)
    credits.consume(world.service, buyer, 4, USE, sender=provider)
    credits.pauseService(world.service, sender=dao)
    credits.refund(world.service, sender=buyer)
    assert world.settle() == Net.of(-8, "7.6", "0.4")


def test_removed_before_any_use(credits, jtn, dao, world, buyer):
    buy_credits(credits, jtn, buyer, world.service, 10)
    credits.removeService(world.service, sender=dao)
    credits.refund(world.service, sender=buyer)
    assert world.settle() == Net.of(0, 0, 0)


def test_a_price_rise_after_the_purchase(credits, jtn, dao, world, buyer, provider):
    buy_credits(credits, jtn, buyer, world.service, 10)
    next_change(credits, world.service)
    credits.setServicePrice(world.service, PRICE * 5 // 4, sender=dao)
    ape.chain.pending_timestamp += 7 * DAY
    ape.chain.mine(1)
    assert credits.unitPrice(world.service) == PRICE * 5 // 4
    credits.consume(world.service, buyer, 10, USE, sender=provider)
    assert world.settle() == Net.of(-20, 19, 1)


def test_a_price_rise_then_removal(credits, jtn, dao, world, buyer):
    buy_credits(credits, jtn, buyer, world.service, 10)
    next_change(credits, world.service)
    credits.setServicePrice(world.service, PRICE * 5 // 4, sender=dao)
    ape.chain.pending_timestamp += 7 * DAY
    credits.removeService(world.service, sender=dao)
    credits.refund(world.service, sender=buyer)
    assert world.settle() == Net.of(0, 0, 0)


def test_a_cut_rise_after_the_purchase(credits, jtn, rules, dao, world, buyer, provider):
    buy_credits(credits, jtn, buyer, world.service, 10)
    rules.setCreditsCutBps(600, sender=dao)
    credits.consume(world.service, buyer, 10, USE, sender=provider)
    assert world.settle() == Net.of(-20, 19, 1)


def test_a_price_cut_pools_with_credits_bought_before(credits, jtn, dao, world, buyer, provider):
    buy_credits(credits, jtn, buyer, world.service, 10)
    next_change(credits, world.service)
    credits.setServicePrice(world.service, PRICE // 2, sender=dao)
    buy_credits(credits, jtn, buyer, world.service, 10)
    assert tuple(credits.creditOf(world.service, buyer))[:2] == (20, 30 * WAD)
    credits.consume(world.service, buyer, 20, USE, sender=provider)
    assert world.settle() == Net.of(-30, "28.5", "1.5")


def test_a_provider_that_claims_unused_credits(credits, jtn, dao, world, buyer, provider):
    """The worker used the tool twice; the provider records both, then claims the other 8."""
    buy_credits(credits, jtn, buyer, world.service, 10)
    credits.consume(world.service, buyer, 2, USE, sender=provider)
    # Never more than held...
    with expect_error(credits, "InsufficientCredits", held=8, wanted=9):
        credits.consume(world.service, buyer, 9, USE, sender=provider)
    receipt = credits.consume(world.service, buyer, 8, b"\xff" * 32, sender=provider)
    # ...and every use is an event under the buyer's address, with the provider's reference.
    seen = list(credits.CreditsConsumed.query("*", start_block=0).itertuples())
    assert [(e.event_arguments["buyer"], e.event_arguments["units"]) for e in seen] == [
        (buyer.address, 2),
        (buyer.address, 8),
    ]
    assert receipt.decode_logs(credits.CreditsConsumed)[0].usageRef == b"\xff" * 32
    # The DAO pauses the service: nothing more can be claimed, even if the buyer buys again.
    credits.pauseService(world.service, sender=dao)
    with expect_error(credits, "ServiceNotActive", status=PAUSED):
        credits.consume(world.service, buyer, 1, USE, sender=provider)
    assert world.settle() == Net.of(-20, 19, 1)


def test_the_honest_outcome_of_the_same_use(credits, jtn, dao, world, buyer, provider):
    buy_credits(credits, jtn, buyer, world.service, 10)
    credits.consume(world.service, buyer, 2, USE, sender=provider)
    credits.pauseService(world.service, sender=dao)
    credits.refund(world.service, sender=buyer)
    assert world.settle() == Net.of(-4, "3.8", "0.2")


def test_another_provider_can_not_touch_these_credits(credits, jtn, dao, world, buyer, outsider):
    other = add_service(credits, dao, outsider, PRICE, ("Compute time", "ipfs://gpu"))
    buy_credits(credits, jtn, buyer, world.service, 10)
    with expect_error(credits, "NotServiceProvider", serviceId=world.service):
        credits.consume(world.service, buyer, 1, USE, sender=outsider)
    with expect_error(credits, "InsufficientCredits", serviceId=other, held=0, wanted=1):
        credits.consume(other, buyer, 1, USE, sender=outsider)
    credits.removeService(world.service, sender=dao)
    credits.refund(world.service, sender=buyer)
    assert world.settle() == Net.of(0, 0, 0)
