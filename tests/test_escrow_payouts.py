"""Pull payments: a recipient that can not receive never blocks a payout (DESIGN.md 9).

FreezableToken (a 6-decimal stablecoin with permit, allowed by the DAO) can freeze an address,
as USDC and USDT can: every transfer to or from it reverts. Payouts never push fees to the
treasury: they accrue in the escrow and anyone sweeps them to the treasury the rulebook names.
Every other share goes out with a transfer that may fail: a frozen recipient's share is kept
for it (`owed`, a PaymentOwed event with the task id) and it withdraws it once it can receive;
the others are paid in the same transaction.

Each exit (approve, release, cancel, reclaim, resolve, settleDispute) is run with each party
frozen in turn (the client, the worker, the treasury), then the frozen party's withdrawal and
the fees' sweep. After each, the escrow's balance is exactly what it still owes: kept shares
and accrued fees (DESIGN.md invariant 1). A 1,000 FUSD task with a 10% bond throughout.
"""

import ape
import pytest
from helpers import expect_error, expect_error_via, make_task

USD = 10**6
AMOUNT = 1000 * USD
BOND = 100 * USD


@pytest.fixture
def fusd(project, deployer, dao, rules, escrow, client, worker):
    token = deployer.deploy(project.FreezableToken)
    rules.setPaymentToken(token, True, USD, sender=dao)
    for who in (client, worker):
        token.mint(who, 10_000 * USD, sender=deployer)
    return token


@pytest.fixture
def parties(client, worker, timelock):
    return {"client": client, "worker": worker, "treasury": timelock}


EXITS = {
    # exit: (stage, caller, extra args, what each recipient gets, fee accrued)
    "approve": ("submitted", "client", (), {"worker": 950 * USD + BOND}, 50 * USD),
    "release": ("submitted", "worker", (), {"worker": 950 * USD + BOND}, 50 * USD),
    "cancel": ("open", "client", (), {"client": AMOUNT}, 0),
    "reclaim": ("claimed", "client", (), {"client": AMOUNT + BOND}, 0),
    # 70% to the worker: 700 less 35 of fee, and both bonds; 300 back to the client.
    "resolve": (
        "disputed",
        "arbiter",
        (7000,),
        {"worker": 665 * USD + 2 * BOND, "client": 300 * USD},
        35 * USD,
    ),
    "settleDispute": ("disputed", "worker", (), {"client": AMOUNT + 2 * BOND}, 0),
}


def owed_and_fees(escrow, token, parties):
    return sum(escrow.owed(token, p) for p in parties.values()) + escrow.accruedFees(token)


@pytest.mark.parametrize("frozen", ["client", "worker", "treasury"])
@pytest.mark.parametrize("exit_", list(EXITS))
def test_every_exit_pays_whoever_can_receive(
    escrow, rules, dao, fusd, parties, arbiter, outsider, exit_, frozen
):
    stage, caller, extra, gets, fee = EXITS[exit_]
    client, worker = parties["client"], parties["worker"]
    task_id = make_task(escrow, fusd, client, worker, AMOUNT, stage=stage, bond_bps=1000)
    task = escrow.getTask(task_id)
    if exit_ in ("release", "settleDispute"):
        ape.chain.pending_timestamp = task.windowEnds + 1
    elif exit_ == "reclaim":
        ape.chain.pending_timestamp = task.deadline + 1
    fusd.freeze(parties[frozen], True, sender=outsider)
    before = {name: fusd.balanceOf(who) for name, who in parties.items()}

    sender = arbiter if caller == "arbiter" else parties[caller]
    receipt = getattr(escrow, exit_)(task_id, *extra, sender=sender)

    assert escrow.getTask(task_id).status in (5, 6, 7, 8)
    kept = [
        (log.taskId, log.token, log.recipient, log.amount)
        for log in receipt.decode_logs(escrow.PaymentOwed)
    ]
    for name, who in parties.items():
        share = gets.get(name, 0)
        if name == frozen and share:
            assert fusd.balanceOf(who) == before[name]
            assert escrow.owed(fusd, who) == share
            assert kept == [(task_id, fusd.address, who.address, share)]
        else:
            assert fusd.balanceOf(who) - before[name] == share
            assert escrow.owed(fusd, who) == 0
    if not gets.get(frozen):
        assert kept == []
    assert escrow.accruedFees(fusd) == fee
    assert fusd.balanceOf(escrow) == owed_and_fees(escrow, fusd, parties)

    # The frozen party withdraws what was kept, once it can receive again.
    who = parties[frozen]
    share = gets.get(frozen, 0)
    if share:
        with expect_error_via(fusd, "AccountFrozen", account=who.address):
            escrow.withdraw(fusd, sender=who)
        assert escrow.owed(fusd, who) == share
        fusd.freeze(who, False, sender=outsider)
        receipt = escrow.withdraw(fusd, sender=who)
        assert receipt.return_value == share
        logs = list(receipt.decode_logs(escrow.Withdrawn))
        assert [(log.token, log.recipient, log.amount) for log in logs] == [
            (fusd.address, who.address, share)
        ]
        assert fusd.balanceOf(who) - before[frozen] == share
    with expect_error(escrow, "NothingToWithdraw", token=fusd.address, recipient=who.address):
        escrow.withdraw(fusd, sender=who)

    # The fees: a frozen treasury makes the sweep wait, never a payout; the DAO can move it.
    if fee:
        treasury = parties["treasury"]
        if frozen == "treasury" and fusd.frozen(treasury):
            with expect_error_via(fusd, "AccountFrozen", account=treasury.address):
                escrow.sweepFees(fusd, sender=outsider)
            assert escrow.accruedFees(fusd) == fee
            rules.setTreasury(outsider, sender=dao)
            treasury = outsider
        start = fusd.balanceOf(treasury)
        assert escrow.sweepFees(fusd, sender=worker).return_value == fee - 1
        assert fusd.balanceOf(treasury) - start == fee - 1
    assert fusd.balanceOf(escrow) == owed_and_fees(escrow, fusd, parties) <= 1


