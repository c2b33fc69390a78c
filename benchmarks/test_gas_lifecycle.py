"""Gas of the escrow's lifecycle, printed as tables (`make bench`).

Measures one full lifecycle (permit-post, claim, submit, approve) by a delegated worker who was
paid before, at its first task and again after many tasks, so that a reader sees both the
absolute cost and that it does not grow with the number of tasks: once without a claim bond
(the figure issue 14's target is about), once with the DAO's default 10% bond (the worker's
claim then pulls the bond with a permit, and approve returns it). Then the dispute paths and the
pull payments. Figures only: nothing here passes or fails on a number, except that the cost at
the last task equals the steady state's (less the calldata, whose zero bytes cost less and vary
with each permit's signature).
"""

import ape
from helpers import delegate, sign_permit

ZERO = "0x0000000000000000000000000000000000000000"
WAD = 10**18
DAY = 86400
STANDARD_BOUNTIES = 583_042  # approve + post + fulfil + accept, measured on anvil
EXECUTION = []  # each lifecycle's gas less its calldata, in order


def permit(token, owner, spender, value):
    deadline = ape.chain.pending_timestamp + 3600
    v, r, s = sign_permit(
        token,
        owner.private_key,
        owner.address,
        spender.address,
        value,
        token.nonces(owner),
        deadline,
    )
    return deadline, v, r, s


def post(system, client, bond_bps, amount=1000 * WAD):
    """postTaskWithPermit (the DAO's default bond) or postTaskWithBondAndPermit."""
    jtn, escrow = system.token, system.escrow
    deadline = ape.chain.pending_timestamp + 7 * DAY
    head = (jtn, amount, deadline, 0, b"\x01" * 32, ZERO)
    signed = permit(jtn, client, escrow, amount)
    if bond_bps is None:
        receipt = escrow.postTaskWithPermit(*head, *signed, sender=client)
    else:
        receipt = escrow.postTaskWithBondAndPermit(*head, bond_bps, *signed, sender=client)
    return escrow.taskCount(), receipt


def calldata_gas(receipt):
    """The calldata's share of a transaction's gas: 4 per zero byte, 16 per other byte."""
    return sum(4 if byte == 0 else 16 for byte in bytes(receipt.transaction.data))


def lifecycle(system, client, worker, bond_bps=0):
    """Post with a permit, claim (with a permit for the bond if there is one), submit, approve."""
    jtn, escrow = system.token, system.escrow
    task_id, posted = post(system, client, bond_bps)
    bond = escrow.bondOf(task_id)
    if bond:
        claim = escrow.claimWithPermit(task_id, *permit(jtn, worker, escrow, bond), sender=worker)
    else:
        claim = escrow.claim(task_id, sender=worker)
    submit = escrow.submit(task_id, b"\x02" * 32, sender=worker)
    approve = escrow.approve(task_id, sender=client)
    ape.chain.mine(1)
    EXECUTION.append(sum(r.gas_used - calldata_gas(r) for r in (posted, claim, submit, approve)))
    return {
        "post (permit)": posted.gas_used,
        "claim" + (" (permit for the bond)" if bond else ""): claim.gas_used,
        "submit": submit.gas_used,
        "approve": approve.gas_used,
    }


def table(title, rows, headers):
    print(f"\n{title}")
    print(f"{headers[0]:<36}" + "".join(f"{h:>14}" for h in headers[1:]))
    for op in rows[0]:
        print(f"{op:<36}" + "".join(f"{row[op]:>14,}" for row in rows))
    totals = [sum(row.values()) for row in rows]
    print(f"{'total':<36}" + "".join(f"{t:>14,}" for t in totals))


def test_lifecycle_gas(system, client, worker, worker2, deployer, arbiter, outsider):
    jtn, escrow = system.token, system.escrow
    delegate(jtn, worker, worker)
    for who in (worker, worker2):
        jtn.transfer(who, 10_000 * WAD, sender=deployer)  # for bonds; they have balances
    # Steady state: the escrow already holds another deposit and has accrued fees before.
    jtn.approve(escrow, 10 * WAD, sender=client)
    escrow.postTaskWithBond(
        jtn, 10 * WAD, ape.chain.pending_timestamp + DAY, 0, b"\x00" * 32, ZERO, 0, sender=client
    )
    headers = ["operation", "first task", "steady state", "task N"]

    first = lifecycle(system, client, worker)  # the escrow's first fee in JTN: a new slot
    warm = lifecycle(system, client, worker)  # paid before, fees accrued before: the usual case
    for _ in range(20):
        last = lifecycle(system, client, worker)
    headers[3] = f"task {escrow.taskCount()}"
    table("Lifecycle without a claim bond (issue 14's target)", [first, warm, last], headers)
    assert EXECUTION[1] == EXECUTION[-1], "gas must not grow with the number of tasks"

    first = lifecycle(system, client, worker, None)
    warm = lifecycle(system, client, worker, None)
    steady = EXECUTION[-1]
    for _ in range(5):
        last = lifecycle(system, client, worker, None)
    headers[3] = f"task {escrow.taskCount()}"
    table("Lifecycle with the DAO's default bond (10%)", [first, warm, last], headers)
    assert steady == EXECUTION[-1], "gas must not grow with the number of tasks"
    print(f"StandardBounties (approve, post, fulfil, accept): {STANDARD_BOUNTIES:,}")

    lifecycle(system, client, worker2)
    undelegated = lifecycle(system, client, worker2)
    print(f"{'total, worker who has not delegated, no bond':<46}{sum(undelegated.values()):>10,}")
    collect = escrow.collectRewards(worker, sender=worker)
    print(f"{'collectRewards (one mint for many rewards)':<46}{collect.gas_used:>10,}")

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
    print("\nDisputes and pull payments")
    for op, receipt in [
        ("disputeWithPermit (the dispute bond)", dispute),
        ("resolve, 100% to the worker", resolve_for),
        ("resolve, 0% (slashes reputation)", resolve_against),
        ("settleDispute (no arbiter ruled)", settle),
        ("sweepFees (all JTN fees to the treasury)", sweep),
    ]:
        print(f"{op:<46}{receipt.gas_used:>10,}")
