"""Work rewards: credited at payout, minted on collection, bounded by the token's cap.

`rewardRoom` is what can still be credited: cap - supply - credited and not yet collected.
Near the cap a reward is cut to the room left, and payouts complete with no reward at all
once it is gone. A task without a fee earns neither reward nor reputation; a task paid in a
token other than JTN earns reputation (through the token's unit) but no reward.
"""

import copy

import ape
import pytest
from deploy import deploy_system
from helpers import delegate, expect_error, expect_error_via, make_task, walk_rule

WAD = 10**18
AMOUNT = 1000 * WAD


def completed(escrow, receipt):
    logs = list(receipt.decode_logs(escrow.TaskCompleted))
    assert len(logs) == 1
    log = logs[0]
    return (log.workerAmount, log.fee, log.reward, log.points)


def room_adds_up(escrow, token, *workers):
    owed = sum(escrow.rewardsOwed(w) for w in workers)
    assert escrow.rewardRoom() == token.cap() - token.totalSupply() - owed


def test_reward_room_starts_at_what_can_be_minted(escrow, jtn):
    assert escrow.rewardRoom() == jtn.mintable() == 900_000_000 * WAD


def test_rewards_are_credited_at_payout(escrow, jtn, client, worker):
    supply = jtn.totalSupply()
    for _ in range(2):
        escrow.approve(make_task(escrow, jtn, client, worker, AMOUNT), sender=client)
    assert escrow.rewardsOwed(worker) == 50 * WAD
    assert jtn.totalSupply() == supply  # not minted yet
    assert jtn.balanceOf(worker) == 2 * 950 * WAD
    room_adds_up(escrow, jtn, worker)


def test_anyone_collects_for_the_worker(escrow, jtn, client, worker, worker2, outsider):
    for who in (worker, worker, worker2):
        escrow.approve(make_task(escrow, jtn, client, who, AMOUNT), sender=client)
    room = escrow.rewardRoom()
    supply = jtn.totalSupply()
    delegate(jtn, worker, worker)
    receipt = escrow.collectRewards(worker, sender=outsider)
    assert receipt.return_value == 50 * WAD
    logs = list(receipt.decode_logs(escrow.RewardsCollected))
    assert [(log.worker, log.amount) for log in logs] == [(worker.address, 50 * WAD)]
    mints = list(receipt.decode_logs(jtn.Transfer))
    assert [(m["from"], m.to, m.value) for m in mints] == [
        ("0x" + "00" * 20, worker.address, 50 * WAD)
    ]
    assert jtn.balanceOf(worker) == 2 * 950 * WAD + 50 * WAD
    assert jtn.balanceOf(outsider) == 0
    assert jtn.getVotes(worker) == jtn.balanceOf(worker)
    assert escrow.rewardsOwed(worker) == 0
    assert escrow.rewardsOwed(worker2) == 25 * WAD
    assert jtn.totalSupply() == supply + 50 * WAD
    assert escrow.rewardRoom() == room  # collecting does not change the room
    room_adds_up(escrow, jtn, worker, worker2)
    with expect_error(escrow, "NothingToCollect", worker=worker.address):
        escrow.collectRewards(worker, sender=worker)


def test_rewards_after_a_collection_are_owed_and_collected_whole(escrow, jtn, client, worker):
    """The credit's slot keeps one base unit after a collection (so the next payout does not
    write a zero slot): it is never owed, never minted, and every reward after it is."""
    escrow.approve(make_task(escrow, jtn, client, worker, AMOUNT), sender=client)
    assert escrow.collectRewards(worker, sender=worker).return_value == 25 * WAD
    assert escrow.rewardsOwed(worker) == 0
    supply = jtn.totalSupply()
    for _ in range(2):
        escrow.approve(make_task(escrow, jtn, client, worker, AMOUNT), sender=client)
    assert escrow.rewardsOwed(worker) == 50 * WAD
    room_adds_up(escrow, jtn, worker)
    assert escrow.collectRewards(worker, sender=worker).return_value == 50 * WAD
    assert jtn.totalSupply() == supply + 50 * WAD
    assert escrow.rewardsOwed(worker) == 0
    room_adds_up(escrow, jtn, worker)
    with expect_error(escrow, "NothingToCollect", worker=worker.address):
        escrow.collectRewards(worker, sender=worker)


def test_credited_rewards_survive_any_rule_change(escrow, rules, dao, jtn, client, worker):
    escrow.approve(make_task(escrow, jtn, client, worker, AMOUNT), sender=client)
    walk_rule(rules.setRewardBps, [4000, 3000, 2000, 1000, 0], dao)
    rules.setPaymentToken(jtn, False, WAD, sender=dao)
    assert escrow.collectRewards(worker, sender=worker).return_value == 25 * WAD
    assert escrow.rewardsOwed(worker) == 0


