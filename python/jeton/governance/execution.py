"""After the vote: queue a succeeded proposal in the timelock, execute it once the delay is
over and before it expires (with a failing call's error put in plain words), or cancel it
(its proposer: while pending, or once stale, i.e. queued and past its ETA unexecuted).
"""

from typing import Any

from ..errors import ContractError, error_class
from ..types import ProposalState, Timestamp, TxResult
from .proposals import GOVERNOR, ZERO_BYTES32
from .reading import Reading
from .rules import rule_by_id, rule_error

#: TimelockController.OperationState.Ready, as a state bitmap.
TIMELOCK_READY_BITMAP = (1 << 2).to_bytes(32, "big")


class Execution(Reading):
    """How `Governance` queues, executes and cancels (see `jeton.governance.Governance`)."""

    def queue(self, proposal_id: int) -> TxResult:
        """Queue a succeeded proposal in the timelock (anyone may); its delay starts now."""
        self._require_state(proposal_id, ProposalState.SUCCEEDED, "queueing")
        fn = self._governor.functions.queue(*self._call_args(proposal_id))
        return self._jeton.transact(fn, GOVERNOR)

    def execute(self, proposal_id: int) -> TxResult:
        """Execute a queued proposal once the timelock's delay is over (anyone may), before it
        expires (GovernorUnexpectedProposalState once it is Expired).

        Raises TimelockUnexpectedOperationState before the delay is over. If a call of the
        proposal would revert (a rule out of its bounds, say), the simulation raises that
        call's error (e.g. RuleStepTooLarge, attributed to the called contract) and nothing
        is sent; the proposal stays queued until it executes, expires, or its proposer cancels
        it.
        """
        self._require_state(proposal_id, ProposalState.QUEUED, "execution")
        args = self._call_args(proposal_id)
        eta = int(self._governor.functions.proposalEta(proposal_id).call())
        now = self._jeton.block_timestamp()
        if now < eta:
            raise error_class("TimelockUnexpectedOperationState")(
                {"operationId": self._operation_id(*args), "expectedStates": TIMELOCK_READY_BITMAP},
                contract="Timelock",
                detail=f"proposal {self._label(proposal_id)} can be executed from "
                f"{Timestamp(eta, now)}: the timelock's delay is not over",
            )
        fn = self._governor.functions.execute(*args)
        try:
            result = self._jeton.transact(fn, GOVERNOR)
        except ContractError as exc:
            raise self._blame(exc, args[0]) from None
        self._executions[proposal_id] = result.tx_hash
        return result

    def cancel(self, proposal_id: int) -> TxResult:
        """Cancel a proposal: only its proposer, while it is pending, or once it is stale
        (queued, its ETA passed, not executed: typically refused at execution)."""
        caller = self._jeton.address
        state = self._state(proposal_id)
        functions = self._governor.functions
        proposer = functions.proposalProposer(proposal_id).call()
        eta = int(functions.proposalEta(proposal_id).call())
        stale = state == ProposalState.QUEUED and self._jeton.block_timestamp() >= eta
        if proposer.lower() != caller.lower() or not (state == ProposalState.PENDING or stale):
            when = (
                f"; it can be cancelled from {Timestamp(eta)}"
                if state == ProposalState.QUEUED
                else ""
            )
            raise error_class("GovernorUnableToCancel")(
                {"proposalId": proposal_id, "account": caller},
                contract=GOVERNOR,
                detail=f"only the proposer ({proposer}) can cancel, while the proposal is pending "
                f"or once it is queued and past its ETA unexecuted; it is {state}{when}",
            )
        fn = functions.cancel(*self._call_args(proposal_id))
        return self._jeton.transact(fn, GOVERNOR)

    # -------------------------------------------------------------- internals

    def _operation_id(
        self, targets: list[str], values: list[int], calldatas: list[bytes], desc_hash: bytes
    ) -> bytes:
        """The timelock's id of the proposal's batch (GovernorTimelockControl's salt)."""
        salt = bytes(
            a ^ b
            for a, b in zip(
                bytes.fromhex(self._governor.address[2:]).ljust(32, b"\x00"), desc_hash, strict=True
            )
        )
        timelock = self._jeton.contracts.timelock
        return bytes(
            timelock.functions.hashOperationBatch(
                targets, values, calldatas, ZERO_BYTES32, salt
            ).call()
        )

    def _blame(self, exc: ContractError, targets: list[str]) -> ContractError:
        """An error a proposal's call raised at execution, attributed to the called contract
        (and in plain words for a rule out of its bounds or step)."""
        if exc.name in ("RuleOutOfBounds", "RuleStepTooLarge", "RuleChangedTooSoon"):
            spec = rule_by_id(exc.inputs.get("rule", b""))
            if spec is not None:
                return rule_error(exc.name, spec, exc.inputs, at_execution=True)
        if exc.name in _error_names(self._governor.abi):
            return exc
        for target in targets:
            name = self._jeton.contracts.name_of(target)
            if name is not None and exc.name in _error_names(self._jeton.contracts[name].abi):
                return error_class(exc.name)(exc.inputs, contract=name)
        return exc


def _error_names(abi: list[dict[str, Any]]) -> set[str]:
    return {entry["name"] for entry in abi if entry.get("type") == "error"}


__all__ = ["TIMELOCK_READY_BITMAP", "Execution"]
