"""The governance client (`jeton.gov`) on anvil, through web3.py only.

The system is the `local` profile of `scripts/deploy.py`: voting delay 1 block, voting period
50 blocks, quorum 4% of the votes that can exist (the 30M JTN outside the treasury: 1.2M),
late-quorum extension 10 blocks, timelock delay 2 days, grace period 14 days, fee 5%, reward
50% of the fee, review period 3 days, dispute window 7 days, reputation weight 0.05 JTN per
point. Test accounts 0, 1 and 2 hold 10M JTN each.

Every refusal is checked to happen before any transaction: the account's nonce is unchanged.
"""

import contextlib
import json

import pytest
from eth_utils import keccak
from helpers import expect_error, mine_past
from jeton import ProposalState, Vote
from jeton.errors import (
    GovernorAlreadyCastVote,
    GovernorInsufficientProposerVotes,
    GovernorInvalidSignature,
    GovernorInvalidVoteType,
    GovernorNonexistentProposal,
    GovernorRestrictedProposer,
    GovernorUnableToCancel,
    GovernorUnexpectedProposalState,
    RuleOutOfBounds,
    RuleStepTooLarge,
    TimelockUnexpectedOperationState,
)
from jeton.formatting import iso_time
from jeton.governance import RULES, format_duration, format_weight, hash_proposal
from jeton.types import Timestamp

WAD = 10**18
MILLION = 10**6 * WAD
DAY = 86_400
TIMELOCK_DELAY = 2 * DAY
GRACE = 14 * DAY
FEE_RULE = b"feeBps".ljust(32, b"\x00")


def bitmap(*states):
    """OpenZeppelin's proposal-state bitmap (GovernorUnexpectedProposalState.expectedStates)."""
    return sum(1 << s for s in states).to_bytes(32, "big")


def nonce(jeton):
    return jeton.w3.eth.get_transaction_count(jeton.address)


@contextlib.contextmanager
def refused_before_sending(*clients):
    """The clients' own checks must refuse: no simulation, no transaction, nonces unchanged."""
    before = [nonce(c) for c in clients]

    def send(*args, **kwargs):
        raise AssertionError("the client simulated or sent a transaction")

    for c in clients:
        c.transact = c.simulate = send
    try:
        yield
    finally:
        for c in clients:
            del c.transact, c.simulate
    assert [nonce(c) for c in clients] == before


@pytest.fixture
def relayer(connect, worker):
    """An account with no tokens: relays, queues and executes for others."""
    return connect(worker)


def open_voting(proposal):
    """Mine until a vote sent now is counted (the snapshot block is past)."""
    mine_past(proposal.snapshot)


def close_voting(jeton, proposal_id):
    mine_past(jeton.gov.proposal(proposal_id).deadline)


def wait_timelock(chain, seconds=TIMELOCK_DELAY):
    chain.pending_timestamp += seconds
    chain.mine()


def pass_and_queue(proposal, voters, queuer, chain):
    """Vote `proposal` through with `voters` (all For) and queue it; returns the queued state."""
    open_voting(proposal)
    for voter in voters:
        voter.gov.vote(proposal.id, "for")
    close_voting(queuer, proposal.id)
    queuer.gov.queue(proposal.id)
    return queuer.gov.proposal(proposal.id)


# --- the whole path ---------------------------------------------------------------------------


