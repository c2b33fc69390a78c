"""Reputation: escrow-only writes, points and total, checkpoints at past blocks, tiers.

Direct tests use a standalone Reputation deployed from an ordinary account, which the
constructor makes its escrow (its only writer); the system's Reputation is checked to belong
to the system's escrow and to refuse everybody else.
"""

import ape
import pytest
from helpers import call_error, expect_error, make_task, walk_rule


@pytest.fixture
def writer(accounts):
    return accounts[6]


@pytest.fixture
def rep(project, rules, writer):
    return project.Reputation.deploy(rules, sender=writer)


def changes(rep, receipt):
    return [
        (log.worker, log.taskId, log.oldPoints, log.newPoints)
        for log in receipt.decode_logs(rep.ReputationChanged)
    ]


def test_wiring(rep, rules, writer, system, escrow, reputation):
    assert rep.escrow() == writer.address
    assert rep.rules() == rules.address
    assert rep.CLOCK_MODE() == "mode=blocknumber&from=default"
    assert rep.clock() == ape.chain.blocks.height
    assert reputation.escrow() == escrow.address
    assert escrow.reputation() == reputation.address
    assert reputation.rules() == rules.address
    assert reputation.totalPoints() == 0


@pytest.mark.parametrize("method", ["add", "slash"])
def test_only_the_escrow_writes(rep, reputation, method, worker, client, dao, deployer, outsider):
    for caller in (worker, outsider, deployer):
        with expect_error(rep, "NotEscrow", caller=caller.address):
            getattr(rep, method)(worker, 1, 10, sender=caller)
    # In the system nobody but the escrow, not even the DAO's timelock, can write reputation.
    for caller in (dao, client, worker, deployer):
        with expect_error(reputation, "NotEscrow", caller=caller.address):
            getattr(reputation, method)(worker, 1, 10, sender=caller)
    assert reputation.pointsOf(worker) == 0 and reputation.totalPoints() == 0


def test_add_points_and_total(rep, writer, worker, worker2):
    receipt = rep.add(worker, 7, 150, sender=writer)
    assert changes(rep, receipt) == [(worker.address, 7, 0, 150)]
    receipt = rep.add(worker, 8, 50, sender=writer)
    assert changes(rep, receipt) == [(worker.address, 8, 150, 200)]
    rep.add(worker2, 9, 30, sender=writer)
    assert rep.pointsOf(worker) == 200
    assert rep.pointsOf(worker2) == 30
    assert rep.totalPoints() == 230


def test_slash_and_floor_at_zero(rep, writer, worker, worker2):
    rep.add(worker, 1, 100, sender=writer)
    rep.add(worker2, 2, 40, sender=writer)
    receipt = rep.slash(worker, 3, 30, sender=writer)
    assert changes(rep, receipt) == [(worker.address, 3, 100, 70)]
    assert rep.pointsOf(worker) == 70 and rep.totalPoints() == 110
    receipt = rep.slash(worker, 4, 1000, sender=writer)
    assert changes(rep, receipt) == [(worker.address, 4, 70, 0)]
    assert rep.pointsOf(worker) == 0
    assert rep.totalPoints() == 40  # only the 70 the worker had came off the total
    # Slashing someone with nothing changes nothing (but is recorded).
    receipt = rep.slash(worker, 5, 10, sender=writer)
    assert changes(rep, receipt) == [(worker.address, 5, 0, 0)]
    assert rep.pointsOf(worker) == 0 and rep.totalPoints() == 40
    assert rep.pointsOf(worker2) == 40


def test_past_points_follow_checkpoints(rep, writer, worker, worker2):
    start = ape.chain.blocks.height
    b1 = rep.add(worker, 1, 10, sender=writer).block_number
    ape.chain.mine(3)
    b2 = rep.add(worker, 2, 5, sender=writer).block_number
    b3 = rep.slash(worker, 3, 12, sender=writer).block_number
    ape.chain.mine(2)
    b4 = rep.slash(worker, 4, 50, sender=writer).block_number
    b5 = rep.add(worker, 5, 1, sender=writer).block_number
    ape.chain.mine(1)
    assert rep.getPastPoints(worker, start) == 0
    assert rep.getPastPoints(worker, b1 - 1) == 0
    assert rep.getPastPoints(worker, b1) == 10
    assert rep.getPastPoints(worker, b1 + 2) == 10
    assert rep.getPastPoints(worker, b2) == 15
    assert rep.getPastPoints(worker, b3) == 3
    assert rep.getPastPoints(worker, b3 + 1) == 3
    assert rep.getPastPoints(worker, b4) == 0
    assert rep.getPastPoints(worker, b5) == 1
    assert rep.pointsOf(worker) == 1
    assert rep.getPastPoints(worker2, b5) == 0


def test_future_lookup(rep, writer, worker):
    rep.add(worker, 1, 10, sender=writer)
    now = ape.chain.blocks.height
    for timepoint in (now, now + 1, 2**48):
        err = call_error(rep, "getPastPoints", worker, timepoint)
        assert type(err).__name__ == "FutureLookup"
        assert err.inputs["timepoint"] == timepoint
        assert err.inputs["clock"] == now
    assert rep.getPastPoints(worker, now - 1) == 0


@pytest.mark.parametrize(
    "points,tier",
    [(0, 0), (99, 0), (100, 1), (999, 1), (1000, 2), (9999, 2), (10000, 3), (10**9, 3)],
)
def test_tier_of(rep, writer, worker, points, tier):
    if points:
        rep.add(worker, 1, points, sender=writer)
    assert rep.pointsOf(worker) == points
    assert rep.tierOf(worker) == tier


def test_tiers_follow_the_rulebook(rep, rules, dao, writer, worker):
    rep.add(worker, 1, 150, sender=writer)
    assert rep.tierOf(worker) == 1
    rules.setTierThreshold(1, 151, sender=dao)
    assert rep.tierOf(worker) == 0
    walk_rule(lambda points, sender: rules.setTierThreshold(1, points, sender=sender), [150], dao)
    assert rep.tierOf(worker) == 1


def test_escrow_payouts_write_reputation(
    system, escrow, reputation, jtn, client, worker, arbiter, outsider
):
    """The system's escrow is the writer: a paid task adds a point per 0.1 JTN of fee, a lost
    dispute slashes what the whole task's fee would have earned."""
    assert escrow.FEE_PER_POINT() == 10**17
    first = make_task(escrow, jtn, client, worker, 1000 * 10**18)  # fee 50 JTN
    receipt = escrow.approve(first, sender=client)
    assert changes(reputation, receipt) == [(worker.address, first, 0, 500)]
    assert reputation.pointsOf(worker) == 500 and reputation.tierOf(worker) == 1
    second = make_task(escrow, jtn, client, worker, 400 * 10**18, stage="disputed")  # fee 20
    receipt = escrow.resolve(second, 0, sender=arbiter)
    assert changes(reputation, receipt) == [(worker.address, second, 500, 300)]
    assert reputation.totalPoints() == 300
    assert reputation.pointsOf(outsider) == 0
