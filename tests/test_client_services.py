"""jeton.services on anvil: read services and credits, buy with a permit, consume, refund,
withdraw and sweep through the client, and every refusal.

The client re-implements none of the contract's checks: a refusal is the contract's own error,
found by simulating the call, and nothing is sent (each is checked against the sender's nonce).
Only inputs are refused before the chain: amounts, counts and addresses (`jeton.parsing`).
"""

import contextlib

import pytest
from helpers import AI_AID, DAY, add_service
from jeton.errors import ContractError, InputError, InvalidAddress
from jeton.services import Credit, Purchase, Refund, Service, Use
from jeton.tasks import hash_content
from jeton.types import ServiceStatus
from jeton.units import TokenAmount
from web3 import Web3

WAD = 10**18
PRICE = 2 * WAD
WEEK = 7 * DAY


def nonce(jeton):
    return jeton.w3.eth.get_transaction_count(jeton.address)


@contextlib.contextmanager
def refused(jeton, error_name, **inputs):
    """Expect the contract's error `error_name` with `inputs`, and no transaction sent."""
    before = nonce(jeton)
    with pytest.raises(ContractError) as info:
        yield info
    err = info.value
    assert err.name == error_name, f"expected {error_name}, got {err!r}"
    assert err.contract == "AccessCredits"
    for key, value in inputs.items():
        assert err.inputs[key] == value, f"{error_name}.{key}: {err.inputs[key]!r} != {value!r}"
    assert nonce(jeton) == before, "a refused call sent a transaction"


@pytest.fixture
def jp(connect, provider):
    """The provider's client."""
    return connect(provider)


@pytest.fixture
def jb(connect, buyer):
    """The buyer's client (the worker, holding 1,000 JTN)."""
    return connect(buyer)


def warp_to(chain, moment):
    chain.pending_timestamp = moment
    chain.mine()


# --- reading -----------------------------------------------------------------------------------


def test_get_and_list(jb, service, provider, credits, dao):
    s = jb.services.get(service)
    assert isinstance(s, Service)
    assert (s.id, s.name, s.uri, s.provider) == (service, *AI_AID, provider.address)
    assert s.status == ServiceStatus.ACTIVE and s.is_active and not s.refundable
    assert (s.unit_price, s.next_unit_price, s.next_price_at) == (PRICE, None, None)
    assert s.next_change_at == s.price_changed_at + WEEK
    assert str(s) == "#1 AI translation aid (active): 2 JTN a unit"
    other = add_service(credits, dao, provider, WAD, ("Compute time", "ipfs://gpu"))
    credits.pauseService(other, sender=dao)
    assert [x.id for x in jb.services.list()] == [service, other]
    assert [x.id for x in jb.services.list(ServiceStatus.PAUSED)] == [other]
    assert jb.services.get(other).refundable
    assert jb.services.count() == 2


def test_an_unknown_service_is_the_contract_s_error(jb, service):
    with refused(jb, "UnknownService", serviceId=9):
        jb.services.get(9)


