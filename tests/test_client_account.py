"""jeton.me on anvil: balance, reputation, tier, votes, and payouts rebuilt from events."""

import pytest
from helpers import DAY, delegate
from jeton.account import AccountSummary, Earnings, Payout
from jeton.errors import WalletError

WAD = 10**18


def points_for(escrow, fee_value):
    """Reputation a paid fee earns: one point per `FEE_PER_POINT` (0.1 JTN) of fee value."""
    return fee_value // escrow.FEE_PER_POINT()


def submitted(jc, jw, amount, token=None):
    """A task of `amount` (no claim bond) posted by `jc`, claimed and submitted by `jw`;
    returns its id."""
    deadline = jc.block_timestamp() + 7 * DAY
    task = jc.tasks.post(amount, deadline=deadline, spec="ipfs://brief", token=token, bond_bps=0)
    jw.tasks.claim(task.id)
    jw.tasks.submit(task.id, "ipfs://work")
    return task.id


def paid(jc, jw, amount):
    """A task of `amount` taken through approval; returns its id."""
    task_id = submitted(jc, jw, amount)
    jc.tasks.approve(task_id)
    return task_id


def disputed(jc, jw, amount):
    task_id = submitted(jc, jw, amount)
    jc.tasks.dispute(task_id)
    return task_id


def test_summary_of_a_newcomer(chain, connect, worker2):
    me = connect(worker2).me.summary()
    assert isinstance(me, AccountSummary)
    assert me.address == worker2.address
    assert me.balance == 0
    assert me.eth_balance == chain.provider.web3.eth.get_balance(worker2.address) > 0
    assert me.votes == me.token_votes == 0
    assert me.delegate is None
    assert me.reputation == 0
    assert (me.tier, me.tier_name) == (0, "newcomer")
    assert me.next_tier_points == 100
    assert me.points_to_next_tier == 100
    assert me.rewards_owed == 0


def test_summary_after_work_and_delegation(jc, jw, worker, jtn, votes, escrow):
    paid(jc, jw, 200 * WAD)  # a 10 JTN fee
    me = jw.me.summary()
    assert me.balance == 190 * WAD
    assert me.reputation == points_for(escrow, 10 * WAD) == 100
    assert (me.tier, me.tier_name) == (1, "skilled")
    assert me.next_tier_points == 1_000
    assert me.points_to_next_tier == 900
    assert me.rewards_owed == 5 * WAD
    weight = votes.reputationWeight()
    assert weight == 5 * WAD // 100  # local profile: 0.05 JTN of votes per point
    assert me.token_votes == 0 and me.delegate is None
    assert me.votes == 100 * weight  # reputation counts without delegating

    delegate(jtn, worker, worker)
    jw.tasks.collect_rewards()
    me = jw.me.summary()
    assert me.delegate == worker.address
    assert me.balance == 195 * WAD
    assert me.rewards_owed == 0
    assert me.token_votes == 195 * WAD
    assert me.votes == 195 * WAD + 100 * weight == votes.getVotes(worker)