def test_whole_path_lowers_the_fee(
    connect, members, relayer, bob, deployer, client, alice, worker, rules, governor, chain
):
    chair, member, other = members
    # Bob gets 3M JTN from the client before the proposal; he will vote by signature.
    member.transact(
        member.contracts.token.functions.transfer(bob.address, 3 * MILLION), "WorkToken"
    )
    signer = connect(bob)
    signer.gov.delegate()

    text = "Lower the platform fee to 4%"
    proposal = chair.gov.propose_fee(400, text)
    created = chain.blocks.height
    calldata = bytes(rules.setFeeBps.encode_input(400))
    # Only the chair may submit this description: nobody can front-run it (see below).
    description = f"{text}\n\n#proposer={deployer.address}"
    assert proposal.state == ProposalState.PENDING
    assert proposal.proposer == deployer.address
    assert (proposal.description, proposal.text) == (description, text)
    assert proposal.description_hash == keccak(text=description)
    assert proposal.targets == [rules.address]
    assert proposal.values == [0]
    assert proposal.calldatas == [calldata]
    assert proposal.id == governor.getProposalId(
        [rules.address], [0], [calldata], keccak(text=description)
    )
    assert proposal.id == hash_proposal([rules.address], [0], [calldata], keccak(text=description))
    assert proposal.created_block == created
    assert proposal.snapshot == created + 1
    assert proposal.deadline == created + 1 + 50
    assert proposal.eta == proposal.expires == 0
    assert proposal.quorum == 1_200_000 * WAD  # 4% of the 30M outside the treasury
    assert (proposal.for_votes, proposal.against_votes, proposal.abstain_votes) == (0, 0, 0)
    assert not proposal.quorum_reached
    [change] = proposal.changes
    assert change.description == "set the platform fee from 5.00% to 4.00%"
    assert (change.contract, change.function, change.args) == ("PlatformRules", "setFeeBps", (400,))
    assert (change.rule, change.current, change.new_value) == ("fee", 500, 400)
    assert change.target == rules.address and change.calldata == calldata

    # Voting opens after the snapshot block: a vote now is refused before sending.
    with refused_before_sending(other), pytest.raises(GovernorUnexpectedProposalState) as info:
        other.gov.vote(proposal.id, "for")
    assert info.value.inputs["current"] == ProposalState.PENDING
    assert info.value.inputs["expectedStates"] == bitmap(ProposalState.ACTIVE)
    assert f"voting opens after block {proposal.snapshot}" in str(info.value)

    open_voting(proposal)
    voted = chair.gov.vote(proposal.id, Vote.FOR, reason="cheaper for clients")
    assert voted.event("VoteCast").args["weight"] == 10 * MILLION
    member.gov.vote(proposal.id, "against", reason="the treasury needs the fees")
    other.gov.vote(proposal.id, 2, reason="no opinion yet")

    # Bob signs; the relayer (no tokens, no votes) sends his vote and pays the gas.
    bob_sent = nonce(signer)
    signature = signer.gov.sign_vote(proposal.id, "for")
    assert len(signature) == 65 and signature[64] in (27, 28)
    relayed = relayer.gov.cast_signed_vote(proposal.id, "for", bob.address, signature)
    event = relayed.event("VoteCast")
    assert (event.args["voter"], event.args["support"], event.args["weight"]) == (
        bob.address,
        1,
        3 * MILLION,
    )
    assert nonce(signer) == bob_sent
    assert governor.nonces(bob) == 1

    # A second vote, direct or by replaying the signature, is refused before sending.
    with refused_before_sending(chair), pytest.raises(GovernorAlreadyCastVote) as info:
        chair.gov.vote(proposal.id, "against")
    assert info.value.inputs["voter"] == deployer.address
    with refused_before_sending(relayer), pytest.raises(GovernorAlreadyCastVote):
        relayer.gov.cast_signed_vote(proposal.id, "for", bob.address, signature)

    active = relayer.gov.proposal(proposal.id)
    now = chain.blocks.height
    assert active.state == ProposalState.ACTIVE
    assert active.for_votes == 13 * MILLION
    assert active.against_votes == 7 * MILLION
    assert active.abstain_votes == 10 * MILLION
    assert active.quorum_reached and active.vote_succeeded
    assert active.deadline == proposal.deadline  # quorum came early: no late-quorum extension
    assert active.blocks_left(now) == proposal.deadline - now > 0
    assert [(v.voter, v.support, v.weight, v.reason) for v in relayer.gov.votes(proposal.id)] == [
        (deployer.address, Vote.FOR, 10 * MILLION, "cheaper for clients"),
        (client.address, Vote.AGAINST, 7 * MILLION, "the treasury needs the fees"),
        (alice.address, Vote.ABSTAIN, 10 * MILLION, "no opinion yet"),
        (bob.address, Vote.FOR, 3 * MILLION, ""),
    ]
    assert [v.voter for v in relayer.gov.votes(proposal.id, voter=client.address)] == [
        client.address
    ]
    assert relayer.gov.has_voted(proposal.id, bob.address)
    assert not relayer.gov.has_voted(proposal.id)

    close_voting(relayer, proposal.id)
    succeeded = relayer.gov.proposal(proposal.id)
    assert succeeded.state == ProposalState.SUCCEEDED
    assert succeeded.blocks_left(chain.blocks.height) == 0
    assert succeeded.seconds_until_executable(chain.blocks.head.timestamp) is None

    # Voting is closed, and a proposal executes only once queued.
    with refused_before_sending(relayer), pytest.raises(GovernorUnexpectedProposalState) as info:
        relayer.gov.vote(proposal.id, "for")
    assert info.value.inputs["current"] == ProposalState.SUCCEEDED
    with refused_before_sending(relayer), pytest.raises(GovernorUnexpectedProposalState) as info:
        relayer.gov.execute(proposal.id)
    assert info.value.inputs["expectedStates"] == bitmap(ProposalState.QUEUED)

    queued_tx = relayer.gov.queue(proposal.id)
    queued_at = chain.provider.web3.eth.get_block(queued_tx.block)["timestamp"]
    queued = relayer.gov.proposal(proposal.id)
    assert queued.state == ProposalState.QUEUED
    assert queued.eta == queued_at + TIMELOCK_DELAY
    assert queued.expires == queued.eta + GRACE
    assert queued_tx.event("ProposalQueued").args["etaSeconds"] == queued.eta
    assert queued_tx.event("ProposalExpires").args["expiresAt"] == queued.expires
    assert queued.seconds_until_executable(queued_at) == TIMELOCK_DELAY

    # Too early: refused before sending, with the time it becomes possible.
    with refused_before_sending(relayer), pytest.raises(TimelockUnexpectedOperationState) as info:
        relayer.gov.execute(proposal.id)
    assert f"can be executed from {iso_time(queued.eta)} (in 2 days)" in str(info.value)
    assert info.value.contract == "Timelock"
    assert rules.feeBps() == 500

    wait_timelock(chain)
    assert (
        relayer.gov.proposal(proposal.id).seconds_until_executable(relayer.block_timestamp()) == 0
    )
    executed = relayer.gov.execute(proposal.id)
    assert executed.event("ProposalExecuted").args["proposalId"] == proposal.id
    assert executed.event("RuleChanged").args["newValue"] == 400
    assert rules.feeBps() == 400
    done = chair.gov.proposal(proposal.id)
    assert done.state == ProposalState.EXECUTED
    # Once executed, the "from" is the value the execution replaced, not today's value.
    assert [c.description for c in done.changes] == ["set the platform fee from 5.00% to 4.00%"]
    assert [p.id for p in chair.gov.proposals()] == [proposal.id]


