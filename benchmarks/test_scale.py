"""The escrow and the library as the tasks pile up: the lifecycle's gas at tasks 1, 100, 1,000
and 10,000, the client's wall time against bare web3.py, and history rebuilt at 1,000 and 10,000
tasks against bare web3.py (`make bench`; `JETON_BENCH=smoke` runs it small).

It runs on a chain of its own (`own_chain`: anvil without the step traces Ape's keeps). The
earlier tasks are whole lifecycles set up in bulk (`bulk.py`) by other workers and a client of
their own; the measured lifecycle (sent by web3.py, as the baseline sends it) is by a returning,
self-delegated worker. Times are medians
of rounds that alternate the library and its baseline, on a machine other work may share:
compare the ratios, not the absolute times, between runs.
"""

import gc
import statistics
import time

from baseline import BareSender, bare_earnings, bare_timelines, counting
from bulk import Bulk
from jeton import Jeton, Wallet
from jeton.tasks.book import task_event_names
from table import Target

WAD = 10**18
DAY = 86_400
#: The measured and the timed tasks pay enough for their fee to earn reputation (0.1 JTN of
#: fee a point), as in the gas benchmark: an approve then writes every checkpoint it can.
AMOUNT = 1_000 * WAD
#: Rebuilds of each history, alternating library and baseline (the median is kept).
HISTORY_ROUNDS = 5
#: Test accounts: the bulk's client and workers, the measured lifecycle's client and worker,
#: the library's and bare web3.py's clients and workers in the timing.
BULK_CLIENT, BULK_WORKERS = 0, (6, 7, 8)
GAS_CLIENT, GAS_WORKER = 1, 4
LIB_CLIENT, LIB_WORKER = 2, 5
BARE_CLIENT, BARE_WORKER = 3, 9


def test_scale(own_chain, scale, bench):
    url, deployment = own_chain.url, own_chain.deployment
    reader = Jeton.connect(url, deployment=deployment)
    token, escrow = reader.contracts.token, reader.contracts.escrow
    _fund(reader, own_chain)
    workers = [own_chain.address(i) for i in BULK_WORKERS]
    bulk = Bulk(url, escrow, token, own_chain.address(BULK_CLIENT), workers)
    keys = own_chain.keys
    measured = BareSender(reader.w3, escrow, token, keys[GAS_CLIENT], keys[GAS_WORKER])
    gas, per_event = {}, {}
    for count in scale.counts:
        bulk.tasks(count - 1 - int(escrow.functions.taskCount().call()))
        gas[count] = measured.lifecycle(AMOUNT)
        assert measured.task_id == count
        bench.gas_by_count[count] = gas[count]
        if count == scale.counts[1]:
            _client(own_chain, scale, bench)
        if count in scale.history:
            size = "small" if count == scale.history[0] else "large"
            per_event[size] = _history(reader, own_chain, workers[0], count, size, bench)
    bench.add(
        "history",
        "history.linear",
        "timelines: time per event, large against small",
        per_event["large"] / per_event["small"],
        "×",
        Target(1.5, "≤ 1.5× (linear)"),
    )
    early, late = scale.counts[1], scale.counts[-1]
    bench.add(
        "escrow gas",
        "gas.lifecycle",
        f"lifecycle, no bond, task {early:,} (permit-post, claim, submit, approve)",
        sum(gas[early].values()),
        "gas",
    )
    growth = (sum(gas[late].values()) / sum(gas[early].values()) - 1) * 100
    bench.add(
        "escrow gas",
        "gas.growth",
        f"lifecycle at task {late:,} against task {early:,}",
        growth,
        "%",
        Target(1.0, "≤ +1%"),
    )
    _cursor(bulk, own_chain, bench)


def _fund(reader, own_chain):
    """The measured worker votes with its tokens (self-delegated); bare web3.py's client gets
    tokens to post with (the genesis gave them to test accounts 0 to 2)."""
    token = reader.contracts.token.functions
    worker, bare_client = own_chain.address(GAS_WORKER), own_chain.address(BARE_CLIENT)
    for fn, sender in (
        (token.delegate(worker), worker),
        (token.transfer(bare_client, 1_000_000 * WAD), own_chain.address(BULK_CLIENT)),
    ):
        receipt = reader.w3.eth.wait_for_transaction_receipt(fn.transact({"from": sender}))
        assert receipt["status"] == 1


