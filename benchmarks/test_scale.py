"""The escrow and the library as the tasks pile up: the lifecycle's gas at tasks 1, 100, 1,000
and 10,000, the client's wall time against bare web3.py, and history rebuilt at 1,000 and 10,000
tasks against bare web3.py (`make bench`; `JETON_BENCH=smoke` runs it small).

The earlier tasks are whole lifecycles set up in bulk (`bulk.py`) by other workers and a client
of their own; the measured lifecycle is by a returning, self-delegated worker. Times are medians
of rounds that alternate the library and its baseline, on a machine other work may share:
compare the ratios, not the absolute times, between runs.
"""

import statistics
import time

from baseline import BareSender, bare_earnings, bare_timelines, counting
from bulk import Bulk
from helpers import delegate
from jeton import Jeton, Wallet
from jeton.tasks.book import task_event_names
from lifecycle import WAD, lifecycle
from table import Target

DAY = 86_400
#: Rebuilds of each history, alternating library and baseline (the median is kept).
HISTORY_ROUNDS = 3


def test_scale(system, accounts, deployer, client, worker, rpc_url, deployment_file, scale, bench):
    delegate(system.token, worker, worker)
    reader = Jeton.connect(rpc_url, deployment=deployment_file)
    workers = [accounts[i].address for i in (6, 7, 8)]
    bulk = Bulk(rpc_url, reader.contracts.escrow, reader.contracts.token, deployer.address, workers)
    measured, per_event = {}, {}
    for count in scale.counts:
        bulk.tasks(count - 1 - int(system.escrow.taskCount()))
        measured[count] = lifecycle(system, client, worker)
        assert measured[count].task_id == count
        bench.gas_by_count[count] = measured[count].gas
        if count == scale.counts[1]:
            _client(system, accounts, rpc_url, deployment_file, scale, bench)
        if count in scale.history:
            size = "small" if count == scale.history[0] else "large"
            per_event[size] = _history(
                reader, rpc_url, deployment_file, workers[0], count, size, bench
            )
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
        measured[early].total,
        "gas",
    )
    growth = (measured[late].total / measured[early].total - 1) * 100
    bench.add(
        "escrow gas",
        "gas.growth",
        f"lifecycle at task {late:,} against task {early:,}",
        growth,
        "%",
        Target(1.0, "≤ +1%"),
    )
    _cursor(bulk, rpc_url, deployment_file, bench)


def _client(system, accounts, rpc_url, deployment_file, scale, bench):
    """The library's lifecycle (post with a permit, claim, submit, approve) against bare
    web3.py's, by other accounts: wall time, and requests per transaction."""

    def connect(account):
        wallet = Wallet.from_key(account.private_key)
        return Jeton.connect(rpc_url, account=wallet, deployment=deployment_file)

    jc, jw = connect(accounts[1]), connect(accounts[4])
    deadline = jc.block_timestamp() + 365 * DAY

    def library():
        task = jc.tasks.post(WAD, deadline=deadline, spec="benchmark", bond_bps=0)
        jw.tasks.claim(task.id)
        jw.tasks.submit(task.id, "ipfs://work")
        jc.tasks.approve(task.id)

    w3 = jc.w3
    bare = BareSender(
        w3,
        jc.contracts.escrow,
        jc.contracts.token,
        accounts[2].private_key,
        accounts[5].private_key,
    )
    library()  # warm: token metadata, permit domains, connections
    bare.lifecycle(WAD)
    times: dict[str, list[float]] = {"library": [], "bare": []}
    for _ in range(scale.rounds):
        for name, run in (("library", library), ("bare", lambda: bare.lifecycle(WAD))):
            started = time.perf_counter()
            for _ in range(scale.lifecycles):
                run()
            times[name].append((time.perf_counter() - started) / scale.lifecycles * 1000)
    lib_ms, bare_ms = statistics.median(times["library"]), statistics.median(times["bare"])
    with counting() as lib_counts:
        library()
    with counting() as bare_counts:
        bare.lifecycle(WAD)
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
    tx = 4  # transactions per lifecycle
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


def _history(reader, rpc_url, deployment_file, bulk_worker, count, size, bench) -> float:
    """Timelines of every task and a worker's earnings, rebuilt by a fresh connection of the
    library (it reads the chain from the deployment block) and by bare web3.py; returns the
    library's time per event."""
    w3, escrow, start = reader.w3, reader.contracts.escrow, reader.deployment.block
    names = task_event_names(reader)
    results: dict[str, list[float]] = {k: [] for k in ("lib", "bare", "lib_e", "bare_e")}
    for _ in range(HISTORY_ROUNDS):
        fresh = Jeton.connect(rpc_url, deployment=deployment_file)
        timelines = _timed(results["lib"], fresh.tasks.timelines)
        bare = _timed(results["bare"], lambda: bare_timelines(w3, escrow, start, names))
        other = Jeton.connect(rpc_url, deployment=deployment_file)
        earnings = _timed(results["lib_e"], lambda c=other: c.me.earnings(bulk_worker))
        totals = _timed(results["bare_e"], lambda: bare_earnings(w3, escrow, start, bulk_worker))
    # Both rebuilt the same history.
    assert {i: [e.name for e in t] for i, t in timelines.items()} == {
        i: [log["event"] for log in logs] for i, logs in bare.items()
    }
    assert (earnings.tasks, earnings.earned[reader.contracts.token.address]) == (
        totals["tasks"],
        totals["workerAmount"],
    )
    events = sum(len(t) for t in timelines.values())
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


def _cursor(bulk, rpc_url, deployment_file, bench):
    """A second reading of every timeline, after one more lifecycle: only the new blocks."""
    fresh = Jeton.connect(rpc_url, deployment=deployment_file)
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
    started = time.perf_counter()
    result = call()
    times.append(time.perf_counter() - started)
    return result
