"""No path around the timelock: nobody (not the deployer, not a worker, not even the governor
contract acting on its own) changes a rule, mints, grants a role or moves the treasury's funds;
only an executed proposal does.

"The governor itself" is the governor's address impersonated on anvil: it stands for any way of
making the governor call something other than through a passed, queued proposal.
"""

import pytest
from eth_utils import keccak
from helpers import (
    EXECUTED,
    QUEUED,
    expect_error,
    expect_error_via,
    pass_and_queue,
    pass_proposal,
)

WAD = 10**18
DAY = 86_400
ZERO32 = b"\x00" * 32
DEFAULT_ADMIN_ROLE = ZERO32
MINTER_ROLE = keccak(text="MINTER_ROLE")
PROPOSER_ROLE = keccak(text="PROPOSER_ROLE")
CANCELLER_ROLE = keccak(text="CANCELLER_ROLE")
TREASURY = 70_000_000 * WAD  # genesis supply less the three 10M grants
ZERO_ADDRESS = "0x" + "00" * 20


@pytest.fixture
def governor_account(accounts, governor):
    """The governor contract's address as a sender (impersonated), with gas money."""
    account = accounts[governor.address]
    account.balance += WAD
    return account


@pytest.fixture(params=["deployer", "worker", "governor_account"])
def caller(request):
    return request.getfixturevalue(request.param)


def rules_snapshot(rules, arbiter, jtn):
    return (
        rules.feeBps(),
        rules.rewardBps(),
        rules.reviewPeriod(),
        rules.disputeWindow(),
        rules.tierThresholds(),
        rules.isArbiter(arbiter),
        rules.isPaymentToken(jtn),
        rules.tokenUnit(jtn),
    )


def test_rule_setters_refuse_everyone_but_the_timelock(
    rules, votes, jtn, arbiter, caller, timelock
):
    assert rules.owner() == timelock.address
    before = rules_snapshot(rules, arbiter, jtn)
    attempts = [
        ("setFeeBps", 400),
        ("setRewardBps", 4_000),
        ("setReviewPeriod", 4 * 86_400),
        ("setDisputeWindow", 8 * 86_400),
        ("setTierThreshold", 1, 200),
        ("setPaymentToken", jtn.address, False, WAD),
        ("setArbiter", arbiter.address, False),
        ("setArbiter", caller.address, True),
        ("transferOwnership", caller.address),
    ]
    for name, *args in attempts:
        with expect_error(rules, "OwnableUnauthorizedAccount", account=caller.address):
            getattr(rules, name)(*args, sender=caller)
    # Renouncing is refused to everyone, owner or not (a `pure` function: sent as a transaction).
    for owned in (rules, votes):
        with expect_error(owned, "OwnershipNotRenounceable"):
            owned.renounceOwnership.transact(sender=caller)
    assert rules_snapshot(rules, arbiter, jtn) == before
    assert rules.owner() == votes.owner() == timelock.address


def test_not_even_the_timelock_can_renounce_ownership(rules, votes, timelock, dao):
    """No vote can leave the rulebook or the reputation weight without an owner, frozen for
    good: renouncing reverts for the timelock itself, which can still hand ownership on."""
    for owned in (rules, votes):
        assert owned.owner() == timelock.address
        with expect_error(owned, "OwnershipNotRenounceable"):
            owned.renounceOwnership.transact(sender=dao)
        assert owned.owner() == timelock.address


def test_an_executed_proposal_can_not_renounce_ownership(
    governor, rules, votes, timelock, jtn, deployer, client
):
    """The same through the whole governance path: the vote passes and is queued, but its
    execution reverts with the contract's error, and both keep the timelock as their owner."""
    for owned in (rules, votes):
        proposal = pass_and_queue(
            governor,
            [(owned, owned.renounceOwnership.encode_input())],
            f"Renounce the ownership of {owned.contract_type.name}",
            voters=[deployer, client],
            token=jtn,
        )
        with expect_error_via(owned, "OwnershipNotRenounceable"):
            governor.execute(*proposal.args, sender=deployer)
        assert proposal.state() == QUEUED
        assert owned.owner() == timelock.address


def test_the_timelock_can_set_a_rule(rules, dao):
    # The same call that everyone else is refused works from the timelock.
    rules.setFeeBps(400, sender=dao)
    assert rules.feeBps() == 400


