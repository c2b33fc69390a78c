"""The DAO on anvil: the whole proposal path, failed executions, defeats, cancels, late quorum,
a rule changed at most once a day, and front-running guarded by the `#proposer=` suffix. The
voting settings are in test_governance_settings.py; expiry and stale proposals in
test_governance_expiry.py.

The system is the one `scripts/deploy.py` deploys with the `local` profile: voting delay 1 block,
voting period 50 blocks, quorum 4% of the votes that can exist (the 30M JTN outside the
treasury: 1.2M), late-quorum extension 10 blocks, timelock delay 2 days. Test accounts 0, 1 and
2 hold 10M JTN each.

A rule's error (RuleBounds: out of bounds, step too large, changed too soon) raised by the
rulebook, the governor or the timelock bubbles up through `governor.execute`: the proposal stays
queued and nothing changes.
"""

import pytest
from helpers import (
    ABSTAIN,
    ACTIVE,
    AGAINST,
    CANCELED,
    DEFEATED,
    EXECUTED,
    FOR,
    PENDING,
    QUEUED,
    SUCCEEDED,
    delegate,
    expect_error,
    expect_error_via,
    governor_salt,
    later,
    mine_past,
    pass_and_queue,
    propose,
    rule_name,
    sign_ballot,
    state_bitmap,
    vote_and_queue,
    wait_for_eta,
)

WAD = 10**18
DAY = 86_400
TIMELOCK_DELAY = 2 * DAY
ZERO = "0x" + "00" * 20
SPEC = b"\x51" * 32
DELIVERABLE = b"\xd0" * 32


def post_task(escrow, jtn, client, worker, amount):
    jtn.approve(escrow, amount, sender=client)
    receipt = escrow.postTaskWithBond(  # no claim bond: the worker holds no JTN
        jtn, amount, later(30 * DAY), 0, SPEC, worker, 0, sender=client
    )
    return receipt.return_value


def deliver(escrow, task_id, worker):
    escrow.claim(task_id, sender=worker)
    escrow.submit(task_id, DELIVERABLE, sender=worker)


@pytest.fixture
def holder2(alice):
    """The third genesis holder (test account 2, 10M JTN)."""
    return alice


def fee_proposal(governor, rules, value, proposer, description=None):
    calldata = rules.setFeeBps.encode_input(value)
    return propose(
        governor, [(rules, calldata)], description or f"Set the fee to {value} bps", proposer
    )


# --- the whole path -------------------------------------------------------------------------


