"""WorkVotes on anvil: voting power is token votes plus a bounded weight times reputation, both
read at the proposal's snapshot; tokens acquired after it count for nothing.

Reputation is earned here through real tasks in the escrow (post, claim, submit, approve) under
the local profile: fee 5%, work reward 50% of the fee, one point per 0.1 JTN of fee
(TaskEscrow.FEE_PER_POINT), weight 0.05 JTN of votes per point (the maximum). A 1,000 JTN task
pays the worker 950 JTN, accrues a 50 JTN fee for the treasury, earns 500 points (25 JTN of
votes) and a 25 JTN work reward.
"""

from itertools import pairwise

import pytest
from eth_abi import encode as abi_encode
from eth_utils import keccak
from helpers import (
    ACTIVE,
    DEFEATED,
    FOR,
    SUCCEEDED,
    delegate,
    expect_error,
    expect_error_via,
    later,
    mine_past,
    pass_and_queue,
    propose,
    rule_name,
)

WAD = 10**18
DAY = 86_400
BPS = 10_000
FEE_PER_POINT = 10**17  # 0.1 JTN of fee per reputation point
WEIGHT = WAD // 20  # 0.05 JTN of votes per point: the local profile, and the maximum
STEP = WAD // 100  # 0.01 JTN per point: the weight's maximum step
SUPPLY = 100_000_000 * WAD
OUTSIDE = 30_000_000 * WAD  # the genesis grants: the supply outside the treasury
WEIGHT_RULE = rule_name("reputationWeight")


def earn_reputation(escrow, jtn, client, worker, amount=1_000 * WAD):
    """A paid task from `client` to `worker`; returns the approve receipt."""
    jtn.approve(escrow, amount, sender=client)
    task_id = escrow.postTaskWithBond(  # no claim bond: the worker holds no JTN
        jtn, amount, later(30 * DAY), 0, b"\x01" * 32, worker, 0, sender=client
    ).return_value
    escrow.claim(task_id, sender=worker)
    escrow.submit(task_id, b"\x02" * 32, sender=worker)
    return escrow.approve(task_id, sender=client)


def block_time(chain, receipt):
    return chain.provider.get_block(receipt.block_number).timestamp


@pytest.fixture
def earned(escrow, jtn, client, worker, chain):
    """`worker` earned 500 points (and 950 JTN); returns the approve receipt's block."""
    receipt = earn_reputation(escrow, jtn, client, worker)
    [done] = receipt.decode_logs(escrow.TaskCompleted)
    assert (done.points, done.workerAmount, done.fee) == (500, 950 * WAD, 50 * WAD)
    chain.mine(1)
    return receipt.block_number


def fee_proposal(governor, rules, proposer, value=400):
    return propose(
        governor, [(rules, rules.setFeeBps.encode_input(value))], f"fee {value}", proposer
    )


# --- composition ------------------------------------------------------------------------------


def test_votes_are_tokens_plus_weighted_reputation(
    votes, jtn, escrow, reputation, worker, earned, chain
):
    before = earned - 1
    assert escrow.FEE_PER_POINT() == FEE_PER_POINT
    assert votes.reputationWeight() == WEIGHT
    assert reputation.pointsOf(worker) == 500  # 50 JTN of fee / 0.1 JTN
    assert reputation.getPastPoints(worker, before) == 0
    assert reputation.getPastPoints(worker, earned) == 500
    # The worker holds 950 JTN but has not delegated: its token votes are zero.
    assert jtn.balanceOf(worker) == 950 * WAD
    assert jtn.getVotes(worker) == 0
    assert votes.getVotes(worker) == 500 * WEIGHT == 25 * WAD
    assert votes.getPastVotes(worker, before) == 0
    assert votes.getPastVotes(worker, earned) == 25 * WAD

    delegate(jtn, worker, worker)
    delegated = chain.blocks.height
    chain.mine(1)
    assert jtn.getPastVotes(worker, delegated) == 950 * WAD
    assert votes.getVotes(worker) == 950 * WAD + 25 * WAD
    assert votes.getPastVotes(worker, delegated) == 975 * WAD
    assert votes.getPastVotes(worker, earned) == 25 * WAD  # the past stays as it was


