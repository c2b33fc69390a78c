"""Gas of the escrow's lifecycle, printed as a table (`make bench`).

Measures one full lifecycle (postTaskWithPermit, claim, submit, approve) by a delegated
worker, at task 1 and again after many tasks, so that a reader sees both the absolute cost
and that it does not grow with the number of tasks. Figures only: nothing here passes or
fails on a number.
"""

import ape
from helpers import delegate, sign_permit

ZERO = "0x0000000000000000000000000000000000000000"
WAD = 10**18
STANDARD_BOUNTIES = 583_042  # approve + post + fulfil + accept, measured on anvil


def lifecycle(system, client, worker, amount=1000 * WAD):
    jtn, escrow = system.token, system.escrow
    deadline = ape.chain.pending_timestamp + 7 * 86400
    permit_deadline = ape.chain.pending_timestamp + 3600
    v, r, s = sign_permit(
        jtn,
        client.private_key,
        client.address,
        escrow.address,
        amount,
        jtn.nonces(client),
        permit_deadline,
    )
    post = escrow.postTaskWithPermit(
        jtn, amount, deadline, 0, b"\x01" * 32, ZERO, permit_deadline, v, r, s, sender=client
    )
    task_id = escrow.taskCount()
    claim = escrow.claim(task_id, sender=worker)
    submit = escrow.submit(task_id, b"\x02" * 32, sender=worker)
    approve = escrow.approve(task_id, sender=client)
    ape.chain.mine(1)
    return {
        "postTaskWithPermit": post.gas_used,
        "claim": claim.gas_used,
        "submit": submit.gas_used,
        "approve": approve.gas_used,
    }


def test_lifecycle_gas(system, client, worker, worker2, accounts):
    jtn, escrow = system.token, system.escrow
    delegate(jtn, worker, worker)
    # Steady state: the escrow already holds another deposit, the worker has been paid before.
    jtn.approve(escrow, 10 * WAD, sender=client)
    escrow.postTask(
        jtn, 10 * WAD, ape.chain.pending_timestamp + 86400, 0, b"\x00" * 32, ZERO, sender=client
    )
    first = lifecycle(system, client, worker)  # the worker's first task: new balances
    warm = lifecycle(system, client, worker)  # paid before: the usual case
    for _ in range(20):
        last = lifecycle(system, client, worker)
    rows = [first, warm, last]
    headers = ["operation", "first task", "steady state", f"task {escrow.taskCount()}"]
    print()
    print(f"{headers[0]:<20}{headers[1]:>14}{headers[2]:>14}{headers[3]:>14}")
    for op in first:
        print(f"{op:<20}" + "".join(f"{row[op]:>14,}" for row in rows))
    totals = [sum(row.values()) for row in rows]
    print(f"{'total':<20}" + "".join(f"{t:>14,}" for t in totals))
    print(f"StandardBounties (approve, post, fulfil, accept): {STANDARD_BOUNTIES:,}")
    undelegated = lifecycle(system, client, worker2)
    undelegated = lifecycle(system, client, worker2)
    print(f"{'total, worker who has not delegated':<40}{sum(undelegated.values()):>14,}")
    collect = escrow.collectRewards(worker, sender=worker)
    print(f"collectRewards (one mint for 22 tasks' rewards): {collect.gas_used:,}")
    assert totals[1] == totals[2], "gas must not grow with the number of tasks"