def test_full_path_changes_fee_and_keeps_posted_terms(
    governor, timelock, rules, escrow, jtn, accounts, deployer, client, holder2, worker, chain
):
    # A task posted (and delivered) under the old fee, before anything is proposed.
    old_task = post_task(escrow, jtn, client, worker, 1_000 * WAD)
    deliver(escrow, old_task, worker)
    assert escrow.getTask(old_task).feeBps == 500

    # Four voters: three genesis holders and one who votes by signature (no gas of its own).
    signer = accounts[3]
    jtn.transfer(signer, 3_000_000 * WAD, sender=holder2)
    for voter in (deployer, client, holder2, signer):
        delegate(jtn, voter, voter)
    chain.mine(1)

    proposal = fee_proposal(governor, rules, 400, deployer)
    receipt = proposal.receipts["propose"]
    snapshot = governor.proposalSnapshot(proposal.id)
    deadline = governor.proposalDeadline(proposal.id)
    assert snapshot == receipt.block_number + 1  # voting delay: 1 block
    assert deadline == snapshot + 50  # voting period: 50 blocks
    assert governor.proposalProposer(proposal.id) == deployer.address
    [created] = receipt.decode_logs(governor.ProposalCreated)
    assert created.proposalId == proposal.id
    assert created.targets == [rules.address]
    assert created.voteStart == snapshot and created.voteEnd == deadline
    assert proposal.state() == PENDING

    # No vote before the voting starts.
    with expect_error(
        governor,
        "GovernorUnexpectedProposalState",
        proposalId=proposal.id,
        current=PENDING,
        expectedStates=state_bitmap(ACTIVE),
    ):
        governor.castVote(proposal.id, FOR, sender=deployer)

    mine_past(snapshot)
    assert proposal.state() == ACTIVE
    quorum = governor.quorum(snapshot)
    assert quorum == 30_000_000 * WAD * 4 // 100  # 4% of the votes outside the treasury

    power = {v.address: governor.getVotes(v, snapshot) for v in (deployer, client, holder2, signer)}
    assert power == {
        deployer.address: 10_000_000 * WAD,
        client.address: 10_000_000 * WAD - 1_000 * WAD,  # the deposit is in the escrow
        holder2.address: 7_000_000 * WAD,
        signer.address: 3_000_000 * WAD,
    }

    vote_for = governor.castVote(proposal.id, FOR, sender=deployer)
    vote_reason = governor.castVoteWithReason(
        proposal.id, AGAINST, "a lower fee starves the treasury", sender=client
    )
    vote_abstain = governor.castVote(proposal.id, ABSTAIN, sender=holder2)
    nonce = governor.nonces(signer)
    signature = sign_ballot(governor, signer.private_key, proposal.id, FOR, signer)
    relayer = accounts[7]
    vote_sig = governor.castVoteBySig(proposal.id, FOR, signer, signature, sender=relayer)
    assert governor.nonces(signer) == nonce + 1

    [cast] = vote_abstain.decode_logs(governor.VoteCast)
    assert (cast.voter, cast.support, cast.weight) == (holder2.address, ABSTAIN, 7_000_000 * WAD)
    [cast] = vote_sig.decode_logs(governor.VoteCast)
    assert (cast.voter, cast.support, cast.weight) == (signer.address, FOR, 3_000_000 * WAD)
    [cast] = vote_reason.decode_logs(governor.VoteCast)
    assert cast.voter == client.address and cast.support == AGAINST
    assert cast.reason == "a lower fee starves the treasury"
    assert cast.weight == power[client.address]
    for voter in (deployer, client, holder2, signer):
        assert governor.hasVoted(proposal.id, voter)
    assert not governor.hasVoted(proposal.id, relayer)

    # A second vote, and a replayed signature (its nonce is used), are refused.
    with expect_error(governor, "GovernorAlreadyCastVote", voter=client.address):
        governor.castVote(proposal.id, FOR, sender=client)
    with expect_error(governor, "GovernorInvalidSignature", voter=signer.address):
        governor.castVoteBySig(proposal.id, FOR, signer, signature, sender=relayer)

    against, for_, abstain = governor.proposalVotes(proposal.id)
    assert for_ == 13_000_000 * WAD
    assert against == 10_000_000 * WAD - 1_000 * WAD
    assert abstain == 7_000_000 * WAD
    # Quorum was reached early, so the late-quorum extension does not move the deadline.
    assert governor.proposalDeadline(proposal.id) == deadline

    # Nothing can be queued while the vote runs.
    with expect_error(governor, "GovernorUnexpectedProposalState", current=ACTIVE):
        governor.queue(*proposal.args, sender=deployer)

    mine_past(deadline)
    assert proposal.state() == SUCCEEDED
    queue = governor.queue(*proposal.args, sender=client)  # anyone may queue
    assert proposal.state() == QUEUED
    eta = governor.proposalEta(proposal.id)
    queued_at = chain.provider.get_block(queue.block_number).timestamp
    assert eta == queued_at + TIMELOCK_DELAY
    [scheduled] = queue.decode_logs(timelock.CallScheduled)
    assert scheduled.target == rules.address and scheduled.delay == TIMELOCK_DELAY

    # The timelock refuses to execute one second before the delay is over.
    chain.pending_timestamp = eta - 1
    with expect_error(
        timelock,
        "TimelockUnexpectedOperationState",
        operationId=scheduled.id,
        expectedStates=state_bitmap(2),  # TimelockController.OperationState.Ready
    ):
        governor.execute(*proposal.args, sender=worker)
    assert rules.feeBps() == 500
    assert proposal.state() == QUEUED

    wait_for_eta(governor, proposal.id)
    execute = governor.execute(*proposal.args, sender=worker)  # anyone may execute
    assert proposal.state() == EXECUTED
    assert rules.feeBps() == 400
    [changed] = execute.decode_logs(rules.RuleChanged)
    assert (changed.rule, changed.oldValue, changed.newValue) == (rule_name("feeBps"), 500, 400)
    assert [log.proposalId for log in execute.decode_logs(governor.ProposalExecuted)] == [
        proposal.id
    ]

    # The old task keeps its 5% at payout; a new one pays 4%.
    fees_before = escrow.accruedFees(jtn)  # the treasury's, once swept
    approve = escrow.approve(old_task, sender=client)
    [done] = approve.decode_logs(escrow.TaskCompleted)
    assert done.fee == 50 * WAD and done.workerAmount == 950 * WAD
    assert done.points == 500  # one point per 0.1 JTN of the fee actually paid
    assert escrow.accruedFees(jtn) == fees_before + 50 * WAD

    new_task = post_task(escrow, jtn, client, worker, 1_000 * WAD)
    assert escrow.getTask(new_task).feeBps == 400
    deliver(escrow, new_task, worker)
    approve = escrow.approve(new_task, sender=client)
    [done] = approve.decode_logs(escrow.TaskCompleted)
    assert done.fee == 40 * WAD and done.workerAmount == 960 * WAD
    assert done.points == 400  # a lower fee, fewer points
    assert escrow.accruedFees(jtn) == fees_before + 90 * WAD
    assert jtn.balanceOf(worker) == 1_910 * WAD

    gas = {
        "propose": receipt.gas_used,
        "castVote": vote_for.gas_used,
        "castVoteWithReason": vote_reason.gas_used,
        "castVoteBySig": vote_sig.gas_used,
        "queue": queue.gas_used,
        "execute": execute.gas_used,
    }
    print("\ngovernance gas:", gas)
    assert all(0 < used < 500_000 for used in gas.values())


