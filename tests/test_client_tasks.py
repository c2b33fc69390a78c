"""jeton.tasks on anvil: the whole lifecycle through the client, and every pre-flight refusal.

A refusal must raise the contract's own error class with the contract's inputs and send
nothing: each one is checked against the sender's nonce, and, where the same call can be
simulated, against the error the contract itself gives.
"""

import contextlib

import pytest
from helpers import DAY
from jeton import JetonError, TaskStatus
from jeton.errors import ContractError
from jeton.tasks import Task, TaskNotFound, hash_content
from web3 import Web3

WAD = 10**18
BPS = 10_000
ZERO = "0x" + "00" * 20


# ---------------------------------------------------------------- helpers


def points_for(escrow, fee_value):
    """Reputation a paid fee earns: one point per `FEE_PER_POINT` (0.1 JTN) of fee value."""
    return fee_value // escrow.FEE_PER_POINT()


def nonce(chain, account):
    return chain.provider.web3.eth.get_transaction_count(getattr(account, "address", account))


def warp(chain, seconds):
    """Move the chain's clock `seconds` forward and mine a block there."""
    chain.pending_timestamp += seconds
    chain.mine()


@contextlib.contextmanager
def refused(chain, jeton, error_name, *, match=None, contract_call=None, **inputs):
    """Expect pre-flight error `error_name` with `inputs`, and no transaction from the wallet.

    `contract_call`: the raw escrow call; the contract's simulated error must be the same.
    """
    before = nonce(chain, jeton.address)
    with pytest.raises(ContractError) as info:
        yield info
    err = info.value
    assert type(err).__name__ == error_name, f"expected {error_name}, got {err!r}"
    assert err.name == error_name
    for key, value in inputs.items():
        assert err.inputs[key] == value, f"{error_name}.{key}: {err.inputs[key]!r} != {value!r}"
    if match is not None:
        assert match in str(err), f"{match!r} not in {str(err)!r}"
    assert nonce(chain, jeton.address) == before, "a refused call sent a transaction"
    if contract_call is not None:
        with pytest.raises(ContractError) as simulated:
            jeton.simulate(contract_call, "TaskEscrow")
        assert type(simulated.value) is type(err)
        assert simulated.value.inputs == err.inputs


def week(jeton):
    return jeton.block_timestamp() + 7 * DAY


def post(jeton, amount=100 * WAD, **kwargs):
    """A task with no claim bond unless `bond_bps` is given (the workers hold no tokens)."""
    kwargs.setdefault("deadline", week(jeton))
    kwargs.setdefault("spec", "ipfs://brief")
    kwargs.setdefault("bond_bps", 0)
    return jeton.tasks.post(amount, **kwargs)


def submitted(jc, jw, amount=100 * WAD, **kwargs):
    """A task posted by `jc`, claimed and submitted by `jw`."""
    task = post(jc, amount, **kwargs)
    jw.tasks.claim(task.id)
    jw.tasks.submit(task.id, "ipfs://work")
    return task


def disputed(jc, jw, amount=100 * WAD):
    task = submitted(jc, jw, amount)
    jc.tasks.dispute(task.id)
    return task


# ---------------------------------------------------------------- hashing


def test_hash_content_of_text_bytes_and_files(tmp_path):
    file = tmp_path / "delivery.txt"
    file.write_bytes(b"bonjour")
    assert hash_content("ipfs://Qm") == Web3.keccak(text="ipfs://Qm")
    assert hash_content(b"\x01\x02") == Web3.keccak(b"\x01\x02")
    assert hash_content(file) == Web3.keccak(b"bonjour")
    assert hash_content(str(file)) == Web3.keccak(b"bonjour")
    assert len(hash_content("x")) == 32
    with pytest.raises(JetonError, match="can not read"):
        hash_content(tmp_path / "missing.txt")


# ---------------------------------------------------------------- posting


def test_post_with_permit_is_one_transaction(chain, jc, client, jtn, escrow, rules):
    before = nonce(chain, client)
    balance = jtn.balanceOf(client)
    deadline = week(jc)
    task = jc.tasks.post(250 * WAD, deadline=deadline, spec="ipfs://brief", min_reputation=7)
    assert task.bond_bps == rules.claimBondBps() == 1000  # the DAO's default
    assert task.bond == 25 * WAD
    assert nonce(chain, client) == before + 1
    assert isinstance(task, Task)
    assert task.id == escrow.taskCount()
    assert task.client == client.address
    assert task.worker is None
    assert task.token == jtn.address
    assert task.amount == 250 * WAD
    assert task.status == TaskStatus.OPEN
    assert task.deadline == deadline
    assert task.window_ends == 0
    assert task.fee_bps == rules.feeBps() == 500
    assert task.reward_bps == rules.rewardBps() == 5000
    assert task.min_reputation == 7
    assert task.fee == 12_500_000_000_000_000_000
    assert task.worker_amount == 237_500_000_000_000_000_000
    assert not task.is_final and not task.is_reserved
    assert jtn.balanceOf(client) == balance - 250 * WAD
    assert jtn.allowance(client, escrow) == 0
    posted = jc.tasks.timeline(task.id)[0]
    assert posted.name == "TaskPosted"
    assert posted.args["specHash"] == hash_content("ipfs://brief")