def test_no_reward_and_no_reputation_without_a_fee(
    escrow, rules, dao, jtn, reputation, client, worker
):
    walk_rule(rules.setFeeBps, [400, 300, 200, 100, 0], dao)
    room = escrow.rewardRoom()
    fees = escrow.accruedFees(jtn)
    task_id = make_task(escrow, jtn, client, worker, AMOUNT)
    assert escrow.getTask(task_id).feeBps == 0
    assert completed(escrow, escrow.approve(task_id, sender=client)) == (AMOUNT, 0, 0, 0)
    assert jtn.balanceOf(worker) == AMOUNT
    assert escrow.accruedFees(jtn) == fees
    assert reputation.pointsOf(worker) == 0
    assert escrow.rewardsOwed(worker) == 0
    assert escrow.rewardRoom() == room


def test_no_reward_without_a_fee_in_a_dispute(
    escrow, rules, dao, jtn, reputation, client, worker, arbiter
):
    escrow.approve(make_task(escrow, jtn, client, worker, AMOUNT), sender=client)
    assert reputation.pointsOf(worker) == 500
    walk_rule(rules.setFeeBps, [400, 300, 200, 100, 0], dao)
    won = make_task(escrow, jtn, client, worker, AMOUNT, stage="disputed")
    receipt = escrow.resolve(won, 10000, sender=arbiter)
    log = list(receipt.decode_logs(escrow.TaskResolved))[0]
    assert (log.workerAmount, log.fee, log.reward) == (AMOUNT, 0, 0)
    assert reputation.pointsOf(worker) == 500 and escrow.rewardsOwed(worker) == 25 * WAD
    # A fee-free task lost in a dispute costs no points either: the slash is what its fee
    # would have earned, nothing.
    lost = make_task(escrow, jtn, client, worker, AMOUNT, stage="disputed")
    escrow.resolve(lost, 0, sender=arbiter)
    assert reputation.pointsOf(worker) == 500


def test_zero_reward_rate_still_earns_reputation(
    escrow, rules, dao, jtn, reputation, client, worker
):
    walk_rule(rules.setRewardBps, [4000, 3000, 2000, 1000, 0], dao)
    task_id = make_task(escrow, jtn, client, worker, AMOUNT)
    assert completed(escrow, escrow.approve(task_id, sender=client)) == (
        950 * WAD,
        50 * WAD,
        0,
        500,
    )
    assert reputation.pointsOf(worker) == 500
    with expect_error(escrow, "NothingToCollect", worker=worker.address):
        escrow.collectRewards(worker, sender=worker)


# --- tasks paid in another token: reputation, no reward -------------------------------------


def test_a_task_in_another_token_earns_points_but_no_reward(
    escrow, jtn, usd, reputation, client, worker, arbiter
):
    """A task paid in an allowed token other than JTN earns reputation through the token's unit
    (1e6: one USD counts as one JTN) but no work reward, whatever path pays it: no JTN is
    minted against another token's DAO-set unit. The reward room stays as it was."""
    unit = 10**6
    room = escrow.rewardRoom()
    supply = jtn.totalSupply()

    approved = make_task(escrow, usd, client, worker, 1000 * unit)
    assert escrow.getTask(approved).rewardBps == 5000
    receipt = escrow.approve(approved, sender=client)
    assert completed(escrow, receipt) == (950 * unit, 50 * unit, 0, 500)
    assert reputation.pointsOf(worker) == 500

    released = make_task(escrow, usd, client, worker, 2000 * unit)
    ape.chain.pending_timestamp = escrow.getTask(released).windowEnds + 1
    receipt = escrow.release(released, sender=worker)
    assert completed(escrow, receipt) == (1900 * unit, 100 * unit, 0, 1000)
    assert reputation.pointsOf(worker) == 1500

    disputed = make_task(escrow, usd, client, worker, 1000 * unit, stage="disputed")
    receipt = escrow.resolve(disputed, 8000, sender=arbiter)
    [log] = receipt.decode_logs(escrow.TaskResolved)
    assert (log.workerAmount, log.clientAmount, log.fee, log.reward) == (
        760 * unit,
        200 * unit,
        40 * unit,
        0,
    )
    assert reputation.pointsOf(worker) == 1500 + 400

    assert escrow.rewardsOwed(worker) == 0
    assert escrow.rewardRoom() == room
    assert jtn.totalSupply() == supply
    room_adds_up(escrow, jtn, worker)
    with expect_error(escrow, "NothingToCollect", worker=worker.address):
        escrow.collectRewards(worker, sender=worker)

    # The same fee paid in JTN does earn its reward, out of the same room.
    escrow.approve(make_task(escrow, jtn, client, worker, 1000 * WAD), sender=client)
    assert escrow.rewardsOwed(worker) == 25 * WAD
    assert escrow.rewardRoom() == room - 25 * WAD


