"""Why the governor refused, in words: the governor is the one judge of its rules, so the
sending methods simulate their call first (no reads before it) and, only when the simulation
refuses it, read what explains the refusal: the proposal's state and times, whether the voter
has voted, whose signature a ballot carries, the votes a proposer has. The base of the
sending parts of `Governance`.
"""

from typing import Any

from ..errors import ContractError, error_class
from ..types import ProposalState, Timestamp, TxResult, Vote
from ..units import TokenAmount
from .proposals import GOVERNOR
from .reading import Reading, unexpected_state


class Refusals(Reading):
    """The governor's refusals explained (see `jeton.governance.Governance`)."""

    def _send(self, fn: Any, explain: Any) -> TxResult:
        """Simulate `fn`, then send it; a refusal goes through `explain(error, now)` first."""
        prepared = self._jeton.prepare(fn, GOVERNOR)
        if prepared.error is not None:
            raise explain(prepared.error, prepared.now)
        return self._jeton.send(prepared)

    def _state_refusal(
        self, error: ContractError, proposal_id: int, needed: ProposalState, action: str
    ) -> ContractError:
        """A refusal for the proposal's state, with the state now and why it is so; any other
        refusal as it is."""
        if error.name != "GovernorUnexpectedProposalState":
            return error
        state = self._state(proposal_id)
        current = error.inputs.get("current", state)
        return unexpected_state(
            proposal_id,
            ProposalState(current),
            needed,
            f"{action} needs proposal {self._label(proposal_id)} {needed}, and it is {state}"
            f"{self._when(proposal_id, state)}",
        )

    def _vote_refusal(self, error: ContractError, proposal_id: int, voter: str) -> ContractError:
        """A refused vote, explained: a vote already cast, or voting not open (a proposal
        active as of the latest block whose deadline is that block: a transaction lands later)."""
        if error.name == "GovernorAlreadyCastVote":
            return error_class("GovernorAlreadyCastVote")(
                {"voter": voter},
                contract=GOVERNOR,
                detail=f"{voter} has already voted on proposal {self._label(proposal_id)}; a "
                "vote is final",
            )
        if error.name != "GovernorUnexpectedProposalState":
            return error
        if self._state(proposal_id) == ProposalState.ACTIVE:
            deadline = int(self._governor.functions.proposalDeadline(proposal_id).call())
            return unexpected_state(
                proposal_id,
                ProposalState.ACTIVE,
                ProposalState.ACTIVE,
                f"voting on proposal {self._label(proposal_id)} ends with block {deadline}, "
                "the latest block: a vote sent now would be mined after the deadline",
            )
        return self._state_refusal(error, proposal_id, ProposalState.ACTIVE, "voting")

    def _ballot_refusal(
        self, error: ContractError, proposal_id: int, support: Vote, voter: str
    ) -> ContractError:
        """A refused relayed ballot, explained: its voter voted already (its nonce moved on),
        or the signature is not the voter's for this proposal, support and nonce."""
        if error.name != "GovernorInvalidSignature":
            return self._vote_refusal(error, proposal_id, voter)
        functions = self._governor.functions
        voted, nonce = self._jeton.call(
            functions.hasVoted(proposal_id, voter), functions.nonces(voter)
        )
        if voted:
            return self._vote_refusal(
                error_class("GovernorAlreadyCastVote")({"voter": voter}), proposal_id, voter
            )
        return error_class("GovernorInvalidSignature")(
            {"voter": voter},
            contract=GOVERNOR,
            detail=f"the signature is not {voter}'s vote {support} on proposal "
            f"{proposal_id} with nonce {nonce}",
        )

    def _execution_refusal(self, error: ContractError, proposal_id: int, now: int) -> ContractError:
        """A refused execution, explained: not queued (the timelock knows no such operation),
        or queued and its delay not over (with when it is)."""
        if error.name == "TimelockUnexpectedOperationState":
            state = self._state(proposal_id)
            if state != ProposalState.QUEUED:
                return unexpected_state(
                    proposal_id,
                    state,
                    ProposalState.QUEUED,
                    f"execution needs proposal {self._label(proposal_id)} queued, and it is "
                    f"{state}{self._when(proposal_id, state)}",
                )
            eta = int(self._governor.functions.proposalEta(proposal_id).call())
            return error_class("TimelockUnexpectedOperationState")(
                error.inputs,
                contract="Timelock",
                detail=f"proposal {self._label(proposal_id)} can be executed from "
                f"{Timestamp(eta, now)}: the timelock's delay is not over",
            )
        return self._state_refusal(error, proposal_id, ProposalState.QUEUED, "execution")

    def _cancel_refusal(self, error: ContractError, proposal_id: int, caller: str) -> ContractError:
        """A refused cancel, explained: only the proposer cancels, while the proposal is
        pending, or once it is stale (queued, past its ETA, unexecuted)."""
        if error.name not in ("GovernorUnableToCancel", "GovernorUnexpectedProposalState"):
            return error
        state = self._state(proposal_id)
        functions = self._governor.functions
        proposer, eta = self._jeton.call(
            functions.proposalProposer(proposal_id), functions.proposalEta(proposal_id)
        )
        when = (
            f"; it can be cancelled from {Timestamp(eta)}" if state == ProposalState.QUEUED else ""
        )
        return error_class("GovernorUnableToCancel")(
            {"proposalId": proposal_id, "account": caller},
            contract=GOVERNOR,
            detail=f"only the proposer ({self._jeton.w3.to_checksum_address(proposer)}) can "
            f"cancel, while the proposal is pending or once it is queued and past its ETA "
            f"unexecuted; it is {state}{when}",
        )

    def _proposing_refusal(self, error: ContractError) -> ContractError:
        """A refused proposal, explained: votes in tokens, or an identical proposal."""
        if error.name == "GovernorInsufficientProposerVotes":
            inputs = dict(error.inputs)
            for key in ("votes", "threshold"):
                inputs[key] = TokenAmount(int(inputs[key]))
            return error_class(error.name)(inputs, contract=GOVERNOR)
        if error.name == "GovernorUnexpectedProposalState":
            state = ProposalState(error.inputs["current"])
            return unexpected_state(
                int(error.inputs["proposalId"]),
                state,
                None,
                f"an identical proposal (same calls, same description) exists already "
                f"and is {state}: change the description",
            )
        return error


__all__ = ["Refusals"]