# --- bounds -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bps, error, inputs, words",
    [
        (
            1_100,
            RuleOutOfBounds,
            {"value": 1_100, "min": 0, "max": 1_000},
            "the platform fee can not be 11.00%: its hard bounds are 0.00% to 10.00%",
        ),
        (
            300,
            RuleStepTooLarge,
            {"oldValue": 500, "newValue": 300, "maxStep": 100},
            "the platform fee moves at most 1.00% per vote: from 5.00% to 3.00% is too far",
        ),
    ],
)
def test_fee_outside_bounds_or_step_is_refused_before_sending(
    connect, deployer, bps, error, inputs, words
):
    jeton = connect(deployer)
    with refused_before_sending(jeton), pytest.raises(error) as info:
        jeton.gov.propose_fee(bps, "Change the fee")
    assert info.value.inputs == {"rule": FEE_RULE, **inputs}
    assert info.value.contract == "PlatformRules"
    assert words in str(info.value)
    assert jeton.gov.proposals() == []


def test_limits_are_read_from_the_contracts(connect, rules, votes):
    gov = connect().gov
    fee = gov.rule_limits("fee")
    assert (fee.min, fee.max, fee.step) == (0, rules.MAX_FEE_BPS(), rules.MAX_FEE_STEP())
    review = gov.rule_limits("review_period")
    assert (review.min, review.max, review.step) == (DAY, 30 * DAY, 7 * DAY)
    weight = gov.rule_limits("reputation_weight")
    assert (weight.min, weight.max, weight.step) == (
        0,
        votes.MAX_REPUTATION_WEIGHT(),
        votes.MAX_REPUTATION_WEIGHT_STEP(),
    )
    assert gov.rule_value("dispute_window") == 7 * DAY
    with pytest.raises(ValueError, match="no governed rule 'tax'"):
        gov.rule_value("tax")