def test_post_uses_an_existing_allowance(chain, jc, client, jtn, escrow):
    jtn.approve(escrow, 40 * WAD, sender=client)
    permit_nonce = jtn.nonces(client)
    before = nonce(chain, client)
    task = post(jc, 40 * WAD)
    assert nonce(chain, client) == before + 1
    assert jtn.nonces(client) == permit_nonce  # postTask, no permit signed
    assert jtn.allowance(client, escrow) == 0
    assert jc.tasks.get(task.id).amount == 40 * WAD


def test_post_reserved_for_a_named_worker(jc, worker):
    task = post(jc, worker=worker.address)
    assert task.worker == worker.address
    assert task.is_reserved


def test_post_in_an_allowed_token_with_permit(
    chain, project, deployer, dao, rules, escrow, jc, jw, client, worker
):
    usd = project.MockERC20.deploy("Dollar", "USD", 6, sender=deployer)
    rules.setPaymentToken(usd, True, 10**6, sender=dao)
    usd.mint(client, 1_000 * 10**6, sender=deployer)
    before = nonce(chain, client)
    task = post(jc, 200 * 10**6, token=usd.address)
    assert nonce(chain, client) == before + 1  # permit: domain name "Dollar"
    assert usd.nonces(client) == 1
    assert task.token == usd.address
    assert usd.balanceOf(escrow) == 200 * 10**6
    jw.tasks.claim(task.id)
    jw.tasks.submit(task.id, "ipfs://done")
    completed = jc.tasks.approve(task.id).event("TaskCompleted")
    assert usd.balanceOf(worker) == 190 * 10**6
    assert completed.args["workerAmount"] == 190 * 10**6
    # One USD counts as one JTN (unit 10**6): the 10 USD fee earns the points 10 JTN would.
    assert completed.args["points"] == points_for(escrow, 10 * WAD) == 100
    # Work rewards are for tasks paid in JTN only: none here, nothing owed.
    assert completed.args["reward"] == 0
    assert jw.tasks.rewards_owed() == escrow.rewardsOwed(worker) == 0
    assert jc.tasks.get(task.id).status == TaskStatus.COMPLETED


def test_post_in_a_token_without_permit_approves_first(
    chain, project, deployer, dao, rules, escrow, jc, client
):
    plain = project.ReentrantToken.deploy(sender=deployer)  # disarmed: a plain ERC-20
    rules.setPaymentToken(plain, True, WAD, sender=dao)
    plain.mint(client, 500 * WAD, sender=deployer)
    before = nonce(chain, client)
    task = post(jc, 300 * WAD, token=plain.address)
    assert nonce(chain, client) == before + 2  # approve, then postTask
    assert plain.allowance(client, escrow) == 0
    assert plain.balanceOf(escrow) == 300 * WAD
    assert task.token == plain.address and task.amount == 300 * WAD


def test_permit_domain_of_each_kind_of_token(project, deployer, jc, jtn):
    from jeton.eip712 import hash_domain as _hash_domain
    from jeton.permits import domain_from_separator as _domain_from_separator
    from jeton.permits import permit_domain as _permit_domain

    domain = _permit_domain(jc.erc20(jtn.address), jc.chain_id)
    assert domain == {
        "name": "Jeton",
        "version": "1",
        "chainId": 31337,
        "verifyingContract": jtn.address,
    }
    assert _hash_domain(domain) == bytes(jtn.DOMAIN_SEPARATOR())
    # Tokens without ERC-5267 are recognised by their DOMAIN_SEPARATOR alone.
    assert _domain_from_separator(jc.erc20(jtn.address), jc.chain_id) == domain
    usd = project.MockERC20.deploy("Dollar", "USD", 6, sender=deployer)
    assert _permit_domain(jc.erc20(usd.address), jc.chain_id)["name"] == "Dollar"
    plain = project.ReentrantToken.deploy(sender=deployer)
    assert _permit_domain(jc.erc20(plain.address), jc.chain_id) is None
    assert _domain_from_separator(jc.erc20(plain.address), jc.chain_id) is None


