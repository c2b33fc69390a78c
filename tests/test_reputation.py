"""Reputation: escrow-only writes, its two parts and their totals, checkpoints at past blocks,
tiers; and that no payment token, at no unit the DAO can set, makes a vote cheap to farm.

Reputation has two parts in one checkpoint per worker: tier points (from every paid fee,
another token valued through its unit) and voting points (from fees paid in JTN only; the
only part WorkVotes counts). Direct tests use a standalone Reputation deployed from an ordinary
account, which the constructor makes its escrow (its only writer); the system's Reputation is
checked to belong to the system's escrow and to refuse everybody else.
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
    """(worker, task, old and new tier points) of each ReputationChanged; voting points are
    checked apart (`voting_changes`)."""
    return [
        (log.worker, log.taskId, log.oldPoints, log.newPoints)
        for log in receipt.decode_logs(rep.ReputationChanged)
    ]


def voting_changes(rep, receipt):
    return [
        (log.oldVotingPoints, log.newVotingPoints)
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


@pytest.mark.parametrize("method", ["add", "slash"])
def test_only_the_escrow_writes(rep, reputation, method, worker, client, dao, deployer, outsider):
    for caller in (worker, outsider, deployer):
        with expect_error(rep, "NotEscrow", caller=caller.address):
            getattr(rep, method)(worker, 1, 10, 10, sender=caller)
    # In the system nobody but the escrow, not even the DAO's timelock, can write reputation.
    for caller in (dao, client, worker, deployer):
        with expect_error(reputation, "NotEscrow", caller=caller.address):
            getattr(reputation, method)(worker, 1, 10, 10, sender=caller)
    assert reputation.pointsOf(worker) == 0 and reputation.votingPointsOf(worker) == 0


def test_add_points(rep, writer, worker, worker2):
    receipt = rep.add(worker, 7, 150, 150, sender=writer)
    assert changes(rep, receipt) == [(worker.address, 7, 0, 150)]
    assert voting_changes(rep, receipt) == [(0, 150)]
    receipt = rep.add(worker, 8, 50, 0, sender=writer)  # paid in another token: tier only
    assert changes(rep, receipt) == [(worker.address, 8, 150, 200)]
    assert voting_changes(rep, receipt) == [(150, 150)]
    rep.add(worker2, 9, 30, 30, sender=writer)
    assert (rep.pointsOf(worker), rep.votingPointsOf(worker)) == (200, 150)
    assert (rep.pointsOf(worker2), rep.votingPointsOf(worker2)) == (30, 30)


def test_slash_and_floor_at_zero(rep, writer, worker, worker2):
    rep.add(worker, 1, 100, 60, sender=writer)
    rep.add(worker2, 2, 40, 40, sender=writer)
    receipt = rep.slash(worker, 3, 30, 30, sender=writer)
    assert changes(rep, receipt) == [(worker.address, 3, 100, 70)]
    assert voting_changes(rep, receipt) == [(60, 30)]
    assert (rep.pointsOf(worker), rep.votingPointsOf(worker)) == (70, 30)
    assert (rep.pointsOf(worker2), rep.votingPointsOf(worker2)) == (40, 40)  # untouched
    # Each part floors at zero on its own.
    receipt = rep.slash(worker, 4, 50, 1000, sender=writer)
    assert changes(rep, receipt) == [(worker.address, 4, 70, 20)]
    assert voting_changes(rep, receipt) == [(30, 0)]
    receipt = rep.slash(worker, 4, 1000, 0, sender=writer)
    assert changes(rep, receipt) == [(worker.address, 4, 20, 0)]
    assert rep.pointsOf(worker) == 0 and rep.votingPointsOf(worker) == 0
    # Slashing someone with nothing changes nothing (but is recorded).
    receipt = rep.slash(worker, 5, 10, 10, sender=writer)
    assert changes(rep, receipt) == [(worker.address, 5, 0, 0)]
    assert rep.pointsOf(worker) == 0 and rep.votingPointsOf(worker) == 0
    assert (rep.pointsOf(worker2), rep.votingPointsOf(worker2)) == (40, 40)


def test_each_part_holds_the_largest_points_a_fee_can_earn(rep, writer, worker):
    """104 bits a part: far above the 10 billion points the whole JTN cap could earn."""
    top = 2**104 - 1
    rep.add(worker, 1, top, top, sender=writer)
    assert (rep.pointsOf(worker), rep.votingPointsOf(worker)) == (top, top)
    with expect_error(rep, "SafeCastOverflowedUintDowncast", bits=104, value=2**104):
        rep.add(worker, 2, 1, 0, sender=writer)


def test_past_points_follow_checkpoints(rep, writer, worker, worker2):
    start = ape.chain.blocks.height
    b1 = rep.add(worker, 1, 10, 10, sender=writer).block_number
    ape.chain.mine(3)
    b2 = rep.add(worker, 2, 5, 0, sender=writer).block_number
    b3 = rep.slash(worker, 3, 12, 12, sender=writer).block_number
    ape.chain.mine(2)
    b4 = rep.slash(worker, 4, 50, 50, sender=writer).block_number
    b5 = rep.add(worker, 5, 1, 1, sender=writer).block_number
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
    voting = [rep.getPastVotingPoints(worker, b) for b in (b1 - 1, b1, b2, b3, b4, b5)]
    assert voting == [0, 10, 10, 0, 0, 1]


def test_future_lookup(rep, writer, worker):
    rep.add(worker, 1, 10, 10, sender=writer)
    now = ape.chain.blocks.height
    for timepoint in (now, now + 1, 2**48):
        for method in ("getPastPoints", "getPastVotingPoints"):
            err = call_error(rep, method, worker, timepoint)
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
        rep.add(worker, 1, points, 0, sender=writer)
    assert rep.pointsOf(worker) == points
    assert rep.tierOf(worker) == tier


def test_tiers_follow_the_rulebook(rep, rules, dao, writer, worker):
    rep.add(worker, 1, 150, 0, sender=writer)
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
    assert reputation.pointsOf(worker) == 300
    assert reputation.pointsOf(outsider) == 0


# --- other tokens: tier points, never votes --------------------------------------------------


def test_a_task_in_another_token_earns_tier_points_but_no_voting_points(
    escrow, usd, jtn, reputation, client, worker, arbiter
):
    """1,000 USD (unit 1e6) at 5%: 500 tier points, 0 voting points; a lost dispute in USD
    slashes tier points alone; a JTN task earns both alike."""
    receipt = escrow.approve(make_task(escrow, usd, client, worker, 1000 * 10**6), sender=client)
    assert changes(reputation, receipt) == [(worker.address, escrow.taskCount(), 0, 500)]
    assert voting_changes(reputation, receipt) == [(0, 0)]
    escrow.approve(make_task(escrow, jtn, client, worker, 1000 * 10**18), sender=client)
    assert (reputation.pointsOf(worker), reputation.votingPointsOf(worker)) == (1000, 500)
    lost = make_task(escrow, usd, client, worker, 400 * 10**6, stage="disputed")
    escrow.resolve(lost, 0, sender=arbiter)
    assert (reputation.pointsOf(worker), reputation.votingPointsOf(worker)) == (800, 500)


@pytest.mark.parametrize("unit", [10**3, 10**6, 10**9])
def test_no_token_at_no_unit_farms_a_cheaper_vote(
    escrow, rules, dao, votes, jtn, usd, reputation, chain, deployer, accounts, unit
):
    """DESIGN.md 7, at the DAO's widest settings: a sybil pays itself 100 USD tasks with the unit
    anywhere in its bounds (the review's typo, unit 1, is refused: test_rules). At 1e3 (1 USD
    counted as 1,000 JTN) a 5 USD fee gives 50,000 tier points, but tier points carry no
    votes: the sybil's voting power stays what its tokens give. Votes come only from fees paid
    in JTN, where a farmed vote costs what WorkVotes' weight cap assumes (test_voting_power)."""
    if unit != 10**6:
        walk_rule(
            lambda value, sender: rules.setPaymentToken(usd, True, value, sender=sender),
            _unit_path(10**6, unit),
            dao,
        )
    assert rules.tokenUnit(usd) == unit
    attacker, sybil = accounts[6], accounts[7]
    usd.mint(attacker, 100 * 10**6, sender=deployer)
    votes_before = votes.getVotes(sybil)
    task_id = make_task(escrow, usd, attacker, sybil, 100 * 10**6)
    escrow.approve(task_id, sender=attacker)
    assert reputation.pointsOf(sybil) == 5 * 10**6 * 10**18 // unit // 10**17
    assert reputation.votingPointsOf(sybil) == 0
    chain.mine(1)
    assert votes.getVotes(sybil) == votes_before == 0
    assert votes.getPastVotes(sybil, chain.blocks.height - 1) == 0


def _unit_path(start, end):
    """The units a DAO walks through, doubling or halving once a day, from `start` to `end`."""
    path, unit = [], start
    while unit != end:
        unit = min(unit * 2, end) if end > unit else max(-(-unit // 2), end)
        path.append(unit)
    return path
