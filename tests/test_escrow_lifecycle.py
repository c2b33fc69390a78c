"""TaskEscrow lifecycle: every transition's happy path, with exact balances and events.

Balances are checked for the worker, the client and the escrow, with the fees the escrow has
accrued for the treasury ("fees": they stay in the escrow until swept, see test_escrow_payouts).
Fee 5% and reward 50% of the fee (the local profile): a 1,000 JTN task pays the worker 950,
accrues a 50 JTN fee, credits a 25 JTN reward and 500 reputation points (one per 0.1 JTN of
fee). Tasks here carry no claim bond (the helpers' default); bonds: test_escrow_bonds.
"""

import ape
import pytest
from helpers import (
    DAY,
    ZERO_ADDRESS,
    Balances,
    expect_error,
    make_task,
    post_task,
    sign_permit,
)

WAD = 10**18
AMOUNT = 1000 * WAD
SPEC = b"\x5e" * 32
DELIVERABLE = b"\xde" * 32

NONE, OPEN, CLAIMED, SUBMITTED, DISPUTED, COMPLETED, CANCELLED, EXPIRED, RESOLVED = range(9)


@pytest.fixture
def watch(escrow, client, worker):
    def _watch(token):
        return Balances(token, escrow, client=client, worker=worker, escrow=escrow)

    return _watch


def only(receipt, event):
    logs = list(receipt.decode_logs(event))
    assert len(logs) == 1, f"{len(logs)} {event.name} events"
    return logs[0]


def assert_paid_in_full(escrow, reputation, receipt, task_id, worker, balances, released):
    """A 1,000 JTN task at a 5% fee paid out to its (first-time) worker: 950 to the worker,
    50 of fee accrued (still in the escrow), 25 JTN of reward credited, 500 points; the task is
    completed."""
    log = only(receipt, escrow.TaskCompleted)
    assert (log.taskId, log.worker, bool(log.released)) == (task_id, worker.address, released)
    assert (log.workerAmount, log.fee, log.reward, log.points) == (
        950 * WAD,
        50 * WAD,
        25 * WAD,
        500,
    )
    assert balances.delta() == {
        "client": 0,
        "worker": 950 * WAD,
        "fees": 50 * WAD,
        "escrow": -950 * WAD,
    }
    assert escrow.getTask(task_id).status == COMPLETED
    assert reputation.pointsOf(worker) == 500
    assert escrow.rewardsOwed(worker) == 25 * WAD


# --- post ----------------------------------------------------------------------------------


def test_post_deposits_and_records_the_task(escrow, jtn, client, watch):
    balances = watch(jtn)
    deadline = ape.chain.pending_timestamp + 5 * DAY
    jtn.approve(escrow, AMOUNT, sender=client)
    receipt = escrow.postTask(jtn, AMOUNT, deadline, 7, SPEC, ZERO_ADDRESS, sender=client)
    assert receipt.return_value == 1
    assert escrow.taskCount() == 1
    log = only(receipt, escrow.TaskPosted)
    assert log.taskId == 1
    assert log.client == client.address
    assert log.worker == ZERO_ADDRESS
    assert log.token == jtn.address
    assert log.amount == AMOUNT
    assert log.deadline == deadline
    assert log.minReputation == 7
    assert (log.feeBps, log.rewardBps, log.reviewPeriod) == (500, 5000, 3 * DAY)
    assert log.bondBps == 1000  # postTask: the DAO's default claim bond (10%)
    assert bytes(log.specHash) == SPEC
    assert balances.delta() == {"client": -AMOUNT, "worker": 0, "fees": 0, "escrow": AMOUNT}

    task = escrow.getTask(1)
    assert task.client == client.address
    assert task.amount == AMOUNT
    assert task.worker == ZERO_ADDRESS
    assert task.status == OPEN
    assert task.deadline == deadline
    assert task.windowEnds == 0
    assert task.token == jtn.address
    assert (task.feeBps, task.rewardBps, task.minReputation) == (500, 5000, 7)
    assert (task.reviewPeriod, task.bondBps) == (3 * DAY, 1000)
    assert escrow.bondOf(1) == AMOUNT // 10


def test_task_ids_count_up(escrow, jtn, client):
    assert escrow.taskCount() == 0
    assert escrow.getTask(1).status == NONE
    ids = [post_task(escrow, jtn, client, (i + 1) * WAD) for i in range(3)]
    assert ids == [1, 2, 3]
    assert [escrow.getTask(i).amount for i in ids] == [WAD, 2 * WAD, 3 * WAD]
    assert jtn.balanceOf(escrow) == 6 * WAD