# --- near the cap: a separate system whose cap leaves 30 JTN of rewards ----------------------


def test_the_cap_must_fit_the_ledger_of_room_and_fees(project, deployer, config):
    """The room left under the cap and the work token's accrued fees share one slot of two
    128-bit halves (a payout in JTN writes it once); each is at most the cap, so a token whose
    cap does not fit 128 bits is refused when the escrow is deployed, and the largest that does
    fit works."""
    cfg = copy.deepcopy(config)
    cfg["token"]["cap"] = 2**128 // WAD + 1
    with expect_error_via(project.TaskEscrow, "SafeCastOverflowedUintDowncast", bits=128):
        deploy_system(deployer, cfg)
    cfg["token"]["cap"] = 2**128 // WAD
    big = deploy_system(deployer, cfg)
    assert big.escrow.rewardRoom() == big.token.mintable() == (2**128 // WAD) * WAD - 10**8 * WAD
    assert big.escrow.accruedFees(big.token) == 0


@pytest.fixture(scope="module")
def small(deployer, config):
    """A second system: genesis 30M JTN (all granted: 10M each to test accounts 0-2), cap 30
    JTN above it."""
    cfg = copy.deepcopy(config)
    cfg["token"]["genesis_supply"] = 30_000_000
    cfg["token"]["cap"] = 30_000_030
    assert sum(g["amount"] for g in cfg["genesis"]) == 30_000_000
    return deploy_system(deployer, cfg)


def test_reward_is_capped_then_zero_and_payments_complete(
    small, client, worker, worker2, reputation
):
    escrow, token = small.escrow, small.token
    assert escrow.rewardRoom() == 30 * WAD
    assert token.mintable() == 30 * WAD

    first = make_task(escrow, token, client, worker, AMOUNT)
    assert completed(escrow, escrow.approve(first, sender=client)) == (
        950 * WAD,
        50 * WAD,
        25 * WAD,
        500,
    )
    assert escrow.rewardRoom() == 5 * WAD
    room_adds_up(escrow, token, worker, worker2)

    # The second reward is cut to the 5 JTN left; the payment is whole.
    second = make_task(escrow, token, client, worker2, AMOUNT)
    assert completed(escrow, escrow.approve(second, sender=client)) == (
        950 * WAD,
        50 * WAD,
        5 * WAD,
        500,
    )
    assert escrow.rewardRoom() == 0
    room_adds_up(escrow, token, worker, worker2)

    # No room: no reward, the worker is still paid and still earns reputation.
    third = make_task(escrow, token, client, worker, AMOUNT)
    assert completed(escrow, escrow.approve(third, sender=client)) == (950 * WAD, 50 * WAD, 0, 500)
    assert token.balanceOf(worker) == 2 * 950 * WAD
    assert token.balanceOf(escrow) == escrow.accruedFees(token) == 150 * WAD  # fees, unswept
    assert small.reputation.pointsOf(worker) == 1000
    assert reputation.pointsOf(worker) == 0  # the main system's reputation is another contract

    # Everything credited can be minted, up to the cap exactly.
    assert escrow.collectRewards(worker, sender=worker).return_value == 25 * WAD
    assert escrow.collectRewards(worker2, sender=worker).return_value == 5 * WAD
    assert token.totalSupply() == token.cap()
    assert token.mintable() == 0 and escrow.rewardRoom() == 0
    room_adds_up(escrow, token, worker, worker2)


def test_no_room_left_in_a_dispute_or_release(small, client, worker, arbiter):
    escrow, token = small.escrow, small.token
    # Use the room up with a 1,200 JTN task (reward 30).
    escrow.approve(make_task(escrow, token, client, worker, 1200 * WAD), sender=client)
    assert escrow.rewardRoom() == 0 and escrow.rewardsOwed(worker) == 30 * WAD

    disputed = make_task(escrow, token, client, worker, AMOUNT, stage="disputed")
    log = list(escrow.resolve(disputed, 5000, sender=arbiter).decode_logs(escrow.TaskResolved))[0]
    assert (log.workerAmount, log.clientAmount, log.fee, log.reward) == (
        475 * WAD,
        500 * WAD,
        25 * WAD,
        0,
    )
    released = make_task(escrow, token, client, worker, AMOUNT)
    ape.chain.pending_timestamp = escrow.getTask(released).windowEnds + 1
    assert completed(escrow, escrow.release(released, sender=worker)) == (
        950 * WAD,
        50 * WAD,
        0,
        500,
    )
    assert escrow.rewardsOwed(worker) == 30 * WAD
    assert token.balanceOf(escrow) == escrow.accruedFees(token) == (60 + 25 + 50) * WAD
