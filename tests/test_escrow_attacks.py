"""Attacks on the escrow: re-entrant and fee-on-transfer tokens, permits, self-dealing.

ReentrantToken calls back into the escrow with chosen calldata on every transfer and records
whether the call got through (`successes`) and what it reverted with (`lastRevert`). Allowed by
the DAO, it stands for any hostile payment token: every re-entry must hit the escrow's guard,
the outer call must complete, and the money must add up (nothing lost, nothing paid twice).
"""

import ape
import pytest
from helpers import (
    DAY,
    ZERO_ADDRESS,
    error_selector,
    expect_error,
    expect_error_via,
    make_task,
    post_task,
    sign_permit,
)
from hexbytes import HexBytes

WAD = 10**18
AMOUNT = 1000 * WAD
SPEC = b"\x5e" * 32


@pytest.fixture
def host(project, deployer, dao, rules, client):
    token = deployer.deploy(project.ReentrantToken)
    rules.setPaymentToken(token, True, WAD, sender=dao)
    token.mint(client, 100_000 * WAD, sender=deployer)
    return token


def blocked(escrow, token, attempts):
    assert token.attempts() == attempts
    assert token.successes() == 0
    assert HexBytes(token.lastRevert()) == HexBytes(
        error_selector(escrow.ReentrancyGuardReentrantCall)
    )
    assert not token.attacking()


def deltas(token, parties, before):
    return [token.balanceOf(p) - b for p, b in zip(parties, before, strict=True)]


# --- single re-entries -----------------------------------------------------------------------


def test_reentry_during_posting_fails(escrow, host, client, worker, deployer):
    next_id = escrow.taskCount() + 1
    host.arm(escrow, escrow.claim.encode_input(next_id), sender=deployer)
    host.approve(escrow, AMOUNT, sender=client)  # an approval is not a transfer: no attack
    assert host.attempts() == 0
    escrow.postTask(
        host, AMOUNT, ape.chain.pending_timestamp + DAY, 0, SPEC, ZERO_ADDRESS, sender=client
    )
    blocked(escrow, host, 1)
    task = escrow.getTask(next_id)
    assert (task.status, task.worker, task.amount) == (1, ZERO_ADDRESS, AMOUNT)
    assert host.balanceOf(escrow) == AMOUNT


@pytest.mark.parametrize("pull", ["claim", "dispute"])
def test_reentry_during_a_bond_pull_fails(escrow, host, client, worker, deployer, pull):
    """A bond is pulled in after the claim (or the dispute) is recorded: re-entering then (to
    claim again, say, or settle) hits the guard, and the bond is taken once."""
    host.mint(worker, 1000 * WAD, sender=deployer)
    stage = "open" if pull == "claim" else "submitted"
    task_id = make_task(escrow, host, client, worker, AMOUNT, stage=stage, bond_bps=1000)
    host.approve(escrow, 100 * WAD, sender=worker)
    host.arm(escrow, escrow.claim.encode_input(task_id), sender=deployer)
    before = host.balanceOf(escrow)
    getattr(escrow, pull)(task_id, sender=worker)
    blocked(escrow, host, 1)
    assert host.balanceOf(escrow) - before == 100 * WAD
    assert escrow.getTask(task_id).status == (2 if pull == "claim" else 4)


def test_reentrant_token_is_harmless_once_disarmed(escrow, host, client, worker, deployer):
    task_id = make_task(escrow, host, client, worker, AMOUNT)
    host.arm(escrow, escrow.approve.encode_input(task_id), sender=deployer)
    host.disarm(sender=deployer)
    escrow.approve(task_id, sender=client)
    assert host.attempts() == 0
    assert host.balanceOf(worker) == 950 * WAD


# --- fee-on-transfer -------------------------------------------------------------------------


def test_fee_on_transfer_token_is_refused(escrow, project, deployer, dao, rules, client):
    leaky = deployer.deploy(project.FeeOnTransferToken)
    rules.setPaymentToken(leaky, True, WAD, sender=dao)
    leaky.mint(client, AMOUNT, sender=deployer)
    leaky.approve(escrow, AMOUNT, sender=client)
    count = escrow.taskCount()
    with expect_error(
        escrow,
        "TransferAmountMismatch",
        token=leaky.address,
        expected=AMOUNT,
        received=AMOUNT * 99 // 100,
    ):
        escrow.postTask(
            leaky, AMOUNT, ape.chain.pending_timestamp + DAY, 0, SPEC, ZERO_ADDRESS, sender=client
        )
    assert escrow.taskCount() == count
    assert leaky.balanceOf(escrow) == 0
    assert leaky.balanceOf(client) == AMOUNT
    assert leaky.totalSupply() == AMOUNT


