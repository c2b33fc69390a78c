"""Fees and reward rates are locked at posting; no rule change touches money in escrow.

The DAO (the timelock, impersonated) changes rules between posting and payout: the task pays
on its posted terms, a task posted after the change on the new ones. Disallowing a payment
token blocks new tasks in it, never the payout or refund of tasks already posted.
"""

import ape
from helpers import DAY, expect_error_via, make_task, post_task, walk_rule

WAD = 10**18
AMOUNT = 1000 * WAD

COMPLETED, CANCELLED, EXPIRED, RESOLVED = 5, 6, 7, 8


def completed(escrow, receipt):
    logs = list(receipt.decode_logs(escrow.TaskCompleted))
    assert len(logs) == 1
    log = logs[0]
    return (log.workerAmount, log.fee, log.reward, log.points)


def test_fee_change_does_not_touch_a_posted_task(escrow, rules, dao, jtn, client, worker):
    old = make_task(escrow, jtn, client, worker, AMOUNT)
    rules.setFeeBps(600, sender=dao)
    assert escrow.getTask(old).feeBps == 500
    fees = escrow.accruedFees(jtn)
    assert completed(escrow, escrow.approve(old, sender=client)) == (
        950 * WAD,
        50 * WAD,
        25 * WAD,
        500,
    )
    assert escrow.accruedFees(jtn) - fees == 50 * WAD

    new = post_task(escrow, jtn, client, AMOUNT)
    posted = list(
        escrow.TaskPosted.range(0, ape.chain.blocks.height + 1, search_topics={"taskId": new})
    )
    assert (posted[0].feeBps, posted[0].rewardBps) == (600, 5000)
    assert escrow.getTask(new).feeBps == 600
    escrow.claim(new, sender=worker)
    escrow.submit(new, b"\x01" * 32, sender=worker)
    assert completed(escrow, escrow.approve(new, sender=client)) == (
        940 * WAD,
        60 * WAD,
        30 * WAD,
        600,
    )
    assert escrow.accruedFees(jtn) - fees == 110 * WAD


def test_fee_cut_does_not_touch_a_posted_task_either(escrow, rules, dao, jtn, client, worker):
    old = make_task(escrow, jtn, client, worker, AMOUNT, stage="claimed")
    rules.setFeeBps(400, sender=dao)
    escrow.submit(old, b"\x01" * 32, sender=worker)
    ape.chain.pending_timestamp = escrow.getTask(old).windowEnds + 1
    # Released by the worker after the review period: still the posted 5%.
    assert completed(escrow, escrow.release(old, sender=worker)) == (
        950 * WAD,
        50 * WAD,
        25 * WAD,
        500,
    )
    new = make_task(escrow, jtn, client, worker, AMOUNT)
    assert completed(escrow, escrow.approve(new, sender=client)) == (
        960 * WAD,
        40 * WAD,
        20 * WAD,
        400,
    )


def test_reward_rate_change_does_not_touch_a_posted_task(escrow, rules, dao, jtn, client, worker):
    old = make_task(escrow, jtn, client, worker, AMOUNT)
    rules.setRewardBps(4000, sender=dao)
    assert escrow.getTask(old).rewardBps == 5000
    assert completed(escrow, escrow.approve(old, sender=client))[2] == 25 * WAD
    new = make_task(escrow, jtn, client, worker, AMOUNT)
    assert escrow.getTask(new).rewardBps == 4000
    assert completed(escrow, escrow.approve(new, sender=client)) == (
        950 * WAD,
        50 * WAD,
        20 * WAD,
        500,
    )
    assert escrow.rewardsOwed(worker) == 45 * WAD


def test_locked_fee_applies_to_a_dispute(escrow, rules, dao, jtn, client, worker, arbiter):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage="disputed")
    rules.setFeeBps(600, sender=dao)
    rules.setRewardBps(4000, sender=dao)
    receipt = escrow.resolve(task_id, 5000, sender=arbiter)
    log = list(receipt.decode_logs(escrow.TaskResolved))[0]
    # 500 to the worker's side at the posted 5%: fee 25, reward 50% of it.
    assert (log.workerAmount, log.clientAmount, log.fee, log.reward) == (
        475 * WAD,
        500 * WAD,
        25 * WAD,
        25 * WAD // 2,
    )


def test_many_fee_steps_after_posting(escrow, rules, dao, jtn, client, worker):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT)
    walk_rule(rules.setFeeBps, [600, 700, 800, 900, 1000], dao)
    assert completed(escrow, escrow.approve(task_id, sender=client))[:2] == (950 * WAD, 50 * WAD)