# --- a passed proposal that breaks a rule's bound or step -------------------------------------


@pytest.mark.parametrize(
    "value, error, inputs",
    [
        (300, "RuleStepTooLarge", {"oldValue": 500, "newValue": 300, "maxStep": 100}),
        (1_100, "RuleOutOfBounds", {"value": 1_100, "min": 0, "max": 1_000}),
    ],
)
def test_passed_proposal_outside_bounds_fails_at_execution(
    governor, timelock, rules, delegated, deployer, client, worker, chain, value, error, inputs
):
    proposal = fee_proposal(governor, rules, value, deployer)
    mine_past(governor.proposalSnapshot(proposal.id))
    governor.castVote(proposal.id, FOR, sender=deployer)
    governor.castVote(proposal.id, FOR, sender=client)
    mine_past(governor.proposalDeadline(proposal.id))
    assert proposal.state() == SUCCEEDED  # the vote passes: the bounds are not the voters' call
    governor.queue(*proposal.args, sender=deployer)
    wait_for_eta(governor, proposal.id)

    # The rulebook's own error bubbles up through the timelock and the governor.
    with expect_error_via(rules, error, rule=rule_name("feeBps"), **inputs):
        governor.execute(*proposal.args, sender=worker)
    assert rules.feeBps() == 500
    assert proposal.state() == QUEUED
    operation = timelock.hashOperationBatch(
        [rules.address], [0], proposal.calldatas, b"\x00" * 32, governor_salt(governor, proposal)
    )
    assert timelock.isOperationReady(operation)
    assert not timelock.isOperationDone(operation)
    # Trying again later changes nothing.
    chain.pending_timestamp += DAY
    with expect_error_via(rules, error, rule=rule_name("feeBps"), **inputs):
        governor.execute(*proposal.args, sender=deployer)
    assert rules.feeBps() == 500


# --- proposals that do not pass -------------------------------------------------------------