def test_voting_settings_and_the_timelock_delay_are_bounded_rules_too(
    connect, deployer, governor, timelock
):
    jeton = connect(deployer)
    gov = jeton.gov
    quorum = gov.rule_limits("quorum")
    assert (quorum.min, quorum.max, quorum.step) == (
        governor.MIN_QUORUM_PERCENT(),
        governor.MAX_QUORUM_PERCENT(),
        governor.MAX_QUORUM_STEP(),
    )
    delay = gov.rule_limits("timelock_delay")
    assert (delay.min, delay.max) == (timelock.MIN_DELAY(), timelock.MAX_DELAY()) == (DAY, 30 * DAY)
    assert (gov.rule_value("quorum"), gov.rule_value("voting_period")) == (4, 50)
    assert gov.rule_value("timelock_delay") == TIMELOCK_DELAY
    assert gov.rule_change("voting_period", 100).description == (
        "set the voting period from 50 blocks to 100 blocks"
    )
    assert gov.rule_change("quorum", 5).description == (
        "set the quorum from 4% to 5% of the votes outside the treasury"
    )
    with refused_before_sending(jeton), pytest.raises(RuleStepTooLarge) as info:
        gov.propose_rule("quorum", 10)
    assert "the quorum moves at most 5% per vote: from 4% to 10% is too far" in str(info.value)
    with refused_before_sending(jeton), pytest.raises(RuleOutOfBounds) as info:
        gov.propose_rule("quorum", 60)
    assert info.value.inputs == {
        "rule": b"quorumPercent".ljust(32, b"\x00"),
        "value": 60,
        "min": 1,
        "max": 50,
    }
    assert info.value.contract == "WorkGovernor"
    with refused_before_sending(jeton), pytest.raises(RuleOutOfBounds) as info:
        gov.propose_rule("timelock_delay", 3_600)
    assert info.value.contract == "Timelock"
    assert "the timelock delay can not be 1 hour: its hard bounds are 1 day to 30 days" in str(
        info.value
    )


def test_unchecked_proposal_passes_the_vote_but_execution_is_refused_before_sending(
    members, relayer, rules, chain
):
    chair, member, _ = members
    proposal = chair.gov.propose_fee(300, "Cut the fee to 3% at once", check_bounds=False)
    assert [c.description for c in proposal.changes] == ["set the platform fee from 5.00% to 3.00%"]
    queued = pass_and_queue(proposal, [chair, member], relayer, chain)
    assert queued.state == ProposalState.QUEUED
    wait_timelock(chain)

    # The rulebook's own error bubbles up through timelock and governor in the simulation.
    sent = nonce(relayer)
    with pytest.raises(RuleStepTooLarge) as info:
        relayer.gov.execute(proposal.id)
    assert info.value.inputs == {"rule": FEE_RULE, "oldValue": 500, "newValue": 300, "maxStep": 100}
    assert info.value.contract == "PlatformRules"
    assert "would revert at execution" in str(info.value)
    assert "from 5.00% to 3.00% is too far" in str(info.value)
    assert nonce(relayer) == sent
    assert rules.feeBps() == 500
    assert relayer.gov.proposal(proposal.id).state == ProposalState.QUEUED


def test_reputation_weight_in_bounds_and_steps(members, relayer, votes, chain):
    """Bounds and step come from WorkVotes' constants, whatever they are."""
    chair, member, _ = members
    weight = votes.reputationWeight()
    limit, step = votes.MAX_REPUTATION_WEIGHT(), votes.MAX_REPUTATION_WEIGHT_STEP()
    new = weight + step if weight + step <= limit else weight - step
    too_far = weight + 2 * step if weight + 2 * step <= limit else weight - 2 * step
    assert 0 <= too_far <= limit

    with refused_before_sending(chair), pytest.raises(RuleStepTooLarge) as info:
        chair.gov.propose_reputation_weight(too_far)
    assert info.value.inputs == {
        "rule": b"reputationWeight".ljust(32, b"\x00"),
        "oldValue": weight,
        "newValue": too_far,
        "maxStep": step,
    }
    assert info.value.contract == "WorkVotes"
    with refused_before_sending(chair), pytest.raises(RuleOutOfBounds) as info:
        chair.gov.propose_reputation_weight(limit + 1)
    assert (info.value.inputs["value"], info.value.inputs["max"]) == (limit + 1, limit)
    assert f"its hard bounds are 0 JTN to {format_weight(limit)}" in str(info.value)

    proposal = chair.gov.propose_reputation_weight(new)
    words = (
        f"set the voting weight of reputation from {format_weight(weight)} to "
        f"{format_weight(new)} per reputation point"
    )
    assert proposal.text == "S" + words[1:]  # the default description: the change
    assert [c.description for c in proposal.changes] == [words]
    assert proposal.targets == [votes.address]
    assert proposal.calldatas == [bytes(votes.setReputationWeight.encode_input(new))]
    pass_and_queue(proposal, [chair, member], relayer, chain)
    wait_timelock(chain)
    relayer.gov.execute(proposal.id)
    assert votes.reputationWeight() == new
    assert relayer.gov.rule_value("reputation_weight") == new
    assert [c.description for c in relayer.gov.proposal(proposal.id).changes] == [words]