def test_post_with_permit_in_one_transaction(escrow, jtn, client, worker, watch):
    balances = watch(jtn)
    nonce = jtn.nonces(client)
    permit_deadline = ape.chain.pending_timestamp + DAY
    v, r, s = sign_permit(
        jtn, client.private_key, client.address, escrow.address, AMOUNT, nonce, permit_deadline
    )
    assert jtn.allowance(client, escrow) == 0
    deadline = ape.chain.pending_timestamp + 5 * DAY
    receipt = escrow.postTaskWithPermit(
        jtn, AMOUNT, deadline, 0, SPEC, worker, permit_deadline, v, r, s, sender=client
    )
    log = only(receipt, escrow.TaskPosted)
    assert (log.taskId, log.client, log.worker, log.amount) == (
        1,
        client.address,
        worker.address,
        AMOUNT,
    )
    assert jtn.nonces(client) == nonce + 1
    assert jtn.allowance(client, escrow) == 0
    assert balances.delta() == {"client": -AMOUNT, "worker": 0, "fees": 0, "escrow": AMOUNT}
    assert escrow.getTask(1).status == OPEN


# --- claim, submit, approve ------------------------------------------------------------------


def test_full_approve_path(escrow, jtn, reputation, client, worker, watch):
    room = escrow.rewardRoom()
    supply = jtn.totalSupply()
    task_id = post_task(escrow, jtn, client, AMOUNT)
    balances = watch(jtn)

    receipt = escrow.claim(task_id, sender=worker)
    log = only(receipt, escrow.TaskClaimed)
    assert (log.taskId, log.worker) == (task_id, worker.address)
    task = escrow.getTask(task_id)
    assert (task.status, task.worker, task.windowEnds) == (CLAIMED, worker.address, 0)

    receipt = escrow.submit(task_id, DELIVERABLE, sender=worker)
    review_ends = receipt.timestamp + 3 * DAY
    log = only(receipt, escrow.TaskSubmitted)
    assert (log.taskId, log.worker, bytes(log.deliverableHash), log.reviewEnds) == (
        task_id,
        worker.address,
        DELIVERABLE,
        review_ends,
    )
    task = escrow.getTask(task_id)
    assert (task.status, task.windowEnds) == (SUBMITTED, review_ends)
    assert balances.delta() == {"client": 0, "worker": 0, "fees": 0, "escrow": 0}

    receipt = escrow.approve(task_id, sender=client)
    assert_paid_in_full(escrow, reputation, receipt, task_id, worker, balances, released=False)
    assert escrow.rewardRoom() == room - 25 * WAD
    assert jtn.totalSupply() == supply  # credited, not minted yet


def test_release_after_the_review_period(escrow, jtn, reputation, client, worker, watch):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT)
    balances = watch(jtn)
    ape.chain.pending_timestamp = escrow.getTask(task_id).windowEnds + 1
    receipt = escrow.release(task_id, sender=worker)
    assert_paid_in_full(escrow, reputation, receipt, task_id, worker, balances, released=True)


# --- cancel, reclaim -------------------------------------------------------------------------


def test_cancel_an_open_task(escrow, jtn, client, watch):
    balances = watch(jtn)
    task_id = post_task(escrow, jtn, client, AMOUNT)
    receipt = escrow.cancel(task_id, sender=client)
    log = only(receipt, escrow.TaskCancelled)
    assert (log.taskId, log.amount) == (task_id, AMOUNT)
    assert escrow.getTask(task_id).status == CANCELLED
    assert balances.delta() == {"client": 0, "worker": 0, "fees": 0, "escrow": 0}


def test_cancel_an_open_task_after_its_deadline(escrow, jtn, client, watch):
    balances = watch(jtn)
    task_id = post_task(escrow, jtn, client, AMOUNT)
    ape.chain.pending_timestamp = escrow.getTask(task_id).deadline + DAY
    escrow.cancel(task_id, sender=client)
    assert balances.delta() == {"client": 0, "worker": 0, "fees": 0, "escrow": 0}


def test_reclaim_after_the_deadline(escrow, jtn, reputation, client, worker, watch):
    balances = watch(jtn)
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage="claimed")
    ape.chain.pending_timestamp = escrow.getTask(task_id).deadline + 1
    receipt = escrow.reclaim(task_id, sender=client)
    log = only(receipt, escrow.TaskReclaimed)
    assert (log.taskId, log.amount) == (task_id, AMOUNT)
    assert escrow.getTask(task_id).status == EXPIRED
    assert balances.delta() == {"client": 0, "worker": 0, "fees": 0, "escrow": 0}
    assert reputation.pointsOf(worker) == 0
    assert escrow.rewardsOwed(worker) == 0


# --- dispute, resolve ------------------------------------------------------------------------


