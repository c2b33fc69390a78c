"""TaskEscrow refusals: wrong caller, wrong state, too early, too late, bad terms.

Each refusal is checked by its custom error and inputs, and leaves the task as it was.
Errors raised by the rulebook or a token and bubbling up through the escrow are matched
through that contract's ABI (`expect_error_via`).
"""

import ape
import pytest
from helpers import (
    DAY,
    ZERO_ADDRESS,
    expect_error,
    expect_error_via,
    make_task,
    post_task,
    sign_permit,
)

WAD = 10**18
AMOUNT = 1000 * WAD
SPEC = b"\x5e" * 32
HASH = b"\xde" * 32

NONE, OPEN, CLAIMED, SUBMITTED, DISPUTED, COMPLETED, CANCELLED, EXPIRED, RESOLVED = range(9)


def status(escrow, task_id):
    return escrow.getTask(task_id).status


def week():
    return ape.chain.pending_timestamp + 7 * DAY


# --- posting ---------------------------------------------------------------------------------


def test_zero_amount(escrow, jtn, client):
    with expect_error(escrow, "ZeroAmount"):
        escrow.postTask(jtn, 0, week(), 0, SPEC, ZERO_ADDRESS, sender=client)
    assert escrow.taskCount() == 0


def test_deadline_in_the_past_or_now(escrow, jtn, client):
    jtn.approve(escrow, AMOUNT, sender=client)
    head = ape.chain.blocks.head.timestamp
    with expect_error(escrow, "DeadlineInPast", deadline=head - 1):
        escrow.postTask(jtn, AMOUNT, head - 1, 0, SPEC, ZERO_ADDRESS, sender=client)
    now = ape.chain.pending_timestamp + 10
    ape.chain.pending_timestamp = now
    with expect_error(escrow, "DeadlineInPast", deadline=now):
        escrow.postTask(jtn, AMOUNT, now, 0, SPEC, ZERO_ADDRESS, sender=client)
    ape.chain.pending_timestamp = now
    escrow.postTask(jtn, AMOUNT, now + 1, 0, SPEC, ZERO_ADDRESS, sender=client)
    assert escrow.taskCount() == 1


def test_client_can_not_name_itself(escrow, jtn, client):
    jtn.approve(escrow, AMOUNT, sender=client)
    with expect_error(escrow, "ClientCannotWork", client=client.address):
        escrow.postTask(jtn, AMOUNT, week(), 0, SPEC, client, sender=client)
    assert escrow.taskCount() == 0


def test_invalid_bond(escrow, jtn, client):
    jtn.approve(escrow, AMOUNT, sender=client)
    for bond in (10_001, 65_535):
        with expect_error(escrow, "InvalidBond", bondBps=bond):
            escrow.postTaskWithBond(jtn, AMOUNT, week(), 0, SPEC, ZERO_ADDRESS, bond, sender=client)
    escrow.postTaskWithBond(jtn, AMOUNT, week(), 0, SPEC, ZERO_ADDRESS, 10_000, sender=client)
    assert escrow.taskCount() == 1 and escrow.bondOf(1) == AMOUNT


def test_token_never_allowed(escrow, rules, project, deployer, client):
    coin = deployer.deploy(project.MockERC20, "Coin", "COIN", 18)
    coin.mint(client, AMOUNT, sender=deployer)
    coin.approve(escrow, AMOUNT, sender=client)
    with expect_error_via(rules, "TokenNotAllowed", token=coin.address):
        escrow.postTask(coin, AMOUNT, week(), 0, SPEC, ZERO_ADDRESS, sender=client)
    assert coin.balanceOf(client) == AMOUNT and escrow.taskCount() == 0


def test_token_disallowed_by_the_dao(escrow, rules, dao, usd, jtn, client):
    rules.setPaymentToken(usd, False, 10**6, sender=dao)
    usd.approve(escrow, 10**6, sender=client)
    with expect_error_via(rules, "TokenNotAllowed", token=usd.address):
        escrow.postTask(usd, 10**6, week(), 0, SPEC, ZERO_ADDRESS, sender=client)
    rules.setPaymentToken(jtn, False, WAD, sender=dao)
    jtn.approve(escrow, AMOUNT, sender=client)
    with expect_error_via(rules, "TokenNotAllowed", token=jtn.address):
        escrow.postTask(jtn, AMOUNT, week(), 0, SPEC, ZERO_ADDRESS, sender=client)
    assert escrow.taskCount() == 0