def test_one_proposal_changes_several_rules_in_plain_words(members, relayer, rules, chain):
    chair, member, _ = members
    gov = chair.gov
    changes = [
        gov.rule_change("review_period", 5 * DAY),
        gov.rule_change("dispute_window", DAY),
        gov.rule_change("reward", 4_000),
        gov.rule_change("fee", 450),
    ]
    proposal = gov.propose(changes, "Faster reviews, cheaper tasks")
    assert [c.description for c in proposal.changes] == [
        "set the review period from 3 days to 5 days",
        "set the dispute window from 7 days to 1 day",
        "set the work reward from 50.00% to 40.00% of the fee",
        "set the platform fee from 5.00% to 4.50%",
    ]
    assert [c.rule for c in proposal.changes] == [
        "review_period",
        "dispute_window",
        "reward",
        "fee",
    ]
    pass_and_queue(proposal, [chair, member], relayer, chain)
    wait_timelock(chain)
    result = relayer.gov.execute(proposal.id)
    assert len([e for e in result.events if e.name == "RuleChanged"]) == 4
    assert (rules.reviewPeriod(), rules.disputeWindow(), rules.rewardBps(), rules.feeBps()) == (
        5 * DAY,
        DAY,
        4_000,
        450,
    )

    # A step over the limit anywhere in the list stops the whole proposal before sending.
    with refused_before_sending(chair), pytest.raises(RuleStepTooLarge) as info:
        gov.propose([gov.rule_change("fee", 400), gov.rule_change("review_period", 13 * DAY)])
    assert info.value.inputs["oldValue"] == 5 * DAY
    assert "the review period moves at most 7 days per vote" in str(info.value)


def test_raw_calls_are_described_and_the_threshold_is_checked(
    members, relayer, governor, rules, worker, chain
):
    chair, member, _ = members
    threshold = MILLION
    calls = [
        bytes(governor.setProposalThreshold.encode_input(threshold)),
        bytes(rules.setArbiter.encode_input(worker.address, True)),
    ]
    proposal = chair.gov.propose(
        targets=[governor.address, rules.address],
        calldatas=["0x" + calls[0].hex(), calls[1]],
        description="Require 1M votes to propose; appoint an arbiter",
    )
    assert [c.description for c in proposal.changes] == [
        "set the votes needed to propose from 0 JTN to 1,000,000 JTN",
        f"call PlatformRules.setArbiter(arbiter={worker.address}, allowed=True)",
    ]
    assert [(c.contract, c.function, c.args, c.rule) for c in proposal.changes] == [
        ("WorkGovernor", "setProposalThreshold", (threshold,), "proposal_threshold"),
        ("PlatformRules", "setArbiter", (worker.address, True), None),
    ]
    pass_and_queue(proposal, [chair, member], relayer, chain)
    wait_timelock(chain)
    relayer.gov.execute(proposal.id)
    assert governor.proposalThresholdSetting() == threshold
    assert rules.isArbiter(worker)
    # The "from" of an executed setting comes from the governor's own event.
    assert relayer.gov.proposal(proposal.id).changes[0].description == (
        "set the votes needed to propose from 0 JTN to 1,000,000 JTN"
    )

    # The relayer holds no tokens: proposing is refused before sending. The votes needed are
    # the setting, capped at 1% of the votes outside the treasury (30M): 300k.
    assert relayer.gov.rule_value("proposal_threshold") == threshold
    cap = 300_000 * WAD
    with refused_before_sending(relayer), pytest.raises(GovernorInsufficientProposerVotes) as info:
        relayer.gov.propose_fee(450, "Lower the fee a little")
    assert info.value.inputs == {"proposer": worker.address, "votes": 0, "threshold": cap}
    assert "has 0 votes and proposing needs 300,000:" in str(info.value)  # votes, not wei
    assert chair.gov.propose_fee(450, "Lower the fee a little").state == ProposalState.PENDING


# --- votes and proposals ----------------------------------------------------------------------


