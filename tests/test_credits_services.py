"""AccessCredits, the DAO's side: adding, pricing, pausing, resuming and removing services.

A price is a governed number: hard bounds, at most +25% or -50% per change, at most one change
a week (counted from the service's addition too), and a rise announced a week ahead, with both
prices readable meanwhile. The bounds hold for a passed proposal as well: the check runs at
execution, so a larger step or two steps in one proposal leave the price as it was.
`dao` is the timelock impersonated; `test_a_passed_proposal_*` go through the real governor.
"""

import ape
import pytest
from eth_abi import encode
from eth_utils import keccak
from helpers import (
    AI_AID,
    DAY,
    ZERO_ADDRESS,
    add_service,
    buy_credits,
    call_error,
    expect_error,
    expect_error_via,
    pass_and_queue,
    rule_name,
)

WAD = 10**18
PRICE = 2 * WAD
WEEK = 7 * DAY
# Service.Status
NONE, ACTIVE, PAUSED, REMOVED = range(4)
PRICE_RULE = rule_name("servicePrice")


def service_of(credits, service_id):
    return credits.getService(service_id)


def next_change(credits, service_id):
    """The first moment the service's price may change again."""
    return credits.getService(service_id).priceChangedAt + WEEK


# --- the contract's constants ------------------------------------------------------------------


def test_constants(credits, rules, jtn, timelock):
    assert credits.MAX_PRICE_RISE_BPS() == 2_500
    assert credits.MAX_PRICE_CUT_BPS() == 5_000
    assert credits.PRICE_NOTICE() == WEEK
    assert credits.PRICE_CHANGE_INTERVAL() == WEEK >= credits.PRICE_NOTICE()
    assert (credits.MIN_UNIT_PRICE(), credits.MAX_UNIT_PRICE()) == (10**12, 10**24)
    assert credits.owner() == timelock.address
    assert (credits.token(), credits.rules()) == (jtn.address, rules.address)


# --- adding ------------------------------------------------------------------------------------


def test_the_dao_adds_a_service(credits, dao, provider):
    receipt = credits.addService(provider, PRICE, *AI_AID, sender=dao)
    assert credits.serviceCount() == 1
    info_hash = keccak(encode(["string", "string"], list(AI_AID)))
    assert receipt.decode_logs(credits.ServiceAdded)[0].event_arguments == {
        "serviceId": 1,
        "provider": provider.address,
        "unitPrice": PRICE,
        "infoHash": info_hash,
        "name": AI_AID[0],
        "uri": AI_AID[1],
    }
    service = credits.getService(1)
    assert service.provider == provider.address
    assert service.unitPrice == PRICE and credits.unitPrice(1) == PRICE
    assert (service.nextUnitPrice, service.nextPriceAt) == (0, 0)
    assert service.status == ACTIVE
    assert service.priceChangedAt == receipt.timestamp
    assert service.infoHash == info_hash
    # Ids run on: a second service is #2.
    assert add_service(credits, dao, provider, PRICE, ("Compute time", "ipfs://gpu")) == 2


@pytest.mark.parametrize("price", [0, 10**12 - 1, 10**24 + 1, 2**96])
def test_a_price_outside_the_hard_bounds_is_refused(credits, dao, provider, price):
    with expect_error(
        credits, "RuleOutOfBounds", rule=PRICE_RULE, value=price, min=10**12, max=10**24
    ):
        credits.addService(provider, price, *AI_AID, sender=dao)
    assert credits.serviceCount() == 0


def test_a_service_needs_a_provider(credits, dao):
    with expect_error(credits, "ZeroProvider"):
        credits.addService(ZERO_ADDRESS, PRICE, *AI_AID, sender=dao)


def test_the_bounds_themselves_are_allowed(credits, dao, provider):
    assert add_service(credits, dao, provider, 10**12) == 1
    assert add_service(credits, dao, provider, 10**24) == 2


def test_an_unknown_service_reads_as_none(credits):
    service = credits.getService(7)
    assert (service.provider, service.status, service.unitPrice) == (ZERO_ADDRESS, NONE, 0)
    assert credits.unitPrice(7) == 0


# --- price changes -----------------------------------------------------------------------------