def test_amount_above_uint96(escrow, jtn, client):
    with expect_error(escrow, "SafeCastOverflowedUintDowncast", bits=96, value=2**96):
        escrow.postTask(jtn, 2**96, week(), 0, SPEC, ZERO_ADDRESS, sender=client)
    # The largest amount that fits is accepted as far as the transfer (the client lacks it).
    with expect_error_via(jtn, "ERC20InsufficientAllowance", needed=2**96 - 1):
        escrow.postTask(jtn, 2**96 - 1, week(), 0, SPEC, ZERO_ADDRESS, sender=client)


def test_deadline_above_uint40(escrow, jtn, client):
    jtn.approve(escrow, AMOUNT, sender=client)
    with expect_error(escrow, "SafeCastOverflowedUintDowncast", bits=40, value=2**40):
        escrow.postTask(jtn, AMOUNT, 2**40, 0, SPEC, ZERO_ADDRESS, sender=client)


def test_post_without_allowance(escrow, jtn, client):
    with expect_error_via(
        jtn, "ERC20InsufficientAllowance", spender=escrow.address, allowance=0, needed=AMOUNT
    ):
        escrow.postTask(jtn, AMOUNT, week(), 0, SPEC, ZERO_ADDRESS, sender=client)
    assert escrow.taskCount() == 0


def test_post_with_a_bad_permit_needs_an_allowance(escrow, jtn, client, worker):
    permit_deadline = ape.chain.pending_timestamp + DAY
    # Signed by the wrong key: the permit fails, is ignored, and the transfer finds no allowance.
    v, r, s = sign_permit(
        jtn, worker.private_key, client.address, escrow.address, AMOUNT, 0, permit_deadline
    )
    with expect_error_via(jtn, "ERC20InsufficientAllowance", allowance=0, needed=AMOUNT):
        escrow.postTaskWithPermit(
            jtn, AMOUNT, week(), 0, SPEC, ZERO_ADDRESS, permit_deadline, v, r, s, sender=client
        )
    assert escrow.taskCount() == 0
    assert jtn.nonces(client) == 0


def test_post_with_an_insufficient_balance(escrow, jtn, worker):
    jtn.approve(escrow, AMOUNT, sender=worker)
    with expect_error_via(jtn, "ERC20InsufficientBalance", balance=0, needed=AMOUNT):
        escrow.postTask(jtn, AMOUNT, week(), 0, SPEC, ZERO_ADDRESS, sender=worker)


# --- claim -----------------------------------------------------------------------------------


def test_claim_a_task_that_does_not_exist(escrow, worker):
    with expect_error(escrow, "TaskNotOpen", taskId=42, status=NONE):
        escrow.claim(42, sender=worker)


@pytest.mark.parametrize("stage,expected", [("claimed", CLAIMED), ("submitted", SUBMITTED)])
def test_claim_a_taken_task(escrow, jtn, client, worker, worker2, stage, expected):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage=stage)
    for who in (worker2, worker):
        with expect_error(escrow, "TaskNotOpen", taskId=task_id, status=expected):
            escrow.claim(task_id, sender=who)
    assert escrow.getTask(task_id).worker == worker.address


def test_claim_a_cancelled_task(escrow, jtn, client, worker):
    task_id = post_task(escrow, jtn, client, AMOUNT)
    escrow.cancel(task_id, sender=client)
    with expect_error(escrow, "TaskNotOpen", taskId=task_id, status=CANCELLED):
        escrow.claim(task_id, sender=worker)


def test_claim_after_the_deadline(escrow, jtn, client, worker):
    task_id = post_task(escrow, jtn, client, AMOUNT)
    deadline = escrow.getTask(task_id).deadline
    ape.chain.pending_timestamp = deadline + 1
    with expect_error(escrow, "DeadlinePassed", taskId=task_id, deadline=deadline):
        escrow.claim(task_id, sender=worker)
    assert status(escrow, task_id) == OPEN


def test_claim_at_the_deadline(escrow, jtn, client, worker):
    task_id = post_task(escrow, jtn, client, AMOUNT)
    ape.chain.pending_timestamp = escrow.getTask(task_id).deadline
    escrow.claim(task_id, sender=worker)
    assert status(escrow, task_id) == CLAIMED


def test_client_claims_its_own_task(escrow, jtn, client):
    task_id = post_task(escrow, jtn, client, AMOUNT)
    with expect_error(escrow, "ClientCannotWork", client=client.address):
        escrow.claim(task_id, sender=client)
    assert status(escrow, task_id) == OPEN