def test_tiers_follow_the_rulebook_thresholds(jc, jw, rules, escrow):
    assert list(rules.tierThresholds()) == [100, 1_000, 10_000]
    steps = [  # (task amount, points after it, tier, name, next tier's threshold)
        (100 * WAD, 50, 0, "newcomer", 100),
        (100 * WAD, 100, 1, "skilled", 1_000),
        (1_900 * WAD, 1_050, 2, "expert", 10_000),
        (17_800 * WAD, 9_950, 2, "expert", 10_000),
        (100 * WAD, 10_000, 3, "master", None),
    ]
    total = 0
    for amount, points, tier, name, next_tier in steps:
        paid(jc, jw, amount)
        total += points_for(escrow, amount * rules.feeBps() // 10_000)
        assert total == points
        me = jw.me.summary()
        assert (me.reputation, me.tier, me.tier_name, me.next_tier_points) == (
            points,
            tier,
            name,
            next_tier,
        )
    assert jw.me.summary().points_to_next_tier is None


def test_summary_of_another_address_without_a_wallet(connect, jc, jw, worker, client, jtn):
    paid(jc, jw, 200 * WAD)
    reader = connect()
    other = reader.me.summary(worker.address.lower())
    assert other.address == worker.address
    assert other.reputation == 100
    assert other.balance == 190 * WAD
    assert reader.me.summary(client.address).balance == jtn.balanceOf(client)
    with pytest.raises(WalletError, match="no wallet connected"):
        reader.me.summary()


def test_payouts_and_earnings_from_events(
    chain,
    project,
    deployer,
    dao,
    rules,
    escrow,
    connect,
    jc,
    jw,
    ja,
    client,
    worker,
    worker2,
    arbiter,
):
    assert points_for(escrow, WAD) == 10  # one point per 0.1 JTN of fee
    approved = paid(jc, jw, 200 * WAD)  # fee 10: +100 points

    released = submitted(jc, jw, 100 * WAD)
    chain.pending_timestamp += rules.reviewPeriod() + 1
    chain.mine()
    jw.tasks.release(released)  # fee 5: +50 points

    won = disputed(jc, jw, 100 * WAD)
    ja.tasks.resolve(won, 7_000)  # 66.5 JTN to the worker, fee 3.5: +35 points

    lost = disputed(jc, jw, 100 * WAD)
    ja.tasks.resolve(lost, 3_000)  # less than half: the whole task's 50 points go

    settled = disputed(jc, jw, 40 * WAD)
    chain.pending_timestamp += rules.disputeWindow() + 1
    chain.mine()
    jc.tasks.settle_dispute(settled)  # nobody ruled: undone, no payout, no points

    usd = project.MockERC20.deploy("Dollar", "USD", 6, sender=deployer)
    rules.setPaymentToken(usd, True, 10**6, sender=dao)
    usd.mint(client, 1_000 * 10**6, sender=deployer)
    in_usd = submitted(jc, jw, 100 * 10**6, token=usd.address)
    jc.tasks.approve(in_usd)  # 95 USD, fee 5 USD worth 5 JTN: +50 points, no reward (not JTN)

    unpaid = submitted(jc, connect(worker2), 50 * WAD)  # another worker's task
    jc.tasks.approve(unpaid)

    payouts = jw.me.payouts()
    assert all(isinstance(p, Payout) for p in payouts)
    jtn = jw.contracts.token.address
    got = [
        (p.task_id, p.kind, p.worker_amount, p.fee, p.reward, p.points, p.token, p.arbiter)
        for p in payouts
    ]
    assert got == [
        (approved, "approved", 190 * WAD, 10 * WAD, 5 * WAD, 100, jtn, None),
        (released, "released", 95 * WAD, 5 * WAD, 25 * WAD // 10, 50, jtn, None),
        (
            won,
            "resolved",
            665 * WAD // 10,
            35 * WAD // 10,
            175 * WAD // 100,
            35,
            jtn,
            arbiter.address,
        ),
        (lost, "resolved", 285 * WAD // 10, 15 * WAD // 10, 0, -50, jtn, arbiter.address),
        (in_usd, "approved", 95 * 10**6, 5 * 10**6, 0, 50, usd.address, None),
    ]
    assert [p.block for p in payouts] == sorted(p.block for p in payouts)
    assert all(p.tx_hash.startswith("0x") and len(p.tx_hash) == 66 for p in payouts)
    assert settled not in [p.task_id for p in payouts]
    assert sum(p.points for p in payouts) == jw.me.summary().reputation == 185

    earnings = jw.me.earnings()
    assert isinstance(earnings, Earnings)
    assert earnings.address == worker.address
    assert earnings.tasks == 5
    assert earnings.earned == {jtn: 380 * WAD, usd.address: 95 * 10**6}
    assert earnings.fees == {jtn: 20 * WAD, usd.address: 5 * 10**6}
    # 5 + 2.5 + 1.75 + 0 JTN from the JTN tasks; nothing from the USD task.
    assert earnings.rewards == 925 * WAD // 100 == jw.me.summary().rewards_owed
    assert earnings.points == 185
    # Voting points come from the JTN tasks' fees alone: 100 + 50 + 35 - 50.
    assert jw.me.summary().voting_points == 135

    assert [p.task_id for p in connect(worker2).me.payouts()] == [unpaid]
    assert jc.me.payouts() == []
    assert jc.me.earnings() == Earnings(address=client.address, tasks=0)
    assert jc.me.earnings(worker.address) == earnings