def test_an_announced_rise_shows_both_prices(jb, service, credits, dao, chain):
    warp_to(chain, jb.services.get(service).next_change_at)
    receipt = credits.setServicePrice(service, PRICE * 5 // 4, sender=dao)
    s = jb.services.get(service)
    assert (s.unit_price, s.next_unit_price) == (PRICE, PRICE * 5 // 4)
    assert s.next_price_at == receipt.timestamp + WEEK
    assert "rising to 2.5 JTN on " in str(s)


# --- buying ------------------------------------------------------------------------------------


def test_buy_with_a_permit_in_one_transaction(jb, service, jtn, credits):
    before = nonce(jb)
    purchase = jb.services.buy(service, 10)
    assert nonce(jb) == before + 1  # the permit travels with the purchase
    assert isinstance(purchase, Purchase)
    assert (purchase.units, purchase.unit_price, purchase.cost) == (10, PRICE, 20 * WAD)
    assert purchase.cut == WAD and purchase.buyer == jb.address
    assert str(purchase) == "bought 10 units of service #1 at 2 JTN: 20 JTN"
    assert purchase.tx.event("CreditsBought").args["cost"] == 20 * WAD
    credit = jb.services.balance(service)
    assert isinstance(credit, Credit)
    assert (credit.units, credit.paid, credit.cut) == (10, 20 * WAD, WAD)
    assert credit.average_price == PRICE
    assert str(credit) == "10 units of service #1, 20 JTN paid (2.00 JTN a unit on average)"
    assert jb.services.credits() == [credit]
    assert jtn.balanceOf(credits) == 20 * WAD


def test_buy_with_an_allowance_is_the_plain_call(jb, service, jtn, credits, worker):
    jtn.approve(credits, 20 * WAD, sender=worker)
    purchase = jb.services.buy(service, 10)
    assert purchase.tx.events[0].name == "CreditsBought"  # no Approval from a permit
    assert jtn.allowance(worker, credits) == 0


def test_buy_refusals_send_nothing(jb, service, credits, dao):
    with refused(jb, "ZeroUnits"):
        jb.services.buy(service, 0)
    with refused(jb, "UnknownService", serviceId=5):
        jb.services.buy(5, 1, PRICE)
    with refused(jb, "PriceAboveLimit", unitPrice=PRICE) as info:
        jb.services.buy(service, 1, max_unit_price=PRICE - 1)
    assert isinstance(info.value.inputs["maxUnitPrice"], TokenAmount)
    assert "costs 2 JTN, above the limit 1.999999999999999999 JTN" in str(info.value)
    with refused(jb, "ERC20InsufficientBalance", sender=jb.address):
        jb.services.buy(service, 501)  # 1,002 JTN, and it holds 1,000
    credits.pauseService(service, sender=dao)
    with refused(jb, "ServiceNotActive", serviceId=service, status=ServiceStatus.PAUSED) as info:
        jb.services.buy(service, 1, PRICE)
    assert "service 1 is paused" in str(info.value)
    assert jb.services.balance(service).units == 0


@pytest.mark.parametrize("units", [-1, 2**64, 1.5, "3"])
def test_bad_unit_counts_are_input_errors(jb, service, units):
    before = nonce(jb)
    with pytest.raises(InputError):
        jb.services.buy(service, units)
    assert nonce(jb) == before


def test_a_mistyped_address_is_refused_by_its_checksum(jb, service, worker):
    address = worker.address
    flipped = address[:-1] + (address[-1].lower() if address[-1].isupper() else address[-1].upper())
    if flipped == address:  # the last character is a digit: flip another letter
        i = next(i for i, c in enumerate(address) if c.isalpha() and i > 1)
        flipped = address[:i] + address[i].swapcase() + address[i + 1 :]
    with pytest.raises(InvalidAddress, match="EIP-55"):
        jb.services.balance(service, flipped)


# --- using, refunding, withdrawing -------------------------------------------------------------


def test_the_provider_records_uses_the_buyer_sees(jb, jp, service, tmp_path):
    jb.services.buy(service, 10)
    receipt = tmp_path / "session-42.txt"
    receipt.write_text("translated 4 pages")
    use = jp.services.consume(service, jb.address, 4, receipt)
    assert isinstance(use, Use)
    assert (use.units, use.value, use.cut) == (4, 8 * WAD, 4 * WAD // 10)
    assert use.usage_ref == hash_content(receipt)
    assert use.tx is not None and use.tx.tx_hash == use.tx_hash
    seen = jb.services.uses()
    assert [(u.units, u.value, u.usage_ref, u.tx) for u in seen] == [
        (4, 8 * WAD, hash_content(receipt), None)
    ]
    assert jb.services.uses(service_id=service + 1) == []
    assert jp.services.uses(jb.address) == seen
    assert "4 units of service #1 used by its provider" in str(seen[0])
    assert jp.services.proceeds() == 76 * WAD // 10
    assert jb.services.accrued_cut() == 4 * WAD // 10


def test_consume_refusals_send_nothing(jb, jp, service, connect, outsider):
    jb.services.buy(service, 10)
    stranger = connect(outsider)
    with refused(stranger, "NotServiceProvider", serviceId=service, caller=outsider.address):
        stranger.services.consume(service, jb.address, 1)
    with refused(jp, "InsufficientCredits", held=10, wanted=11):
        jp.services.consume(service, jb.address, 11)
    with pytest.raises(InvalidAddress):
        jp.services.consume(service, "0x1234", 1)


def test_refund_a_paused_service(jb, jp, service, credits, dao, jtn, worker):
    jb.services.buy(service, 10)
    jp.services.consume(service, jb.address, 4)
    with refused(jb, "ServiceStillActive", serviceId=service):
        jb.services.refund(service)
    credits.pauseService(service, sender=dao)
    before = jtn.balanceOf(worker)
    refund = jb.services.refund(service)
    assert isinstance(refund, Refund)
    assert (refund.units, refund.amount) == (6, 12 * WAD)
    assert str(refund) == "refunded 6 units of service #1: 12 JTN"
    assert jtn.balanceOf(worker) == before + 12 * WAD
    with refused(jb, "NoCredits", serviceId=service, buyer=jb.address):
        jb.services.refund(service)


def test_withdraw_and_sweep(jb, jp, service, jtn, provider, timelock):
    with refused(jp, "NoProceeds", provider=provider.address):
        jp.services.withdraw_proceeds()
    with refused(jb, "NoCutToSweep"):
        jb.services.sweep_cut()
    jb.services.buy(service, 10)
    jp.services.consume(service, jb.address, 10)
    before = jtn.balanceOf(provider)
    jp.services.withdraw_proceeds()
    assert jtn.balanceOf(provider) == before + 19 * WAD
    treasury = jtn.balanceOf(timelock)
    swept = jb.services.sweep_cut()
    assert swept.event("CutSwept").args["treasury"] == Web3.to_checksum_address(timelock.address)
    assert jtn.balanceOf(timelock) == treasury + WAD - 1


def test_every_error_of_the_credits_is_explained():
    """Each custom error AccessCredits declares has words for people (jeton.errors.HINTS)."""
    from jeton.contracts import load_abi
    from jeton.errors import HINTS

    declared = {e["name"] for e in load_abi("AccessCredits") if e["type"] == "error"}
    own = declared - {"OwnableInvalidOwner", "OwnershipNotRenounceable"}
    assert not own - HINTS.keys(), own - HINTS.keys()