@pytest.mark.parametrize("by", ["client", "worker"])
def test_dispute_and_resolve(escrow, jtn, client, worker, arbiter, watch, by):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT)
    balances = watch(jtn)
    disputer = client if by == "client" else worker
    receipt = escrow.dispute(task_id, sender=disputer)
    arbitration_ends = receipt.timestamp + 7 * DAY
    log = only(receipt, escrow.TaskDisputed)
    assert (log.taskId, log.by, log.arbitrationEnds) == (
        task_id,
        disputer.address,
        arbitration_ends,
    )
    task = escrow.getTask(task_id)
    assert (task.status, task.windowEnds) == (DISPUTED, arbitration_ends)

    receipt = escrow.resolve(task_id, 7000, sender=arbiter)
    log = only(receipt, escrow.TaskResolved)
    assert (log.taskId, log.arbiter, log.workerShareBps) == (task_id, arbiter.address, 7000)
    # 700 to the worker's side, 5% of it (35) accrued as fee, 300 back to the client.
    assert (log.workerAmount, log.clientAmount, log.fee, log.reward) == (
        665 * WAD,
        300 * WAD,
        35 * WAD,
        35 * WAD // 2,
    )
    assert balances.delta() == {
        "client": 300 * WAD,
        "worker": 665 * WAD,
        "fees": 35 * WAD,
        "escrow": -965 * WAD,
    }
    assert escrow.getTask(task_id).status == RESOLVED


def test_history_rebuilt_from_events_by_task_id(escrow, jtn, client, worker):
    other = post_task(escrow, jtn, client, WAD)
    task_id = make_task(escrow, jtn, client, worker, AMOUNT)
    escrow.approve(task_id, sender=client)
    escrow.cancel(other, sender=client)
    kinds = ["TaskPosted", "TaskClaimed", "TaskSubmitted", "TaskCompleted", "TaskCancelled"]
    stop = ape.chain.blocks.height + 1

    def history(tid):
        found = []
        for kind in kinds:
            for log in getattr(escrow, kind).range(0, stop, search_topics={"taskId": tid}):
                assert log.taskId == tid
                found.append((log.block_number, log.log_index, kind))
        return [kind for _, _, kind in sorted(found)]

    assert history(task_id) == ["TaskPosted", "TaskClaimed", "TaskSubmitted", "TaskCompleted"]
    assert history(other) == ["TaskPosted", "TaskCancelled"]


# --- named worker ----------------------------------------------------------------------------


def test_named_worker_takes_the_task(escrow, jtn, client, worker, watch):
    balances = watch(jtn)
    task_id = post_task(escrow, jtn, client, AMOUNT, named=worker)
    task = escrow.getTask(task_id)
    assert (task.worker, task.status) == (worker.address, OPEN)
    receipt = escrow.claim(task_id, sender=worker)
    assert only(receipt, escrow.TaskClaimed).worker == worker.address
    escrow.submit(task_id, DELIVERABLE, sender=worker)
    escrow.approve(task_id, sender=client)
    assert balances.delta() == {
        "client": -AMOUNT,
        "worker": 950 * WAD,
        "fees": 50 * WAD,
        "escrow": 50 * WAD,  # the fee, accrued
    }


# --- a second payment token ------------------------------------------------------------------


def test_second_token_pays_and_earns_reputation_through_its_unit_but_no_reward(
    escrow, jtn, usd, reputation, client, worker, watch
):
    """1,000 USD (6 decimals, unit 1e6) pays like 1,000 JTN for reputation, but earns no work
    reward: only tasks paid in JTN do (no JTN minted against another token's DAO-set unit)."""
    amount = 1000 * 10**6
    usd_balances = watch(usd)
    jtn_balances = watch(jtn)
    room = escrow.rewardRoom()
    supply = jtn.totalSupply()
    task_id = make_task(escrow, usd, client, worker, amount)
    assert escrow.getTask(task_id).token == usd.address
    assert escrow.getTask(task_id).rewardBps == 5000  # the rate is locked, but not applied
    receipt = escrow.approve(task_id, sender=client)
    log = only(receipt, escrow.TaskCompleted)
    assert (log.workerAmount, log.fee, log.reward, log.points) == (
        950 * 10**6,
        50 * 10**6,
        0,  # no work reward for a task paid in another token
        500,  # a point per 0.1 JTN of fee value
    )
    assert usd_balances.delta() == {
        "client": -amount,
        "worker": 950 * 10**6,
        "fees": 50 * 10**6,
        "escrow": 50 * 10**6,
    }
    assert jtn_balances.delta() == {"client": 0, "worker": 0, "fees": 0, "escrow": 0}
    assert reputation.pointsOf(worker) == 500
    assert escrow.rewardsOwed(worker) == 0
    assert escrow.rewardRoom() == room
    assert jtn.totalSupply() == supply
    with expect_error(escrow, "NothingToCollect", worker=worker.address):
        escrow.collectRewards(worker, sender=worker)