def test_review_period_is_locked_at_posting(escrow, rules, dao, jtn, client, worker):
    """The review period in force when the task was posted applies, whatever changes later."""
    posted_with = rules.reviewPeriod()
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage="claimed")
    assert escrow.getTask(task_id).reviewPeriod == posted_with
    rules.setReviewPeriod(posted_with - DAY, sender=dao)
    receipt = escrow.submit(task_id, b"\x01" * 32, sender=worker)
    assert escrow.getTask(task_id).windowEnds == receipt.timestamp + posted_with
    # A task posted after the change gets the new period.
    later = make_task(escrow, jtn, client, worker, AMOUNT, stage="submitted")
    assert escrow.getTask(later).reviewPeriod == posted_with - DAY
    # A change after submission does not move the window either.
    walk_rule(rules.setReviewPeriod, [posted_with + 6 * DAY], dao)
    assert escrow.getTask(task_id).windowEnds == receipt.timestamp + posted_with


def test_disallowed_token_still_pays_and_refunds(
    escrow, rules, dao, usd, client, worker, worker2, arbiter
):
    unit = 10**6
    paid = make_task(escrow, usd, client, worker, 1000 * unit)
    open_ = post_task(escrow, usd, client, 100 * unit)
    claimed = make_task(escrow, usd, client, worker2, 200 * unit, stage="claimed")
    disputed = make_task(escrow, usd, client, worker2, 300 * unit, stage="disputed")
    rules.setPaymentToken(usd, False, unit, sender=dao)
    assert not rules.isPaymentToken(usd)
    client_before = usd.balanceOf(client)

    receipt = escrow.approve(paid, sender=client)
    # Reputation through the token's unit as posted; no work reward for a non-JTN task.
    assert completed(escrow, receipt) == (950 * unit, 50 * unit, 0, 500)
    escrow.cancel(open_, sender=client)
    escrow.resolve(disputed, 10000, sender=arbiter)  # within the arbitration window
    ape.chain.pending_timestamp = escrow.getTask(claimed).deadline + 1
    escrow.reclaim(claimed, sender=client)

    statuses = [escrow.getTask(t).status for t in (paid, open_, claimed, disputed)]
    assert statuses == [COMPLETED, CANCELLED, EXPIRED, RESOLVED]
    assert usd.balanceOf(escrow) == escrow.accruedFees(usd) == 65 * unit  # fees, to be swept
    assert usd.balanceOf(worker) == 950 * unit
    assert usd.balanceOf(worker2) == 285 * unit
    assert usd.balanceOf(client) - client_before == 300 * unit
    # New tasks in it are refused.
    usd.approve(escrow, unit, sender=client)
    with expect_error_via(rules, "TokenNotAllowed", token=usd.address):
        escrow.postTask(
            usd, unit, ape.chain.pending_timestamp + DAY, 0, b"\x01" * 32, worker, sender=client
        )


def test_disallowed_work_token_still_pays(escrow, rules, dao, jtn, client, worker):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT)
    rules.setPaymentToken(jtn, False, WAD, sender=dao)
    assert completed(escrow, escrow.approve(task_id, sender=client)) == (
        950 * WAD,
        50 * WAD,
        25 * WAD,
        500,
    )


def test_removed_arbiter_and_any_rule_change_do_not_block_payout(
    escrow, rules, dao, jtn, client, worker, arbiter
):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT)
    rules.setArbiter(arbiter, False, sender=dao)
    rules.setFeeBps(600, sender=dao)
    rules.setRewardBps(4000, sender=dao)
    rules.setReviewPeriod(10 * DAY, sender=dao)
    rules.setDisputeWindow(DAY, sender=dao)
    rules.setTierThreshold(1, 200, sender=dao)
    rules.setPaymentToken(jtn, False, WAD, sender=dao)
    ape.chain.pending_timestamp = escrow.getTask(task_id).windowEnds + 1
    assert completed(escrow, escrow.release(task_id, sender=worker)) == (
        950 * WAD,
        50 * WAD,
        25 * WAD,
        500,
    )


def test_fee_rounds_down_in_the_workers_favour(escrow, jtn, client, worker, reputation):
    """19 wei at 5% is a fee of 0: the worker gets all, and no fee means no reputation."""
    task_id = make_task(escrow, jtn, client, worker, 19)
    assert completed(escrow, escrow.approve(task_id, sender=client)) == (19, 0, 0, 0)
    task_id = make_task(escrow, jtn, client, worker, 20)
    assert completed(escrow, escrow.approve(task_id, sender=client)) == (19, 1, 0, 0)
    assert reputation.pointsOf(worker) == 0
