"""The DAO in a real headless Chromium: a person proposes a fee change, others vote (one with
a reason, one by a gasless ballot that a third relays), the chain moves past the vote and the
timelock, the proposal is queued and executed, and the rules table shows the new fee; a fee
past its hard bound or its step is refused by the form before anything is signed.
"""

import json

import pytest
from browser import act, close_panel, connect, field, until, wait_for_view
from helpers import delegate
from jeton import Vote
from jeton.errors import error_class
from jeton.governance import SignedBallot
from jeton.governance.rules import RULES, rule_error

WAD = 10**18
DAY = 86_400
#: A description with markup in it: the page must show it as text.
DESCRIPTION = 'Lower the fee to 4% <img src="x" id="injected"> so that more work is posted'
REASON = "<b>cheaper</b> tasks bring more work"


def test_a_fee_change_from_proposal_to_rules_table(
    person, web, accounts, chain, jtn, rules, governor
):
    proposer, voter, signer = accounts[2], accounts[0], accounts[1]
    a, b, c = person(proposer), person(voter), person(signer)

    # The proposer delegates from the page; the others have delegated before.
    delegate(jtn, voter, voter)
    delegate(jtn, signer, signer)
    connect(a, web, "proposals")
    wait_for_view(a.page, "proposals")
    assert act(a.page, "[data-role=delegate-self]") == "done"
    close_panel(a.page)
    assert jtn.delegates(proposer) == proposer.address
    chain.mine(1)

    # The form shows the fee's bounds and step, and proposes 4.00%.
    bounds = a.page.locator("#propose-bounds").inner_text()
    assert "5.00%" in bounds and "0.00% to 10.00%" in bounds and "1.00%" in bounds
    a.page.fill("#propose-fee", "4")
    a.page.fill("#propose-description", DESCRIPTION)
    assert act(a.page, "[data-role=propose]") == "done"
    close_panel(a.page)
    (created,) = governor.ProposalCreated.query("*", start_block=0).event_arguments
    proposal_id = created["proposalId"]
    assert created["description"] == DESCRIPTION
    chain.mine(2)  # past the voting delay

    # A person votes for, with a reason, from the proposal's page.
    connect(b, web, "proposals/1")
    wait_for_view(b.page, "proposal")
    description = b.page.locator("#proposal-description")
    assert description.inner_text() == DESCRIPTION
    assert b.page.locator("#injected").count() == 0  # shown as text, never as HTML
    deadline = governor.proposalDeadline(proposal_id)
    assert f"{deadline - chain.blocks.head.number} blocks left" in b.page.inner_text("main")
    b.page.check("input[name=support][value=for]")
    b.page.fill("#vote-reason", REASON)
    assert act(b.page, "[data-role=vote]") == "done"
    close_panel(b.page)
    weight = jtn.getPastVotes(voter, governor.proposalSnapshot(proposal_id))
    assert governor.proposalVotes(proposal_id)[1] == weight
    wait_for_view(b.page, "proposal", chain.blocks.head.number)
    assert b.page.locator("[data-side=for]").get_attribute("data-value") == str(weight)
    assert b.page.locator("#votes .reason").inner_text() == REASON
    assert b.page.locator("#votes b").count() == 0

    # Another signs a gasless ballot (abstain): nothing is sent ...
    connect(c, web, "proposals/1")
    wait_for_view(c.page, "proposal")
    c.page.check("input[name=support][value=abstain]")
    nonce = chain.provider.web3.eth.get_transaction_count(signer.address)
    assert act(c.page, "[data-role=ballot]") == "done"
    assert c.wallet.signed() == ["eth_signTypedData_v4"]
    assert chain.provider.web3.eth.get_transaction_count(signer.address) == nonce
    ballot = json.loads(c.page.input_value("#signed-ballot"))
    assert ballot["voter"] == signer.address and ballot["support"] == "abstain"
    # The ballot is the command's own format: `jeton gov relay` reads it.
    signed = SignedBallot.from_json(ballot)
    assert (signed.proposal_id, signed.support, signed.nonce) == (proposal_id, Vote.ABSTAIN, 0)

    # ... and the proposer relays it, paying the gas.
    a.goto(a_base := web, "proposals/1")
    wait_for_view(a.page, "proposal")
    a.page.fill("#relay-ballot", json.dumps(ballot))
    assert act(a.page, "[data-role=relay]") == "done"
    close_panel(a.page)
    assert governor.hasVoted(proposal_id, signer)
    assert governor.proposalVotes(proposal_id)[2] == jtn.getPastVotes(
        signer, governor.proposalSnapshot(proposal_id)
    )

    # The vote ends; the proposal is queued, waits out the timelock, and is executed.
    chain.mine(deadline - chain.blocks.head.number + 1)
    a.goto(a_base, "proposals/1")
    wait_for_view(a.page, "proposal", chain.blocks.head.number)
    assert act(a.page, "[data-role=queue]") == "done"
    close_panel(a.page)
    eta = governor.proposalEta(proposal_id)
    chain.pending_timestamp = eta + 1
    chain.mine(1)
    wait_for_view(a.page, "proposal", chain.blocks.head.number)
    a.page.wait_for_selector("[data-role=execute]")
    assert act(a.page, "[data-role=execute]") == "done"
    close_panel(a.page)
    assert rules.feeBps() == 400

    # The rules table shows the new fee and its last change.
    a.goto(a_base, "rules")
    wait_for_view(a.page, "rules", chain.blocks.head.number)
    fee = a.page.locator("tr[data-rule=fee]")
    assert fee.locator("[data-value]").get_attribute("data-value") == "400"
    assert fee.locator("td").nth(1).inner_text() == "4.00%"
    assert "5.00% → 4.00%" in fee.locator("td").nth(4).inner_text()


@pytest.mark.parametrize(
    ("typed", "error", "inputs"),
    [
        ("20", "RuleOutOfBounds", {"value": 2000, "min": 0, "max": 1000}),
        ("7.5", "RuleStepTooLarge", {"oldValue": 500, "newValue": 750, "maxStep": 100}),
    ],
)
def test_a_fee_past_its_bound_or_step_is_refused_before_signing(
    person, web, accounts, chain, typed, error, inputs
):
    proposer = accounts[2]
    tab = person(proposer)
    connect(tab, web, "proposals")
    wait_for_view(tab.page, "proposals")
    nonce = chain.provider.web3.eth.get_transaction_count(proposer.address)
    tab.page.fill("#propose-fee", typed)
    tab.page.click("[data-role=propose]")
    problem = tab.page.locator("#propose-problem")
    problem.wait_for()
    assert problem.locator("[data-field=error-name]").inner_text() == error
    spec = RULES["fee"]
    expected = rule_error(error, spec, {"rule": spec.rule_id, **inputs})
    assert expected.explanation in problem.inner_text()
    assert "Nothing was signed." in problem.inner_text()
    assert tab.page.locator("#action").is_hidden()
    assert tab.wallet.signed() == []
    assert chain.provider.web3.eth.get_transaction_count(proposer.address) == nonce
    assert error_class(error).name == error
    until(tab.page, "!document.getElementById('propose-problem').hidden")
    assert field(tab.page, "error-name").count() == 1
