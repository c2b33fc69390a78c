"""Disputes: who may dispute and when, the arbiter's split, reputation effects, settlement.

A split pays `share` of the deposit to the worker's side, takes the locked fee from that side
only (it accrues for the treasury), and returns the rest to the client. Half or more with a fee
earns a point per 0.1 JTN of the fee paid and a reward; less than half slashes the points the
whole task's fee would have earned (1,000 JTN at 5%: 500 points). The arbiter rules within the
arbitration window, up to its last second; after it, and only then, either party settles: the
dispute is undone (deposit back to the client, no fee, no reward, no reputation). Tasks here
carry no bond; with bonds: test_escrow_bonds and test_escrow_economics.
"""

import ape
import pytest
from helpers import DAY, expect_error, make_task

WAD = 10**18
AMOUNT = 1000 * WAD
RESOLVED = 8


@pytest.fixture
def seasoned(escrow, jtn, client, worker, reputation):
    """The worker starts with 500 reputation points (one approved 1,000 JTN task)."""
    task_id = make_task(escrow, jtn, client, worker, AMOUNT)
    escrow.approve(task_id, sender=client)
    assert reputation.pointsOf(worker) == 500
    return 500


def resolved(escrow, receipt):
    logs = list(receipt.decode_logs(escrow.TaskResolved))
    assert len(logs) == 1
    return logs[0]


def balances(token, *parties):
    return [token.balanceOf(p) for p in parties]


