"""What the library reads for the web app (and any other reader): a page of tasks newest first
in one batched request, why an account may not claim a task, and a proposal's tally with token
and reputation votes apart.
"""

import pytest
from helpers import mine_past
from jeton import ProposalState, Vote
from jeton.errors import ClientCannotWork, NotNamedWorker, ReputationTooLow

WAD = 10**18
MILLION = 10**6 * WAD
DAY = 86_400


def post(j, amount=10, **kwargs):
    """A task by `j`, asking no claim bond (the workers here hold no tokens)."""
    return j.tasks.post(
        amount * WAD, deadline=j.block_timestamp() + 5 * DAY, spec="x", bond_bps=0, **kwargs
    )


def count_requests(j, monkeypatch):
    """A list that gets the body of each HTTP request `j` sends from now on (but web3.py's own
    eth_chainId checks)."""
    sent = []
    sessions = j.w3.provider._request_session_manager
    post = sessions.make_post_request

    def counted(endpoint, data, **kwargs):
        if b'"eth_chainId"' not in data:
            sent.append(data)
        return post(endpoint, data, **kwargs)

    monkeypatch.setattr(sessions, "make_post_request", counted)
    return sent


def test_a_page_of_tasks_newest_first_in_one_batch(jc, jw, monkeypatch):
    ids = [post(jc, amount).id for amount in (11, 12, 13, 14, 15)]
    jw.tasks.claim(ids[1])

    sent = count_requests(jc, monkeypatch)
    first = jc.tasks.page(2)
    assert len(sent) == 2  # taskCount, then the tasks in one batch request
    assert [t.id for t in first.tasks] == [ids[4], ids[3]]
    assert first.total == len(ids) and first.next_before == ids[3]
    assert first.tasks[0].amount == 15 * WAD and first.tasks[0].client == jc.address

    second = jc.tasks.page(2, before=first.next_before)
    assert [t.id for t in second.tasks] == [ids[2], ids[1]]
    last = jc.tasks.page(2, before=second.next_before)
    assert [t.id for t in last.tasks] == [ids[0]] and last.next_before is None

    claimed = jc.tasks.page(10, status="claimed")
    assert [t.id for t in claimed.tasks] == [ids[1]] and claimed.next_before is None
    assert claimed.tasks[0].worker == jw.address
    assert [t.id for t in jc.tasks.page(10, status="open").tasks] == [
        ids[4],
        ids[3],
        ids[2],
        ids[0],
    ]
    assert jc.tasks.page(3, before=1).tasks == []
    with pytest.raises(ValueError, match="at least one task"):
        jc.tasks.page(0)


def test_why_an_account_may_not_claim(jc, jw, jw2, connect, worker2):
    open_task = post(jc)
    reserved = post(jc, worker=jw2.address)
    skilled = post(jc, min_reputation=100)

    assert jc.tasks.claim_refusal(open_task, jw.address) is None
    own = jc.tasks.claim_refusal(open_task, jc.address)
    assert isinstance(own, ClientCannotWork) and own.inputs["client"] == jc.address
    other = jc.tasks.claim_refusal(reserved, jw.address)
    assert isinstance(other, NotNamedWorker) and other.inputs["namedWorker"] == jw2.address
    assert jc.tasks.claim_refusal(reserved, worker2.address) is None
    low = jc.tasks.claim_refusal(skilled, jw.address)
    assert isinstance(low, ReputationTooLow)
    assert (low.inputs["points"], low.inputs["required"]) == (0, 100)
    assert "needs 100 reputation points and you have 0" in low.explanation
    # `open_for_me` is the same check, over every open task.
    assert [t.id for t in jw.tasks.open_for_me()] == [open_task.id]


def test_a_tally_with_token_and_reputation_votes_apart(
    connect, deployer, client, alice, jc, jw, votes, reputation, jtn
):
    # A worker earns reputation (one paid task), and votes with it alone.
    task = post(jc, 1000)
    jw.tasks.claim(task.id)
    jw.tasks.submit(task.id, "ipfs://delivery")
    jc.tasks.approve(task.id)
    points = reputation.pointsOf(jw.address)
    assert points > 0
    chair, member = connect(deployer), connect(alice)
    for j in (chair, member):
        j.gov.delegate()

    proposal = chair.gov.propose_fee(450, "A smaller fee")
    mine_past(proposal.snapshot)
    chair.gov.vote(proposal.id, "for")
    member.gov.vote(proposal.id, "against", reason="the treasury needs it")
    jw.gov.vote(proposal.id, "for", reason="cheaper tasks")

    tally = jw.gov.tally(proposal.id)
    worker_weight = points * votes.reputationWeight()
    worker_tokens = jtn.getPastVotes(jw.address, proposal.snapshot)
    assert worker_tokens == 0  # the worker never delegated its pay
    assert tally.tokens == {Vote.FOR: 10 * MILLION, Vote.AGAINST: 10 * MILLION, Vote.ABSTAIN: 0}
    assert tally.reputation == {Vote.FOR: worker_weight, Vote.AGAINST: 0, Vote.ABSTAIN: 0}
    assert [(r.voter, r.support, tokens) for r, tokens in tally.votes] == [
        (deployer.address, Vote.FOR, 10 * MILLION),
        (alice.address, Vote.AGAINST, 10 * MILLION),
        (jw.address, Vote.FOR, 0),
    ]
    current = jw.gov.proposal(proposal.id)
    assert current.state == ProposalState.ACTIVE
    assert current.for_votes == tally.tokens[Vote.FOR] + tally.reputation[Vote.FOR]
