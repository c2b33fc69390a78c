"""History from the event index (`jeton.events`, `jeton.history`): logs decoded as web3.py decodes
them, streams that read only new blocks, windows, wider streams answering narrower questions, a
reverted chain noticed, and the task book (statuses, open tasks, timelines) built on them.
"""

from collections import Counter

import pytest
from helpers import mine_past, record_batches
from jeton import TaskStatus, Vote
from jeton.decoding import EventDecoder
from jeton.history import event_from_log

WAD = 10**18
DAY = 86_400


def post(j, amount=10, **kwargs):
    """A task by `j` asking no claim bond (the workers here hold no tokens)."""
    kwargs.setdefault("deadline", j.block_timestamp() + 5 * DAY)
    return j.tasks.post(amount * WAD, spec="brief", bond_bps=0, **kwargs)


def every_log(j, since):
    """Every log of the deployment's contracts since block `since`, as the node sends them."""
    query = {"address": list(j.deployment.addresses.values()), "fromBlock": hex(since)}
    return j.rpc.request("eth_getLogs", [query])


def test_logs_decode_as_web3_decodes_them(connect, members, jc, jw, ja, chain):
    """Task events, reputation, votes, and a proposal's arrays and strings: the index's own
    decoding gives what web3.py's gives, log for log."""
    since = chain.blocks.height + 1
    task = post(jc, 20)
    jw.tasks.claim(task.id)
    jw.tasks.submit(task.id, "ipfs://work")
    jc.tasks.dispute(task.id)
    ja.tasks.resolve(task.id, 6_000)
    other = post(jc, 30)
    jw.tasks.claim(other.id)
    jw.tasks.submit(other.id, "ipfs://other")
    jc.tasks.approve(other.id)
    chair, member, _ = members
    proposal = chair.gov.propose_fee(450, "Lower the fee a little")
    mine_past(proposal.snapshot)
    member.gov.vote(proposal.id, Vote.FOR, reason="fair to workers")
    logs = every_log(jc, since)
    decoder = EventDecoder((n, c.address, c.abi) for n, c in jc.contracts)
    ours = [decoder.decode(log) for log in logs]
    theirs = []
    addresses = list(jc.deployment.addresses.values())
    for log in jc.w3.eth.get_logs({"address": addresses, "fromBlock": since}):
        name = jc.contracts.name_of(log["address"])
        events = jc.contracts[name].events
        decoded = next(d for event in events if (d := _try(event, log)) is not None)
        theirs.append(event_from_log(decoded, name))
    assert Counter(e.name for e in ours) >= Counter(
        {"TaskPosted": 2, "TaskResolved": 1, "ReputationChanged": 2, "ProposalCreated": 1}
    )
    assert ours == theirs


def _try(event, log):
    try:
        return event().process_log(log)
    except Exception:  # another event of the contract
        return None


def test_a_second_query_reads_only_new_blocks(jc, monkeypatch):
    first = post(jc)
    sent = record_batches(jc, monkeypatch)
    found = jc.events.query("TaskEscrow", ["TaskPosted"], {"client": jc.address})
    assert found[-1].args["taskId"] == first.id
    reads = len(sent)
    assert reads >= 2  # the head, then the chain from the deployment block in windows
    again = jc.events.query("TaskEscrow", ["TaskPosted"], {"client": jc.address})
    assert again == found and len(sent) == reads + 1  # one round trip: nothing new
    assert sent[-1] == ["eth_getBlockByNumber", "eth_getBlockByNumber", "eth_getLogs"]
    second = post(jc)
    del sent[:]
    latest = jc.events.query("TaskEscrow", ["TaskPosted"], {"client": jc.address})
    assert [e.args["taskId"] for e in latest[-2:]] == [first.id, second.id]
    assert len(sent) == 1  # the new block's logs, with the head, in one round trip
    assert "eth_blockNumber" not in [m for batch in sent for m in batch]


def test_windows_give_the_same_events(connect, jc, client):
    tasks = [post(jc, amount).id for amount in (1, 2, 3)]
    wide = connect(client)
    narrow = connect(client)
    narrow.events.window = 2  # a few blocks per eth_getLogs: many windows
    requests = narrow.rpc.requests
    assert narrow.events.query("TaskEscrow", ["TaskPosted"]) == wide.events.query(
        "TaskEscrow", ["TaskPosted"]
    )
    head = narrow.w3.eth.block_number
    assert narrow.rpc.requests - requests >= (head - narrow.deployment.block) // 2
    assert [e.args["taskId"] for e in narrow.events.query("TaskEscrow", ["TaskPosted"])][
        -3:
    ] == tasks


