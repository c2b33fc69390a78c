"""Zombie proposals: a passed proposal refused at execution (a step too large, a second change
of a rule in one day) used to stay Queued for ever, and anyone could execute it once it would
succeed. Now a queued proposal expires a grace period after its ETA (the timelock's
`gracePeriod`, fixed when it is queued), on every path that can execute it, and its proposer
may cancel it once its ETA has passed without execution.

The system is the `local` profile: voting delay 1 block, voting period 50 blocks, timelock delay
2 days, grace period 14 days, fee 5% (one point a step, one change a day). Test accounts 0, 1
and 2 hold 10M JTN each (the `delegated` fixture).
"""

from helpers import (
    ACTIVE,
    CANCELED,
    EXPIRED,
    FOR,
    QUEUED,
    SUCCEEDED,
    expect_error,
    expect_error_via,
    mine_past,
    pass_and_queue,
    propose,
    rule_name,
    state_bitmap,
    timelock_operation,
    vote_and_queue,
)

WAD = 10**18
DAY = 86_400
GRACE = 14 * DAY
ZERO32 = b"\x00" * 32
READY, WAITING = 2, 1  # TimelockController.OperationState
FEE = rule_name("feeBps")


def fee_calls(rules, bps):
    return [(rules, rules.setFeeBps.encode_input(bps))]


def at(chain, timestamp):
    """Mine a block at `timestamp`: views (a proposal's state) then read that moment."""
    chain.pending_timestamp = timestamp
    chain.mine(1)


# --- the review's reproduction ----------------------------------------------------------------


def test_the_reviews_zombie_is_cancelled_by_its_proposer_and_stays_dead(
    governor, timelock, rules, delegated, stranger, chain
):
    """Fee proposals of 6% and 7% pass together. At their ETA the 7% is refused (two steps at
    once) and the 6% executes. A day later the 7% would be one step, a day after the last
    change: the stranger who executed it then moved the fee to 7%. Its proposer now cancels
    it once its ETA has passed, and nobody can run it, through the governor or the timelock."""
    deployer, client, _ = delegated
    six = propose(governor, fee_calls(rules, 600), "Fee 6%", deployer)
    seven = propose(governor, fee_calls(rules, 700), "Fee 7%", client)
    vote_and_queue(governor, [six, seven], delegated, wait=True)

    with expect_error_via(rules, "RuleStepTooLarge", rule=FEE, oldValue=500, newValue=700):
        governor.execute(*seven.args, sender=stranger)
    governor.execute(*six.args, sender=stranger)
    assert rules.feeBps() == 600
    assert seven.state() == QUEUED  # stale: its ETA passed, it did not execute

    cancel = governor.cancel(*seven.args, sender=client)
    assert [log.proposalId for log in cancel.decode_logs(governor.ProposalCanceled)] == [seven.id]
    operation, batch = timelock_operation(timelock, governor, seven)
    assert [log.id for log in cancel.decode_logs(timelock.Cancelled)] == [operation]
    assert seven.state() == CANCELED

    chain.pending_timestamp += DAY  # the day after the 6%: the 7% would now succeed
    with expect_error(
        governor, "GovernorUnexpectedProposalState", proposalId=seven.id, current=CANCELED
    ):
        governor.execute(*seven.args, sender=stranger)
    with expect_error(
        timelock,
        "TimelockUnexpectedOperationState",
        operationId=operation,
        expectedStates=state_bitmap(READY),
    ):
        timelock.executeBatch(*batch, sender=stranger)
    assert rules.feeBps() == 600


# --- expiry -------------------------------------------------------------------------------------


def test_a_queued_proposal_expires_after_its_grace_period_on_every_path(
    governor, timelock, rules, delegated, stranger, dao, chain
):
    """Nobody cancels the failed 7% proposal: once the grace period after its ETA is over it is
    Expired, and the governor, a stranger on the timelock, a later proposal calling the
    timelock, and a later proposal relaying through the governor are all refused. A longer
    grace period voted afterwards does not revive it."""
    deployer, client, _ = delegated
    six = propose(governor, fee_calls(rules, 600), "Fee 6%", deployer)
    seven = propose(governor, fee_calls(rules, 700), "Fee 7%", client)
    vote_and_queue(governor, [six, seven], delegated, wait=True)
    eta = governor.proposalEta(seven.id)
    expires = eta + GRACE
    operation, batch = timelock_operation(timelock, governor, seven)
    assert governor.proposalExpiry(seven.id) == timelock.operationExpiry(operation) == expires
    governor.execute(*six.args, sender=stranger)

    at(chain, expires - 1)
    assert seven.state() == QUEUED and not timelock.isOperationExpired(operation)
    assert timelock.isOperationReady(operation)
    at(chain, expires)
    assert seven.state() == EXPIRED and timelock.isOperationExpired(operation)

    with expect_error(
        governor,
        "GovernorUnexpectedProposalState",
        proposalId=seven.id,
        current=EXPIRED,
        expectedStates=state_bitmap(QUEUED),
    ):
        governor.execute(*seven.args, sender=stranger)
    with expect_error(timelock, "TimelockOperationExpired", id=operation, expiredAt=expires):
        timelock.executeBatch(*batch, sender=stranger)

    # Two later proposals try it from inside: the timelock calling itself, and the governor's
    # relay (the governor may execute on the timelock like anyone).
    execute_batch = timelock.executeBatch.encode_input(*batch)
    direct = propose(governor, [(timelock, execute_batch)], "Run the 7% again", deployer)
    relayed = propose(
        governor,
        [(governor, governor.relay.encode_input(timelock.address, 0, execute_batch))],
        "Relay the 7%",
        deployer,
    )
    vote_and_queue(governor, [direct, relayed], delegated, wait=True)
    for proposal in (direct, relayed):
        with expect_error_via(timelock, "TimelockOperationExpired", id=operation):
            governor.execute(*proposal.args, sender=stranger)

    # A longer grace period applies to operations scheduled later, never to this one.
    timelock.updateGracePeriod(GRACE + 7 * DAY, sender=dao)
    assert timelock.gracePeriod() == GRACE + 7 * DAY
    assert seven.state() == EXPIRED and timelock.isOperationExpired(operation)
    with expect_error(timelock, "TimelockOperationExpired", id=operation, expiredAt=expires):
        timelock.executeBatch(*batch, sender=stranger)
    assert rules.feeBps() == 600