def test_a_rise_is_announced_and_applies_after_its_notice(credits, dao, service, buyer, jtn):
    ape.chain.pending_timestamp = next_change(credits, service)
    receipt = credits.setServicePrice(service, PRICE * 5 // 4, sender=dao)
    effective = receipt.timestamp + WEEK
    assert receipt.decode_logs(credits.ServicePriceSet)[0].event_arguments == {
        "serviceId": service,
        "oldPrice": PRICE,
        "newPrice": PRICE * 5 // 4,
        "effectiveAt": effective,
    }
    # Both prices are readable during the notice, and purchases pay the old one.
    announced = credits.getService(service)
    assert (announced.unitPrice, announced.nextUnitPrice) == (PRICE, PRICE * 5 // 4)
    assert announced.nextPriceAt == effective
    ape.chain.pending_timestamp = effective - 60
    bought = buy_credits(credits, jtn, buyer, service, 10)
    assert bought.decode_logs(credits.CreditsBought)[0].unitPrice == PRICE
    assert credits.unitPrice(service) == PRICE  # the view at the latest block, before the rise
    # From the announced time on, the new price applies; the view shows no rise pending.
    ape.chain.pending_timestamp = effective
    ape.chain.mine(1)
    assert credits.unitPrice(service) == PRICE * 5 // 4
    now = credits.getService(service)
    assert (now.unitPrice, now.nextUnitPrice, now.nextPriceAt) == (PRICE * 5 // 4, 0, 0)
    with expect_error(
        credits, "PriceAboveLimit", serviceId=service, unitPrice=PRICE * 5 // 4, maxUnitPrice=PRICE
    ):
        credits.buy(service, 1, PRICE, sender=buyer)
    # Credits bought before keep their value: the units and what was paid for them.
    assert tuple(credits.creditOf(service, buyer)) == (10, 10 * PRICE, 10 * PRICE * 500 // 10_000)


def test_a_cut_applies_at_once(credits, dao, service):
    ape.chain.pending_timestamp = next_change(credits, service)
    receipt = credits.setServicePrice(service, PRICE // 2, sender=dao)
    assert receipt.decode_logs(credits.ServicePriceSet)[0].effectiveAt == receipt.timestamp
    assert credits.unitPrice(service) == PRICE // 2
    service_now = credits.getService(service)
    assert (service_now.unitPrice, service_now.nextUnitPrice, service_now.nextPriceAt) == (
        PRICE // 2,
        0,
        0,
    )


@pytest.mark.parametrize(
    "new,step",
    [
        (PRICE * 5 // 4 + 1, PRICE // 4),  # just over +25%
        (PRICE * 2, PRICE // 4),  # doubling overnight
        (PRICE // 2 - 1, PRICE // 2),  # just under half
        (10**12, PRICE // 2),  # to almost nothing
    ],
)
def test_a_step_too_large_is_refused(credits, dao, service, new, step):
    ape.chain.pending_timestamp = next_change(credits, service)
    with expect_error(
        credits, "RuleStepTooLarge", rule=PRICE_RULE, oldValue=PRICE, newValue=new, maxStep=step
    ):
        credits.setServicePrice(service, new, sender=dao)
    assert credits.getService(service).unitPrice == PRICE


def test_a_price_changes_at_most_once_a_week(credits, dao, service):
    added = credits.getService(service).priceChangedAt
    # Not in the first week after the service was added...
    ape.chain.pending_timestamp = added + WEEK - 1
    with expect_error(credits, "RuleChangedTooSoon", rule=PRICE_RULE, nextChangeAt=added + WEEK):
        credits.setServicePrice(service, PRICE * 5 // 4, sender=dao)
    ape.chain.pending_timestamp = added + WEEK
    changed = credits.setServicePrice(service, PRICE * 5 // 4, sender=dao).timestamp
    # ...nor in the week after a change, not even a cut back, once the rise has applied.
    for moment in (changed + 1, changed + WEEK - 1):
        ape.chain.pending_timestamp = moment
        with expect_error(credits, "RuleChangedTooSoon", nextChangeAt=changed + WEEK):
            credits.setServicePrice(service, PRICE, sender=dao)
    ape.chain.pending_timestamp = changed + WEEK
    credits.setServicePrice(service, PRICE, sender=dao)
    assert credits.unitPrice(service) == PRICE


def test_rises_compound_a_step_a_week_at_most(credits, dao, service):
    """Doubling a price takes four announced rises: a month of notice, not a night."""
    price = PRICE
    for _ in range(4):
        ape.chain.pending_timestamp = next_change(credits, service)
        new = price * 5 // 4
        credits.setServicePrice(service, new, sender=dao)
        # The next change is allowed exactly when this rise applies: never two pending.
        assert credits.getService(service).nextPriceAt == next_change(credits, service)
        price = new
    ape.chain.pending_timestamp = next_change(credits, service)
    ape.chain.mine(1)
    assert credits.unitPrice(service) == price >= 2 * PRICE
    assert price == PRICE * 625 // 256


def test_a_rise_is_measured_from_the_price_in_force(credits, dao, service):
    """Once an announced rise applies, the next step counts from it."""
    ape.chain.pending_timestamp = next_change(credits, service)
    credits.setServicePrice(service, PRICE * 5 // 4, sender=dao)
    ape.chain.pending_timestamp = next_change(credits, service)
    receipt = credits.setServicePrice(service, PRICE * 25 // 16, sender=dao)
    assert receipt.decode_logs(credits.ServicePriceSet)[0].oldPrice == PRICE * 5 // 4


def test_check_price_change_answers_as_the_setter_would(credits, dao, service):
    changed = credits.getService(service).priceChangedAt
    rise = PRICE * 5 // 4
    # Now: too soon; at the week's end: allowed, with the rise's date.
    err = call_error(credits, "checkPriceChange", service, rise, changed + WEEK - 1)
    assert type(err).__name__ == "RuleChangedTooSoon"
    assert tuple(credits.checkPriceChange(service, rise, changed + WEEK)) == (
        PRICE,
        changed + 2 * WEEK,
    )
    assert tuple(credits.checkPriceChange(service, PRICE // 2, changed + WEEK)) == (
        PRICE,
        changed + WEEK,
    )
    err = call_error(credits, "checkPriceChange", service, rise + 1, changed + WEEK)
    assert type(err).__name__ == "RuleStepTooLarge" and err.inputs["maxStep"] == PRICE // 4
    err = call_error(credits, "checkPriceChange", service, 10**24 + 1, changed + WEEK)
    assert type(err).__name__ == "RuleOutOfBounds"
    err = call_error(credits, "checkPriceChange", 9, PRICE, changed + WEEK)
    assert type(err).__name__ == "UnknownService" and err.inputs["serviceId"] == 9
    # At a time after an announced rise applies, the step counts from the announced price.
    ape.chain.pending_timestamp = changed + WEEK
    credits.setServicePrice(service, rise, sender=dao)
    later = changed + 2 * WEEK
    assert tuple(credits.checkPriceChange(service, rise * 5 // 4, later)) == (rise, later + WEEK)


def test_an_unknown_or_removed_service_has_no_price_to_set(credits, dao, service):
    with expect_error(credits, "UnknownService", serviceId=5):
        credits.setServicePrice(5, PRICE, sender=dao)
    credits.removeService(service, sender=dao)
    ape.chain.pending_timestamp = next_change(credits, service)
    with expect_error(credits, "ServiceIsRemoved", serviceId=service):
        credits.setServicePrice(service, PRICE, sender=dao)


def test_a_paused_service_may_be_repriced(credits, dao, service):
    credits.pauseService(service, sender=dao)
    ape.chain.pending_timestamp = next_change(credits, service)
    credits.setServicePrice(service, PRICE // 2, sender=dao)
    assert credits.unitPrice(service) == PRICE // 2


# --- through a vote ----------------------------------------------------------------------------


def test_a_passed_proposal_can_not_take_a_larger_step(
    credits, governor, service, deployer, client, worker, jtn
):
    double = credits.setServicePrice.encode_input(service, PRICE * 2)
    proposal = pass_and_queue(
        governor, [(credits, double)], "Double the AI aid's price", [deployer, client], jtn
    )
    # The vote took under a week: wait until the price may change at all.
    ape.chain.pending_timestamp = max(ape.chain.pending_timestamp, next_change(credits, service))
    with expect_error_via(
        credits,
        "RuleStepTooLarge",
        rule=PRICE_RULE,
        oldValue=PRICE,
        newValue=2 * PRICE,
        maxStep=PRICE // 4,
    ):
        governor.execute(*proposal.args, sender=worker)
    service_now = credits.getService(service)
    assert (service_now.unitPrice, service_now.nextUnitPrice) == (PRICE, 0)


@pytest.mark.parametrize(
    "second,error",
    [
        # +25% on top of the announced rise: a step too large from the price in force.
        (PRICE * 25 // 16, "RuleStepTooLarge"),
        # A small move within a step of it: a second change in the same week.
        (PRICE * 9 // 8, "RuleChangedTooSoon"),
    ],
)
def test_a_passed_proposal_can_not_take_two_steps_at_once(
    credits, governor, service, deployer, client, worker, jtn, second, error
):
    calls = [
        (credits, credits.setServicePrice.encode_input(service, PRICE * 5 // 4)),
        (credits, credits.setServicePrice.encode_input(service, second)),
    ]
    proposal = pass_and_queue(governor, calls, "AI aid, two steps", [deployer, client], jtn)
    ape.chain.pending_timestamp = max(ape.chain.pending_timestamp, next_change(credits, service))
    with expect_error_via(credits, error, rule=PRICE_RULE):
        governor.execute(*proposal.args, sender=worker)
    assert credits.getService(service).nextUnitPrice == 0  # the first call was undone too


def test_a_passed_proposal_within_the_step_announces_the_rise(
    credits, governor, service, deployer, client, worker, jtn
):
    rise = credits.setServicePrice.encode_input(service, PRICE * 5 // 4)
    proposal = pass_and_queue(governor, [(credits, rise)], "AI aid +25%", [deployer, client], jtn)
    ape.chain.pending_timestamp = max(ape.chain.pending_timestamp, next_change(credits, service))
    receipt = governor.execute(*proposal.args, sender=worker)
    announced = credits.getService(service)
    assert announced.nextUnitPrice == PRICE * 5 // 4
    assert announced.nextPriceAt == receipt.timestamp + WEEK


# --- pausing, resuming, removing --------------------------------------------------------------


def test_status_moves_and_their_events(credits, dao, service):
    for action, status in (
        (credits.pauseService, PAUSED),
        (credits.resumeService, ACTIVE),
        (credits.pauseService, PAUSED),
        (credits.removeService, REMOVED),
    ):
        receipt = action(service, sender=dao)
        assert [
            (log.serviceId, log.status) for log in receipt.decode_logs(credits.ServiceStatusSet)
        ] == [(service, status)]
        assert credits.getService(service).status == status


def test_an_active_service_may_be_removed_at_once(credits, dao, service):
    credits.removeService(service, sender=dao)
    assert credits.getService(service).status == REMOVED


def test_status_refusals(credits, dao, service):
    with expect_error(credits, "ServiceNotPaused", serviceId=service, status=ACTIVE):
        credits.resumeService(service, sender=dao)
    credits.pauseService(service, sender=dao)
    with expect_error(credits, "ServiceNotActive", serviceId=service, status=PAUSED):
        credits.pauseService(service, sender=dao)
    credits.removeService(service, sender=dao)
    with expect_error(credits, "ServiceIsRemoved", serviceId=service):
        credits.removeService(service, sender=dao)
    with expect_error(credits, "ServiceNotPaused", serviceId=service, status=REMOVED):
        credits.resumeService(service, sender=dao)
    with expect_error(credits, "ServiceNotActive", serviceId=service, status=REMOVED):
        credits.pauseService(service, sender=dao)
    for action in (credits.pauseService, credits.resumeService, credits.removeService):
        with expect_error(credits, "UnknownService", serviceId=3):
            action(3, sender=dao)


# --- only the timelock -------------------------------------------------------------------------

GOVERNED = [
    ("addService", lambda s, p: (p, PRICE, *AI_AID)),
    ("setServicePrice", lambda s, p: (s, PRICE)),
    ("pauseService", lambda s, p: (s,)),
    ("resumeService", lambda s, p: (s,)),
    ("removeService", lambda s, p: (s,)),
    ("transferOwnership", lambda s, p: (p,)),
]


@pytest.mark.parametrize("function,args", GOVERNED, ids=[g[0] for g in GOVERNED])
def test_only_the_timelock_governs_services(
    credits, timelock, service, provider, deployer, outsider, function, args
):
    for caller in (deployer, provider, outsider):
        with expect_error(credits, "OwnableUnauthorizedAccount", account=caller.address):
            getattr(credits, function)(*args(service, provider), sender=caller)
    assert credits.owner() == timelock.address
    assert credits.serviceCount() == 1
    assert credits.getService(service).status == ACTIVE
    assert credits.unitPrice(service) == PRICE


def test_ownership_can_not_be_renounced(credits, dao, timelock):
    """`renounceOwnership` is `pure`: sent as a real transaction, as Ape would only call it."""
    with expect_error(credits, "OwnershipNotRenounceable"):
        credits.renounceOwnership.transact(sender=dao)
    assert credits.owner() == timelock.address
