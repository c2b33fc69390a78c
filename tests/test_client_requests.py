"""What the client asks of the node for a transaction: one batched round trip before signing
(the simulation, with the nonce, the fees, the wallet's ETH and any reads the call needs), then
the transaction with its receipt; nothing before a refusal but that one round trip; and what
can not change during a connection (chain id, token metadata, permit domains) read once.
"""

import pytest
from helpers import DAY, mine_past, record_batches
from jeton.errors import DeadlinePassed, TaskNotSubmitted
from web3 import Web3

WAD = 10**18
PREPARE = ["eth_estimateGas", "eth_getTransactionCount", "eth_getBalance", "eth_getBlockByNumber"]


def until_sent(sent):
    """The round trips before the transaction was sent."""
    return sent[: next(i for i, b in enumerate(sent) if "eth_sendRawTransaction" in b)]


def post(j, deadline=None):
    deadline = deadline or j.block_timestamp() + 7 * DAY
    return j.tasks.post(10 * WAD, deadline=deadline, spec="brief", bond_bps=0)


def test_a_call_is_one_round_trip_before_signing(jc, jw, monkeypatch):
    task = post(jc)
    jw.tasks.claim(task.id)
    sent = record_batches(jw, monkeypatch)
    jw.tasks.submit(task.id, "ipfs://work")
    before = until_sent(sent)
    assert len(before) == 1 and before[0][:4] == PREPARE
    assert "eth_call" not in before[0]  # no pre-flight read: the simulation checks it all
    assert sent[1][:2] == ["eth_sendRawTransaction", "eth_getTransactionReceipt"]


def test_a_claim_reads_its_task_with_its_simulation(jc, jw, monkeypatch):
    task = post(jc)
    sent = record_batches(jw, monkeypatch)
    jw.tasks.claim(task.id)
    before = until_sent(sent)
    assert len(before) == 1  # no bond: the plain claim simulated, the task read alongside
    assert before[0][:4] == PREPARE and "eth_call" in before[0]


def test_a_bond_is_staked_with_a_permit_in_two_round_trips(
    jc, jw, jtn, deployer, worker, monkeypatch
):
    jtn.transfer(worker, 100 * WAD, sender=deployer)
    task = jc.tasks.post(100 * WAD, deadline=jc.block_timestamp() + DAY, spec="x", bond_bps=1000)
    sent = record_batches(jw, monkeypatch)
    claimed = jw.tasks.claim(task.id)
    assert claimed.event("TaskClaimed").args["bond"] == 10 * WAD
    before = until_sent(sent)
    # The plain claim (refused for want of allowance) with the task and the permit's reads,
    # then the claim with the permit: two round trips.
    assert len(before) == 2 and all(b[:4] == PREPARE for b in before)


def test_posting_with_a_permit_reads_once_per_token(jc, monkeypatch):
    deadline = post(jc).deadline
    sent = record_batches(jc, monkeypatch)
    task = post(jc, deadline)
    assert task.amount == 10 * WAD and task.client == jc.address
    before = until_sent(sent)
    assert len(before) == 2  # the plain post with the permit's reads, then the permit's post
    reads = before[0].count("eth_call")
    assert reads == 3  # allowance, nonce, balance: the token's permit domain is remembered
    after = sent[len(before) :]
    assert all("eth_call" not in b for b in after)  # the task comes from its event


def test_a_refusal_costs_one_round_trip_and_sends_nothing(jc, monkeypatch):
    task = post(jc)
    sent = record_batches(jc, monkeypatch)
    with pytest.raises(TaskNotSubmitted) as refused:
        jc.tasks.approve(task.id)
    assert refused.value.inputs["taskId"] == task.id
    assert len(sent) == 1 and sent[0][:4] == PREPARE


def test_a_refusal_tells_its_times_by_the_chain_clock(jc, jw, chain):
    task = jc.tasks.post(WAD, deadline=jc.block_timestamp() + 600, spec="x", bond_bps=0)
    chain.pending_timestamp += 3_600
    chain.mine()
    with pytest.raises(DeadlinePassed) as refused:
        jw.tasks.claim(task.id)
    assert refused.value.inputs["deadline"] == task.deadline
    assert "ago)" in str(refused.value)  # "...Z (1 hour ago)": by the chain's clock


def test_nothing_that_can_not_change_is_asked_twice(jc, jw, monkeypatch):
    post(jc)
    counts = []
    sessions = jc.w3.provider._request_session_manager
    original = sessions.make_post_request

    def counted(endpoint, data, **kwargs):
        counts.append(data)
        return original(endpoint, data, **kwargs)

    monkeypatch.setattr(sessions, "make_post_request", counted)
    post(jc)
    jc.token_info()
    bodies = b"".join(counts)
    assert b"eth_chainId" not in bodies  # asked once, when connecting
    for signature in ("symbol()", "decimals()", "eip712Domain()"):
        selector = Web3.keccak(text=signature)[:4].hex().removeprefix("0x")
        assert selector.encode() not in bodies  # read once per token and connection


def test_a_vote_is_one_round_trip_before_signing(members, monkeypatch):
    chair, member, _ = members
    proposal = chair.gov.propose_fee(450, "Lower the fee a little")
    mine_past(proposal.snapshot)
    sent = record_batches(member, monkeypatch)
    member.gov.vote(proposal.id, "for")
    before = until_sent(sent)
    assert len(before) == 1 and before[0][:4] == PREPARE  # the governor's simulation checks


def test_proposals_are_read_in_two_round_trips(members, monkeypatch):
    chair, member, _ = members
    member.gov.proposals()  # the first read of the events (the head, then windows)
    for bps in (450, 460, 470):
        chair.gov.propose_fee(bps, f"Fee at {bps}")
    sent = record_batches(member, monkeypatch)
    proposals = member.gov.proposals()
    assert [p.changes[0].new_value for p in proposals][-3:] == [450, 460, 470]
    # The new events (the head with them), then every proposal's state, tally and times, and
    # the rules' values now, in one batch.
    assert len(sent) == 2 and "eth_getLogs" in sent[0]