def test_an_operation_of_one_call_expires_too(timelock, rules, accounts, governor, stranger, chain):
    """The timelock's single-call path (`schedule`/`execute`), which the governor does not use
    but holds the role for, keeps the same expiry."""
    proposer = accounts[governor.address]
    proposer.balance += WAD
    data = rules.setFeeBps.encode_input(400)
    delay = timelock.getMinDelay()
    receipt = timelock.schedule(rules, 0, data, ZERO32, ZERO32, delay, sender=proposer)
    [expiry] = receipt.decode_logs(timelock.CallExpiry)
    operation = timelock.hashOperation(rules, 0, data, ZERO32, ZERO32)
    scheduled_at = chain.provider.get_block(receipt.block_number).timestamp
    assert (expiry.id, expiry.expiresAt) == (operation, scheduled_at + delay + GRACE)
    chain.pending_timestamp = expiry.expiresAt
    with expect_error(
        timelock, "TimelockOperationExpired", id=operation, expiredAt=expiry.expiresAt
    ):
        timelock.execute(rules, 0, data, ZERO32, ZERO32, sender=stranger)
    assert rules.feeBps() == 500


def test_a_proposal_executes_until_the_last_second_of_its_grace_period(
    governor, timelock, rules, delegated, stranger, chain
):
    proposal = pass_and_queue(governor, fee_calls(rules, 400), "Fee 4%", delegated)
    queue = proposal.receipts["queue"]
    [expires] = queue.decode_logs(governor.ProposalExpires)
    [call_expiry] = queue.decode_logs(timelock.CallExpiry)
    eta = governor.proposalEta(proposal.id)
    assert expires.proposalId == proposal.id
    assert expires.expiresAt == call_expiry.expiresAt == eta + GRACE
    chain.pending_timestamp = eta + GRACE - 1
    governor.execute(*proposal.args, sender=stranger)
    assert rules.feeBps() == 400


# --- the proposer's cancel of a stale proposal -------------------------------------------------


def test_only_the_proposer_cancels_and_only_once_the_eta_has_passed(
    governor, timelock, rules, delegated, stranger, chain
):
    deployer, client, _ = delegated
    proposal = propose(governor, fee_calls(rules, 400), "Fee 4%", client)
    mine_past(governor.proposalSnapshot(proposal.id))
    for voter in delegated:
        governor.castVote(proposal.id, FOR, sender=voter)
    assert proposal.state() == ACTIVE
    with expect_error(governor, "GovernorUnableToCancel", account=client.address):
        governor.cancel(*proposal.args, sender=client)
    mine_past(governor.proposalDeadline(proposal.id))
    assert proposal.state() == SUCCEEDED
    with expect_error(governor, "GovernorUnableToCancel", account=client.address):
        governor.cancel(*proposal.args, sender=client)
    governor.queue(*proposal.args, sender=client)
    eta = governor.proposalEta(proposal.id)

    # Queued, before its ETA: the vote's outcome stands, even for its proposer.
    chain.pending_timestamp = eta - 1
    with expect_error(
        governor, "GovernorUnableToCancel", proposalId=proposal.id, account=client.address
    ):
        governor.cancel(*proposal.args, sender=client)
    # From its ETA on: the proposer only.
    chain.pending_timestamp = eta
    for someone in (deployer, stranger):
        with expect_error(
            governor, "GovernorUnableToCancel", proposalId=proposal.id, account=someone.address
        ):
            governor.cancel(*proposal.args, sender=someone)
    assert proposal.state() == QUEUED
    governor.cancel(*proposal.args, sender=client)
    assert proposal.state() == CANCELED
    operation, batch = timelock_operation(timelock, governor, proposal)
    assert not timelock.isOperation(operation)
    with expect_error(timelock, "TimelockUnexpectedOperationState", operationId=operation):
        timelock.executeBatch(*batch, sender=stranger)
    assert rules.feeBps() == 500


def test_an_expired_proposal_can_not_be_cancelled(governor, rules, delegated, chain):
    """Expired is final: nothing to cancel (and nothing can run it)."""
    client = delegated[1]
    proposal = pass_and_queue(governor, fee_calls(rules, 400), "Fee 4%", delegated, proposer=client)
    chain.pending_timestamp = governor.proposalExpiry(proposal.id)
    with expect_error(governor, "GovernorUnableToCancel", account=client.address):
        governor.cancel(*proposal.args, sender=client)