def test_a_second_task_adds_reputation(votes, escrow, jtn, client, worker, earned, chain):
    receipt = earn_reputation(escrow, jtn, client, worker, 2_000 * WAD)
    [done] = receipt.decode_logs(escrow.TaskCompleted)
    assert (done.fee, done.points) == (100 * WAD, 1_000)
    chain.mine(1)
    assert votes.getPastVotes(worker, earned) == 25 * WAD
    assert votes.getPastVotes(worker, receipt.block_number) == (500 + 1_000) * WEIGHT == 75 * WAD


@pytest.mark.parametrize(
    "amount, fee, points",
    [
        (WAD, WAD // 20, 0),  # 0.05 JTN of fee: less than a point
        (2 * WAD, WAD // 10, 1),  # 0.1 JTN of fee: exactly one point
        (41 * WAD, 205 * WAD // 100, 20),  # 2.05 JTN of fee: 20 points, the rest rounded down
    ],
)
def test_points_count_whole_tenths_of_a_jtn_of_fee(
    votes, escrow, jtn, client, worker, chain, amount, fee, points
):
    receipt = earn_reputation(escrow, jtn, client, worker, amount)
    [done] = receipt.decode_logs(escrow.TaskCompleted)
    assert done.fee == fee == amount * 500 // BPS
    assert done.points == points == fee // FEE_PER_POINT
    assert done.reward == fee // 2  # the reward comes with the fee, even below one point
    chain.mine(1)
    assert votes.getPastVotes(worker, receipt.block_number) == points * WEIGHT


def test_a_task_without_fee_gives_no_votes(votes, escrow, jtn, client, worker, dao, rules, chain):
    # Fee 0: five steps of the DAO (done here as the timelock), a day apart since a rule changes
    # at most once a day. Reputation comes only with a fee.
    for fee in (400, 300, 200, 100, 0):
        change = rules.setFeeBps(fee, sender=dao)
        chain.pending_timestamp = block_time(chain, change) + DAY
    assert rules.feeBps() == 0
    receipt = earn_reputation(escrow, jtn, client, worker)
    [done] = receipt.decode_logs(escrow.TaskCompleted)
    assert (done.fee, done.points, done.reward) == (0, 0, 0)
    assert done.workerAmount == 1_000 * WAD
    chain.mine(1)
    assert votes.getPastVotes(worker, receipt.block_number) == 0


def test_a_lost_dispute_takes_the_points_of_the_whole_fee(
    votes, escrow, jtn, reputation, client, worker, arbiter, earned, chain
):
    # A 400 JTN task would have paid a 20 JTN fee: 200 points. The worker gets 40% of it.
    jtn.approve(escrow, 400 * WAD, sender=client)
    task_id = escrow.postTaskWithBond(
        jtn, 400 * WAD, later(30 * DAY), 0, b"\x03" * 32, worker, 0, sender=client
    ).return_value
    escrow.claim(task_id, sender=worker)
    escrow.submit(task_id, b"\x04" * 32, sender=worker)
    escrow.dispute(task_id, sender=client)
    receipt = escrow.resolve(task_id, 4_000, sender=arbiter)
    [resolved] = receipt.decode_logs(escrow.TaskResolved)
    assert resolved.fee == 8 * WAD  # 5% of the worker's 160 JTN, paid, but it earns nothing
    assert resolved.reward == 0
    chain.mine(1)
    assert reputation.pointsOf(worker) == 500 - 200
    assert votes.getPastVotes(worker, receipt.block_number) == 300 * WEIGHT == 15 * WAD
    assert votes.getPastVotes(worker, receipt.block_number - 1) == 25 * WAD


def test_total_supply_and_clock_follow_the_token(
    votes, jtn, reputation, governor, escrow, timelock, client, worker, outsider
):
    """The supply the quorum is reckoned on is the token's, less the treasury's votes (its own
    tokens, which never vote), both with their history: the reward minted to the worker joins
    it, the fees swept from the escrow into the treasury leave it."""
    receipt = earn_reputation(escrow, jtn, client, worker)
    [done] = receipt.decode_logs(escrow.TaskCompleted)
    assert (done.fee, done.reward) == (50 * WAD, 25 * WAD)  # the reward: half the fee, credited
    collect = escrow.collectRewards(worker, sender=worker)  # minted now
    minted_at = collect.block_number
    sweep = escrow.sweepFees(jtn, sender=outsider)  # anyone sends the fees to the treasury
    [swept] = sweep.decode_logs(escrow.FeesSwept)
    assert swept.treasury == timelock.address
    assert swept.amount == done.fee - 1  # one base unit stays in the escrow
    mine_past(sweep.block_number)
    for block in (receipt.block_number - 1, minted_at - 1, minted_at, sweep.block_number):
        assert votes.getPastTotalSupply(block) == jtn.getPastTotalSupply(block) - jtn.getPastVotes(
            timelock, block
        )
    assert votes.getPastTotalSupply(minted_at - 1) == OUTSIDE  # the fee waits in the escrow
    assert jtn.getPastTotalSupply(minted_at) == SUPPLY + 25 * WAD
    assert votes.getPastTotalSupply(minted_at) == OUTSIDE + 25 * WAD
    assert votes.getPastTotalSupply(sweep.block_number) == OUTSIDE + 25 * WAD - swept.amount
    # Reputation is not part of the supply: the quorum is reckoned on tokens alone.
    assert reputation.votingPointsOf(worker) == 500
    assert governor.quorum(minted_at) == (OUTSIDE + 25 * WAD) * 4 // 100

    assert votes.CLOCK_MODE() == jtn.CLOCK_MODE() == reputation.CLOCK_MODE()
    assert votes.CLOCK_MODE() == "mode=blocknumber&from=default"
    assert governor.CLOCK_MODE() == votes.CLOCK_MODE()
    head = sweep.block_number + 1
    assert votes.clock() == jtn.clock() == reputation.clock() == governor.clock() == head
    assert governor.token() == votes.address
    assert votes.token() == jtn.address and votes.reputation() == reputation.address


# --- voting with reputation -------------------------------------------------------------------


def test_worker_without_tokens_votes_with_reputation(
    governor, rules, jtn, votes, deployer, worker, worker2, earned, chain
):
    jtn.transfer(worker2, 950 * WAD, sender=worker)  # the worker keeps no token at all
    assert jtn.balanceOf(worker) == 0
    delegate(jtn, deployer, deployer)
    chain.mine(1)

    proposal = fee_proposal(governor, rules, deployer)
    snapshot = governor.proposalSnapshot(proposal.id)
    mine_past(snapshot)
    assert governor.getVotes(worker, snapshot) == 25 * WAD
    vote = governor.castVote(proposal.id, FOR, sender=worker)
    [cast] = vote.decode_logs(governor.VoteCast)
    assert (cast.voter, cast.weight) == (worker.address, 25 * WAD)
    governor.castVote(proposal.id, FOR, sender=deployer)
    assert governor.proposalVotes(proposal.id) == (0, 10_000_000 * WAD + 25 * WAD, 0)


def test_weight_change_does_not_reweigh_a_running_vote(
    governor, rules, votes, jtn, deployer, worker, dao, earned, chain
):
    delegate(jtn, deployer, deployer)
    chain.mine(1)
    proposal = fee_proposal(governor, rules, deployer)
    snapshot = governor.proposalSnapshot(proposal.id)
    mine_past(snapshot)
    # The weight drops one step while the vote runs (the DAO's timelock, impersonated).
    change = votes.setReputationWeight(WEIGHT - STEP, sender=dao)
    assert change.block_number > snapshot
    assert votes.reputationWeight() == 4 * STEP
    assert votes.getVotes(worker) == 500 * 4 * STEP == 20 * WAD
    vote = governor.castVote(proposal.id, FOR, sender=worker)
    [cast] = vote.decode_logs(governor.VoteCast)
    assert cast.weight == 25 * WAD  # the weight at the snapshot
    # The checkpoint: before the change the old weight, from its block on the new one.
    assert votes.getPastVotes(worker, change.block_number - 1) == 25 * WAD
    assert votes.getPastVotes(worker, change.block_number) == 20 * WAD


# --- tokens acquired after the snapshot -------------------------------------------------------


def test_tokens_lent_after_the_snapshot_give_no_votes(
    governor, rules, jtn, deployer, accounts, chain
):
    attacker = accounts[6]
    delegate(jtn, deployer, deployer)
    delegate(jtn, attacker, attacker)  # ready to receive votes
    chain.mine(1)
    proposal = fee_proposal(governor, rules, deployer)
    snapshot = governor.proposalSnapshot(proposal.id)
    mine_past(snapshot)
    assert proposal.state() == ACTIVE

    # Flash-loan style: borrow 5M JTN, vote, and give it back.
    loan = 5_000_000 * WAD
    borrow = jtn.transfer(attacker, loan, sender=deployer)
    assert borrow.block_number > snapshot
    assert jtn.getVotes(attacker) == loan
    vote = governor.castVote(proposal.id, FOR, sender=attacker)
    jtn.transfer(deployer, loan, sender=attacker)
    [cast] = vote.decode_logs(governor.VoteCast)
    assert cast.weight == 0
    assert governor.hasVoted(proposal.id, attacker)
    assert governor.proposalVotes(proposal.id) == (0, 0, 0)
    assert governor.getVotes(attacker, snapshot) == 0

    # The lender votes with what it held at the snapshot: the loan is not counted twice.
    vote = governor.castVote(proposal.id, FOR, sender=deployer)
    [cast] = vote.decode_logs(governor.VoteCast)
    assert cast.weight == 10_000_000 * WAD
    assert governor.proposalVotes(proposal.id) == (0, 10_000_000 * WAD, 0)


def test_tokens_bought_after_the_snapshot_give_no_votes(
    governor, rules, jtn, deployer, client, accounts, chain
):
    buyer = accounts[6]
    delegate(jtn, client, client)
    chain.mine(1)
    proposal = fee_proposal(governor, rules, client)
    snapshot = governor.proposalSnapshot(proposal.id)
    mine_past(snapshot)
    # The buyer gets 8M JTN (more than the client's side) and delegates to itself.
    jtn.transfer(buyer, 8_000_000 * WAD, sender=deployer)
    delegate(jtn, buyer, buyer)
    assert jtn.getVotes(buyer) == 8_000_000 * WAD
    governor.castVote(proposal.id, FOR, sender=client)
    governor.castVote(proposal.id, 0, sender=buyer)  # against, with nothing
    mine_past(governor.proposalDeadline(proposal.id))
    assert governor.proposalVotes(proposal.id) == (0, 10_000_000 * WAD, 0)
    assert proposal.state() == SUCCEEDED


def test_tokens_moved_in_the_snapshot_block_count(governor, rules, jtn, deployer, accounts, chain):
    """The boundary: power is read at the end of the snapshot block itself (OZ semantics), so
    the voting delay is the window in which holdings still count. Documents the local profile's
    one-block delay."""
    holder = accounts[6]
    delegate(jtn, holder, holder)
    proposal = fee_proposal(governor, rules, deployer)
    snapshot = governor.proposalSnapshot(proposal.id)
    transfer = jtn.transfer(holder, 1_000 * WAD, sender=deployer)
    assert transfer.block_number == snapshot
    mine_past(snapshot)
    assert governor.getVotes(holder, snapshot) == 1_000 * WAD


# --- the weight rule --------------------------------------------------------------------------


def test_weight_is_set_only_by_the_timelock(votes, timelock, deployer, worker, governor, accounts):
    assert votes.owner() == timelock.address
    gov = accounts[governor.address]
    gov.balance += WAD
    for caller in (deployer, worker, gov):
        with expect_error(votes, "OwnableUnauthorizedAccount", account=caller.address):
            votes.setReputationWeight(WEIGHT - STEP, sender=caller)
    assert votes.reputationWeight() == WEIGHT


def test_weight_moves_within_bounds_and_steps(votes, dao, chain):
    assert votes.MAX_REPUTATION_WEIGHT() == WEIGHT == 5 * 10**16
    assert votes.MAX_REPUTATION_WEIGHT_STEP() == STEP == 10**16
    with expect_error_via(
        votes,
        "RuleStepTooLarge",
        rule=WEIGHT_RULE,
        oldValue=WEIGHT,
        newValue=3 * STEP,
        maxStep=STEP,
    ):
        votes.setReputationWeight(3 * STEP, sender=dao)
    with expect_error_via(
        votes, "RuleOutOfBounds", rule=WEIGHT_RULE, value=6 * STEP, min=0, max=WEIGHT
    ):
        votes.setReputationWeight(6 * STEP, sender=dao)
    with expect_error_via(votes, "RuleOutOfBounds", rule=WEIGHT_RULE, value=WEIGHT + 1):
        votes.setReputationWeight(WEIGHT + 1, sender=dao)
    assert votes.reputationWeight() == WEIGHT

    # Down to zero and back up to the maximum: one step at a time, one change a day.
    path = [4, 3, 2, 1, 0, 1, 2, 3, 4, 5]
    for previous, steps in pairwise([5, *path]):
        receipt = votes.setReputationWeight(steps * STEP, sender=dao)
        [log] = receipt.decode_logs(votes.RuleChanged)
        assert (log.rule, log.oldValue, log.newValue) == (
            WEIGHT_RULE,
            previous * STEP,
            steps * STEP,
        )
        assert votes.reputationWeight() == steps * STEP
        chain.pending_timestamp = block_time(chain, receipt) + DAY
    with expect_error_via(votes, "RuleOutOfBounds", rule=WEIGHT_RULE, value=WEIGHT + STEP):
        votes.setReputationWeight(WEIGHT + STEP, sender=dao)
    assert votes.reputationWeight() == WEIGHT


def test_weight_changes_at_most_once_a_day(votes, dao, worker, earned, chain):
    first = votes.setReputationWeight(4 * STEP, sender=dao)
    changed_at = block_time(chain, first)
    # A second change, however small and in bounds, waits a full day.
    with expect_error_via(
        votes, "RuleChangedTooSoon", rule=WEIGHT_RULE, nextChangeAt=changed_at + DAY
    ):
        votes.setReputationWeight(3 * STEP, sender=dao)
    chain.pending_timestamp = changed_at + DAY - 1
    with expect_error_via(
        votes, "RuleChangedTooSoon", rule=WEIGHT_RULE, nextChangeAt=changed_at + DAY
    ):
        votes.setReputationWeight(5 * STEP, sender=dao)  # even back where it was
    assert votes.reputationWeight() == 4 * STEP

    chain.pending_timestamp = changed_at + DAY
    second = votes.setReputationWeight(3 * STEP, sender=dao)
    assert block_time(chain, second) == changed_at + DAY
    assert votes.reputationWeight() == 3 * STEP
    chain.mine(1)
    assert votes.getPastVotes(worker, first.block_number) == 500 * 4 * STEP == 20 * WAD
    assert votes.getPastVotes(worker, second.block_number) == 500 * 3 * STEP == 15 * WAD
    # The day counts again from the second change.
    with expect_error_via(
        votes, "RuleChangedTooSoon", rule=WEIGHT_RULE, nextChangeAt=changed_at + 2 * DAY
    ):
        votes.setReputationWeight(2 * STEP, sender=dao)


def test_zero_weight_silences_reputation_from_its_block_on(votes, dao, worker, earned, chain):
    changes = []
    for steps in (4, 3, 2, 1, 0):
        receipt = votes.setReputationWeight(steps * STEP, sender=dao)
        changes.append((receipt.block_number, steps))
        chain.pending_timestamp = block_time(chain, receipt) + DAY
    chain.mine(1)
    assert votes.getVotes(worker) == 0
    assert votes.getPastVotes(worker, earned) == 25 * WAD
    for block, steps in changes:
        assert votes.getPastVotes(worker, block) == 500 * steps * STEP
        assert votes.getPastVotes(worker, block - 1) == 500 * (steps + 1) * STEP
    assert votes.getPastVotes(worker, changes[-1][0]) == 0


# --- reputation farmed with borrowed tokens ---------------------------------------------------


def test_reputation_can_not_be_bought_with_borrowed_tokens(
    governor, jtn, escrow, rules, votes, reputation, timelock, deployer, accounts, chain
):
    """The guarantee behind the weight's bound (WorkVotes.MAX_REPUTATION_WEIGHT).

    A client who pays its own sybil worker gets back everything but the fee, and part of the fee
    returns as the work reward; the capital can be borrowed and repaid within blocks. What
    stays is the reputation: one point per 0.1 JTN of fee. At the worst case for the platform
    (the maximum weight, 0.05 JTN of votes per point, and the maximum reward, half the fee), a
    farmed vote costs one JTN lost for good, as much as a token vote that keeps its value.

    Here 300k JTN of own money and a 4M JTN loan (repaid in full) run a 4.3M JTN task through a
    sybil: 215,000 JTN of fee, 107,500 JTN of it back as reward, 107,500 JTN lost, 2,150,000
    points, 107,500 votes: no more than the loss, and 9% of the quorum, so the sybil's grant
    of 1M JTN from the treasury is defeated.
    """
    # The worst case: the weight and the reward rate at their hard maxima.
    weight_max, reward_max = votes.MAX_REPUTATION_WEIGHT(), rules.MAX_REWARD_BPS()
    assert votes.reputationWeight() == weight_max == WEIGHT
    assert rules.rewardBps() == reward_max == 5_000
    assert escrow.FEE_PER_POINT() == FEE_PER_POINT
    # Votes per JTN of fee (weight / fee per point) <= JTN lost per JTN of fee (1 - reward share).
    assert weight_max * BPS <= FEE_PER_POINT * (BPS - reward_max)

    attacker, sybil, lender = accounts[6], accounts[7], accounts[2]
    jtn.transfer(attacker, 300_000 * WAD, sender=deployer)  # the attacker's own money
    loan = 4_000_000 * WAD
    jtn.transfer(attacker, loan, sender=lender)

    amount = 4_300_000 * WAD
    treasury = jtn.balanceOf(timelock)
    fees = escrow.accruedFees(jtn)
    receipt = earn_reputation(escrow, jtn, attacker, sybil, amount)
    [done] = receipt.decode_logs(escrow.TaskCompleted)
    assert done.fee == 215_000 * WAD and done.reward == 107_500 * WAD
    assert done.points == 2_150_000 == done.fee // FEE_PER_POINT
    assert escrow.accruedFees(jtn) == fees + done.fee  # the treasury's, once swept
    escrow.collectRewards(sybil, sender=sybil)
    jtn.transfer(attacker, jtn.balanceOf(sybil), sender=sybil)
    jtn.transfer(lender, loan, sender=attacker)  # the loan is repaid in full
    lost = 300_000 * WAD - jtn.balanceOf(attacker)
    assert lost == done.fee - done.reward == 107_500 * WAD
    assert jtn.balanceOf(lender) == 10_000_000 * WAD
    assert jtn.balanceOf(sybil) == 0
    assert reputation.pointsOf(sybil) == 2_150_000

    # Later, a proposal by the sybil alone: its farmed votes are worth what it lost, no more.
    chain.mine(1)
    payout = 1_000_000 * WAD
    proposal = propose(
        governor,
        [(jtn, jtn.transfer.encode_input(attacker.address, payout))],
        "Grant",
        sybil,
    )
    snapshot = governor.proposalSnapshot(proposal.id)
    mine_past(snapshot)
    governor.castVote(proposal.id, FOR, sender=sybil)
    power = governor.getVotes(sybil, snapshot)
    assert power == 2_150_000 * WEIGHT == 107_500 * WAD
    assert power <= lost, (
        f"{power / WAD:,.0f} votes farmed through self-dealt tasks for {lost / WAD:,.0f} JTN "
        f"lost: reputation votes cheaper than token votes"
    )
    quorum = governor.quorum(snapshot)
    # 4% of the votes that can exist: the fee waits in the escrow (not swept), the reward
    # came out of the cap.
    assert quorum == (OUTSIDE + done.reward) * 4 // 100 == 1_204_300 * WAD
    assert power * 11 < quorum  # under 9% of the quorum
    mine_past(governor.proposalDeadline(proposal.id))
    assert governor.proposalVotes(proposal.id) == (0, power, 0)
    assert proposal.state() == DEFEATED
    assert jtn.balanceOf(timelock) == treasury


# --- the treasury never votes -------------------------------------------------------------------


def test_the_treasury_never_votes_even_through_a_proposal(
    governor, rules, votes, jtn, timelock, dao, delegated, chain
):
    """The timelock holds 70M JTN, delegated to itself: 70M token votes that WorkVotes counts as
    nothing, so an executed proposal that makes the timelock vote (the `dao` sender) adds
    nothing, and the quorum leaves them out."""
    proposal = fee_proposal(governor, rules, delegated[0])
    snapshot = governor.proposalSnapshot(proposal.id)
    mine_past(snapshot)
    assert jtn.getPastVotes(timelock, snapshot) == 70_000_000 * WAD
    assert votes.getPastVotes(timelock, snapshot) == votes.getVotes(timelock) == 0
    assert governor.getVotes(timelock, snapshot) == 0
    vote = governor.castVote(proposal.id, FOR, sender=dao)
    [cast] = vote.decode_logs(governor.VoteCast)
    assert (cast.voter, cast.weight) == (timelock.address, 0)
    assert governor.proposalVotes(proposal.id) == (0, 0, 0)
    assert governor.quorum(snapshot) == OUTSIDE * 4 // 100


def test_the_treasury_can_not_hand_its_votes_to_one_address(
    governor, jtn, timelock, votes, dao, delegated, worker, chain
):
    """If the treasury could delegate, a proposal could give one address its 70M votes, 70% of
    all, enough to pass anything alone ever after. The token refuses it, directly and at a
    passed proposal's execution; the treasury stays delegated to itself."""
    with expect_error(jtn, "TreasuryDelegationFixed", delegatee=worker.address):
        delegate(jtn, worker, dao)
    delegate(jtn, timelock, dao)  # to itself: allowed, and changes nothing
    calldata = keccak(text="delegate(address)")[:4] + abi_encode(["address"], [worker.address])
    proposal = pass_and_queue(governor, [(jtn, calldata)], "Lend the treasury's votes", delegated)
    with expect_error_via(jtn, "TreasuryDelegationFixed", delegatee=worker.address):
        governor.execute(*proposal.args, sender=worker)
    assert jtn.delegates(timelock) == timelock.address
    chain.mine(1)
    assert votes.getVotes(worker) == 0
    assert jtn.getVotes(timelock) == jtn.balanceOf(timelock)


def test_votes_delegated_to_the_treasury_are_retired(
    governor, rules, votes, jtn, timelock, delegated, chain
):
    """A holder who delegates to the treasury gives up its votes for good (until it delegates
    again), and the quorum shrinks with them: it stays a share of votes that can be cast."""
    deployer, client, alice = delegated
    delegate(jtn, timelock, alice)
    chain.mine(1)
    past = chain.blocks.height - 1
    assert jtn.getPastVotes(timelock, past) == 80_000_000 * WAD
    assert votes.getPastTotalSupply(past) == 20_000_000 * WAD
    assert governor.quorum(past) == 800_000 * WAD
    assert votes.getPastVotes(alice, past) == 0
