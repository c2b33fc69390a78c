"""After the vote: queue a succeeded proposal in the timelock, execute it once the delay is
over and before it expires (with a failing call's error put in plain words), or cancel it
(its proposer: while pending, or once stale, i.e. queued and past its ETA unexecuted).
"""

from typing import Any

from ..errors import ContractError, error_class
from ..types import ProposalState, TxResult
from .refusals import Refusals
from .rules import rule_by_id, rule_error

#: TimelockController.OperationState.Ready, as a state bitmap.
TIMELOCK_READY_BITMAP = (1 << 2).to_bytes(32, "big")


class Execution(Refusals):
    """How `Governance` queues, executes and cancels (see `jeton.governance.Governance`)."""

    def queue(self, proposal_id: int) -> TxResult:
        """Queue a succeeded proposal in the timelock (anyone may); its delay starts now."""
        fn = self._governor.functions.queue(*self._call_args(proposal_id))
        return self._send(
            fn,
            lambda error, now: self._state_refusal(
                error, proposal_id, ProposalState.SUCCEEDED, "queueing"
            ),
        )

    def execute(self, proposal_id: int) -> TxResult:
        """Execute a queued proposal once the timelock's delay is over (anyone may), before it
        expires (GovernorUnexpectedProposalState once it is Expired).

        Raises TimelockUnexpectedOperationState before the delay is over. If a call of the
        proposal would revert (a rule out of its bounds, say), the simulation raises that
        call's error (e.g. RuleStepTooLarge, attributed to the called contract) and nothing
        is sent; the proposal stays queued until it executes, expires, or its proposer cancels
        it.
        """
        args = self._call_args(proposal_id)

        def explain(error: ContractError, now: int) -> ContractError:
            if error.name in (
                "TimelockUnexpectedOperationState",
                "GovernorUnexpectedProposalState",
            ):
                return self._execution_refusal(error, proposal_id, now)
            return self._blame(error, args[0])

        result = self._send(self._governor.functions.execute(*args), explain)
        self._executions[proposal_id] = result.tx_hash
        return result

    def cancel(self, proposal_id: int) -> TxResult:
        """Cancel a proposal: only its proposer, while it is pending, or once it is stale
        (queued, its ETA passed, not executed: typically refused at execution)."""
        caller = self._jeton.address
        fn = self._governor.functions.cancel(*self._call_args(proposal_id))
        return self._send(fn, lambda error, now: self._cancel_refusal(error, proposal_id, caller))

    # -------------------------------------------------------------- internals

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