@pytest.mark.parametrize(
    "share,worker_amount,client_amount,fee,reward,points_delta",
    [
        (0, 0, 1000 * WAD, 0, 0, -500),
        (1, 95 * WAD // 1000, 999_900 * WAD // 1000, 5 * WAD // 1000, 0, -500),
        (4999, 474_905 * WAD // 1000, 500_100 * WAD // 1000, 24_995 * WAD // 1000, 0, -500),
        (5000, 475 * WAD, 500 * WAD, 25 * WAD, 25 * WAD // 2, 250),
        (7500, 7125 * WAD // 10, 250 * WAD, 375 * WAD // 10, 375 * WAD // 20, 375),
        (10000, 950 * WAD, 0, 50 * WAD, 25 * WAD, 500),
    ],
)
def test_resolve_splits_exactly(
    escrow,
    jtn,
    reputation,
    client,
    worker,
    arbiter,
    share,
    worker_amount,
    client_amount,
    fee,
    reward,
    points_delta,
):
    # The worker starts with 800 points from two approved tasks (fees 50 and 30 JTN).
    for amount in (1000 * WAD, 600 * WAD):
        escrow.approve(make_task(escrow, jtn, client, worker, amount), sender=client)
    start_points = reputation.pointsOf(worker)
    assert start_points == 500 + 300
    owed = escrow.rewardsOwed(worker)
    room = escrow.rewardRoom()

    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage="disputed")
    before = balances(jtn, worker, client, escrow)
    fees = escrow.accruedFees(jtn)
    receipt = escrow.resolve(task_id, share, sender=arbiter)
    log = resolved(escrow, receipt)
    assert (log.taskId, log.arbiter, log.workerShareBps) == (task_id, arbiter.address, share)
    assert (log.workerAmount, log.clientAmount, log.fee, log.reward) == (
        worker_amount,
        client_amount,
        fee,
        reward,
    )
    assert worker_amount + client_amount + fee == AMOUNT
    after = balances(jtn, worker, client, escrow)
    assert [a - b for a, b in zip(after, before, strict=True)] == [
        worker_amount,
        client_amount,
        -(AMOUNT - fee),  # the fee stays, accrued for the treasury
    ]
    assert escrow.accruedFees(jtn) - fees == fee
    assert escrow.getTask(task_id).status == RESOLVED
    assert reputation.pointsOf(worker) == start_points + points_delta
    assert escrow.rewardsOwed(worker) == owed + reward
    assert escrow.rewardRoom() == room - reward


def test_slash_floors_at_zero(escrow, jtn, reputation, client, worker, arbiter, seasoned):
    task_id = make_task(escrow, jtn, client, worker, 2000 * WAD, stage="disputed")  # 1,000 pts
    receipt = escrow.resolve(task_id, 0, sender=arbiter)
    assert reputation.pointsOf(worker) == 0
    logs = list(receipt.decode_logs(reputation.ReputationChanged))
    assert [(log.worker, log.taskId, log.oldPoints, log.newPoints) for log in logs] == [
        (worker.address, task_id, seasoned, 0)
    ]
    assert reputation.votingPointsOf(worker) == 0


def test_slash_by_the_tasks_fee_value_in_another_token(
    escrow, usd, reputation, client, worker, arbiter, seasoned
):
    # 300 USD at 5%: a 15 USD fee, worth 15 JTN through the unit: 150 points.
    task_id = make_task(escrow, usd, client, worker, 300 * 10**6, stage="disputed")
    escrow.resolve(task_id, 2500, sender=arbiter)
    assert reputation.pointsOf(worker) == seasoned - 150
    assert usd.balanceOf(worker) == 75 * 10**6 * 95 // 100
    assert usd.balanceOf(escrow) == escrow.accruedFees(usd) == 75 * 10**6 * 5 // 100


def test_the_worker_may_dispute_too(escrow, jtn, client, worker, arbiter):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT)
    receipt = escrow.dispute(task_id, sender=worker)
    log = list(receipt.decode_logs(escrow.TaskDisputed))[0]
    assert (log.taskId, log.by, log.arbitrationEnds) == (
        task_id,
        worker.address,
        receipt.timestamp + 7 * DAY,
    )
    escrow.resolve(task_id, 10000, sender=arbiter)
    assert jtn.balanceOf(worker) == 950 * WAD


def test_dispute_window_is_taken_at_dispute(escrow, rules, dao, jtn, client, worker):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT)
    rules.setDisputeWindow(14 * DAY, sender=dao)
    receipt = escrow.dispute(task_id, sender=client)
    assert escrow.getTask(task_id).windowEnds == receipt.timestamp + 14 * DAY


def test_a_newly_appointed_arbiter_resolves(escrow, rules, dao, jtn, client, worker, worker2):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage="disputed")
    with expect_error(escrow, "NotArbiter", caller=worker2.address):
        escrow.resolve(task_id, 5000, sender=worker2)
    rules.setArbiter(worker2, True, sender=dao)
    log = resolved(escrow, escrow.resolve(task_id, 5000, sender=worker2))
    assert log.arbiter == worker2.address


def test_a_removed_arbiter_can_not_resolve(escrow, rules, dao, jtn, client, worker, arbiter):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage="disputed")
    rules.setArbiter(arbiter, False, sender=dao)
    with expect_error(escrow, "NotArbiter", caller=arbiter.address):
        escrow.resolve(task_id, 5000, sender=arbiter)


@pytest.mark.parametrize("by", ["client", "worker"])
def test_settle_undoes_a_dispute_nobody_ruled_on(
    escrow, rules, dao, jtn, reputation, client, worker, arbiter, seasoned, by
):
    """No arbiter acted (here none is left): either party settles after the window, and the
    dispute is undone for the client: the whole deposit back, no fee, no work reward, and the
    worker's reputation neither grows nor shrinks."""
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage="disputed")
    rules.setArbiter(arbiter, False, sender=dao)  # nobody is left to arbitrate
    ape.chain.pending_timestamp = escrow.getTask(task_id).windowEnds + 1
    before = balances(jtn, worker, client, escrow)
    fees, owed, room = escrow.accruedFees(jtn), escrow.rewardsOwed(worker), escrow.rewardRoom()
    settler = client if by == "client" else worker
    receipt = escrow.settleDispute(task_id, sender=settler)
    logs = list(receipt.decode_logs(escrow.TaskSettled))
    assert [(log.taskId, log.by, log.amount, log.bonds) for log in logs] == [
        (task_id, settler.address, AMOUNT, 0)
    ]
    assert list(receipt.decode_logs(escrow.TaskResolved)) == []
    assert list(receipt.decode_logs(reputation.ReputationChanged)) == []
    after = balances(jtn, worker, client, escrow)
    assert [a - b for a, b in zip(after, before, strict=True)] == [0, AMOUNT, -AMOUNT]
    assert escrow.getTask(task_id).status == RESOLVED
    assert reputation.pointsOf(worker) == seasoned
    assert escrow.accruedFees(jtn) == fees
    assert (escrow.rewardsOwed(worker), escrow.rewardRoom()) == (owed, room)


