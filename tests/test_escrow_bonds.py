"""Claim and dispute bonds: set at posting, staked at claim and at dispute, and where they go.

A task's claim bond is `bondBps` of its deposit, in its token: the DAO's default
(`claimBondBps`, 10% locally) for `postTask`, or the client's choice (`postTaskWithBond`),
locked with the task. The worker stakes it at claim; whoever disputes stakes as much again.
Approve and release return the worker's bond with the pay; a reclaim forfeits it to the client;
an arbiter's ruling sends both bonds to the worker at half or more, else to the client; a
settlement (no arbiter ruled) sends them to the client. A 1,000 JTN task with a 10% bond: the
worker stakes 100 JTN. Who ends with what, for each path: test_escrow_economics.
"""

import ape
import pytest
from helpers import (
    DAY,
    ZERO_ADDRESS,
    Balances,
    expect_error_via,
    make_task,
    post_task,
    sign_permit,
    walk_rule,
)

WAD = 10**18
AMOUNT = 1000 * WAD
BOND = 100 * WAD  # 10% of AMOUNT
SPEC = b"\x5e" * 32
OPEN, CLAIMED, SUBMITTED, DISPUTED, COMPLETED, CANCELLED, EXPIRED, RESOLVED = range(1, 9)


@pytest.fixture
def funded(jtn, deployer, worker, worker2):
    """The workers hold 10,000 JTN each, for their bonds."""
    for who in (worker, worker2):
        jtn.transfer(who, 10_000 * WAD, sender=deployer)


@pytest.fixture
def watch(escrow, jtn, client, worker):
    return lambda: Balances(jtn, escrow, client=client, worker=worker, escrow=escrow)


def only(receipt, event):
    logs = list(receipt.decode_logs(event))
    assert len(logs) == 1, f"{len(logs)} {event.name} events"
    return logs[0]


def week():
    return ape.chain.pending_timestamp + 7 * DAY


def permit_for(token, owner, escrow, value):
    deadline = ape.chain.pending_timestamp + DAY
    v, r, s = sign_permit(
        token,
        owner.private_key,
        owner.address,
        escrow.address,
        value,
        token.nonces(owner),
        deadline,
    )
    return deadline, v, r, s


# --- posting: the default bond, the client's bond, locked terms -----------------------------


def test_post_task_takes_the_daos_default_bond(escrow, rules, dao, jtn, client):
    assert rules.claimBondBps() == 1000
    first = post_task(escrow, jtn, client, AMOUNT, bond_bps=None)
    assert escrow.getTask(first).bondBps == 1000 and escrow.bondOf(first) == BOND
    rules.setClaimBondBps(1500, sender=dao)
    second = post_task(escrow, jtn, client, AMOUNT, bond_bps=None)
    assert escrow.getTask(second).bondBps == 1500 and escrow.bondOf(second) == 150 * WAD
    # The bond is a posted term: the first task keeps its 10%, whatever the rule does later.
    walk_rule(rules.setClaimBondBps, [1000, 500, 0], dao)
    assert escrow.getTask(first).bondBps == 1000 and escrow.bondOf(first) == BOND
    third = post_task(escrow, jtn, client, AMOUNT, bond_bps=None)
    assert escrow.bondOf(third) == 0


@pytest.mark.parametrize("bond_bps", [0, 1, 2500, 10_000])
def test_the_client_chooses_the_bond(escrow, jtn, client, bond_bps):
    jtn.approve(escrow, AMOUNT, sender=client)
    receipt = escrow.postTaskWithBond(
        jtn, AMOUNT, week(), 0, SPEC, ZERO_ADDRESS, bond_bps, sender=client
    )
    task_id = receipt.return_value
    assert only(receipt, escrow.TaskPosted).bondBps == bond_bps
    assert escrow.getTask(task_id).bondBps == bond_bps
    assert escrow.bondOf(task_id) == AMOUNT * bond_bps // 10_000


def test_post_with_a_bond_and_a_permit_in_one_transaction(escrow, jtn, client):
    balances = Balances(jtn, escrow, client=client, escrow=escrow)
    nonce = jtn.nonces(client)
    receipt = escrow.postTaskWithBondAndPermit(
        jtn,
        AMOUNT,
        week(),
        0,
        SPEC,
        ZERO_ADDRESS,
        2000,
        *permit_for(jtn, client, escrow, AMOUNT),
        sender=client,
    )
    assert only(receipt, escrow.TaskPosted).bondBps == 2000
    assert jtn.nonces(client) == nonce + 1 and jtn.allowance(client, escrow) == 0
    assert balances.delta() == {"client": -AMOUNT, "escrow": AMOUNT, "fees": 0}


def test_a_bond_rounds_down(escrow, jtn, client):
    task_id = post_task(escrow, jtn, client, 19, bond_bps=1000)
    assert escrow.bondOf(task_id) == 1
    task_id = post_task(escrow, jtn, client, 9, bond_bps=1000)
    assert escrow.bondOf(task_id) == 0


# --- claim: the worker stakes the bond ------------------------------------------------------