# --- permits ---------------------------------------------------------------------------------


def test_front_run_permit_does_not_block_posting(escrow, jtn, client, outsider):
    permit_deadline = ape.chain.pending_timestamp + DAY
    v, r, s = sign_permit(
        jtn, client.private_key, client.address, escrow.address, AMOUNT, 0, permit_deadline
    )
    # Someone copies the signature from the mempool and uses it first.
    jtn.permit(client, escrow, AMOUNT, permit_deadline, v, r, s, sender=outsider)
    assert jtn.allowance(client, escrow) == AMOUNT
    held = jtn.balanceOf(escrow)
    receipt = escrow.postTaskWithPermit(
        jtn,
        AMOUNT,
        ape.chain.pending_timestamp + DAY,
        0,
        SPEC,
        ZERO_ADDRESS,
        permit_deadline,
        v,
        r,
        s,
        sender=client,
    )
    assert escrow.getTask(receipt.return_value).client == client.address
    assert jtn.balanceOf(escrow) == held + AMOUNT


def test_a_stolen_permit_can_not_post_from_the_signers_funds(escrow, jtn, client, outsider):
    permit_deadline = ape.chain.pending_timestamp + DAY
    v, r, s = sign_permit(
        jtn, client.private_key, client.address, escrow.address, AMOUNT, 0, permit_deadline
    )
    balance = jtn.balanceOf(client)
    with expect_error_via(jtn, "ERC20InsufficientAllowance", allowance=0, needed=AMOUNT):
        escrow.postTaskWithPermit(
            jtn,
            AMOUNT,
            ape.chain.pending_timestamp + DAY,
            0,
            SPEC,
            ZERO_ADDRESS,
            permit_deadline,
            v,
            r,
            s,
            sender=outsider,
        )
    assert jtn.balanceOf(client) == balance
    assert jtn.nonces(client) == 0 and jtn.allowance(client, escrow) == 0


def calls_made(escrow, method, args, sender):
    """The addresses and selectors of every call `method(*args)` from `sender` makes, in order
    (anvil's call tracer, without sending anything)."""
    data = getattr(escrow, method).encode_input(*args)
    tx = {"from": sender.address, "to": escrow.address, "data": "0x" + bytes(data).hex()}
    trace = ape.chain.provider.web3.provider.make_request(
        "debug_traceCall", [tx, "latest", {"tracer": "callTracer"}]
    )["result"]

    def walk(frame):
        yield frame["to"].lower(), frame.get("input", "0x")[:10]
        for child in frame.get("calls", []):
            yield from walk(child)

    return list(walk(trace))[1:]


def test_a_permit_is_used_only_after_the_posting_checks(escrow, rules, project, deployer, client):
    """postTaskWithPermit asks the rulebook first: a token the DAO never allowed is never
    called (its permit could run any code), and the posting reverts with TokenNotAllowed."""
    coin = deployer.deploy(project.MockERC20, "Coin", "COIN", 18)
    deadline = ape.chain.pending_timestamp + DAY
    v, r, s = sign_permit(
        coin, client.private_key, client.address, escrow.address, AMOUNT, 0, deadline
    )
    args = (coin, AMOUNT, deadline, 0, SPEC, ZERO_ADDRESS, deadline, v, r, s)
    calls = calls_made(escrow, "postTaskWithPermit", args, client)
    assert [to for to, _ in calls] == [rules.address.lower()]
    with expect_error_via(rules, "TokenNotAllowed", token=coin.address):
        escrow.postTaskWithPermit(*args, sender=client)


def test_an_allowed_tokens_permit_comes_after_the_rulebook(escrow, rules, jtn, client):
    deadline = ape.chain.pending_timestamp + DAY
    v, r, s = sign_permit(
        jtn, client.private_key, client.address, escrow.address, AMOUNT, 0, deadline
    )
    args = (jtn, AMOUNT, deadline, 0, SPEC, ZERO_ADDRESS, deadline, v, r, s)
    calls = calls_made(escrow, "postTaskWithPermit", args, client)
    permit = "0x" + jtn.permit.encode_input(client, escrow, 0, 0, 0, b"", b"")[:4].hex()
    assert [c[0] for c in calls[:2]] == [rules.address.lower(), jtn.address.lower()]
    assert calls[1][1] == permit


