"""AccessCredits, the buyer's and the provider's side: buy (with a permit in one transaction),
consume, refund, withdraw, sweep, and every refusal of each.

A 2 JTN-a-unit service (the AI translation aid), the local profile's 5% cut on credit sales.
The figures of who ends with what on every path are test_credits_economics'.
"""

import ape
import pytest
from helpers import (
    DAY,
    add_service,
    buy_credits,
    expect_error,
    expect_error_via,
    sign_permit,
)

WAD = 10**18
PRICE = 2 * WAD
CUT_BPS = 500
USE = b"\x0a" * 32  # the provider's reference to a use
# Service.Status
NONE, ACTIVE, PAUSED, REMOVED = range(4)
MAX_UINT = 2**256 - 1


def credit(credits, service_id, who):
    return tuple(credits.creditOf(service_id, who))


def permit_for(jtn, owner, spender, value, nonce=None):
    deadline = ape.chain.pending_timestamp + DAY
    nonce = jtn.nonces(owner) if nonce is None else nonce
    signed = sign_permit(
        jtn, owner.private_key, owner.address, spender.address, value, nonce, deadline
    )
    return (deadline, *signed)


# --- buying ------------------------------------------------------------------------------------


def test_buy_records_units_what_was_paid_and_the_locked_cut(credits, jtn, service, buyer):
    before = jtn.balanceOf(buyer)
    receipt = buy_credits(credits, jtn, buyer, service, 10)
    assert receipt.decode_logs(credits.CreditsBought)[0].event_arguments == {
        "serviceId": service,
        "buyer": buyer.address,
        "units": 10,
        "unitPrice": PRICE,
        "cost": 20 * WAD,
        "cut": WAD,  # 5% of 20 JTN, the DAO's once the units are used
    }
    assert receipt.return_value == 20 * WAD
    assert jtn.balanceOf(buyer) == before - 20 * WAD
    assert jtn.balanceOf(credits) == 20 * WAD
    assert credit(credits, service, buyer) == (10, 20 * WAD, WAD)
    # Nothing is paid out at purchase: no proceeds, no cut accrued yet.
    assert credits.proceedsOf(credits.getService(service).provider) == 0
    assert credits.accruedCut() == 0