def test_forged_or_wrong_signature_is_refused_before_sending(connect, members, relayer, alice, bob):
    chair, _, other = members
    proposal = chair.gov.propose_fee(450, "Lower the fee by half a point")
    open_voting(proposal)
    # Alice signs, but the relayer claims it is Bob's vote; and Bob's for-signature is not an
    # against-vote.
    by_alice = other.gov.sign_vote(proposal.id, "for")
    by_bob = connect(bob).gov.sign_vote(proposal.id, "for")
    with refused_before_sending(relayer), pytest.raises(GovernorInvalidSignature) as info:
        relayer.gov.cast_signed_vote(proposal.id, "for", bob.address, by_alice)
    assert info.value.inputs == {"voter": bob.address}
    with refused_before_sending(relayer), pytest.raises(GovernorInvalidSignature):
        relayer.gov.cast_signed_vote(proposal.id, "against", bob.address, by_bob)
    with refused_before_sending(relayer), pytest.raises(GovernorInvalidSignature):
        relayer.gov.cast_signed_vote(proposal.id, "for", bob.address, b"\x01" * 10)
    # The right one goes through (Bob has no votes: a vote of weight zero).
    result = relayer.gov.cast_signed_vote(proposal.id, "for", bob.address, by_bob)
    assert result.event("VoteCast").args["weight"] == 0
    assert relayer.gov.has_voted(proposal.id, bob.address)


def test_invalid_vote_words_and_unknown_proposals(connect, members, deployer):
    chair = members[0]
    proposal = chair.gov.propose_fee(450, "Lower the fee by half a point")
    open_voting(proposal)
    with refused_before_sending(chair), pytest.raises(GovernorInvalidVoteType, match="'maybe'"):
        chair.gov.vote(proposal.id, "maybe")
    with refused_before_sending(chair), pytest.raises(GovernorInvalidVoteType):
        chair.gov.vote(proposal.id, 3)
    with refused_before_sending(chair), pytest.raises(GovernorNonexistentProposal) as info:
        chair.gov.vote(12345, "for")
    assert info.value.inputs == {"proposalId": 12345}
    with pytest.raises(GovernorNonexistentProposal):
        connect().gov.proposal(12345)
    assert chair.gov.voting_power(proposal.id) == 10 * MILLION
    assert chair.gov.voting_power(proposal.id, connect().contracts.escrow.address) == 0


def test_identical_proposal_is_refused_before_sending(members):
    member = members[1]
    first = member.gov.propose_fee(450, "Lower the fee by half a point")
    with refused_before_sending(member), pytest.raises(GovernorUnexpectedProposalState) as info:
        member.gov.propose_fee(450, "Lower the fee by half a point")
    assert info.value.inputs["proposalId"] == first.id
    assert info.value.inputs["current"] == ProposalState.PENDING
    assert "an identical proposal" in str(info.value)


def test_proposer_cancels_while_pending_and_nobody_else(members, relayer):
    chair, member, _ = members
    proposal = chair.gov.propose_fee(450, "Lower the fee by half a point")
    with refused_before_sending(member), pytest.raises(GovernorUnableToCancel) as info:
        member.gov.cancel(proposal.id)
    assert info.value.inputs == {"proposalId": proposal.id, "account": member.address}
    result = chair.gov.cancel(proposal.id)
    assert result.event("ProposalCanceled").args["proposalId"] == proposal.id
    assert chair.gov.proposal(proposal.id).state == ProposalState.CANCELED
    with refused_before_sending(chair), pytest.raises(GovernorUnableToCancel):
        chair.gov.cancel(proposal.id)
    with refused_before_sending(relayer), pytest.raises(GovernorUnexpectedProposalState) as info:
        relayer.gov.queue(proposal.id)
    assert info.value.inputs["current"] == ProposalState.CANCELED


def test_listings_of_proposals_and_votes(members, relayer, deployer, client, alice, chain):
    chair, member, other = members
    first = chair.gov.propose_fee(450, "Lower the fee by half a point")
    second = member.gov.propose_review_period(4 * DAY, "A day more for reviews")
    assert second.text == "A day more for reviews"
    open_voting(second)
    chair.gov.vote(first.id, "against", reason="too little")
    member.gov.vote(first.id, "for")
    other.gov.vote(second.id, "abstain")

    listed = relayer.gov.proposals()
    assert [p.id for p in listed] == [first.id, second.id]
    assert [p.proposer for p in listed] == [deployer.address, client.address]
    assert [[c.description for c in p.changes] for p in listed] == [
        ["set the platform fee from 5.00% to 4.50%"],
        ["set the review period from 3 days to 4 days"],
    ]
    assert [(p.for_votes, p.against_votes, p.abstain_votes) for p in listed] == [
        (10 * MILLION, 10 * MILLION, 0),
        (0, 0, 10 * MILLION),
    ]
    assert [p.id for p in relayer.gov.proposals(proposer=client.address)] == [second.id]
    assert [p.id for p in relayer.gov.proposals(state=ProposalState.ACTIVE)] == [
        first.id,
        second.id,
    ]

    assert [(v.voter, v.support, v.reason) for v in relayer.gov.votes(first.id)] == [
        (deployer.address, Vote.AGAINST, "too little"),
        (client.address, Vote.FOR, ""),
    ]
    assert [(v.voter, v.support) for v in relayer.gov.votes(second.id)] == [
        (alice.address, Vote.ABSTAIN)
    ]

    close_voting(relayer, second.id)
    close_voting(relayer, first.id)
    # A tie fails; abstentions alone reach the quorum but carry nothing.
    assert [p.state for p in relayer.gov.proposals()] == [
        ProposalState.DEFEATED,
        ProposalState.DEFEATED,
    ]
    assert [p.quorum_reached for p in relayer.gov.proposals()] == [True, True]
    assert relayer.gov.proposals(state=ProposalState.ACTIVE) == []


