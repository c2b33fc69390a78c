"""The task lifecycle through the client: post, claim, deliver, pay, dispute, and the escrow's
pull payments.

The escrow is the single source of truth for its rules: every call is simulated before it is
signed (`Jeton.prepare`), and a refusal raises the escrow's own custom error, with its inputs
and an explanation, before anything is sent. The client checks beforehand only what the chain
can not: that numbers fit the call's types. Money that moves into the escrow (a deposit, a
claim bond, a dispute bond) goes with an EIP-2612 permit when the token has one
(`jeton.permits`): the plain call is simulated first, with the reads a permit needs in the
same round trip, and the permit is signed only when the token refused for want of allowance.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from web3.contract import Contract

from ..errors import ContractError, error_class
from ..parsing import check_base_units, check_uint, parse_address
from ..permits import in_tokens, permit_reads, pull
from ..types import TxResult
from .values import BPS, ESCROW, ZERO_ADDRESS, Task, hash_content

if TYPE_CHECKING:
    from ..client import Jeton

#: Bits of the escrow's deposit field: a larger amount never fits (SafeCast).
_AMOUNT_BITS = 96


class TaskLifecycle:
    """The writing half of `jeton.tasks`."""

    _jeton: Jeton
    _escrow: Contract

    # ------------------------------------------------------------------ posting

    def post(
        self,
        amount: int,
        *,
        deadline: int,
        spec: str | bytes | Path,
        token: str | None = None,
        min_reputation: int = 0,
        worker: str | None = None,
        bond_bps: int | None = None,
    ) -> Task:
        """Post a task paying `amount` (base units of `token`, default the work token) and
        return it.

        `deadline` is an absolute unix time; `spec` the brief (a URI, a text, a file or bytes,
        see `hash_content`); `min_reputation` the points a worker needs to claim it; `worker`
        reserves it for one worker; `bond_bps` the claim bond in basis points of the deposit
        (0 to 10000; None: the DAO's default, `claimBondBps`). The deposit is moved with an
        EIP-2612 permit when the token supports it (one transaction), else after an `approve`
        when the allowance is short.
        """
        me = self._jeton.address
        token = parse_address(token, "token") if token else self._jeton.contracts.token.address
        named = parse_address(worker, "worker") if worker else ZERO_ADDRESS
        check_base_units(amount)
        check_uint(min_reputation, "min_reputation", 32)
        check_uint(deadline, "deadline", 64)
        if bond_bps is not None:
            check_uint(bond_bps, "bond_bps", 16)
        args: tuple[Any, ...] = (token, amount, deadline, min_reputation, hash_content(spec), named)
        escrow = self._escrow.functions
        if bond_bps is None:
            plain, with_permit = escrow.postTask, escrow.postTaskWithPermit
        else:
            args = (*args, bond_bps)
            plain, with_permit = escrow.postTaskWithBond, escrow.postTaskWithBondAndPermit
        reads = permit_reads(self._jeton, token)
        prepared = self._jeton.prepare(plain(*args), ESCROW, reads=reads)
        if prepared.error is None:
            result = self._jeton.send(prepared)
        else:
            self._check_deposit(prepared.error, me, token, amount, prepared.reads[2])
            result = pull(
                self._jeton,
                token,
                amount,
                lambda: plain(*args),
                lambda *sig: with_permit(*args, *sig),
                ESCROW,
                refusal=prepared.error,
                reads=prepared.reads,
                now=prepared.now,
            )
        posted = result.event("TaskPosted")
        return Task.from_event(posted, self._jeton.token_info(posted.args["token"]))

    def _check_deposit(
        self, error: ContractError, me: str, token: str, amount: int, balance: Any
    ) -> None:
        """When the escrow refuses a deposit too large to fit it and the wallet does not hold
        it anyway, say what the wallet lacks, in tokens (the more useful of the two)."""
        too_large = error.name == "SafeCastOverflowedUintDowncast"
        too_large = too_large and error.inputs.get("bits") == _AMOUNT_BITS
        if too_large and isinstance(balance, int) and balance < amount:
            insufficient = error_class("ERC20InsufficientBalance")
            inputs = {"sender": me, "balance": balance, "needed": amount}
            raise in_tokens(insufficient(inputs, contract=ESCROW), self._jeton, token)

    # ------------------------------------------------------------------ working

    def claim(self, task_id: int) -> TxResult:
        """Take open task `task_id` as the wallet's worker, staking its claim bond (with a
        permit when the token has one: one transaction)."""
        return self._staked(task_id, "claim", "claimWithPermit")

    def submit(self, task_id: int, deliverable: str | bytes | Path) -> TxResult:
        """Deliver claimed task `task_id`: `deliverable` (a URI, a file, bytes) is hashed with
        `hash_content` and its hash recorded; the client's review period starts."""
        return self._send(self._escrow.functions.submit(task_id, hash_content(deliverable)))

    # ------------------------------------------------------------------ paying

    def approve(self, task_id: int) -> TxResult:
        """As the client, accept the submission of `task_id` and pay its worker."""
        return self._send(self._escrow.functions.approve(task_id))

    def release(self, task_id: int) -> TxResult:
        """As the worker, take the payment of `task_id` once its review period is over."""
        return self._send(self._escrow.functions.release(task_id))

    def cancel(self, task_id: int) -> TxResult:
        """As the client, take back the deposit of `task_id` while nobody has claimed it."""
        return self._send(self._escrow.functions.cancel(task_id))

    def reclaim(self, task_id: int) -> TxResult:
        """As the client, take back the deposit of claimed task `task_id` whose deadline
        passed with no submission (and the claimant's bond)."""
        return self._send(self._escrow.functions.reclaim(task_id))

    # ------------------------------------------------------------------ disputes

    def dispute(self, task_id: int) -> TxResult:
        """As the client or the worker, dispute the submission of `task_id` during its review
        period, staking a dispute bond as large as the claim bond (with a permit when the
        token has one); an arbiter may then split the deposit, within the arbitration window.
        Both bonds go to the worker if it gets half or more, else to the client."""
        return self._staked(task_id, "dispute", "disputeWithPermit")

    def resolve(self, task_id: int, worker_share_bps: int) -> TxResult:
        """As an arbiter, split disputed task `task_id`: `worker_share_bps` of the deposit
        (0 to 10000) to the worker, less the fee, the rest back to the client."""
        if not isinstance(worker_share_bps, int) or not 0 <= worker_share_bps < 2**16:
            # Not even a uint16: the call can not carry it (the escrow takes 0 to 10000).
            raise error_class("InvalidShare")({"workerShareBps": worker_share_bps}, contract=ESCROW)
        return self._send(self._escrow.functions.resolve(task_id, worker_share_bps))

    def settle_dispute(self, task_id: int) -> TxResult:
        """As the client or the worker, settle disputed task `task_id` once the arbitration
        window is over with no arbiter's ruling: the dispute is undone for the client, who
        takes back the deposit and both bonds (no fee, reward or reputation for anyone)."""
        return self._send(self._escrow.functions.settleDispute(task_id))

    # ------------------------------------------------------------------ rewards, pull payments

    def collect_rewards(self, worker: str | None = None) -> TxResult:
        """Mint the work rewards `worker` (default: the wallet) has earned, in one transaction.
        Anyone may send it; the tokens always go to the worker."""
        worker = parse_address(worker, "worker") if worker else self._jeton.address
        return self._send(self._escrow.functions.collectRewards(worker))

    def withdraw(self, token: str | None = None) -> TxResult:
        """Take the payouts of `token` (default: the work token) kept for the wallet. The
        escrow refuses while the wallet still can not receive the token."""
        return self._send(self._escrow.functions.withdraw(self._token(token)))

    def sweep_fees(self, token: str | None = None) -> TxResult:
        """Send the fees accrued in `token` (default: the work token) to the DAO's treasury
        (the rulebook's `treasury()`); anyone may. One base unit stays in the escrow."""
        return self._send(self._escrow.functions.sweepFees(self._token(token)))

    # ------------------------------------------------------------------ internals

    def _send(self, fn: Any) -> TxResult:
        return self._jeton.transact(fn, ESCROW)

    def _staked(self, task_id: int, plain: str, with_permit: str) -> TxResult:
        """`plain(task_id)`, which stakes the task's bond: simulated as it is, with the task
        and what a permit of the work token needs read in the same round trip; if the token
        refuses to move the bond for want of allowance, the permit twin `with_permit`."""
        check_uint(task_id, "task_id")
        escrow = self._escrow.functions
        work_token = self._jeton.contracts.token.address
        prepared = self._jeton.prepare(
            getattr(escrow, plain)(task_id),
            ESCROW,
            reads=[escrow.getTask(task_id), *permit_reads(self._jeton, work_token)],
        )
        if prepared.error is None:
            return self._jeton.send(prepared)
        task = Task.from_struct(task_id, prepared.reads[0])  # its token and bond are enough
        if not task.bond:
            raise prepared.error
        same_token = task.token == work_token
        return pull(
            self._jeton,
            task.token,
            task.bond,
            lambda: getattr(escrow, plain)(task_id),
            lambda *sig: getattr(escrow, with_permit)(task_id, *sig),
            ESCROW,
            refusal=prepared.error,
            reads=prepared.reads[1:] if same_token else None,
            now=prepared.now,
        )


__all__ = ["BPS", "TaskLifecycle"]