def test_not_the_named_worker(escrow, jtn, client, worker, worker2, outsider):
    task_id = post_task(escrow, jtn, client, AMOUNT, named=worker)
    for who in (worker2, outsider):
        with expect_error(escrow, "NotNamedWorker", taskId=task_id, namedWorker=worker.address):
            escrow.claim(task_id, sender=who)
    assert status(escrow, task_id) == OPEN
    escrow.claim(task_id, sender=worker)


def test_reputation_too_low(escrow, jtn, reputation, client, worker, worker2):
    gated = post_task(escrow, jtn, client, AMOUNT, min_rep=500)
    with expect_error(escrow, "ReputationTooLow", taskId=gated, points=0, required=500):
        escrow.claim(gated, sender=worker)
    # 500 points from the 50 JTN fee of a first 1,000 JTN task: exactly enough.
    first = make_task(escrow, jtn, client, worker, AMOUNT)
    escrow.approve(first, sender=client)
    assert reputation.pointsOf(worker) == 500
    with expect_error(escrow, "ReputationTooLow", taskId=gated, points=0, required=500):
        escrow.claim(gated, sender=worker2)
    escrow.claim(gated, sender=worker)
    assert escrow.getTask(gated).worker == worker.address


def test_reputation_one_point_short(escrow, jtn, reputation, client, worker):
    escrow.approve(make_task(escrow, jtn, client, worker, AMOUNT), sender=client)
    gated = post_task(escrow, jtn, client, AMOUNT, min_rep=501)
    with expect_error(escrow, "ReputationTooLow", taskId=gated, points=500, required=501):
        escrow.claim(gated, sender=worker)


def test_named_worker_still_needs_the_reputation(escrow, jtn, client, worker):
    task_id = post_task(escrow, jtn, client, AMOUNT, named=worker, min_rep=1)
    with expect_error(escrow, "ReputationTooLow", taskId=task_id, points=0, required=1):
        escrow.claim(task_id, sender=worker)


# --- submit ----------------------------------------------------------------------------------


def test_submit_an_open_task(escrow, jtn, client, worker):
    task_id = post_task(escrow, jtn, client, AMOUNT, named=worker)
    with expect_error(escrow, "TaskNotClaimed", taskId=task_id, status=OPEN):
        escrow.submit(task_id, HASH, sender=worker)


def test_submit_twice(escrow, jtn, client, worker):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT)
    with expect_error(escrow, "TaskNotClaimed", taskId=task_id, status=SUBMITTED):
        escrow.submit(task_id, HASH, sender=worker)


def test_submit_by_someone_else(escrow, jtn, client, worker, worker2):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage="claimed")
    for who in (worker2, client):
        with expect_error(escrow, "NotTaskWorker", taskId=task_id, caller=who.address):
            escrow.submit(task_id, HASH, sender=who)
    assert status(escrow, task_id) == CLAIMED


def test_submit_after_the_deadline(escrow, jtn, client, worker):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage="claimed")
    deadline = escrow.getTask(task_id).deadline
    ape.chain.pending_timestamp = deadline + 1
    with expect_error(escrow, "DeadlinePassed", taskId=task_id, deadline=deadline):
        escrow.submit(task_id, HASH, sender=worker)
    ape.chain.pending_timestamp = deadline + 2
    escrow.reclaim(task_id, sender=client)  # the client takes the deposit back instead
    assert status(escrow, task_id) == EXPIRED


def test_submit_at_the_deadline(escrow, jtn, client, worker):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage="claimed")
    ape.chain.pending_timestamp = escrow.getTask(task_id).deadline
    escrow.submit(task_id, HASH, sender=worker)
    assert status(escrow, task_id) == SUBMITTED


# --- approve, release ------------------------------------------------------------------------


@pytest.mark.parametrize("stage,expected", [("open", OPEN), ("claimed", CLAIMED)])
def test_approve_before_submission(escrow, jtn, client, worker, stage, expected):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage=stage)
    with expect_error(escrow, "TaskNotSubmitted", taskId=task_id, status=expected):
        escrow.approve(task_id, sender=client)


def test_approve_twice(escrow, jtn, client, worker):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT)
    escrow.approve(task_id, sender=client)
    with expect_error(escrow, "TaskNotSubmitted", taskId=task_id, status=COMPLETED):
        escrow.approve(task_id, sender=client)
    assert jtn.balanceOf(escrow) == escrow.accruedFees(jtn) == 50 * WAD  # the fee, once


def test_approve_by_someone_else(escrow, jtn, client, worker, arbiter, outsider, dao):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT)
    for who in (worker, outsider, arbiter, dao):
        with expect_error(escrow, "NotTaskClient", taskId=task_id, caller=who.address):
            escrow.approve(task_id, sender=who)
    assert status(escrow, task_id) == SUBMITTED