def test_claim_stakes_the_bond(escrow, jtn, client, worker, funded, watch):
    task_id = post_task(escrow, jtn, client, AMOUNT, bond_bps=1000)
    balances = watch()
    jtn.approve(escrow, BOND, sender=worker)
    receipt = escrow.claim(task_id, sender=worker)
    log = only(receipt, escrow.TaskClaimed)
    assert (log.taskId, log.worker, log.bond) == (task_id, worker.address, BOND)
    assert balances.delta() == {"client": 0, "worker": -BOND, "escrow": BOND, "fees": 0}
    assert escrow.getTask(task_id).status == CLAIMED


def test_claim_with_a_permit_in_one_transaction(escrow, jtn, client, worker, funded, watch):
    task_id = post_task(escrow, jtn, client, AMOUNT, bond_bps=1000)
    balances = watch()
    nonce = jtn.nonces(worker)
    receipt = escrow.claimWithPermit(task_id, *permit_for(jtn, worker, escrow, BOND), sender=worker)
    assert only(receipt, escrow.TaskClaimed).bond == BOND
    assert jtn.nonces(worker) == nonce + 1 and jtn.allowance(worker, escrow) == 0
    assert balances.delta() == {"client": 0, "worker": -BOND, "escrow": BOND, "fees": 0}


def test_a_claim_without_the_bond_is_refused(escrow, jtn, client, worker, worker2):
    task_id = post_task(escrow, jtn, client, AMOUNT, bond_bps=1000)
    with expect_error_via(jtn, "ERC20InsufficientAllowance", allowance=0, needed=BOND):
        escrow.claim(task_id, sender=worker)
    jtn.approve(escrow, BOND, sender=worker)  # an allowance, but no tokens
    with expect_error_via(jtn, "ERC20InsufficientBalance", balance=0, needed=BOND):
        escrow.claim(task_id, sender=worker)
    # A permit signed by someone else is ignored, and the claim still needs an allowance.
    deadline, v, r, s = permit_for(jtn, worker, escrow, BOND)
    with expect_error_via(jtn, "ERC20InsufficientAllowance", allowance=0, needed=BOND):
        escrow.claimWithPermit(task_id, deadline, v, r, s, sender=worker2)
    task = escrow.getTask(task_id)
    assert (task.status, task.worker) == (OPEN, ZERO_ADDRESS)
    assert jtn.balanceOf(escrow) == AMOUNT


def test_a_task_without_a_bond_is_claimed_without_a_transfer(escrow, jtn, client, worker):
    task_id = post_task(escrow, jtn, client, AMOUNT, bond_bps=0)
    receipt = escrow.claimWithPermit(task_id, 0, 0, b"\x00" * 32, b"\x00" * 32, sender=worker)
    assert only(receipt, escrow.TaskClaimed).bond == 0
    assert list(receipt.decode_logs(jtn.Transfer)) == []
    assert jtn.balanceOf(worker) == 0


# --- the bond comes back with the pay, or goes to the client on a reclaim -------------------


def test_approve_returns_the_bond_with_the_pay(escrow, jtn, client, worker, funded, watch):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, bond_bps=1000)
    balances = watch()
    receipt = escrow.approve(task_id, sender=client)
    log = only(receipt, escrow.TaskCompleted)
    assert (log.workerAmount, log.fee, log.bond) == (950 * WAD, 50 * WAD, BOND)
    transfers = [(t.to, t.value) for t in receipt.decode_logs(jtn.Transfer)]
    assert transfers == [(worker.address, 950 * WAD + BOND)]  # one transfer, pay and bond
    assert balances.delta() == {
        "client": 0,
        "worker": 950 * WAD + BOND,
        "escrow": -(950 * WAD + BOND),
        "fees": 50 * WAD,
    }


def test_release_returns_the_bond_too(escrow, jtn, client, worker, funded, watch):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, bond_bps=1000)
    ape.chain.pending_timestamp = escrow.getTask(task_id).windowEnds + 1
    balances = watch()
    assert only(escrow.release(task_id, sender=worker), escrow.TaskCompleted).bond == BOND
    assert balances.delta()["worker"] == 950 * WAD + BOND


def test_reclaim_forfeits_the_bond_to_the_client(escrow, jtn, client, worker, funded, watch):
    """The claimant sat on the task past its deadline: the client takes back the deposit and
    the claimant's bond."""
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage="claimed", bond_bps=1000)
    ape.chain.pending_timestamp = escrow.getTask(task_id).deadline + 1
    balances = watch()
    receipt = escrow.reclaim(task_id, sender=client)
    log = only(receipt, escrow.TaskReclaimed)
    assert (log.taskId, log.amount, log.bond) == (task_id, AMOUNT, BOND)
    assert balances.delta() == {
        "client": AMOUNT + BOND,
        "worker": 0,
        "escrow": -(AMOUNT + BOND),
        "fees": 0,
    }
    assert escrow.getTask(task_id).status == EXPIRED