def _client(own_chain, scale, bench):
    """The library's lifecycle (post with a permit, claim, submit, approve) against bare
    web3.py's, by other accounts: wall time, and requests per transaction."""

    def connect(index):
        wallet = Wallet.from_key(own_chain.keys[index])
        return Jeton.connect(own_chain.url, account=wallet, deployment=own_chain.deployment)

    jc, jw = connect(LIB_CLIENT), connect(LIB_WORKER)
    deadline = jc.block_timestamp() + 365 * DAY

    def library():
        task = jc.tasks.post(AMOUNT, deadline=deadline, spec="benchmark", bond_bps=0)
        jw.tasks.claim(task.id)
        jw.tasks.submit(task.id, "ipfs://work")
        jc.tasks.approve(task.id)

    w3 = jc.w3
    keys = (own_chain.keys[BARE_CLIENT], own_chain.keys[BARE_WORKER])
    bare = BareSender(w3, jc.contracts.escrow, jc.contracts.token, *keys)
    library()  # warm: token metadata, permit domains, connections
    bare.lifecycle(AMOUNT)
    times: dict[str, list[float]] = {"library": [], "bare": []}
    for _ in range(scale.rounds):
        for name, run in (("library", library), ("bare", lambda: bare.lifecycle(AMOUNT))):
            started = time.perf_counter()
            for _ in range(scale.lifecycles):
                run()
            times[name].append((time.perf_counter() - started) / scale.lifecycles * 1000)
    lib_ms, bare_ms = statistics.median(times["library"]), statistics.median(times["bare"])
    with counting() as lib_counts:
        for _ in range(scale.lifecycles):
            library()
    with counting() as bare_counts:
        for _ in range(scale.lifecycles):
            bare.lifecycle(AMOUNT)
    bench.add(
        "client",
        "client.ratio",
        "client wall time per lifecycle against bare web3.py",
        lib_ms / bare_ms,
        "×",
        Target(1.5, "≤ 1.5×"),
    )
    bench.add("client", "client.ms", "  the client, per lifecycle", lib_ms, "ms")
    bench.add("client", "client.bare_ms", "  bare web3.py, per lifecycle", bare_ms, "ms")
    tx = 4 * scale.lifecycles  # transactions counted
    bench.add(
        "client",
        "client.requests",
        "JSON-RPC requests per transaction (client)",
        lib_counts["requests"] / tx,
        "requests",
    )
    bench.add(
        "client",
        "client.round_trips",
        "HTTP round trips per transaction (client)",
        lib_counts["round trips"] / tx,
        "round trips",
    )
    bench.add(
        "client",
        "client.bare_requests",
        "JSON-RPC requests per transaction (bare web3.py)",
        bare_counts["requests"] / tx,
        "requests",
    )


def _history(reader, own_chain, bulk_worker, count, size, bench) -> float:
    """Timelines of every task and a worker's earnings, rebuilt by a fresh connection of the
    library (it reads the chain from the deployment block) and by bare web3.py; returns the
    library's time per event."""
    w3, escrow, start = reader.w3, reader.contracts.escrow, reader.deployment.block
    url, deployment = own_chain.url, own_chain.deployment
    names = task_event_names(reader)
    results: dict[str, list[float]] = {k: [] for k in ("lib", "bare", "lib_e", "bare_e")}
    for _ in range(HISTORY_ROUNDS):
        # Each timing starts with no other history alive: what the garbage collector scans
        # grows with every object alive, and another's would be charged to this one.
        fresh = Jeton.connect(url, deployment=deployment)
        timelines = _timed(results["lib"], fresh.tasks.timelines)
        ours = {i: [e.name for e in t] for i, t in timelines.items()}
        events = sum(len(t) for t in timelines.values())
        del fresh, timelines
        bare = _timed(results["bare"], lambda: bare_timelines(w3, escrow, start, names))
        theirs = {i: [log["event"] for log in logs] for i, logs in bare.items()}
        del bare
        other = Jeton.connect(url, deployment=deployment)
        earnings = _timed(results["lib_e"], lambda c=other: c.me.earnings(bulk_worker))
        del other
        totals = _timed(results["bare_e"], lambda: bare_earnings(w3, escrow, start, bulk_worker))
    assert ours == theirs  # both rebuilt the same history
    assert (earnings.tasks, earnings.earned[reader.contracts.token.address]) == (
        totals["tasks"],
        totals["workerAmount"],
    )
    lib, bare_s = statistics.median(results["lib"]), statistics.median(results["bare"])
    bench.add(
        "history",
        f"history.timelines_{size}",
        f"timelines of all {count:,} tasks ({events:,} events): {lib:.2f} s, bare {bare_s:.2f} s",
        lib / bare_s,
        "×",
        Target(1.5, "≤ 1.5×"),
    )
    lib_e, bare_e = statistics.median(results["lib_e"]), statistics.median(results["bare_e"])
    bench.add(
        "history",
        f"history.earnings_{size}",
        f"a worker's earnings at {count:,} tasks ({earnings.tasks:,} payouts): "
        f"{lib_e * 1000:.0f} ms, bare {bare_e * 1000:.0f} ms",
        lib_e / bare_e,
        "×",
        Target(1.5, "≤ 1.5×"),
    )
    return lib / events


def _cursor(bulk, own_chain, bench):
    """A second reading of every timeline, after one more lifecycle: only the new blocks."""
    fresh = Jeton.connect(own_chain.url, deployment=own_chain.deployment)
    fresh.tasks.timelines()
    bulk.tasks(1)
    before = fresh.rpc.round_trips
    started = time.perf_counter()
    timelines = fresh.tasks.timelines()
    seconds = time.perf_counter() - started
    trips = fresh.rpc.round_trips - before
    assert max(timelines) == int(bulk.escrow.functions.taskCount().call())
    bench.add(
        "history",
        "history.cursor",
        f"all timelines again after one more task: {seconds * 1000:.1f} ms",
        trips,
        "round trips",
        Target(1, "1 round trip"),
    )


def _timed(times, call):
    gc.collect()
    started = time.perf_counter()
    result = call()
    times.append(time.perf_counter() - started)
    return result