def test_vote_in_the_deadline_block_is_too_late(members, chain):
    chair, member, _ = members
    proposal = chair.gov.propose_fee(450, "Lower the fee by half a point")
    mine_past(proposal.deadline - 1)  # the latest block is the deadline block
    assert chain.blocks.height == proposal.deadline
    assert member.gov.proposal(proposal.id).state == ProposalState.ACTIVE
    assert member.gov.proposal(proposal.id).blocks_left(chain.blocks.height) == 0
    # Active as of the latest block, but the transaction would be mined after the deadline.
    with refused_before_sending(member), pytest.raises(GovernorUnexpectedProposalState) as info:
        member.gov.vote(proposal.id, "for")
    assert f"ends with block {proposal.deadline}, the latest block" in str(info.value)
    assert member.gov.votes(proposal.id) == []


def test_formats_for_people():
    assert format_weight(10**18) == "1 JTN"
    assert format_weight(5 * 10**16) == "0.05 JTN"
    assert format_weight(0) == "0 JTN"
    assert format_duration(259_200) == "3 days"
    assert format_duration(90_061) == "1 day 1 hour 1 minute 1 second"
    assert format_duration(7_200) == "2 hours"
    assert format_duration(0) == "0 seconds"


# --- the #proposer= suffix, expiry, stale proposals -------------------------------------------


def test_a_front_runner_can_neither_copy_nor_cancel_a_proposal(members, governor, rules, accounts):
    """The client ends every description with `#proposer=<wallet>` (unless told not to): a copy
    of the transaction sent first by someone else is refused, so nobody can take the proposal
    over and cancel it while it is pending."""
    chair, member, _ = members
    proposal = chair.gov.propose_fee(450, "Half a point less")
    assert proposal.description.endswith(f"\n\n#proposer={chair.address}")
    assert proposal.text == "Half a point less"
    copy = {
        "targets": proposal.targets,
        "calldatas": proposal.calldatas,
        "description": proposal.description,
    }
    with refused_before_sending(member), pytest.raises(GovernorRestrictedProposer) as info:
        member.gov.propose(**copy)
    assert info.value.inputs == {"proposer": member.address}
    # Sent to the chain anyway (another client), the governor refuses it too.
    with expect_error(governor, "GovernorRestrictedProposer", proposer=accounts[1].address):
        governor.propose(
            proposal.targets, [0], proposal.calldatas, proposal.description, sender=accounts[1]
        )
    with refused_before_sending(member), pytest.raises(GovernorUnableToCancel):
        member.gov.cancel(proposal.id)
    assert chair.gov.proposal(proposal.id).state == ProposalState.PENDING
    # Unrestricted only when asked.
    bare = member.gov.propose_fee(450, "Half a point less, anyone", restrict=False)
    assert bare.description == bare.text == "Half a point less, anyone"


def test_a_proposal_refused_at_execution_is_cancelled_by_its_proposer(
    members, relayer, rules, chain
):
    chair, member, _ = members
    proposal = member.gov.propose_fee(300, "Cut the fee to 3% at once", check_bounds=False)
    queued = pass_and_queue(proposal, [chair, member], relayer, chain)
    with refused_before_sending(member), pytest.raises(GovernorUnableToCancel) as info:
        member.gov.cancel(proposal.id)  # before its ETA: the vote stands
    assert f"it can be cancelled from {Timestamp(queued.eta)}" in str(info.value)
    wait_timelock(chain)
    with pytest.raises(RuleStepTooLarge) as info:
        relayer.gov.execute(proposal.id)
    assert "it stays queued until it executes, expires, or its proposer cancels it" in str(
        info.value
    )
    stale = relayer.gov.proposal(proposal.id)
    assert stale.is_stale(relayer.block_timestamp()) and stale.state == ProposalState.QUEUED
    with refused_before_sending(chair), pytest.raises(GovernorUnableToCancel):
        chair.gov.cancel(proposal.id)  # not the proposer
    result = member.gov.cancel(proposal.id)
    assert result.event("ProposalCanceled").args["proposalId"] == proposal.id
    assert relayer.gov.proposal(proposal.id).state == ProposalState.CANCELED
    with refused_before_sending(relayer), pytest.raises(GovernorUnexpectedProposalState):
        relayer.gov.execute(proposal.id)
    assert rules.feeBps() == 500