# --- self-dealing and minting ----------------------------------------------------------------


def test_paying_oneself_through_a_puppet_loses_money(escrow, jtn, reputation, client, worker2):
    """A client who pays its own puppet worker buys each point with 0.05 JTN lost for good
    (0.1 JTN of fee per point, half of it back as reward)."""
    start = jtn.balanceOf(client) + jtn.balanceOf(worker2)
    escrow.approve(make_task(escrow, jtn, client, worker2, AMOUNT), sender=client)
    escrow.collectRewards(worker2, sender=client)
    assert jtn.balanceOf(client) + jtn.balanceOf(worker2) == start - 25 * WAD
    assert reputation.pointsOf(worker2) == 500


def test_only_the_escrow_mints(jtn, dao, client, outsider):
    minter = jtn.MINTER_ROLE()
    for who in (dao, client, outsider):
        with expect_error(jtn, "AccessControlUnauthorizedAccount", account=who.address):
            jtn.mint(who, WAD, sender=who)
    with expect_error(jtn, "MinterRoleFixed"):
        jtn.grantRole(minter, dao, sender=dao)


# --- a board of tasks in every state, paid in the hostile token ----------------------------


@pytest.fixture(scope="module")
def board(project, deployer, dao, rules, escrow, jtn, client, worker, worker2):
    """A hostile token (disarmed) and tasks in it: open (10), claimed (20, worker2), submitted
    (30, worker2), disputed (40, worker2) and submitted (1,000, worker); the worker also has a
    JTN reward to collect. 1,100 of the hostile token are in escrow."""
    host = deployer.deploy(project.ReentrantToken)
    rules.setPaymentToken(host, True, WAD, sender=dao)
    host.mint(client, 100_000 * WAD, sender=deployer)
    escrow.approve(make_task(escrow, jtn, client, worker, AMOUNT), sender=client)
    tasks = {
        "open": post_task(escrow, host, client, 10 * WAD),
        "claimed": make_task(escrow, host, client, worker2, 20 * WAD, stage="claimed"),
        "submitted": make_task(escrow, host, client, worker2, 30 * WAD),
        "disputed": make_task(escrow, host, client, worker2, 40 * WAD, stage="disputed"),
        "target": make_task(escrow, host, client, worker, AMOUNT),
    }
    host.approve(escrow, 10**30, sender=client)
    return host, tasks


# --- re-entering the same transition during its own payout --------------------------------

SAME = {
    # op: (method, task, sender, extra args, transfers, worker / client / fee in 1/1000);
    # the fee accrues in the escrow (no transfer)
    "approve": ("approve", "submitted", "client", (), 1, (950, 0, 50)),
    "release": ("release", "submitted", "worker2", (), 1, (950, 0, 50)),
    "cancel": ("cancel", "open", "client", (), 1, (0, 1000, 0)),
    "reclaim": ("reclaim", "claimed", "client", (), 1, (0, 1000, 0)),
    "resolve": ("resolve", "disputed", "arbiter", (5000,), 2, (475, 500, 25)),
    "settle": ("settleDispute", "disputed", "worker2", (), 1, (0, 1000, 0)),
}