def test_post_refusals_send_nothing(chain, project, deployer, jc, jw, client, worker, jtn, usd):
    now = jc.block_timestamp()
    with refused(chain, jc, "ZeroAmount", match="must pay something"):
        post(jc, 0)
    with refused(chain, jc, "DeadlineInPast", deadline=now, match="already passed"):
        post(jc, deadline=now)
    with refused(chain, jc, "ClientCannotWork", client=client.address, match="own task"):
        post(jc, worker=client.address)
    stranger = project.MockERC20.deploy("Other", "OTH", 18, sender=deployer)
    stranger.mint(client, 10 * WAD, sender=deployer)
    with refused(chain, jc, "TokenNotAllowed", token=stranger.address, match="not a payment"):
        post(jc, token=stranger.address)
    # A huge amount is refused for what it is first: more than the client holds (in JTN).
    huge = "needs 79,228,162,514.264337593543950336 JTN"
    with refused(chain, jc, "ERC20InsufficientBalance", needed=2**96, match=huge):
        post(jc, 2**96)
    usd.mint(client, 2**96, sender=deployer)  # held, and still too large for the escrow
    with refused(chain, jc, "SafeCastOverflowedUintDowncast", bits=96, value=2**96):
        post(jc, 2**96, token=usd.address)
    assert jtn.balanceOf(worker) == 0
    with refused(
        chain,
        jw,
        "ERC20InsufficientBalance",
        sender=worker.address,
        balance=0,
        needed=100 * WAD,
        match="get more tokens",
    ):
        post(jw)
    with refused(chain, jc, "InvalidBond", bondBps=10_001, match="0 to 10000"):
        post(jc, bond_bps=10_001)  # the escrow's refusal, found by simulating
    before = nonce(chain, client)
    with pytest.raises(ValueError, match="min_reputation"):
        post(jc, min_reputation=-1)
    with pytest.raises(ValueError, match="min_reputation"):
        post(jc, min_reputation=2**32)
    with pytest.raises(ValueError, match="bond_bps"):
        post(jc, bond_bps=2**16)  # does not fit the call
    assert nonce(chain, client) == before


# ---------------------------------------------------------------- the lifecycle


def test_post_claim_submit_approve(
    chain, jc, jw, client, worker, jtn, escrow, rules, reputation, tmp_path
):
    fees = jc.tasks.accrued_fees()
    task = post(jc, 200 * WAD)
    assert jtn.balanceOf(escrow) >= 200 * WAD

    claim = jw.tasks.claim(task.id)
    assert claim.event("TaskClaimed").args == {
        "taskId": task.id,
        "worker": worker.address,
        "bond": 0,
    }
    claimed = jw.tasks.get(task.id)
    assert claimed.status == TaskStatus.CLAIMED
    assert claimed.worker == worker.address

    delivery = tmp_path / "translation.txt"
    delivery.write_text("Bonjour le monde")
    result = jw.tasks.submit(task.id, delivery)
    event = result.event("TaskSubmitted")
    assert event.args["deliverableHash"] == Web3.keccak(text="Bonjour le monde")
    mined_at = chain.provider.web3.eth.get_block(result.block)["timestamp"]
    review_ends = mined_at + rules.reviewPeriod()
    assert event.args["reviewEnds"] == review_ends
    under_review = jw.tasks.get(task.id)
    assert under_review.status == TaskStatus.SUBMITTED
    assert under_review.window_ends == review_ends

    completed = jc.tasks.approve(task.id).event("TaskCompleted")
    assert completed.args["released"] is False
    assert completed.args["workerAmount"] == 190 * WAD
    assert completed.args["fee"] == 10 * WAD
    assert completed.args["reward"] == 5 * WAD
    assert completed.args["points"] == points_for(escrow, 10 * WAD) == 100
    done = jc.tasks.get(task.id)
    assert done.status == TaskStatus.COMPLETED and done.is_final
    assert done.window_ends == 0
    assert jtn.balanceOf(worker) == 190 * WAD
    assert jc.tasks.accrued_fees() == escrow.accruedFees(jtn) == fees + 10 * WAD
    assert escrow.rewardsOwed(worker) == 5 * WAD
    assert jw.tasks.rewards_owed() == 5 * WAD
    assert reputation.pointsOf(worker) == 100


def test_release_after_the_review_period(chain, jc, jw, worker, jtn, rules):
    task = submitted(jc, jw)
    with refused(
        chain,
        jw,
        "ReviewPeriodActive",
        taskId=task.id,
        reviewEnds=jw.tasks.get(task.id).window_ends,
        match="release after that",
        contract_call=jw.contracts.escrow.functions.release(task.id),
    ):
        jw.tasks.release(task.id)
    warp(chain, rules.reviewPeriod() + 1)
    completed = jw.tasks.release(task.id).event("TaskCompleted")
    assert completed.args["released"] is True
    assert completed.args["workerAmount"] == 95 * WAD
    assert jtn.balanceOf(worker) == 95 * WAD
    assert jw.tasks.get(task.id).status == TaskStatus.COMPLETED