def test_more_against_is_defeated(governor, rules, delegated, deployer, client, holder2):
    proposal = fee_proposal(governor, rules, 400, deployer)
    mine_past(governor.proposalSnapshot(proposal.id))
    governor.castVote(proposal.id, FOR, sender=deployer)
    governor.castVote(proposal.id, AGAINST, sender=client)
    governor.castVote(proposal.id, AGAINST, sender=holder2)
    mine_past(governor.proposalDeadline(proposal.id))
    assert governor.proposalVotes(proposal.id) == (20_000_000 * WAD, 10_000_000 * WAD, 0)
    assert proposal.state() == DEFEATED
    with expect_error(
        governor,
        "GovernorUnexpectedProposalState",
        proposalId=proposal.id,
        current=DEFEATED,
        expectedStates=state_bitmap(SUCCEEDED),
    ):
        governor.queue(*proposal.args, sender=deployer)
    with expect_error(governor, "GovernorUnexpectedProposalState", current=DEFEATED):
        governor.execute(*proposal.args, sender=deployer)
    assert rules.feeBps() == 500


def test_tie_is_defeated(governor, rules, delegated, deployer, client):
    proposal = fee_proposal(governor, rules, 400, deployer)
    mine_past(governor.proposalSnapshot(proposal.id))
    governor.castVote(proposal.id, FOR, sender=deployer)
    governor.castVote(proposal.id, AGAINST, sender=client)
    mine_past(governor.proposalDeadline(proposal.id))
    assert proposal.state() == DEFEATED


def test_without_quorum_is_defeated(governor, rules, jtn, deployer, worker, chain):
    jtn.transfer(worker, 1_000 * WAD, sender=deployer)
    delegate(jtn, worker, worker)
    chain.mine(1)
    proposal = fee_proposal(governor, rules, 400, worker)
    snapshot = governor.proposalSnapshot(proposal.id)
    mine_past(snapshot)
    governor.castVote(proposal.id, FOR, sender=worker)
    mine_past(governor.proposalDeadline(proposal.id))
    assert governor.proposalVotes(proposal.id) == (0, 1_000 * WAD, 0)
    assert governor.quorum(snapshot) == 1_200_000 * WAD  # 4% of the 30M outside the treasury
    assert proposal.state() == DEFEATED
    with expect_error(governor, "GovernorUnexpectedProposalState", current=DEFEATED):
        governor.queue(*proposal.args, sender=worker)


def test_abstain_counts_towards_quorum(governor, rules, jtn, delegated, deployer, holder2, worker):
    jtn.transfer(worker, 1_000 * WAD, sender=deployer)
    delegate(jtn, worker, worker)
    proposal = fee_proposal(governor, rules, 400, worker)
    mine_past(governor.proposalSnapshot(proposal.id))
    governor.castVote(proposal.id, FOR, sender=worker)
    governor.castVote(proposal.id, ABSTAIN, sender=holder2)
    mine_past(governor.proposalDeadline(proposal.id))
    assert governor.proposalVotes(proposal.id) == (0, 1_000 * WAD, 10_000_000 * WAD)
    assert proposal.state() == SUCCEEDED


def test_proposer_cancels_while_pending(governor, rules, delegated, deployer, client):
    # The voting delay is one block: the proposer's cancel must be the next transaction.
    proposal = fee_proposal(governor, rules, 400, deployer)
    assert proposal.state() == PENDING
    receipt = governor.cancel(*proposal.args, sender=deployer)
    assert receipt.block_number == governor.proposalSnapshot(proposal.id)
    assert [log.proposalId for log in receipt.decode_logs(governor.ProposalCanceled)] == [
        proposal.id
    ]
    assert proposal.state() == CANCELED
    mine_past(governor.proposalDeadline(proposal.id))
    assert proposal.state() == CANCELED
    with expect_error(governor, "GovernorUnexpectedProposalState", current=CANCELED):
        governor.castVote(proposal.id, FOR, sender=client)
    with expect_error(governor, "GovernorUnexpectedProposalState", current=CANCELED):
        governor.queue(*proposal.args, sender=deployer)
    # A cancelled proposal can not be proposed again.
    with expect_error(governor, "GovernorUnexpectedProposalState", current=CANCELED):
        fee_proposal(governor, rules, 400, deployer)
    assert rules.feeBps() == 500