def test_buying_again_adds_up(credits, jtn, service, buyer):
    buy_credits(credits, jtn, buyer, service, 10)
    buy_credits(credits, jtn, buyer, service, 5)
    assert credit(credits, service, buyer) == (15, 30 * WAD, 3 * WAD // 2)


def test_buy_with_permit_in_one_transaction(credits, jtn, service, buyer):
    assert jtn.allowance(buyer, credits) == 0
    signed = permit_for(jtn, buyer, credits, 20 * WAD)
    receipt = credits.buyWithPermit(service, 10, PRICE, *signed, sender=buyer)
    assert receipt.return_value == 20 * WAD
    assert credit(credits, service, buyer) == (10, 20 * WAD, WAD)
    assert jtn.allowance(buyer, credits) == 0  # the permit's allowance was spent exactly
    assert jtn.nonces(buyer) == 1


def test_a_front_run_permit_does_not_block_the_purchase(credits, jtn, service, buyer, outsider):
    signed = permit_for(jtn, buyer, credits, 20 * WAD)
    # Someone copies the signature from the mempool and submits the permit first.
    jtn.permit(buyer, credits, 20 * WAD, *signed, sender=outsider)
    credits.buyWithPermit(service, 10, PRICE, *signed, sender=buyer)
    assert credit(credits, service, buyer) == (10, 20 * WAD, WAD)


def test_a_bad_permit_without_an_allowance_is_refused(credits, jtn, service, buyer, outsider):
    # Signed by someone else: the permit fails (ignored), then the transfer has no allowance.
    deadline, v, r, s = permit_for(jtn, outsider, credits, 20 * WAD, nonce=0)
    with expect_error_via(jtn, "ERC20InsufficientAllowance", spender=credits.address):
        credits.buyWithPermit(service, 10, PRICE, deadline, v, r, s, sender=buyer)
    assert credit(credits, service, buyer) == (0, 0, 0)


def test_the_cut_in_force_at_purchase_is_locked(credits, jtn, rules, dao, service, buyer):
    buy_credits(credits, jtn, buyer, service, 10)
    rules.setCreditsCutBps(600, sender=dao)
    buy_credits(credits, jtn, buyer, service, 10)
    # 5% of the first 20 JTN and 6% of the second.
    assert credit(credits, service, buyer) == (20, 40 * WAD, WAD + 12 * WAD // 10)


@pytest.mark.parametrize("status", ["paused", "removed"])
def test_buying_a_service_that_is_not_active_is_refused(credits, jtn, dao, service, buyer, status):
    getattr(credits, {"paused": "pauseService", "removed": "removeService"}[status])(
        service, sender=dao
    )
    jtn.approve(credits, MAX_UINT, sender=buyer)
    code = {"paused": PAUSED, "removed": REMOVED}[status]
    with expect_error(credits, "ServiceNotActive", serviceId=service, status=code):
        credits.buy(service, 1, PRICE, sender=buyer)


def test_buy_refusals(credits, jtn, service, buyer, outsider):
    jtn.approve(credits, MAX_UINT, sender=buyer)
    with expect_error(credits, "UnknownService", serviceId=99):
        credits.buy(99, 1, PRICE, sender=buyer)
    with expect_error(credits, "ZeroUnits"):
        credits.buy(service, 0, PRICE, sender=buyer)
    with expect_error(
        credits, "PriceAboveLimit", serviceId=service, unitPrice=PRICE, maxUnitPrice=PRICE - 1
    ):
        credits.buy(service, 1, PRICE - 1, sender=buyer)
    with expect_error_via(jtn, "ERC20InsufficientBalance", sender=buyer.address):
        credits.buy(service, 501, PRICE, sender=buyer)  # 1,002 JTN, and it holds 1,000
    with expect_error_via(jtn, "ERC20InsufficientAllowance", spender=credits.address):
        credits.buy(service, 1, PRICE, sender=outsider)
    assert jtn.balanceOf(credits) == 0


# --- consuming ---------------------------------------------------------------------------------


def test_the_provider_consumes_at_the_price_paid(credits, jtn, service, buyer, provider):
    buy_credits(credits, jtn, buyer, service, 10)
    receipt = credits.consume(service, buyer, 4, USE, sender=provider)
    assert receipt.decode_logs(credits.CreditsConsumed)[0].event_arguments == {
        "serviceId": service,
        "buyer": buyer.address,
        "units": 4,
        "value": 8 * WAD,
        "cut": 4 * WAD // 10,
        "usageRef": USE,
    }
    assert receipt.return_value == 8 * WAD
    assert credit(credits, service, buyer) == (6, 12 * WAD, 6 * WAD // 10)
    assert credits.proceedsOf(provider) == 76 * WAD // 10
    assert credits.accruedCut() == 4 * WAD // 10
    # Consumption moves no token: all of it stays here until withdrawn or swept.
    assert not receipt.decode_logs(jtn.Transfer)
    assert jtn.balanceOf(credits) == 20 * WAD


def test_units_bought_at_two_prices_pool_at_their_average(
    credits, jtn, dao, service, buyer, provider
):
    buy_credits(credits, jtn, buyer, service, 10)  # 20 JTN
    ape.chain.pending_timestamp = credits.getService(service).priceChangedAt + 7 * DAY
    credits.setServicePrice(service, PRICE * 5 // 4, sender=dao)
    ape.chain.pending_timestamp += 7 * DAY
    ape.chain.mine(1)
    buy_credits(credits, jtn, buyer, service, 10)  # 25 JTN
    assert credit(credits, service, buyer)[:2] == (20, 45 * WAD)
    value = credits.consume(service, buyer, 4, USE, sender=provider).return_value
    assert value == 9 * WAD  # 4 units at the average 2.25 JTN
    assert credit(credits, service, buyer)[:2] == (16, 36 * WAD)


def test_the_last_units_take_all_that_is_left(credits, jtn, dao, buyer, provider):
    """The locked cut of 3 units at 1.000000000000000007 JTN does not divide by three: each use
    rounds down, the last takes the rest, and nothing is left behind."""
    price = WAD + 7
    service = add_service(credits, dao, provider, price)
    buy_credits(credits, jtn, buyer, service, 3)
    cost, cut = 3 * price, 3 * price * CUT_BPS // 10_000
    assert cut % 3 == 1
    shares = []
    for _ in range(3):
        receipt = credits.consume(service, buyer, 1, USE, sender=provider)
        log = receipt.decode_logs(credits.CreditsConsumed)[0]
        shares.append((log.value, log.cut))
    assert shares == [(price, cut // 3), (price, cut // 3), (price, cut // 3 + 1)]
    assert credit(credits, service, buyer) == (0, 0, 0)
    assert credits.proceedsOf(provider) + credits.accruedCut() == cost
    assert credits.accruedCut() == cut


def test_consume_refusals(credits, jtn, dao, service, buyer, provider, outsider):
    other = add_service(credits, dao, outsider, PRICE, ("Compute time", "ipfs://gpu"))
    buy_credits(credits, jtn, buyer, service, 10)
    with expect_error(credits, "UnknownService", serviceId=99):
        credits.consume(99, buyer, 1, USE, sender=provider)
    # Only that service's provider: not a stranger, not another service's provider.
    with expect_error(credits, "NotServiceProvider", serviceId=service, caller=outsider.address):
        credits.consume(service, buyer, 1, USE, sender=outsider)
    with expect_error(credits, "NotServiceProvider", serviceId=other, caller=provider.address):
        credits.consume(other, buyer, 1, USE, sender=provider)
    with expect_error(credits, "NotServiceProvider", serviceId=service, caller=buyer.address):
        credits.consume(service, buyer, 1, USE, sender=buyer)
    with expect_error(credits, "ZeroUnits"):
        credits.consume(service, buyer, 0, USE, sender=provider)
    # Never more than held: not 11 of 10, not one unit of a buyer with none.
    with expect_error(
        credits, "InsufficientCredits", serviceId=service, buyer=buyer.address, held=10, wanted=11
    ):
        credits.consume(service, buyer, 11, USE, sender=provider)
    with expect_error(credits, "InsufficientCredits", buyer=outsider.address, held=0, wanted=1):
        credits.consume(service, outsider, 1, USE, sender=provider)
    credits.pauseService(service, sender=dao)
    with expect_error(credits, "ServiceNotActive", serviceId=service, status=PAUSED):
        credits.consume(service, buyer, 1, USE, sender=provider)
    credits.removeService(service, sender=dao)
    with expect_error(credits, "ServiceNotActive", serviceId=service, status=REMOVED):
        credits.consume(service, buyer, 1, USE, sender=provider)
    assert credit(credits, service, buyer) == (10, 20 * WAD, WAD)
    assert credits.proceedsOf(provider) == 0 and credits.accruedCut() == 0


def test_a_resumed_service_is_used_again(credits, jtn, dao, service, buyer, provider):
    buy_credits(credits, jtn, buyer, service, 10)
    credits.pauseService(service, sender=dao)
    credits.resumeService(service, sender=dao)
    credits.consume(service, buyer, 10, USE, sender=provider)
    assert credits.proceedsOf(provider) == 19 * WAD


# --- refunding ---------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["pauseService", "removeService"])
def test_unused_credits_of_a_stopped_service_refund_at_the_price_paid(
    credits, jtn, dao, service, buyer, provider, how
):
    buy_credits(credits, jtn, buyer, service, 10)
    credits.consume(service, buyer, 4, USE, sender=provider)
    getattr(credits, how)(service, sender=dao)
    before = jtn.balanceOf(buyer)
    receipt = credits.refund(service, sender=buyer)
    assert receipt.decode_logs(credits.CreditsRefunded)[0].event_arguments == {
        "serviceId": service,
        "buyer": buyer.address,
        "units": 6,
        "amount": 12 * WAD,  # the price paid, the DAO's cut included
    }
    assert receipt.return_value == 12 * WAD
    assert jtn.balanceOf(buyer) == before + 12 * WAD
    assert credit(credits, service, buyer) == (0, 0, 0)
    # What the provider earned stays its own.
    assert credits.proceedsOf(provider) == 76 * WAD // 10


def test_refund_refusals(credits, jtn, dao, service, buyer, outsider):
    buy_credits(credits, jtn, buyer, service, 10)
    with expect_error(credits, "UnknownService", serviceId=99):
        credits.refund(99, sender=buyer)
    with expect_error(credits, "ServiceStillActive", serviceId=service):
        credits.refund(service, sender=buyer)
    credits.pauseService(service, sender=dao)
    with expect_error(credits, "NoCredits", serviceId=service, buyer=outsider.address):
        credits.refund(service, sender=outsider)
    credits.refund(service, sender=buyer)
    with expect_error(credits, "NoCredits", serviceId=service, buyer=buyer.address):
        credits.refund(service, sender=buyer)


def test_credits_bought_before_a_rise_refund_at_their_price(credits, jtn, dao, service, buyer):
    buy_credits(credits, jtn, buyer, service, 10)
    ape.chain.pending_timestamp = credits.getService(service).priceChangedAt + 7 * DAY
    credits.setServicePrice(service, PRICE * 5 // 4, sender=dao)
    ape.chain.pending_timestamp += 7 * DAY
    credits.removeService(service, sender=dao)
    assert credits.refund(service, sender=buyer).return_value == 20 * WAD


# --- withdrawing and sweeping ------------------------------------------------------------------


def test_the_provider_withdraws_its_proceeds(credits, jtn, service, buyer, provider):
    buy_credits(credits, jtn, buyer, service, 10)
    credits.consume(service, buyer, 10, USE, sender=provider)
    before = jtn.balanceOf(provider)
    receipt = credits.withdrawProceeds(sender=provider)
    assert receipt.decode_logs(credits.ProceedsWithdrawn)[0].event_arguments == {
        "provider": provider.address,
        "amount": 19 * WAD,
    }
    assert jtn.balanceOf(provider) == before + 19 * WAD
    assert credits.proceedsOf(provider) == 0
    with expect_error(credits, "NoProceeds", provider=provider.address):
        credits.withdrawProceeds(sender=provider)


def test_a_removed_service_keeps_what_its_provider_earned(
    credits, jtn, dao, service, buyer, provider
):
    buy_credits(credits, jtn, buyer, service, 10)
    credits.consume(service, buyer, 5, USE, sender=provider)
    credits.removeService(service, sender=dao)
    assert credits.withdrawProceeds(sender=provider).return_value == 95 * WAD // 10


def test_anyone_sweeps_the_cut_to_the_treasury(
    credits, jtn, rules, dao, service, buyer, provider, outsider, timelock
):
    with expect_error(credits, "NoCutToSweep"):
        credits.sweepCut(sender=outsider)
    buy_credits(credits, jtn, buyer, service, 10)
    credits.consume(service, buyer, 10, USE, sender=provider)
    before = jtn.balanceOf(timelock)
    receipt = credits.sweepCut(sender=outsider)
    assert receipt.decode_logs(credits.CutSwept)[0].event_arguments == {
        "treasury": timelock.address,
        "amount": WAD - 1,
    }
    assert jtn.balanceOf(timelock) == before + WAD - 1
    assert credits.accruedCut() == 1  # one base unit stays, as in the escrow
    with expect_error(credits, "NoCutToSweep"):
        credits.sweepCut(sender=outsider)
    # To whichever treasury the rulebook names now.
    rules.setTreasury(outsider, sender=dao)
    buy_credits(credits, jtn, buyer, service, 10)
    credits.consume(service, buyer, 10, USE, sender=provider)
    held = jtn.balanceOf(outsider)
    credits.sweepCut(sender=buyer)
    assert jtn.balanceOf(outsider) == held + WAD


def test_a_provider_is_never_paid_by_a_buyer_s_transaction(
    credits, jtn, dao, service, buyer, provider
):
    """Nothing is pushed to a provider: a provider that can not receive blocks no buyer."""
    receipts = [buy_credits(credits, jtn, buyer, service, 10)]
    receipts.append(credits.consume(service, buyer, 5, USE, sender=provider))
    credits.pauseService(service, sender=dao)
    receipts.append(credits.refund(service, sender=buyer))
    for receipt in receipts:
        assert all(log.to != provider.address for log in receipt.decode_logs(jtn.Transfer))