def test_an_expired_proposal_is_refused_before_sending(members, relayer, rules, chain):
    chair, member, _ = members
    proposal = chair.gov.propose_fee(400, "Lower the fee to 4%")
    queued = pass_and_queue(proposal, [chair, member], relayer, chain)
    assert queued.expires == queued.eta + GRACE
    chain.pending_timestamp = queued.expires
    chain.mine()
    expired = relayer.gov.proposal(proposal.id)
    assert expired.state == ProposalState.EXPIRED and not expired.is_stale(queued.expires)
    with refused_before_sending(relayer), pytest.raises(GovernorUnexpectedProposalState) as info:
        relayer.gov.execute(proposal.id)
    assert info.value.inputs["current"] == ProposalState.EXPIRED
    assert f"it expired at {Timestamp(queued.expires)}, unexecuted, and can never run" in str(
        info.value
    )
    assert relayer.gov.proposals(state=ProposalState.EXPIRED) == [expired]
    assert rules.feeBps() == 500


# --- the rules as a table ---------------------------------------------------------------------


def test_the_rules_table_shows_every_setting_stepped(members, relayer, governor, chain):
    """The DAO's own settings are rules like the platform's: each has a step, and a change
    by a vote shows in the table."""
    chair, member, _ = members
    table = {r.key: r for r in relayer.gov.rules()}
    assert list(table) == list(RULES)
    for key, row in table.items():
        assert row.limits == relayer.gov.rule_limits(key)
        assert row.limits.step is not None, key  # every governed number moves by steps
    assert table["quorum"].limits.step == governor.MAX_QUORUM_STEP() == 5
    assert (table["grace_period"].value, table["grace_period"].step) == (GRACE, "7 days")
    assert table["quorum"].bounds == "1% to 50%"

    changes = [
        chair.gov.rule_change("quorum", 9),
        chair.gov.rule_change("grace_period", 7 * DAY),
    ]
    assert [c.description for c in changes] == [
        "set the quorum from 4% to 9% of the votes outside the treasury",
        "set the grace period of queued proposals from 14 days to 7 days",
    ]
    proposal = chair.gov.propose(changes)
    pass_and_queue(proposal, [chair, member], relayer, chain)
    wait_timelock(chain)
    executed = relayer.gov.execute(proposal.id)
    table = {r.key: r for r in relayer.gov.rules()}
    for key, previous, value in (("quorum", 4, 9), ("grace_period", GRACE, 7 * DAY)):
        assert (table[key].previous, table[key].value) == (previous, value)
        assert table[key].changed_block == executed.block
    assert table["fee"].changed_at is None


def test_the_command_shows_rules_and_cancels_a_stale_proposal(
    members, relayer, rpc_url, deployment_file, deployer, chain
):
    from click.testing import CliRunner
    from jeton.cli import cli

    def run(*args, key=None):
        env = {"JETON_TEST_KEY": key} if key else {}
        options = ["--rpc", rpc_url, "--deployment", str(deployment_file), "--json"]
        if key:
            options += ["--key-env", "JETON_TEST_KEY"]
        result = CliRunner().invoke(cli, [*options, *args], env=env)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    rows = run("gov", "rules")
    assert [r["key"] for r in rows] == list(RULES)
    quorum = next(r for r in rows if r["key"] == "quorum")
    assert (quorum["value"], quorum["min"], quorum["max"], quorum["step"]) == ("4", "1", "50", "5")
    assert quorum["changed_at"] is None

    chair, member, _ = members
    proposal = chair.gov.propose_fee(300, "Too far", check_bounds=False)
    pass_and_queue(proposal, [chair, member], relayer, chain)
    wait_timelock(chain)
    shown = run("gov", "show", str(proposal.id))
    assert (shown["state"], shown["stale"], shown["text"]) == ("queued", True, "Too far")
    assert shown["expires"] == shown["eta"] + GRACE
    cancelled = run("gov", "cancel", "1", key=deployer.private_key)
    assert cancelled["proposal_id"] == str(proposal.id)
    assert run("gov", "show", "1")["state"] == "canceled"