def test_resolve_and_settle_are_exclusive_in_time(escrow, jtn, client, worker, arbiter):
    """The arbiter decides up to the last second of the window, and the parties settle only
    after it: a party can never front-run a late ruling with a settlement, nor an arbiter
    overturn a settlement. Checked at the boundary block, on either side."""
    first = make_task(escrow, jtn, client, worker, AMOUNT, stage="disputed")
    ends = escrow.getTask(first).windowEnds
    second = make_task(escrow, jtn, client, worker, AMOUNT)
    ape.chain.pending_timestamp = ends - 7 * DAY + 1  # disputed one second later
    escrow.dispute(second, sender=client)
    assert escrow.getTask(second).windowEnds == ends + 1

    # The block at `ends`: the arbiter still rules on the first; nobody may settle it.
    ape.chain.pending_timestamp = ends
    with expect_error(escrow, "ArbitrationWindowActive", taskId=first, arbitrationEnds=ends):
        escrow.settleDispute(first, sender=worker)
    ape.chain.pending_timestamp = ends
    log = resolved(escrow, escrow.resolve(first, 10000, sender=arbiter))
    assert (log.taskId, log.workerAmount) == (first, 950 * WAD)

    # The block after `ends + 1`: the arbiter is too late for the second; a party settles it.
    ape.chain.pending_timestamp = ends + 2
    with expect_error(escrow, "ArbitrationWindowOver", taskId=second, arbitrationEnds=ends + 1):
        escrow.resolve(second, 10000, sender=arbiter)
    ape.chain.pending_timestamp = ends + 2
    escrow.settleDispute(second, sender=client)
    assert escrow.getTask(second).status == RESOLVED
    with expect_error(escrow, "TaskNotDisputed", taskId=second, status=RESOLVED):
        escrow.resolve(second, 10000, sender=arbiter)


def test_an_arbiter_can_not_resolve_its_own_task(escrow, rules, dao, jtn, client, worker, arbiter):
    # The arbiter as worker could award itself everything; as client, take the work for free.
    rules.setArbiter(worker, True, sender=dao)
    as_worker = make_task(escrow, jtn, client, worker, 100 * 10**18, stage="disputed")
    with expect_error(escrow, "ArbiterIsParty", taskId=as_worker, arbiter=worker.address):
        escrow.resolve(as_worker, 10_000, sender=worker)

    rules.setArbiter(client, True, sender=dao)
    as_client = make_task(escrow, jtn, client, worker, 100 * 10**18, stage="disputed")
    with expect_error(escrow, "ArbiterIsParty", taskId=as_client, arbiter=client.address):
        escrow.resolve(as_client, 0, sender=client)

    # Another arbiter resolves both, and the money moves once.
    before = jtn.balanceOf(worker)
    escrow.resolve(as_worker, 5_000, sender=arbiter)
    escrow.resolve(as_client, 5_000, sender=arbiter)
    half = 50 * 10**18
    assert jtn.balanceOf(worker) - before == 2 * (half - half * 500 // 10_000)
    assert escrow.getTask(as_worker).status == escrow.getTask(as_client).status == 8