def test_cancel_has_no_bond_to_return(escrow, jtn, client, watch):
    task_id = post_task(escrow, jtn, client, AMOUNT, bond_bps=1000)
    balances = watch()
    escrow.cancel(task_id, sender=client)
    assert balances.delta() == {"client": AMOUNT, "worker": 0, "escrow": -AMOUNT, "fees": 0}


# --- disputes: the disputer stakes a bond; both go to the side the ruling favours ----------


@pytest.mark.parametrize("by", ["client", "worker"])
def test_a_dispute_stakes_a_bond_as_large_as_the_claim_bond(
    escrow, jtn, client, worker, funded, watch, by
):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, bond_bps=1000)
    disputer = client if by == "client" else worker
    balances = watch()
    jtn.approve(escrow, BOND, sender=disputer)
    receipt = escrow.dispute(task_id, sender=disputer)
    log = only(receipt, escrow.TaskDisputed)
    assert (log.taskId, log.by, log.bond) == (task_id, disputer.address, BOND)
    assert balances.delta()[by] == -BOND and balances.delta()["escrow"] == BOND
    assert escrow.getTask(task_id).status == DISPUTED


def test_dispute_with_a_permit_in_one_transaction(escrow, jtn, client, worker, funded, watch):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, bond_bps=1000)
    balances = watch()
    receipt = escrow.disputeWithPermit(
        task_id, *permit_for(jtn, client, escrow, BOND), sender=client
    )
    assert only(receipt, escrow.TaskDisputed).bond == BOND
    assert jtn.allowance(client, escrow) == 0
    assert balances.delta() == {"client": -BOND, "worker": 0, "escrow": BOND, "fees": 0}


def test_a_dispute_without_the_bond_is_refused(escrow, jtn, client, worker, funded):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, bond_bps=1000)
    with expect_error_via(jtn, "ERC20InsufficientAllowance", allowance=0, needed=BOND):
        escrow.dispute(task_id, sender=client)
    assert escrow.getTask(task_id).status == SUBMITTED


@pytest.mark.parametrize(
    "share,worker_gets,client_gets,fee",
    [
        # worker share less fee (+ both bonds at half or more), client rest (+ bonds below half)
        (0, 0, AMOUNT + 2 * BOND, 0),
        (4999, 474_905 * WAD // 1000, 500_100 * WAD // 1000 + 2 * BOND, 24_995 * WAD // 1000),
        (5000, 475 * WAD + 2 * BOND, 500 * WAD, 25 * WAD),
        (10_000, 950 * WAD + 2 * BOND, 0, 50 * WAD),
    ],
)
@pytest.mark.parametrize("by", ["client", "worker"])
def test_both_bonds_go_to_the_side_the_arbiter_favours(
    escrow, jtn, client, worker, arbiter, funded, watch, share, worker_gets, client_gets, fee, by
):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, bond_bps=1000)
    disputer = client if by == "client" else worker
    jtn.approve(escrow, BOND, sender=disputer)
    escrow.dispute(task_id, sender=disputer)
    balances = watch()
    receipt = escrow.resolve(task_id, share, sender=arbiter)
    log = only(receipt, escrow.TaskResolved)
    assert log.bonds == 2 * BOND
    assert balances.delta() == {
        "client": client_gets,
        "worker": worker_gets,
        "escrow": -(AMOUNT + 2 * BOND - fee),
        "fees": fee,
    }


def test_a_settlement_gives_the_client_the_deposit_and_both_bonds(
    escrow, jtn, client, worker, funded, watch
):
    task_id = make_task(escrow, jtn, client, worker, AMOUNT, stage="disputed", bond_bps=1000)
    ape.chain.pending_timestamp = escrow.getTask(task_id).windowEnds + 1
    balances = watch()
    receipt = escrow.settleDispute(task_id, sender=worker)
    log = only(receipt, escrow.TaskSettled)
    assert (log.taskId, log.by, log.amount, log.bonds) == (
        task_id,
        worker.address,
        AMOUNT,
        2 * BOND,
    )
    assert balances.delta() == {
        "client": AMOUNT + 2 * BOND,
        "worker": 0,
        "escrow": -(AMOUNT + 2 * BOND),
        "fees": 0,
    }


# --- a bond in another token ----------------------------------------------------------------


def test_a_bond_in_another_token(escrow, usd, deployer, client, worker, arbiter):
    """Bonds are in the task's token: a 300 USD task with a 20% bond stakes 60 USD a side."""
    usd.mint(worker, 1000 * 10**6, sender=deployer)
    task_id = make_task(escrow, usd, client, worker, 300 * 10**6, stage="disputed", bond_bps=2000)
    assert escrow.bondOf(task_id) == 60 * 10**6
    assert usd.balanceOf(escrow) == 420 * 10**6
    escrow.resolve(task_id, 10_000, sender=arbiter)
    assert usd.balanceOf(worker) == 1000 * 10**6 + 285 * 10**6 + 60 * 10**6
    assert usd.balanceOf(escrow) == escrow.accruedFees(usd) == 15 * 10**6