def test_a_frozen_worker_after_the_review_period_is_no_longer_stuck(
    escrow, fusd, client, worker, outsider
):
    """The review's case: a worker frozen after its review period left the deposit with no
    exit at all. Now the worker releases, its pay and bond are kept for it, and the fee
    accrues."""
    task_id = make_task(escrow, fusd, client, worker, AMOUNT, bond_bps=1000)
    fusd.freeze(worker, True, sender=outsider)
    ape.chain.pending_timestamp = escrow.getTask(task_id).windowEnds + 1
    escrow.release(task_id, sender=worker)
    assert escrow.owed(fusd, worker) == 950 * USD + BOND
    assert fusd.balanceOf(escrow) == 950 * USD + BOND + 50 * USD


def test_kept_shares_add_up_across_tasks_and_go_only_to_their_owner(
    escrow, fusd, client, worker, outsider
):
    first = make_task(escrow, fusd, client, worker, AMOUNT)
    second = make_task(escrow, fusd, client, worker, 2 * AMOUNT)
    fusd.freeze(worker, True, sender=outsider)
    escrow.approve(first, sender=client)
    escrow.approve(second, sender=client)
    assert escrow.owed(fusd, worker) == 950 * USD * 3
    for who in (client, outsider):
        with expect_error(escrow, "NothingToWithdraw", token=fusd.address, recipient=who.address):
            escrow.withdraw(fusd, sender=who)
    fusd.freeze(worker, False, sender=outsider)
    assert escrow.withdraw(fusd, sender=worker).return_value == 950 * USD * 3
    assert escrow.owed(fusd, worker) == 0


# --- fees: accrued per token, swept to the rulebook's treasury ------------------------------


def test_fees_accrue_and_anyone_sweeps_them_to_the_treasury(
    escrow, rules, jtn, client, worker, outsider, timelock
):
    wad = 10**18
    with expect_error(escrow, "NothingToSweep", token=jtn.address):
        escrow.sweepFees(jtn, sender=outsider)
    for amount in (1000 * wad, 600 * wad):
        escrow.approve(make_task(escrow, jtn, client, worker, amount), sender=client)
    assert escrow.accruedFees(jtn) == 80 * wad
    assert rules.treasury() == timelock.address
    start = jtn.balanceOf(timelock)
    receipt = escrow.sweepFees(jtn, sender=outsider)
    assert receipt.return_value == 80 * wad - 1
    logs = list(receipt.decode_logs(escrow.FeesSwept))
    assert [(log.token, log.treasury, log.amount) for log in logs] == [
        (jtn.address, timelock.address, 80 * wad - 1)
    ]
    assert jtn.balanceOf(timelock) - start == 80 * wad - 1
    assert jtn.balanceOf(outsider) == 0
    # One base unit stays, so that the next payout's fee does not write a zero slot.
    assert escrow.accruedFees(jtn) == 1 and jtn.balanceOf(escrow) == 1
    with expect_error(escrow, "NothingToSweep", token=jtn.address):
        escrow.sweepFees(jtn, sender=outsider)
    escrow.approve(make_task(escrow, jtn, client, worker, 1000 * wad), sender=client)
    assert escrow.sweepFees(jtn, sender=worker).return_value == 50 * wad


def test_the_dao_moves_its_treasury(escrow, rules, dao, jtn, client, worker, outsider):
    escrow.approve(make_task(escrow, jtn, client, worker, 1000 * 10**18), sender=client)
    rules.setTreasury(outsider, sender=dao)
    escrow.sweepFees(jtn, sender=worker)
    assert jtn.balanceOf(outsider) == 50 * 10**18 - 1


def test_a_fee_in_each_token_accrues_apart(escrow, jtn, usd, client, worker):
    escrow.approve(make_task(escrow, jtn, client, worker, 1000 * 10**18), sender=client)
    escrow.approve(make_task(escrow, usd, client, worker, 1000 * USD), sender=client)
    assert escrow.accruedFees(jtn) == 50 * 10**18
    assert escrow.accruedFees(usd) == 50 * USD
    assert escrow.sweepFees(usd, sender=worker).return_value == 50 * USD - 1
    assert escrow.accruedFees(jtn) == 50 * 10**18


def test_a_payout_is_one_transfer_and_no_transfer_to_the_treasury(
    escrow, jtn, client, worker, timelock
):
    task_id = make_task(escrow, jtn, client, worker, 1000 * 10**18)
    receipt = escrow.approve(task_id, sender=client)
    transfers = [(t["from"], t.to, t.value) for t in receipt.decode_logs(jtn.Transfer)]
    assert transfers == [(escrow.address, worker.address, 950 * 10**18)]
    assert all(t[1] != timelock.address for t in transfers)


def test_a_frozen_client_still_cancels(escrow, fusd, client, worker, outsider):
    """Freezing changes who can receive, never who may act: a frozen client still cancels its
    open task, and its refund is kept for it."""
    task_id = make_task(escrow, fusd, client, worker, AMOUNT, stage="open")
    fusd.freeze(client, True, sender=outsider)
    escrow.cancel(task_id, sender=client)
    assert escrow.owed(fusd, client) == AMOUNT
    assert fusd.balanceOf(escrow) == AMOUNT