def test_release_before_the_review_period_ends(escrow, jtn, client, worker):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT)
    ends = escrow.getTask(task_id).windowEnds
    with expect_error(escrow, "ReviewPeriodActive", taskId=task_id, reviewEnds=ends):
        escrow.release(task_id, sender=worker)
    ape.chain.pending_timestamp = ends  # the last second of the review still belongs to it
    with expect_error(escrow, "ReviewPeriodActive", taskId=task_id, reviewEnds=ends):
        escrow.release(task_id, sender=worker)
    ape.chain.pending_timestamp = ends + 1
    escrow.release(task_id, sender=worker)
    assert status(escrow, task_id) == COMPLETED


def test_release_by_someone_else(escrow, jtn, client, worker, worker2):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT)
    ape.chain.pending_timestamp = escrow.getTask(task_id).windowEnds + 1
    for who in (client, worker2):
        with expect_error(escrow, "NotTaskWorker", taskId=task_id, caller=who.address):
            escrow.release(task_id, sender=who)


@pytest.mark.parametrize("stage,expected", [("claimed", CLAIMED), ("disputed", DISPUTED)])
def test_release_when_not_submitted(escrow, jtn, client, worker, stage, expected):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage=stage)
    ape.chain.pending_timestamp = ape.chain.pending_timestamp + 30 * DAY
    with expect_error(escrow, "TaskNotSubmitted", taskId=task_id, status=expected):
        escrow.release(task_id, sender=worker)


# --- cancel, reclaim -------------------------------------------------------------------------


def test_cancel_a_claimed_task(escrow, jtn, client, worker):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage="claimed")
    with expect_error(escrow, "TaskNotOpen", taskId=task_id, status=CLAIMED):
        escrow.cancel(task_id, sender=client)
    assert jtn.balanceOf(escrow) == AMOUNT


def test_cancel_twice(escrow, jtn, client):
    task_id = post_task(escrow, jtn, client, AMOUNT)
    escrow.cancel(task_id, sender=client)
    with expect_error(escrow, "TaskNotOpen", taskId=task_id, status=CANCELLED):
        escrow.cancel(task_id, sender=client)


def test_cancel_by_someone_else(escrow, jtn, client, worker, dao):
    task_id = post_task(escrow, jtn, client, AMOUNT, named=worker)
    for who in (worker, dao):
        with expect_error(escrow, "NotTaskClient", taskId=task_id, caller=who.address):
            escrow.cancel(task_id, sender=who)
    assert status(escrow, task_id) == OPEN


def test_reclaim_before_or_at_the_deadline(escrow, jtn, client, worker):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage="claimed")
    deadline = escrow.getTask(task_id).deadline
    with expect_error(escrow, "DeadlineNotPassed", taskId=task_id, deadline=deadline):
        escrow.reclaim(task_id, sender=client)
    ape.chain.pending_timestamp = deadline
    with expect_error(escrow, "DeadlineNotPassed", taskId=task_id, deadline=deadline):
        escrow.reclaim(task_id, sender=client)
    assert status(escrow, task_id) == CLAIMED


def test_reclaim_by_someone_else(escrow, jtn, client, worker):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage="claimed")
    ape.chain.pending_timestamp = escrow.getTask(task_id).deadline + 1
    with expect_error(escrow, "NotTaskClient", taskId=task_id, caller=worker.address):
        escrow.reclaim(task_id, sender=worker)


@pytest.mark.parametrize(
    "stage,expected", [("open", OPEN), ("submitted", SUBMITTED), ("disputed", DISPUTED)]
)
def test_reclaim_when_not_claimed(escrow, jtn, client, worker, stage, expected):
    """A submission made in time keeps its payment even if the deadline passes in review."""
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage=stage)
    ape.chain.pending_timestamp = escrow.getTask(task_id).deadline + 1
    with expect_error(escrow, "TaskNotClaimed", taskId=task_id, status=expected):
        escrow.reclaim(task_id, sender=client)


# --- dispute, resolve, settle ----------------------------------------------------------------


def test_dispute_when_not_submitted(escrow, jtn, client, worker):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage="claimed")
    with expect_error(escrow, "TaskNotSubmitted", taskId=task_id, status=CLAIMED):
        escrow.dispute(task_id, sender=client)
    escrow.submit(task_id, HASH, sender=worker)
    escrow.dispute(task_id, sender=client)
    with expect_error(escrow, "TaskNotSubmitted", taskId=task_id, status=DISPUTED):
        escrow.dispute(task_id, sender=worker)