def test_only_the_proposer_cancels_and_only_while_pending(
    governor, rules, delegated, deployer, client
):
    proposal = fee_proposal(governor, rules, 400, deployer)
    assert proposal.state() == PENDING
    with expect_error(
        governor, "GovernorUnableToCancel", proposalId=proposal.id, account=client.address
    ):
        governor.cancel(*proposal.args, sender=client)
    # Once voting has started, not even the proposer can cancel.
    mine_past(governor.proposalSnapshot(proposal.id))
    assert proposal.state() == ACTIVE
    with expect_error(governor, "GovernorUnableToCancel", account=deployer.address):
        governor.cancel(*proposal.args, sender=deployer)
    assert proposal.state() == ACTIVE


def test_late_quorum_extends_the_deadline(governor, rules, delegated, deployer, client, holder2):
    proposal = fee_proposal(governor, rules, 400, deployer)
    deadline = governor.proposalDeadline(proposal.id)
    # The quorum is reached two blocks before the end...
    mine_past(deadline - 4)
    vote = governor.castVote(proposal.id, FOR, sender=deployer)
    assert vote.block_number == deadline - 2
    extended = vote.block_number + governor.lateQuorumVoteExtension()
    assert governor.lateQuorumVoteExtension() == 10
    [log] = vote.decode_logs(governor.ProposalExtended)
    assert (log.proposalId, log.extendedDeadline) == (proposal.id, extended)
    assert governor.proposalDeadline(proposal.id) == extended == deadline + 8

    # ...so the others still have time to answer after the original deadline.
    mine_past(deadline)
    assert proposal.state() == ACTIVE
    governor.castVote(proposal.id, AGAINST, sender=client)
    governor.castVote(proposal.id, AGAINST, sender=holder2)
    assert governor.proposalDeadline(proposal.id) == extended  # extended once only
    mine_past(extended - 1)
    assert proposal.state() == ACTIVE
    mine_past(extended)
    assert proposal.state() == DEFEATED


def test_a_quorum_reached_after_the_first_vote_extends_the_deadline(
    governor, rules, jtn, delegated, deployer, client, worker
):
    """The first vote keeps the snapshot's quorum (a past quorum never changes); a later vote
    that reaches it is measured against the same 4%, and extends a late deadline."""
    jtn.transfer(worker, 1_000 * WAD, sender=deployer)
    delegate(jtn, worker, worker)
    proposal = fee_proposal(governor, rules, 400, deployer)
    snapshot = governor.proposalSnapshot(proposal.id)
    deadline = governor.proposalDeadline(proposal.id)
    mine_past(snapshot)
    assert governor.quorum(snapshot) == 1_200_000 * WAD  # 4% of the 30M outside the treasury
    small = governor.castVote(proposal.id, FOR, sender=worker)
    assert not list(small.decode_logs(governor.ProposalExtended))
    assert governor.quorum(snapshot) == 1_200_000 * WAD
    assert governor.proposalDeadline(proposal.id) == deadline

    mine_past(deadline - 4)
    vote = governor.castVote(proposal.id, FOR, sender=client)
    [log] = vote.decode_logs(governor.ProposalExtended)
    assert log.extendedDeadline == vote.block_number + 10 == deadline + 8
    assert governor.quorum(snapshot) == 1_200_000 * WAD
    mine_past(log.extendedDeadline)
    assert proposal.state() == SUCCEEDED


def test_quorums_of_snapshots_that_share_a_kept_slot_stay_apart(
    governor, rules, jtn, timelock, delegated, deployer, client, worker, chain
):
    """The governor keeps snapshots' quorums in a ring of eight slots: two proposals voted side
    by side whose snapshots share a slot each get their own quorum, whichever was kept last.
    The same 1.1M For falls short of the first's 1.2M (4% of 30M outside the treasury) and
    meets the second's 1M, taken after 5M JTN went to the treasury."""
    jtn.transfer(worker, 1_100_000 * WAD, sender=deployer)
    delegate(jtn, worker, worker)
    first = fee_proposal(governor, rules, 400, deployer)
    start = governor.proposalSnapshot(first.id)
    mine_past(start)
    jtn.transfer(timelock, 5_000_000 * WAD, sender=client)
    while (chain.blocks.height + 2) % 8 != start % 8:  # the next proposal's snapshot
        chain.mine(1)
    second = fee_proposal(governor, rules, 450, deployer)
    later = governor.proposalSnapshot(second.id)
    assert later % 8 == start % 8 and later > start
    mine_past(later)
    for proposal in (first, second):
        governor.castVote(proposal.id, FOR, sender=worker)
        assert governor.quorum(start) == 1_200_000 * WAD
        assert governor.quorum(later) == 1_000_000 * WAD
    mine_past(governor.proposalDeadline(second.id))
    assert first.state() == DEFEATED
    assert second.state() == SUCCEEDED
    # The ring's slots are filled at deployment; a timepoint of 0 never reads one.
    assert governor.quorum(0) == 0