def test_token_mint_and_roles_refuse_everyone(jtn, escrow, timelock, caller):
    supply = jtn.totalSupply()
    with expect_error(
        jtn, "AccessControlUnauthorizedAccount", account=caller.address, neededRole=MINTER_ROLE
    ):
        jtn.mint(caller, 1_000 * WAD, sender=caller)
    for role, account in [
        (MINTER_ROLE, caller.address),
        (DEFAULT_ADMIN_ROLE, caller.address),
    ]:
        with expect_error(
            jtn,
            "AccessControlUnauthorizedAccount",
            account=caller.address,
            neededRole=DEFAULT_ADMIN_ROLE,
        ):
            jtn.grantRole(role, account, sender=caller)
    with expect_error(jtn, "AccessControlUnauthorizedAccount", neededRole=DEFAULT_ADMIN_ROLE):
        jtn.revokeRole(DEFAULT_ADMIN_ROLE, timelock, sender=caller)
    assert jtn.totalSupply() == supply
    assert not jtn.hasRole(MINTER_ROLE, caller)
    assert not jtn.hasRole(DEFAULT_ADMIN_ROLE, caller)
    assert jtn.hasRole(DEFAULT_ADMIN_ROLE, timelock)
    assert jtn.hasRole(MINTER_ROLE, escrow)


def test_not_even_the_timelock_can_mint(jtn, escrow, dao):
    # The minter role is the escrow's, once and for all: the DAO can neither take nor grant it.
    with expect_error(jtn, "AccessControlUnauthorizedAccount", neededRole=MINTER_ROLE):
        jtn.mint(dao, WAD, sender=dao)
    with expect_error(jtn, "MinterRoleFixed"):
        jtn.grantRole(MINTER_ROLE, dao, sender=dao)
    with expect_error(jtn, "MinterRoleFixed"):
        jtn.revokeRole(MINTER_ROLE, escrow, sender=dao)
    assert jtn.hasRole(MINTER_ROLE, escrow)
    assert not jtn.hasRole(MINTER_ROLE, dao)


@pytest.mark.parametrize("who", ["deployer", "worker"])
def test_timelock_refuses_non_proposers(timelock, jtn, worker, who, request):
    sender = request.getfixturevalue(who)
    delay = timelock.getMinDelay()
    transfer = jtn.transfer.encode_input(sender.address, 1_000 * WAD)
    with expect_error(
        timelock,
        "AccessControlUnauthorizedAccount",
        account=sender.address,
        neededRole=PROPOSER_ROLE,
    ):
        timelock.schedule(jtn, 0, transfer, ZERO32, ZERO32, delay, sender=sender)
    with expect_error(timelock, "AccessControlUnauthorizedAccount", neededRole=PROPOSER_ROLE):
        timelock.scheduleBatch([jtn], [0], [transfer], ZERO32, ZERO32, delay, sender=sender)
    operation = timelock.hashOperation(jtn, 0, transfer, ZERO32, ZERO32)
    with expect_error(timelock, "AccessControlUnauthorizedAccount", neededRole=CANCELLER_ROLE):
        timelock.cancel(operation, sender=sender)
    for role in (PROPOSER_ROLE, CANCELLER_ROLE, DEFAULT_ADMIN_ROLE):
        with expect_error(
            timelock, "AccessControlUnauthorizedAccount", neededRole=DEFAULT_ADMIN_ROLE
        ):
            timelock.grantRole(role, sender, sender=sender)
    # The timelock's own settings: refused for who asks, whatever the value.
    for value in (DAY, 0):
        with expect_error(timelock, "TimelockUnauthorizedCaller", caller=sender.address):
            timelock.updateDelay(value, sender=sender)
        with expect_error(timelock, "TimelockUnauthorizedCaller", caller=sender.address):
            timelock.updateGracePeriod(value, sender=sender)
    # Anyone may execute, but only what was scheduled and is ready: nothing here.
    with expect_error(timelock, "TimelockUnexpectedOperationState", operationId=operation):
        timelock.execute(jtn, 0, transfer, ZERO32, ZERO32, sender=sender)
    assert jtn.balanceOf(timelock) == TREASURY
    assert timelock.getMinDelay() == delay


def test_the_governor_alone_still_waits_the_delay(timelock, jtn, governor_account, worker, chain):
    """The governor holds the proposer role; even calling the timelock directly it can only
    schedule with the full delay, in public, and nothing runs before it is over."""
    delay = timelock.getMinDelay()
    transfer = jtn.transfer.encode_input(worker.address, 1_000 * WAD)
    with expect_error(timelock, "TimelockInsufficientDelay", delay=delay - 1, minDelay=delay):
        timelock.schedule(jtn, 0, transfer, ZERO32, ZERO32, delay - 1, sender=governor_account)
    receipt = timelock.schedule(jtn, 0, transfer, ZERO32, ZERO32, delay, sender=governor_account)
    [scheduled] = receipt.decode_logs(timelock.CallScheduled)
    assert scheduled.delay == delay and scheduled.target == jtn.address
    chain.pending_timestamp += delay - 10
    with expect_error(timelock, "TimelockUnexpectedOperationState", operationId=scheduled.id):
        timelock.execute(jtn, 0, transfer, ZERO32, ZERO32, sender=worker)
    assert jtn.balanceOf(worker) == 0
    assert jtn.balanceOf(timelock) == TREASURY