def test_dispute_by_a_third_party(escrow, jtn, client, worker, arbiter, outsider):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT)
    for who in (outsider, arbiter):
        with expect_error(escrow, "NotTaskParty", taskId=task_id, caller=who.address):
            escrow.dispute(task_id, sender=who)


def test_dispute_after_the_review_period(escrow, jtn, client, worker):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT)
    ends = escrow.getTask(task_id).windowEnds
    ape.chain.pending_timestamp = ends + 1
    with expect_error(escrow, "ReviewPeriodOver", taskId=task_id, reviewEnds=ends):
        escrow.dispute(task_id, sender=client)
    with expect_error(escrow, "ReviewPeriodOver", taskId=task_id, reviewEnds=ends):
        escrow.dispute(task_id, sender=worker)
    assert status(escrow, task_id) == SUBMITTED


def test_dispute_in_the_last_second_of_review(escrow, jtn, client, worker):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT)
    ape.chain.pending_timestamp = escrow.getTask(task_id).windowEnds
    escrow.dispute(task_id, sender=client)
    assert status(escrow, task_id) == DISPUTED


def test_resolve_when_not_disputed(escrow, jtn, client, worker, arbiter):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT)
    with expect_error(escrow, "TaskNotDisputed", taskId=task_id, status=SUBMITTED):
        escrow.resolve(task_id, 5000, sender=arbiter)
    escrow.dispute(task_id, sender=client)
    escrow.resolve(task_id, 5000, sender=arbiter)
    with expect_error(escrow, "TaskNotDisputed", taskId=task_id, status=RESOLVED):
        escrow.resolve(task_id, 5000, sender=arbiter)


def test_resolve_by_a_non_arbiter(escrow, jtn, client, worker, dao, outsider):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage="disputed")
    for who in (client, worker, dao, outsider):
        with expect_error(escrow, "NotArbiter", caller=who.address):
            escrow.resolve(task_id, 10000, sender=who)
    assert status(escrow, task_id) == DISPUTED


@pytest.mark.parametrize("share", [10001, 65535])
def test_resolve_with_an_invalid_share(escrow, jtn, client, worker, arbiter, share):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage="disputed")
    with expect_error(escrow, "InvalidShare", workerShareBps=share):
        escrow.resolve(task_id, share, sender=arbiter)
    assert status(escrow, task_id) == DISPUTED


def test_settle_before_the_arbitration_window_ends(escrow, jtn, client, worker):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage="disputed")
    ends = escrow.getTask(task_id).windowEnds
    with expect_error(escrow, "ArbitrationWindowActive", taskId=task_id, arbitrationEnds=ends):
        escrow.settleDispute(task_id, sender=worker)
    ape.chain.pending_timestamp = ends
    with expect_error(escrow, "ArbitrationWindowActive", taskId=task_id, arbitrationEnds=ends):
        escrow.settleDispute(task_id, sender=client)
    assert status(escrow, task_id) == DISPUTED


def test_resolve_after_the_arbitration_window(escrow, jtn, client, worker, arbiter):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage="disputed")
    ends = escrow.getTask(task_id).windowEnds
    ape.chain.pending_timestamp = ends + 1
    with expect_error(escrow, "ArbitrationWindowOver", taskId=task_id, arbitrationEnds=ends):
        escrow.resolve(task_id, 10000, sender=arbiter)
    assert status(escrow, task_id) == DISPUTED


def test_settle_by_a_third_party(escrow, jtn, client, worker, arbiter, outsider):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage="disputed")
    ape.chain.pending_timestamp = escrow.getTask(task_id).windowEnds + 1
    for who in (arbiter, outsider):
        with expect_error(escrow, "NotTaskParty", taskId=task_id, caller=who.address):
            escrow.settleDispute(task_id, sender=who)


def test_settle_when_not_disputed(escrow, jtn, client, worker):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT)
    ape.chain.pending_timestamp = ape.chain.pending_timestamp + 30 * DAY
    with expect_error(escrow, "TaskNotDisputed", taskId=task_id, status=SUBMITTED):
        escrow.settleDispute(task_id, sender=worker)


# --- rewards ---------------------------------------------------------------------------------


def test_nothing_to_collect(escrow, jtn, client, worker, outsider):
    with expect_error(escrow, "NothingToCollect", worker=worker.address):
        escrow.collectRewards(worker, sender=outsider)
    task_id = make_task(escrow, jtn, client, worker, AMOUNT)
    escrow.approve(task_id, sender=client)
    escrow.collectRewards(worker, sender=outsider)
    with expect_error(escrow, "NothingToCollect", worker=worker.address):
        escrow.collectRewards(worker, sender=worker)