# --- a rule changes at most once a day ------------------------------------------------------


def block_time(chain, receipt):
    return chain.provider.get_block(receipt.block_number).timestamp


def test_a_proposal_that_steps_a_rule_twice_never_executes(
    governor, timelock, rules, delegated, deployer, client, worker, chain
):
    # Two one-step changes in one proposal would move the fee two steps at once.
    calls = [
        (rules, rules.setFeeBps.encode_input(400)),
        (rules, rules.setFeeBps.encode_input(300)),
    ]
    proposal = pass_and_queue(governor, calls, "Fee 5% -> 4% -> 3%", [deployer, client])
    eta = governor.proposalEta(proposal.id)
    # The second call finds the fee changed by the first, in the same transaction.
    with expect_error_via(
        rules, "RuleChangedTooSoon", rule=rule_name("feeBps"), nextChangeAt=eta + DAY
    ):
        governor.execute(*proposal.args, sender=worker)
    assert rules.feeBps() == 500  # the first call is undone with the second
    assert proposal.state() == QUEUED
    operation = timelock.hashOperationBatch(
        proposal.targets,
        [0, 0],
        proposal.calldatas,
        b"\x00" * 32,
        governor_salt(governor, proposal),
    )
    assert timelock.isOperationReady(operation) and not timelock.isOperationDone(operation)
    # Waiting does not help: whenever it runs, the second call comes too soon after the first.
    later_try = eta + 3 * DAY
    chain.pending_timestamp = later_try
    with expect_error_via(
        rules, "RuleChangedTooSoon", rule=rule_name("feeBps"), nextChangeAt=later_try + DAY
    ):
        governor.execute(*proposal.args, sender=deployer)
    assert rules.feeBps() == 500
    assert proposal.state() == QUEUED


def test_one_proposal_may_change_two_different_rules(
    governor, rules, delegated, deployer, client, chain
):
    # Each rule has its own clock: the fee and the reward rate change in the same transaction.
    calls = [
        (rules, rules.setFeeBps.encode_input(400)),
        (rules, rules.setRewardBps.encode_input(4_000)),
    ]
    proposal = pass_and_queue(governor, calls, "Fee 4%, reward 40%", [deployer, client])
    execute = governor.execute(*proposal.args, sender=deployer)
    assert (rules.feeBps(), rules.rewardBps()) == (400, 4_000)
    changes = [
        (log.rule, log.oldValue, log.newValue) for log in execute.decode_logs(rules.RuleChanged)
    ]
    assert changes == [(rule_name("feeBps"), 500, 400), (rule_name("rewardBps"), 5_000, 4_000)]


def test_a_second_fee_proposal_waits_a_day_after_the_first(
    governor, rules, delegated, deployer, client, worker, chain
):
    """Proposals run side by side, so the timelock's delay does not space their executions:
    two fee proposals voted together are ready together. The second waits a day."""
    first = fee_proposal(governor, rules, 400, deployer, "Fee 4%")
    second = fee_proposal(governor, rules, 300, deployer, "Fee 3%")
    vote_and_queue(governor, [first, second], [deployer, client])
    wait_for_eta(governor, second.id)  # both are ready

    execute = governor.execute(*first.args, sender=worker)
    assert rules.feeBps() == 400
    changed_at = block_time(chain, execute)
    with expect_error_via(
        rules, "RuleChangedTooSoon", rule=rule_name("feeBps"), nextChangeAt=changed_at + DAY
    ):
        governor.execute(*second.args, sender=worker)
    chain.pending_timestamp = changed_at + DAY - 1
    with expect_error_via(rules, "RuleChangedTooSoon", nextChangeAt=changed_at + DAY):
        governor.execute(*second.args, sender=worker)
    assert rules.feeBps() == 400
    assert second.state() == QUEUED

    # A day after the first change, the second proposal executes: one more step.
    chain.pending_timestamp = changed_at + DAY
    execute = governor.execute(*second.args, sender=worker)
    assert block_time(chain, execute) == changed_at + DAY
    assert second.state() == EXECUTED
    assert rules.feeBps() == 300
    [changed] = execute.decode_logs(rules.RuleChanged)
    assert (changed.rule, changed.oldValue, changed.newValue) == (rule_name("feeBps"), 400, 300)