def test_reclaim_after_the_deadline(chain, jc, jw, client, jtn):
    balance = jtn.balanceOf(client)
    deadline = jc.block_timestamp() + 3_600
    task = post(jc, 70 * WAD, deadline=deadline)
    jw.tasks.claim(task.id)
    with refused(
        chain,
        jc,
        "DeadlineNotPassed",
        taskId=task.id,
        deadline=deadline,
        contract_call=jc.contracts.escrow.functions.reclaim(task.id),
    ):
        jc.tasks.reclaim(task.id)
    warp(chain, 3_601)
    result = jc.tasks.reclaim(task.id)
    assert result.event("TaskReclaimed").args == {"taskId": task.id, "amount": 70 * WAD, "bond": 0}
    assert jc.tasks.get(task.id).status == TaskStatus.EXPIRED
    assert jtn.balanceOf(client) == balance


def test_cancel_an_open_task(chain, jc, client, jtn):
    balance = jtn.balanceOf(client)
    task = post(jc, 30 * WAD)
    assert jtn.balanceOf(client) == balance - 30 * WAD
    result = jc.tasks.cancel(task.id)
    assert result.event("TaskCancelled").args == {"taskId": task.id, "amount": 30 * WAD}
    assert jc.tasks.get(task.id).status == TaskStatus.CANCELLED
    assert jtn.balanceOf(client) == balance
    with refused(
        chain,
        jc,
        "TaskNotOpen",
        taskId=task.id,
        status=TaskStatus.CANCELLED,
        match="not open (status cancelled)",
    ):
        jc.tasks.cancel(task.id)


def test_dispute_and_resolve_by_the_arbiter(
    chain, jc, jw, ja, client, worker, arbiter, jtn, escrow, rules, dao
):
    task = submitted(jc, jw, 100 * WAD)
    client_balance, fees = jtn.balanceOf(client), escrow.accruedFees(jtn)
    result = jc.tasks.dispute(task.id)
    event = result.event("TaskDisputed")
    mined_at = chain.provider.web3.eth.get_block(result.block)["timestamp"]
    assert event.args["by"] == client.address
    assert event.args["arbitrationEnds"] == mined_at + rules.disputeWindow()
    assert jc.tasks.get(task.id).window_ends == mined_at + rules.disputeWindow()
    assert jc.tasks.get(task.id).status == TaskStatus.DISPUTED

    escrow_fn = ja.contracts.escrow.functions
    with refused(
        chain,
        jw,
        "NotArbiter",
        caller=worker.address,
        match="not an arbiter",
        contract_call=escrow_fn.resolve(task.id, 5_000),
    ):
        jw.tasks.resolve(task.id, 5_000)
    with refused(
        chain,
        ja,
        "InvalidShare",
        workerShareBps=10_001,
        contract_call=escrow_fn.resolve(task.id, 10_001),
    ):
        ja.tasks.resolve(task.id, 10_001)
    # An arbiter who is the task's worker may not judge it.
    rules.setArbiter(worker, True, sender=dao)
    with refused(
        chain,
        jw,
        "ArbiterIsParty",
        taskId=task.id,
        arbiter=worker.address,
        match="another arbiter must resolve it",
        contract_call=escrow_fn.resolve(task.id, 10_000),
    ):
        jw.tasks.resolve(task.id, 10_000)

    resolved = ja.tasks.resolve(task.id, 7_000).event("TaskResolved")
    assert resolved.args["arbiter"] == arbiter.address
    assert resolved.args["workerShareBps"] == 7_000
    assert resolved.args["workerAmount"] == 66_500_000_000_000_000_000  # 70 less 5% fee
    assert resolved.args["fee"] == 3_500_000_000_000_000_000
    assert resolved.args["clientAmount"] == 30 * WAD
    assert jtn.balanceOf(worker) == 66_500_000_000_000_000_000
    assert jtn.balanceOf(client) == client_balance + 30 * WAD
    assert escrow.accruedFees(jtn) == fees + 3_500_000_000_000_000_000
    assert ja.tasks.get(task.id).status == TaskStatus.RESOLVED


def test_settle_a_dispute_after_the_arbitration_window(chain, jc, jw, client, worker, jtn, rules):
    task = submitted(jc, jw, 100 * WAD)
    jw.tasks.dispute(task.id)
    ends = jw.tasks.get(task.id).window_ends
    with refused(
        chain,
        jc,
        "ArbitrationWindowActive",
        taskId=task.id,
        arbitrationEnds=ends,
        contract_call=jc.contracts.escrow.functions.settleDispute(task.id),
    ):
        jc.tasks.settle_dispute(task.id)
    warp(chain, rules.disputeWindow() + 1)
    balance = jtn.balanceOf(client)
    settled = jc.tasks.settle_dispute(task.id).event("TaskSettled")
    # Nobody ruled: the dispute is undone for the client, the worker gets nothing.
    assert settled.args == {
        "taskId": task.id,
        "by": client.address,
        "amount": 100 * WAD,
        "bonds": 0,
    }
    assert jtn.balanceOf(worker) == 0
    assert jtn.balanceOf(client) == balance + 100 * WAD
    assert jc.tasks.get(task.id).status == TaskStatus.RESOLVED