def test_governor_settings_need_a_proposal(governor, jtn, timelock, caller):
    transfer = jtn.transfer.encode_input(caller.address, 1_000 * WAD)
    attempts = [
        ("setVotingDelay", 0),
        ("setVotingPeriod", 1),
        ("setProposalThreshold", 0),
        ("updateQuorumNumerator", 1),
        ("setLateQuorumVoteExtension", 0),
        ("updateTimelock", caller.address),
        ("relay", jtn.address, 0, transfer),
    ]
    for name, *args in attempts:
        with expect_error(governor, "GovernorOnlyExecutor", account=caller.address):
            getattr(governor, name)(*args, sender=caller)
    assert governor.votingDelay() == 1 and governor.votingPeriod() == 50
    assert governor.quorumNumerator() == 4
    assert governor.timelock() == timelock.address
    assert jtn.balanceOf(timelock) == TREASURY


def test_treasury_is_not_spendable_directly(jtn, timelock, caller):
    assert jtn.allowance(timelock, caller) == 0
    with expect_error(
        jtn, "ERC20InsufficientAllowance", spender=caller.address, allowance=0, needed=WAD
    ):
        jtn.transferFrom(timelock, caller, WAD, sender=caller)
    assert jtn.balanceOf(timelock) == TREASURY


def test_treasury_pays_through_an_executed_proposal(
    governor, jtn, timelock, deployer, client, worker
):
    amount = 1_000 * WAD
    proposal = pass_proposal(
        governor,
        [(jtn, jtn.transfer.encode_input(worker.address, amount))],
        "Pay the worker 1,000 JTN from the treasury",
        voters=[deployer, client],
        token=jtn,
    )
    assert proposal.state() == EXECUTED
    [log] = proposal.receipts["execute"].decode_logs(jtn.Transfer)
    args = log.event_arguments
    assert (args["from"], args["to"], args["value"]) == (timelock.address, worker.address, amount)
    assert jtn.balanceOf(worker) == amount
    assert jtn.balanceOf(timelock) == TREASURY - amount
    assert governor.proposalVotes(proposal.id) == (0, 20_000_000 * WAD, 0)


# --- ownership moves in two steps -----------------------------------------------------------

TYPO = "0x000000000000000000000000000000000000dEaD"


@pytest.mark.parametrize("name", ["rules", "votes"])
def test_a_mistyped_owner_in_a_proposal_orphans_nothing(
    governor, timelock, dao, delegated, accounts, worker, request, name
):
    """An executed proposal that hands the rulebook (or the voting weight) to a mistyped address
    only names it pending (Ownable2Step): the timelock stays the owner with every power, and a
    later proposal names the right owner, who takes over only by accepting."""
    owned = request.getfixturevalue(name)
    proposal = pass_proposal(
        governor,
        [(owned, owned.transferOwnership.encode_input(TYPO))],
        f"Hand the {name} over (mistyped)",
        voters=delegated,
    )
    [started] = proposal.receipts["execute"].decode_logs(owned.OwnershipTransferStarted)
    assert (started.previousOwner, started.newOwner) == (timelock.address, TYPO)
    assert owned.owner() == timelock.address and owned.pendingOwner() == TYPO
    if name == "rules":
        owned.setFeeBps(400, sender=dao)  # the timelock still rules
    else:
        owned.setReputationWeight(WAD // 25, sender=dao)

    heir = accounts[6]
    pass_proposal(
        governor,
        [(owned, owned.transferOwnership.encode_input(heir.address))],
        f"Hand the {name} over",
        voters=delegated,
    )
    assert owned.pendingOwner() == heir.address
    for someone in (worker, dao):
        with expect_error(owned, "OwnableUnauthorizedAccount", account=someone.address):
            owned.acceptOwnership(sender=someone)
    assert owned.owner() == timelock.address
    receipt = owned.acceptOwnership(sender=heir)
    [moved] = receipt.decode_logs(owned.OwnershipTransferred)
    assert (moved.previousOwner, moved.newOwner) == (timelock.address, heir.address)
    assert owned.owner() == heir.address and owned.pendingOwner() == ZERO_ADDRESS