def test_the_timelock_itself_changes_a_rule_at_most_once_a_day(rules, dao, chain):
    """The same limit holds for any call from the timelock (impersonated here), whatever
    proposals made it."""
    fee, tier1 = rule_name("feeBps"), rule_name("tier1")
    # A refused change does not start the clock.
    with expect_error_via(rules, "RuleStepTooLarge", rule=fee, oldValue=500, newValue=300):
        rules.setFeeBps(300, sender=dao)
    first = rules.setFeeBps(400, sender=dao)
    changed_at = block_time(chain, first)
    with expect_error_via(rules, "RuleChangedTooSoon", rule=fee, nextChangeAt=changed_at + DAY):
        rules.setFeeBps(300, sender=dao)
    with expect_error_via(rules, "RuleChangedTooSoon", rule=fee, nextChangeAt=changed_at + DAY):
        rules.setFeeBps(500, sender=dao)  # not even back

    # Other rules, and each tier, keep their own clocks.
    rules.setRewardBps(4_000, sender=dao)
    tier_change = rules.setTierThreshold(1, 200, sender=dao)
    with expect_error_via(
        rules,
        "RuleChangedTooSoon",
        rule=tier1,
        nextChangeAt=block_time(chain, tier_change) + DAY,
    ):
        rules.setTierThreshold(1, 300, sender=dao)
    rules.setTierThreshold(2, 1_500, sender=dao)
    assert (rules.feeBps(), rules.rewardBps()) == (400, 4_000)
    assert list(rules.tierThresholds()) == [200, 1_500, 10_000]

    chain.pending_timestamp = changed_at + DAY - 1
    with expect_error_via(rules, "RuleChangedTooSoon", rule=fee, nextChangeAt=changed_at + DAY):
        rules.setFeeBps(300, sender=dao)
    chain.pending_timestamp = changed_at + DAY
    rules.setFeeBps(300, sender=dao)
    assert rules.feeBps() == 300


# --- front-running a proposal ---------------------------------------------------------------


def test_the_proposer_suffix_stops_a_front_running_cancel(governor, rules, deployer, accounts):
    """A proposal's id is the hash of its calls and description, so whoever sees it in the
    mempool can submit it first, become its proposer and cancel it while it is pending: the
    real proposal can then never be made. OpenZeppelin's `#proposer=<address>` suffix (which
    the client adds by default) lets only that address submit it."""
    attacker = accounts[6]  # no tokens: the local threshold is 0, anyone may propose
    calls = [(rules, rules.setFeeBps.encode_input(400))]

    # Reproduction: a bare description is hijacked and killed.
    bare = "Lower the fee to 4%"
    stolen = propose(governor, calls, bare, attacker)
    governor.cancel(*stolen.args, sender=attacker)
    with expect_error(
        governor, "GovernorUnexpectedProposalState", proposalId=stolen.id, current=CANCELED
    ):
        propose(governor, calls, bare, deployer)

    # With the suffix the attacker's copy is refused; the proposer's own goes through, and
    # nobody else can cancel it.
    guarded = f"Lower the fee to 4% now#proposer={deployer.address}"
    with expect_error(governor, "GovernorRestrictedProposer", proposer=attacker.address):
        propose(governor, calls, guarded, attacker)
    proposal = propose(governor, calls, guarded, deployer)
    assert governor.proposalProposer(proposal.id) == deployer.address
    with expect_error(
        governor, "GovernorUnableToCancel", proposalId=proposal.id, account=attacker.address
    ):
        governor.cancel(*proposal.args, sender=attacker)
    assert proposal.state() == PENDING