def test_collect_rewards(chain, jc, jw, client, worker, jtn, escrow):
    task = submitted(jc, jw, 200 * WAD)
    jc.tasks.approve(task.id)
    assert jw.tasks.rewards_owed() == 5 * WAD
    collected = jw.tasks.collect_rewards().event("RewardsCollected")
    assert collected.args == {"worker": worker.address, "amount": 5 * WAD}
    assert jtn.balanceOf(worker) == 195 * WAD
    assert escrow.rewardsOwed(worker) == 0
    with refused(
        chain,
        jw,
        "NothingToCollect",
        worker=worker.address,
        match="no work rewards",
        contract_call=jw.contracts.escrow.functions.collectRewards(worker.address),
    ):
        jw.tasks.collect_rewards()

    # Anyone may collect for a worker; the tokens go to the worker.
    task = submitted(jc, jw, 200 * WAD)
    jc.tasks.approve(task.id)
    client_balance = jtn.balanceOf(client)
    jc.tasks.collect_rewards(worker.address)
    assert jtn.balanceOf(worker) == 195 * WAD + 195 * WAD
    assert jtn.balanceOf(client) == client_balance


def test_timeline_is_the_task_history_in_order(jc, jw, ja, client, worker, arbiter):
    other = post(jc, 5 * WAD)
    task = submitted(jc, jw, 100 * WAD)
    jw.tasks.claim(other.id)
    jw.tasks.dispute(task.id)
    ja.tasks.resolve(task.id, 10_000)
    events = jc.tasks.timeline(task.id)
    assert [e.name for e in events] == [
        "TaskPosted",
        "TaskClaimed",
        "TaskSubmitted",
        "TaskDisputed",
        "TaskResolved",
    ]
    assert all(e.args["taskId"] == task.id and e.contract == "TaskEscrow" for e in events)
    assert [(e.block, e.log_index) for e in events] == sorted(
        (e.block, e.log_index) for e in events
    )
    assert events[0].args["client"] == client.address
    assert events[1].args["worker"] == worker.address
    assert events[3].args["by"] == worker.address
    assert events[4].args["arbiter"] == arbiter.address
    assert [e.name for e in jc.tasks.timeline(other.id)] == ["TaskPosted", "TaskClaimed"]
    assert jc.tasks.timeline(10_000) == []


# ---------------------------------------------------------------- finding tasks


