"""One task's lifecycle sent through Ape, for the gas it costs: post with a permit, claim (with a
permit for the bond if there is one), submit, approve."""

from dataclasses import dataclass

import ape
from helpers import sign_permit

ZERO = "0x0000000000000000000000000000000000000000"
WAD = 10**18
DAY = 86400


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


@dataclass
class Lifecycle:
    """The gas of each step of one lifecycle, and of all of it less the calldata."""

    task_id: int
    gas: dict[str, int]
    execution: int

    @property
    def total(self) -> int:
        return sum(self.gas.values())


def lifecycle(system, client, worker, bond_bps=0) -> Lifecycle:
    """Post with a permit, claim (with a permit for the bond if there is one), submit, approve
    (`bond_bps` None: the DAO's default bond)."""
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
    receipts = (posted, claim, submit, approve)
    return Lifecycle(
        task_id,
        {
            "post (permit)": posted.gas_used,
            "claim" + (" (permit for the bond)" if bond else ""): claim.gas_used,
            "submit": submit.gas_used,
            "approve": approve.gas_used,
        },
        sum(r.gas_used - calldata_gas(r) for r in receipts),
    )