def test_a_wider_stream_answers_narrower_questions(jc, jw, monkeypatch):
    task = post(jc)
    jw.tasks.claim(task.id)
    jc.tasks.timelines()  # every task event of the escrow: one wide stream
    sent = record_batches(jc, monkeypatch)
    claimed = jc.events.query("TaskEscrow", ["TaskClaimed"], {"taskId": task.id})
    assert [(e.name, e.args["worker"]) for e in claimed] == [("TaskClaimed", jw.address)]
    assert len(sent) == 1  # no first read of a new stream: the wide one, brought up to date
    mine = jc.events.query("TaskEscrow", ["TaskPosted", "TaskClaimed"], {"taskId": [task.id, 0]})
    assert [e.name for e in mine] == ["TaskPosted", "TaskClaimed"]
    with pytest.raises(KeyError, match="no indexed argument 'amount'"):
        jc.events.query("TaskEscrow", ["TaskPosted"], {"amount": 1})
    with pytest.raises(KeyError, match="no event 'TaskLost'"):
        jc.events.query("TaskEscrow", ["TaskLost"])


def test_a_reverted_chain_is_noticed_and_read_again(jc, chain):
    before = chain.snapshot()
    kept = post(jc, 5)
    assert jc.tasks.timelines()[kept.id][0].args["amount"] == 5 * WAD
    chain.restore(before)
    replaced = post(jc, 7)  # the same id, on another chain of blocks
    assert replaced.id == kept.id
    timelines = jc.tasks.timelines()
    assert timelines[kept.id][0].args["amount"] == 7 * WAD
    assert [e.name for e in timelines[kept.id]] == ["TaskPosted"]


def test_the_task_book_follows_every_status(jc, jw, jw2, chain):
    opened = post(jc)
    claimed = post(jc)
    submitted = post(jc)
    cancelled = post(jc)
    jw.tasks.claim(claimed.id)
    jw.tasks.claim(submitted.id)
    jw.tasks.submit(submitted.id, "ipfs://done")
    jc.tasks.cancel(cancelled.id)
    book = jc.tasks.book
    book.refresh()
    stored = {t.id: t.status for t in jc.tasks.list()}
    assert book.status == stored
    assert book.open == {i for i, s in stored.items() if s == TaskStatus.OPEN}
    assert opened.id in book.open and claimed.id not in book.open
    jw2.tasks.claim(opened.id)
    book.refresh()
    assert book.status[opened.id] == TaskStatus.CLAIMED and opened.id not in book.open
    assert [e.name for e in book.timelines[submitted.id]] == [
        "TaskPosted",
        "TaskClaimed",
        "TaskSubmitted",
    ]
    assert book.posted[cancelled.id].args["client"] == jc.address


def test_timelines_are_each_task_timeline(connect, jc, jw, client):
    ids = [post(jc).id for _ in range(3)]
    jw.tasks.claim(ids[0])
    jw.tasks.submit(ids[0], "ipfs://work")
    jc.tasks.approve(ids[0])
    timelines = jc.tasks.timelines()
    fresh = connect(client)  # no book read: one query of this task's events each
    for task_id in ids:
        assert fresh.tasks.timeline(task_id) == timelines[task_id] == jc.tasks.timeline(task_id)
    assert [e.name for e in timelines[ids[0]]][-1] == "TaskCompleted"
    assert jc.tasks.timeline(10_000) == fresh.tasks.timeline(10_000) == []


def test_open_for_me_reads_only_what_happened_since(jc, jw, monkeypatch):
    first = post(jc)
    assert first.id in {t.id for t in jw.tasks.open_for_me()}
    for _ in range(3):
        post(jc)
    count = jw.tasks.count()
    sent = record_batches(jw, monkeypatch)
    found = {t.id for t in jw.tasks.open_for_me()}
    assert first.id in found and max(found) == count
    # The new events with the head, then the open tasks and the wallet's points: two trips,
    # however many tasks the escrow has seen.
    assert len(sent) == 2 and "eth_getLogs" in sent[0]
    assert sent[1].count("eth_call") == len(jw.tasks.book.open) + 1


def test_the_tokens_of_tasks_are_read_once(jc, usd, monkeypatch):
    jtn_task = post(jc)
    usd_task = jc.tasks.post(
        10 * 10**6, deadline=jc.block_timestamp() + DAY, spec="x", token=usd.address, bond_bps=0
    )
    tokens = jc.tasks.tokens_of([jtn_task.id, usd_task.id, 10_000])
    assert tokens == {jtn_task.id: jc.contracts.token.address, usd_task.id: usd.address}
    sent = record_batches(jc, monkeypatch)
    assert jc.tasks.tokens_of([usd_task.id]) == {usd_task.id: usd.address}
    assert sent == []