def test_open_for_me_filters(chain, jc, jw, jw2, worker, worker2, reputation):
    jc.tasks.approve(submitted(jc, jw, 200 * WAD).id)  # the worker: 190 JTN, 100 points
    points = reputation.pointsOf(worker)
    assert points == 100 and reputation.pointsOf(worker2) == 0
    anyone = post(jc, 10 * WAD)
    skilled = post(jc, 10 * WAD, min_reputation=points // 2)
    expert = post(jc, 10 * WAD, min_reputation=points * 10)
    for_worker = post(jc, 10 * WAD, worker=worker.address)
    for_worker2 = post(jc, 10 * WAD, worker=worker2.address)
    expiring = post(jc, 10 * WAD, deadline=jc.block_timestamp() + 600)
    by_worker = post(jw, 10 * WAD)
    taken = post(jc, 10 * WAD)
    jw2.tasks.claim(taken.id)
    ours = {
        t.id for t in (anyone, skilled, expert, for_worker, for_worker2, expiring, by_worker, taken)
    }

    def open_ids(jeton):
        return {t.id for t in jeton.tasks.open_for_me()} & ours

    assert open_ids(jw) == {anyone.id, skilled.id, for_worker.id, expiring.id}
    assert open_ids(jw2) == {anyone.id, for_worker2.id, expiring.id, by_worker.id}
    assert open_ids(jc) == {by_worker.id}
    warp(chain, 601)
    assert open_ids(jw) == {anyone.id, skilled.id, for_worker.id}
    assert all(t.status == TaskStatus.OPEN for t in jw.tasks.open_for_me())

    # The filter and claim's pre-flight agree: what is offered can be claimed.
    jw.tasks.claim(skilled.id)
    with refused(
        chain,
        jw2,
        "ReputationTooLow",
        taskId=expert.id,
        points=0,
        required=1_000,
        match="needs 1000 reputation points and you have 0",
        contract_call=jw2.contracts.escrow.functions.claim(expert.id),
    ):
        jw2.tasks.claim(expert.id)


def test_list_and_get(chain, jc, jw, jw2, client, worker, worker2):
    first = post(jc, 10 * WAD)
    named = post(jc, 10 * WAD, worker=worker.address)
    claimed = post(jc, 10 * WAD)
    jw.tasks.claim(claimed.id)
    cancelled = post(jc, 10 * WAD)
    jc.tasks.cancel(cancelled.id)

    assert jc.tasks.count() == cancelled.id
    everything = jc.tasks.list()
    assert [t.id for t in everything] == list(range(1, jc.tasks.count() + 1))
    assert jc.tasks.get(first.id) == everything[first.id - 1]

    mine = {first.id, named.id, claimed.id, cancelled.id}
    assert {t.id for t in jc.tasks.list(client=client.address)} >= mine
    assert all(t.client == client.address for t in jc.tasks.list(client=client.address))
    assert [t.id for t in jc.tasks.list(worker=worker.address)] == [named.id, claimed.id]
    assert jc.tasks.list(worker=worker2.address) == []
    open_ids = {t.id for t in jc.tasks.list(status="open")}
    assert {first.id, named.id} <= open_ids and not {claimed.id, cancelled.id} & open_ids
    assert [t.id for t in jc.tasks.list(status=TaskStatus.CLAIMED, worker=worker.address)] == [
        claimed.id
    ]
    assert [t.id for t in jc.tasks.list(TaskStatus.CANCELLED, client=client.address)] == [
        cancelled.id
    ]
    assert jc.tasks.list(status="claimed", client=worker.address) == []
    with pytest.raises(JetonError, match="no task status 'lost'"):
        jc.tasks.list(status="lost")
    with pytest.raises(TaskNotFound, match=f"no task {cancelled.id + 1}"):
        jc.tasks.get(cancelled.id + 1)


# ---------------------------------------------------------------- refusals, call by call


def test_claim_refusals_send_nothing(chain, jc, jw, jw2, client, worker, worker2):
    escrow = jw.contracts.escrow.functions
    with refused(
        chain,
        jw,
        "TaskNotOpen",
        taskId=999,
        status=TaskStatus.NONE,
        contract_call=escrow.claim(999),
    ):
        jw.tasks.claim(999)
    task = post(jc, 10 * WAD, deadline=jc.block_timestamp() + 600)
    with refused(
        chain, jc, "ClientCannotWork", client=client.address, contract_call=escrow.claim(task.id)
    ):
        jc.tasks.claim(task.id)
    named = post(jc, 10 * WAD, worker=worker.address)
    with refused(
        chain,
        jw2,
        "NotNamedWorker",
        taskId=named.id,
        namedWorker=worker.address,
        match=f"reserved for {worker.address}",
        contract_call=escrow.claim(named.id),
    ):
        jw2.tasks.claim(named.id)
    warp(chain, 601)
    with refused(
        chain,
        jw,
        "DeadlinePassed",
        taskId=task.id,
        deadline=task.deadline,
        contract_call=escrow.claim(task.id),
    ):
        jw.tasks.claim(task.id)
    jw.tasks.claim(named.id)
    with refused(
        chain,
        jw2,
        "TaskNotOpen",
        taskId=named.id,
        status=TaskStatus.CLAIMED,
        contract_call=escrow.claim(named.id),
    ):
        jw2.tasks.claim(named.id)


def test_submit_refusals_send_nothing(chain, jc, jw, jw2, worker2):
    escrow = jw.contracts.escrow.functions
    task = post(jc, 10 * WAD, deadline=jc.block_timestamp() + 600)
    with refused(
        chain,
        jw,
        "TaskNotClaimed",
        taskId=task.id,
        status=TaskStatus.OPEN,
        contract_call=escrow.submit(task.id, b"\x01" * 32),
    ):
        jw.tasks.submit(task.id, "ipfs://early")
    jw.tasks.claim(task.id)
    with refused(
        chain,
        jw2,
        "NotTaskWorker",
        taskId=task.id,
        caller=worker2.address,
        contract_call=escrow.submit(task.id, b"\x01" * 32),
    ):
        jw2.tasks.submit(task.id, "ipfs://not-mine")
    warp(chain, 601)
    with refused(
        chain,
        jw,
        "DeadlinePassed",
        taskId=task.id,
        deadline=task.deadline,
        match="has passed",
        contract_call=escrow.submit(task.id, b"\x01" * 32),
    ):
        jw.tasks.submit(task.id, "ipfs://late")


def test_approve_release_cancel_reclaim_refusals_send_nothing(chain, jc, jw, jw2, worker, worker2):
    escrow = jw.contracts.escrow.functions
    task = post(jc, 10 * WAD)
    with refused(
        chain,
        jc,
        "TaskNotSubmitted",
        taskId=task.id,
        status=TaskStatus.OPEN,
        contract_call=escrow.approve(task.id),
    ):
        jc.tasks.approve(task.id)
    with refused(
        chain,
        jw,
        "NotTaskClient",
        taskId=task.id,
        caller=worker.address,
        contract_call=escrow.cancel(task.id),
    ):
        jw.tasks.cancel(task.id)
    with refused(
        chain,
        jc,
        "TaskNotClaimed",
        taskId=task.id,
        status=TaskStatus.OPEN,
        contract_call=escrow.reclaim(task.id),
    ):
        jc.tasks.reclaim(task.id)
    jw.tasks.claim(task.id)
    with refused(
        chain,
        jc,
        "TaskNotOpen",
        taskId=task.id,
        status=TaskStatus.CLAIMED,
        contract_call=escrow.cancel(task.id),
    ):
        jc.tasks.cancel(task.id)
    with refused(
        chain,
        jw,
        "NotTaskClient",
        taskId=task.id,
        caller=worker.address,
        contract_call=escrow.reclaim(task.id),
    ):
        jw.tasks.reclaim(task.id)
    jw.tasks.submit(task.id, "ipfs://work")
    with refused(
        chain,
        jw,
        "NotTaskClient",
        taskId=task.id,
        caller=worker.address,
        match="only the client",
        contract_call=escrow.approve(task.id),
    ):
        jw.tasks.approve(task.id)
    with refused(
        chain,
        jw2,
        "NotTaskWorker",
        taskId=task.id,
        caller=worker2.address,
        contract_call=escrow.release(task.id),
    ):
        jw2.tasks.release(task.id)


def test_dispute_resolve_settle_refusals_send_nothing(chain, jc, jw, jw2, ja, worker2, rules):
    escrow = jw.contracts.escrow.functions
    task = submitted(jc, jw)
    with refused(
        chain,
        jw2,
        "NotTaskParty",
        taskId=task.id,
        caller=worker2.address,
        match="only the client or the worker",
        contract_call=escrow.dispute(task.id),
    ):
        jw2.tasks.dispute(task.id)
    with refused(
        chain,
        ja,
        "TaskNotDisputed",
        taskId=task.id,
        status=TaskStatus.SUBMITTED,
        contract_call=escrow.resolve(task.id, 5_000),
    ):
        ja.tasks.resolve(task.id, 5_000)
    with refused(
        chain,
        jc,
        "TaskNotDisputed",
        taskId=task.id,
        status=TaskStatus.SUBMITTED,
        contract_call=escrow.settleDispute(task.id),
    ):
        jc.tasks.settle_dispute(task.id)
    review_ends = jc.tasks.get(task.id).window_ends
    warp(chain, rules.reviewPeriod() + 1)
    with refused(
        chain,
        jc,
        "ReviewPeriodOver",
        taskId=task.id,
        reviewEnds=review_ends,
        contract_call=escrow.dispute(task.id),
    ):
        jc.tasks.dispute(task.id)

    other = disputed(jc, jw)
    with refused(
        chain,
        jw2,
        "NotTaskParty",
        taskId=other.id,
        caller=worker2.address,
        contract_call=escrow.settleDispute(other.id),
    ):
        jw2.tasks.settle_dispute(other.id)
    with refused(chain, ja, "InvalidShare", workerShareBps=-1):
        ja.tasks.resolve(other.id, -1)
    warp(chain, rules.disputeWindow() + 1)
    with refused(
        chain,
        ja,
        "ArbitrationWindowOver",
        taskId=other.id,
        arbitrationEnds=jc.tasks.get(other.id).window_ends,
        match="can no longer rule",
        contract_call=escrow.resolve(other.id, 5_000),
    ):
        ja.tasks.resolve(other.id, 5_000)


# ---------------------------------------------------------------- bonds


@pytest.fixture
def staked(jtn, deployer, worker):
    """The worker holds 1,000 JTN for bonds."""
    jtn.transfer(worker, 1_000 * WAD, sender=deployer)
    return 1_000 * WAD


def test_claim_stakes_the_bond_in_one_transaction(chain, jc, jw, worker, jtn, escrow, staked):
    task = post(jc, 100 * WAD, bond_bps=2_000)
    assert task.bond == 20 * WAD
    before, permits = nonce(chain, worker), jtn.nonces(worker)
    claim = jw.tasks.claim(task.id)
    assert nonce(chain, worker) == before + 1  # claimWithPermit
    assert jtn.nonces(worker) == permits + 1 and jtn.allowance(worker, escrow) == 0
    assert claim.event("TaskClaimed").args["bond"] == 20 * WAD
    assert jtn.balanceOf(worker) == staked - 20 * WAD
    jw.tasks.submit(task.id, "ipfs://work")
    completed = jc.tasks.approve(task.id).event("TaskCompleted")
    assert completed.args["bond"] == 20 * WAD
    assert jtn.balanceOf(worker) == staked + 95 * WAD  # the pay, and the bond back


def test_a_bond_in_a_token_without_permit_is_approved_first(
    chain, project, deployer, dao, rules, jc, jw, client, worker
):
    plain = project.ReentrantToken.deploy(sender=deployer)  # disarmed: a plain ERC-20
    rules.setPaymentToken(plain, True, WAD, sender=dao)
    for who in (client, worker):
        plain.mint(who, 500 * WAD, sender=deployer)
    task = post(jc, 100 * WAD, token=plain.address, bond_bps=1_000)
    before = nonce(chain, worker)
    jw.tasks.claim(task.id)
    assert nonce(chain, worker) == before + 2  # approve, then claim
    assert plain.balanceOf(worker) == 490 * WAD


def test_the_client_stakes_a_dispute_bond(chain, jc, jw, ja, client, worker, jtn, staked):
    task = submitted(jc, jw, 100 * WAD, bond_bps=1_000)
    balance, before = jtn.balanceOf(client), nonce(chain, client)
    disputed_ = jc.tasks.dispute(task.id).event("TaskDisputed")
    assert nonce(chain, client) == before + 1  # disputeWithPermit
    assert disputed_.args["bond"] == 10 * WAD
    assert jtn.balanceOf(client) == balance - 10 * WAD
    # The arbiter sides with the worker: both bonds go to it.
    resolved = ja.tasks.resolve(task.id, 10_000).event("TaskResolved")
    assert resolved.args["bonds"] == 20 * WAD
    assert jtn.balanceOf(worker) == staked + 95 * WAD + 10 * WAD


def test_a_claim_without_the_bond_is_refused_before_sending(chain, jc, jw, worker):
    """The worker holds no JTN: the simulation of claimWithPermit finds the token's refusal,
    and nothing is sent (the permit is signed, never used)."""
    task = post(jc, 100 * WAD, bond_bps=1_000)
    with refused(
        chain,
        jw,
        "ERC20InsufficientBalance",
        sender=worker.address,
        balance=0,
        needed=10 * WAD,
        match="get more tokens",
    ):
        jw.tasks.claim(task.id)
    assert jw.tasks.get(task.id).status == TaskStatus.OPEN


# ---------------------------------------------------------------- pull payments


def test_a_frozen_worker_withdraws_later(
    chain, project, deployer, dao, rules, jc, jw, client, worker
):
    fusd = project.FreezableToken.deploy(sender=deployer)
    rules.setPaymentToken(fusd, True, 10**6, sender=dao)
    fusd.mint(client, 1_000 * 10**6, sender=deployer)
    task = submitted(jc, jw, 100 * 10**6, token=fusd.address)
    fusd.freeze(worker, True, sender=deployer)
    result = jc.tasks.approve(task.id)
    owed = result.event("PaymentOwed").args
    assert owed == {
        "taskId": task.id,
        "token": fusd.address,
        "recipient": worker.address,
        "amount": 95 * 10**6,
    }
    assert jw.tasks.owed(fusd.address) == 95 * 10**6
    assert jc.tasks.owed(fusd.address, worker.address) == 95 * 10**6
    with refused(
        chain,
        jc,
        "NothingToWithdraw",
        token=fusd.address,
        recipient=client.address,
        match="nothing to withdraw",
    ):
        jc.tasks.withdraw(fusd.address)
    fusd.freeze(worker, False, sender=deployer)
    withdrawn = jw.tasks.withdraw(fusd.address).event("Withdrawn").args
    assert withdrawn == {"token": fusd.address, "recipient": worker.address, "amount": 95 * 10**6}
    assert fusd.balanceOf(worker) == 95 * 10**6 and jw.tasks.owed(fusd.address) == 0


def test_anyone_sweeps_the_fees_to_the_treasury(chain, jc, jw, jtn, timelock, rules):
    fees = jc.tasks.accrued_fees()
    treasury = jtn.balanceOf(timelock)
    jc.tasks.approve(submitted(jc, jw, 200 * WAD).id)
    assert jc.tasks.accrued_fees() == fees + 10 * WAD
    swept = jw.tasks.sweep_fees().event("FeesSwept").args
    assert swept["treasury"] == rules.treasury() == timelock.address
    assert jtn.balanceOf(timelock) == treasury + swept["amount"] == treasury + fees + 10 * WAD - 1
    assert jc.tasks.accrued_fees() == 1  # one base unit stays
    with refused(chain, jw, "NothingToSweep", token=jtn.address, match="since the last sweep"):
        jw.tasks.sweep_fees()
