"""Governing the access credits through the client: `jeton.gov.propose_service_price` and the
other service proposals, the DAO's cut in the rules table, and a whole vote that raises a price
by the maximum step while credits bought before keep their value.

A price change is checked by the contract itself (`checkPriceChange`) for the time the
proposal could first execute: a change that could never execute is refused before proposing,
with the contract's error, and nothing is sent.
"""

import pytest
from helpers import DAY, mine_past
from jeton.errors import ContractError
from jeton.types import ProposalState, ServiceStatus

WAD = 10**18
PRICE = 2 * WAD
WEEK = 7 * DAY


def nonce(jeton):
    return jeton.w3.eth.get_transaction_count(jeton.address)


def pass_and_execute(proposal, members, chain, not_before=0):
    """Vote `proposal` through with every member, queue it, wait the timelock out (and until
    `not_before`), execute; returns the execution's TxResult."""
    chair = members[0]
    mine_past(proposal.snapshot)
    for member in members:
        member.gov.vote(proposal.id, "for")
    mine_past(chair.gov.proposal(proposal.id).deadline)
    chair.gov.queue(proposal.id)
    chain.pending_timestamp = max(chair.gov.proposal(proposal.id).eta, not_before)
    chain.mine()
    return chair.gov.execute(proposal.id)


def test_a_price_change_in_plain_words(members, service):
    chair = members[0]
    change = chair.gov.service_price_change(service, PRICE * 5 // 4)
    assert (change.contract, change.function, change.args) == (
        "AccessCredits",
        "setServicePrice",
        (service, PRICE * 5 // 4),
    )
    assert change.description == (
        "set the price of service #1 (AI translation aid) from 2 JTN to 2.5 JTN a unit "
        "(+25.00%: a rise, in force 7 days after execution)"
    )
    cut = chair.gov.service_price_change(service, PRICE // 2)
    assert cut.description.endswith("(-50.00%: a cut, in force at once when executed)")


@pytest.mark.parametrize(
    "price,error,inputs",
    [
        (PRICE * 5 // 4 + 1, "RuleStepTooLarge", {"oldValue": PRICE, "maxStep": PRICE // 4}),
        (PRICE // 2 - 1, "RuleStepTooLarge", {"maxStep": PRICE // 2}),
        (10**24 + 1, "RuleOutOfBounds", {"max": 10**24}),
        (10**12 - 1, "RuleOutOfBounds", {"min": 10**12}),
    ],
)
def test_a_change_that_could_never_execute_is_refused_before_proposing(
    members, service, price, error, inputs
):
    chair = members[0]
    before = nonce(chair)
    with pytest.raises(ContractError) as info:
        chair.gov.propose_service_price(service, price, "Reprice the AI aid")
    assert info.value.name == error and info.value.contract == "AccessCredits"
    for key, value in inputs.items():
        assert info.value.inputs[key] == value
    assert nonce(chair) == before


def test_an_unknown_or_removed_service_is_refused(members, service, credits, dao):
    chair = members[0]
    before = nonce(chair)
    with pytest.raises(ContractError) as info:
        chair.gov.propose_service_price(9, PRICE, "Reprice")
    assert info.value.name == "UnknownService"
    credits.removeService(service, sender=dao)
    with pytest.raises(ContractError) as info:
        chair.gov.propose_service_price(service, PRICE, "Reprice")
    assert info.value.name == "ServiceIsRemoved"
    assert nonce(chair) == before


def test_a_change_too_soon_is_checked_for_when_it_may_execute(members, service, credits, dao):
    """Within a week of the last change, a proposal may still pass: it can execute once the
    week is over, so its step is checked against the price in force then (an announced rise
    included)."""
    chair = members[0]
    s = chair.services.get(service)
    chain_time = chair.block_timestamp()
    assert s.next_change_at > chain_time + 2 * DAY  # the timelock's delay is not enough
    change = chair.gov.service_price_change(service, PRICE * 5 // 4)
    assert "from 2 JTN to 2.5 JTN" in change.description


def test_the_whole_vote_raises_the_price_and_credits_keep_their_value(
    members, service, connect, worker, jtn, deployer, chain
):
    buyer = connect(worker)
    jtn.transfer(worker, 100 * WAD, sender=deployer)
    buyer.services.buy(service, 10)  # 20 JTN at 2 JTN
    chair = members[0]
    proposal = chair.gov.propose_service_price(service, PRICE * 5 // 4, "AI aid +25%")
    [change] = proposal.changes
    # Read back from the chain, the call says what it sets (the "from" changes with time).
    assert change.description == (
        "set the price of service #1 (AI translation aid) to 2.5 JTN a unit"
    )
    # The service was added less than a week ago: execution waits for its week.
    week_over = chair.services.get(service).next_change_at
    executed = pass_and_execute(proposal, members, chain, not_before=week_over)
    assert chair.gov.proposal(proposal.id).state == ProposalState.EXECUTED
    announced = chair.services.get(service)
    assert announced.unit_price == PRICE and announced.next_unit_price == PRICE * 5 // 4
    assert announced.next_price_at == chair.w3.eth.get_block(executed.block)["timestamp"] + WEEK
    # A week later the rise applies; the credits bought before are still 10 units for 20 JTN.
    chain.pending_timestamp = announced.next_price_at
    chain.mine()
    assert chair.services.get(service).unit_price == PRICE * 5 // 4
    credit = buyer.services.balance(service)
    assert (credit.units, credit.paid, credit.average_price) == (10, 20 * WAD, PRICE)


def test_propose_a_service_and_its_pause(members, provider, chain, credits):
    chair = members[0]
    proposal = chair.gov.propose_service(provider.address, 3 * WAD, "Compute time", "ipfs://gpu")
    assert proposal.changes[0].description == (
        f"add the service 'Compute time' provided by {provider.address} at 3 JTN a unit"
    )
    pass_and_execute(proposal, members, chain)
    added = chair.services.get(1)
    assert (added.name, added.uri, added.unit_price) == ("Compute time", "ipfs://gpu", 3 * WAD)
    pause = chair.gov.service_status_change(1, "pause")
    assert pause.description == "pause service #1 (Compute time)"
    proposal = chair.gov.propose([pause], "Pause compute time")
    assert proposal.changes[0].description == "pause service #1 (Compute time)"
    pass_and_execute(proposal, members, chain)
    assert chair.services.get(1).status == ServiceStatus.PAUSED
    with pytest.raises(ValueError, match="no service action"):
        chair.gov.service_status_change(1, "delete")


def test_the_cut_is_a_governed_rule(members):
    chair = members[0]
    [cut] = [r for r in chair.gov.rules() if r.key == "credits_cut"]
    assert (cut.label, cut.contract, cut.value) == (
        "the DAO's cut of credit sales",
        "PlatformRules",
        500,
    )
    assert (cut.limits.min, cut.limits.max, cut.limits.step) == (0, 1000, 100)
    assert str(cut).startswith("the DAO's cut of credit sales: 5.00% (bounds 0.00% to 10.00%")
    change = chair.gov.rule_change("credits_cut", 600)
    assert change.description == "set the DAO's cut of credit sales from 5.00% to 6.00%"
    before = nonce(chair)
    with pytest.raises(ContractError) as info:
        chair.gov.propose_rule("credits_cut", 700)
    assert info.value.name == "RuleStepTooLarge"
    assert nonce(chair) == before