@pytest.mark.parametrize("op", list(SAME))
def test_reentering_the_same_transition_fails(
    board, escrow, client, worker2, arbiter, deployer, op
):
    host, tasks = board
    method, stage, sender, extra, transfers, shares = SAME[op]
    sender = {"client": client, "worker2": worker2, "arbiter": arbiter}[sender]
    task_id = tasks[stage]
    task = escrow.getTask(task_id)
    if op in ("release", "settle"):
        ape.chain.pending_timestamp = task.windowEnds + 1
    elif op == "reclaim":
        ape.chain.pending_timestamp = task.deadline + 1
    args = (task_id, *extra)
    parties = [worker2, client, escrow]
    before = [host.balanceOf(p) for p in parties]
    fees = escrow.accruedFees(host)
    host.arm(escrow, getattr(escrow, method).encode_input(*args), sender=deployer)

    getattr(escrow, method)(*args, sender=sender)

    blocked(escrow, host, transfers)
    amount = task.amount
    worker_part, client_part, fee = (amount * x // 1000 for x in shares)
    assert deltas(host, parties, before) == [worker_part, client_part, fee - amount]
    assert escrow.accruedFees(host) - fees == fee
    assert host.balanceOf(escrow) == 1100 * WAD - amount + escrow.accruedFees(host)
    assert escrow.getTask(task_id).status in (5, 6, 7, 8)


# --- re-entering other entry points during a payout -----------------------------------------

ATTACKS = [
    "approve",
    "cancel",
    "reclaim",
    "claim",
    "submit",
    "dispute",
    "release",
    "resolve",
    "settleDispute",
    "collectRewards",
    "postTask",
    "postTaskWithPermit",
    "postTaskWithBond",
    "postTaskWithBondAndPermit",
    "claimWithPermit",
    "disputeWithPermit",
    "withdraw",
    "sweepFees",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_reentry_into_any_entry_point_fails(board, escrow, client, worker, deployer, attack):
    host, tasks = board
    owed = escrow.rewardsOwed(worker)
    assert owed == 25 * WAD
    deadline = ape.chain.pending_timestamp + DAY
    sig = (deadline, 27, b"\x01" * 32, b"\x02" * 32)
    calldata = {
        "approve": escrow.approve.encode_input(tasks["submitted"]),
        "cancel": escrow.cancel.encode_input(tasks["open"]),
        "reclaim": escrow.reclaim.encode_input(tasks["claimed"]),
        "claim": escrow.claim.encode_input(tasks["open"]),
        "submit": escrow.submit.encode_input(tasks["claimed"], SPEC),
        "dispute": escrow.dispute.encode_input(tasks["submitted"]),
        "release": escrow.release.encode_input(tasks["submitted"]),
        "resolve": escrow.resolve.encode_input(tasks["disputed"], 0),
        "settleDispute": escrow.settleDispute.encode_input(tasks["disputed"]),
        "collectRewards": escrow.collectRewards.encode_input(worker),
        "postTask": escrow.postTask.encode_input(host, WAD, deadline, 0, SPEC, ZERO_ADDRESS),
        "postTaskWithPermit": escrow.postTaskWithPermit.encode_input(
            host, WAD, deadline, 0, SPEC, ZERO_ADDRESS, *sig
        ),
        "postTaskWithBond": escrow.postTaskWithBond.encode_input(
            host, WAD, deadline, 0, SPEC, ZERO_ADDRESS, 0
        ),
        "postTaskWithBondAndPermit": escrow.postTaskWithBondAndPermit.encode_input(
            host, WAD, deadline, 0, SPEC, ZERO_ADDRESS, 0, *sig
        ),
        "claimWithPermit": escrow.claimWithPermit.encode_input(tasks["open"], *sig),
        "disputeWithPermit": escrow.disputeWithPermit.encode_input(tasks["submitted"], *sig),
        "withdraw": escrow.withdraw.encode_input(host),
        "sweepFees": escrow.sweepFees.encode_input(host),
    }[attack]
    parties = [worker, client, escrow]
    before = [host.balanceOf(p) for p in parties]
    fees = escrow.accruedFees(host)
    count = escrow.taskCount()
    host.arm(escrow, calldata, sender=deployer)

    receipt = escrow.approve(tasks["target"], sender=client)

    blocked(escrow, host, 1)
    assert deltas(host, parties, before) == [950 * WAD, 0, -950 * WAD]
    assert escrow.accruedFees(host) - fees == 50 * WAD
    assert escrow.taskCount() == count
    order = ("open", "claimed", "submitted", "disputed", "target")
    assert [escrow.getTask(tasks[k]).status for k in order] == [1, 2, 3, 4, 5]
    assert host.balanceOf(escrow) == 100 * WAD + escrow.accruedFees(host)
    # The hostile token is not the work token: the payout earns points but no reward, and the
    # JTN reward owed from before is still there (a re-entered collectRewards did not pay it).
    logs = list(receipt.decode_logs(escrow.TaskCompleted))
    assert [(log.workerAmount, log.fee, log.reward, log.points) for log in logs] == [
        (950 * WAD, 50 * WAD, 0, 500)
    ]
    assert escrow.rewardsOwed(worker) == owed
