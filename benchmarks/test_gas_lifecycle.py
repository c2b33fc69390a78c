"""Gas of the escrow's operations, into the benchmark's table (`make bench`).

Measures the lifecycle (permit-post, claim, submit, approve) operation by operation, by a
delegated worker who was paid before, with fees accrued in the escrow before: without a claim
bond (the figure issue 14's targets are about), with the rewards of ten tasks collected in one
mint, by a worker who has not delegated, and with the DAO's default 10% bond (the worker's claim
then pulls the bond with a permit, and approve returns it). Then the dispute paths and the pull
payments. The lifecycle's total at growing task counts is `test_scale`'s. Figures only: nothing
here passes or fails on a number, except that the cost stays the same from one task to the next
(less the calldata, whose zero bytes cost less and vary with each permit's signature).
"""

import ape
from helpers import delegate
from lifecycle import DAY, WAD, ZERO, lifecycle, permit, post
from table import Target

#: Tasks whose work rewards one collectRewards mints.
REWARD_TASKS = 10


def test_lifecycle_gas(system, client, worker, worker2, deployer, arbiter, outsider, bench):
    jtn, escrow = system.token, system.escrow
    delegate(jtn, worker, worker)
    for who in (worker, worker2):
        jtn.transfer(who, 10_000 * WAD, sender=deployer)  # for bonds; they have balances
    # Steady state: the escrow already holds another deposit and has accrued fees before.
    jtn.approve(escrow, 10 * WAD, sender=client)
    escrow.postTaskWithBond(
        jtn, 10 * WAD, ape.chain.pending_timestamp + DAY, 0, b"\x00" * 32, ZERO, 0, sender=client
    )
    lifecycle(system, client, worker)  # the escrow's first fee in JTN: a new slot
    steady = lifecycle(system, client, worker)  # paid before, fees accrued: the usual case
    warm = steady.gas
    escrow.collectRewards(worker, sender=worker)
    # A cycle of REWARD_TASKS tasks and the one mint of their rewards (the first payout after
    # a collection writes the emptied credit slot again: that is part of the cycle too).
    cycle = [lifecycle(system, client, worker) for _ in range(REWARD_TASKS)]
    collect = escrow.collectRewards(worker, sender=worker).gas_used
    assert steady.execution == cycle[-1].execution, "gas must not grow with the number of tasks"
    for op, key in (("post (permit)", "post"), ("claim", "claim"), ("submit", "submit")):
        bench.add("escrow gas", f"gas.{key}", f"  of which {op}", warm[op], "gas")
    bench.add("escrow gas", "gas.approve", "  of which approve", warm["approve"], "gas")
    bench.add(
        "escrow gas",
        "gas.amortised",
        f"lifecycle + collectRewards amortised over {REWARD_TASKS} tasks",
        (sum(c.total for c in cycle) + collect) / REWARD_TASKS,
        "gas",
        Target(350_000, "≤ 350,000 (aim 320,000)"),
    )
    bench.add("escrow gas", "gas.collect", "collectRewards (one mint for many)", collect, "gas")

    lifecycle(system, client, worker, None)
    bonded = lifecycle(system, client, worker, None).gas
    bench.add(
        "escrow gas",
        "gas.bond",
        "lifecycle with the DAO's default 10% claim bond",
        sum(bonded.values()),
        "gas",
    )
    bench.add(
        "escrow gas", "gas.claim_bond", "  claim (a permit for the bond)",
        bonded["claim (permit for the bond)"], "gas",
    )  # fmt: skip

    lifecycle(system, client, worker2)
    undelegated = lifecycle(system, client, worker2).gas
    bench.add(
        "escrow gas",
        "gas.undelegated",
        "lifecycle, worker who has not delegated",
        sum(undelegated.values()),
        "gas",
    )

    # Disputes (10% bond), by the client with a permit for its dispute bond.
    def disputed():
        task_id, _ = post(system, client, 1000)
        bond = escrow.bondOf(task_id)
        escrow.claimWithPermit(task_id, *permit(jtn, worker2, escrow, bond), sender=worker2)
        escrow.submit(task_id, b"\x02" * 32, sender=worker2)
        receipt = escrow.disputeWithPermit(
            task_id, *permit(jtn, client, escrow, bond), sender=client
        )
        return task_id, receipt

    task_id, dispute = disputed()
    resolve_for = escrow.resolve(task_id, 10_000, sender=arbiter)
    task_id, _ = disputed()
    resolve_against = escrow.resolve(task_id, 0, sender=arbiter)
    task_id, _ = disputed()
    ape.chain.pending_timestamp = escrow.getTask(task_id).windowEnds + 1
    settle = escrow.settleDispute(task_id, sender=client)
    sweep = escrow.sweepFees(jtn, sender=outsider)
    for key, op, receipt in [
        ("dispute", "disputeWithPermit (the dispute bond)", dispute),
        ("resolve_for", "resolve, 100% to the worker", resolve_for),
        ("resolve_against", "resolve, 0% (slashes reputation)", resolve_against),
        ("settle", "settleDispute (no arbiter ruled)", settle),
        ("sweep", "sweepFees (a token's fees to the treasury)", sweep),
    ]:
        bench.add("escrow gas", f"gas.{key}", op, receipt.gas_used, "gas")
