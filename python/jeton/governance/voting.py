"""Voting: delegate token votes, vote, sign a vote for someone else to relay, relay one, and
read what a wallet can vote with and how a proposal's votes split between tokens and
reputation.
"""

from typing import Any

from ..eip712 import erc5267_domain
from ..errors import error_class
from ..parsing import parse_address
from ..types import ProposalState, TxResult, Vote
from .ballots import SignedBallot, ballot, ballot_signer
from .proposals import GOVERNOR, Tally, as_bytes, parse_vote
from .reading import Reading, unexpected_state


class Voting(Reading):
    """How `Governance` votes (see `jeton.governance.Governance`)."""

    #: The governor's EIP-712 domain, read on first use.
    _domain: dict[str, Any] | None = None

    # -------------------------------------------------------------- delegation

    def delegate(self, to: str | None = None) -> TxResult:
        """Delegate the wallet's token votes to `to` (default: the wallet itself).

        ERC20Votes counts only delegated tokens, so a holder delegates (to itself) once before
        its tokens vote. Votes count from the block after delegation; a proposal counts the
        votes its snapshot block saw.
        """
        token = self._jeton.contracts.token
        return self._jeton.transact(token.functions.delegate(self._account(to)), "WorkToken")

    # -------------------------------------------------------------- voting

    def vote(
        self, proposal_id: int, support: Vote | str | int, reason: str | None = None
    ) -> TxResult:
        """Vote `support` ("for", "against", "abstain" or a `Vote`) on an active proposal.

        Checks first that voting is open and that the wallet has not voted yet. The weight is
        the wallet's votes at the proposal's snapshot; a vote of weight zero is allowed (as the
        governor allows it) and counts for nothing: see `voting_power`.
        """
        choice = parse_vote(support)
        voter = self._jeton.address
        self._check_can_vote(proposal_id, voter)
        functions = self._governor.functions
        if reason:
            fn = functions.castVoteWithReason(proposal_id, int(choice), reason)
        else:
            fn = functions.castVote(proposal_id, int(choice))
        return self._jeton.transact(fn, GOVERNOR)

    def sign_vote(
        self, proposal_id: int, support: Vote | str | int, *, nonce: int | None = None
    ) -> bytes:
        """The wallet's EIP-712 Ballot signature for `castVoteBySig` (65 bytes, r||s||v).

        Anyone may relay it with `cast_signed_vote`; it is valid for the wallet's current
        governor nonce (or `nonce`), so it is used once. Signing sends nothing.
        """
        voter = self._jeton.address
        if nonce is None:
            nonce = int(self._governor.functions.nonces(voter).call())
        typed = ballot(self._eip712_domain(), proposal_id, parse_vote(support), voter, nonce)
        v, r, s = self._jeton.wallet.sign_typed_data(typed)  # type: ignore[union-attr]
        return r + s + bytes([v])

    def cast_signed_vote(
        self, proposal_id: int, support: Vote | str | int, voter: str, signature: bytes | str
    ) -> TxResult:
        """Relay `voter`'s signed vote (from `sign_vote`); the wallet pays the gas.

        Checks first that voting is open, that `voter` has not voted, and (for an ordinary
        account) that the signature is `voter`'s for this proposal, support and nonce.
        """
        choice = parse_vote(support)
        voter = parse_address(voter, "voter")
        signature = as_bytes(signature)
        self._check_can_vote(proposal_id, voter)
        self._check_signature(proposal_id, choice, voter, signature)
        fn = self._governor.functions.castVoteBySig(proposal_id, int(choice), voter, signature)
        return self._jeton.transact(fn, GOVERNOR)

    def sign_ballot(self, proposal_id: int, support: Vote | str | int) -> SignedBallot:
        """The wallet's vote as a `SignedBallot` that anyone may relay (`relay_ballot`),
        paying the gas: a voter without ETH still votes. Checks first that the proposal is
        pending or active and that the wallet has not voted; signing sends nothing."""
        choice = parse_vote(support)
        voter = self._jeton.address
        state = self._state(proposal_id)
        if state not in (ProposalState.PENDING, ProposalState.ACTIVE):
            raise unexpected_state(
                proposal_id,
                state,
                ProposalState.ACTIVE,
                f"proposal {self._label(proposal_id)} is {state}: its voting is over, so a "
                "ballot for it could never be counted",
            )
        if self._governor.functions.hasVoted(proposal_id, voter).call():
            raise error_class("GovernorAlreadyCastVote")({"voter": voter}, contract=GOVERNOR)
        nonce = int(self._governor.functions.nonces(voter).call())
        return SignedBallot(
            chain_id=self._jeton.chain_id,
            governor=self._governor.address,
            proposal_id=proposal_id,
            support=choice,
            voter=voter,
            nonce=nonce,
            signature=self.sign_vote(proposal_id, choice, nonce=nonce),
        )

    def relay_ballot(self, signed: SignedBallot) -> TxResult:
        """Cast `signed` (another voter's ballot) on chain; the wallet pays the gas. Checks
        first that it is for this chain and governor, then what `cast_signed_vote` checks."""
        if signed.chain_id != self._jeton.chain_id or signed.governor != self._governor.address:
            raise error_class("GovernorInvalidSignature")(
                {"voter": signed.voter},
                contract=GOVERNOR,
                detail=f"the ballot is for governor {signed.governor} on chain "
                f"{signed.chain_id}, not this one ({self._governor.address} on chain "
                f"{self._jeton.chain_id})",
            )
        return self.cast_signed_vote(
            signed.proposal_id, signed.support, signed.voter, signed.signature
        )

    # -------------------------------------------------------------- what a wallet votes with

    def has_voted(self, proposal_id: int, address: str | None = None) -> bool:
        """Whether `address` (default: the wallet) has voted on the proposal."""
        address = self._account(address)
        return bool(self._governor.functions.hasVoted(proposal_id, address).call())

    def voting_power(self, proposal_id: int, address: str | None = None) -> int:
        """The votes `address` (default: the wallet) casts on the proposal: its votes at the
        snapshot (at the latest block while the proposal is pending)."""
        address = self._account(address)
        snapshot = self._snapshot(proposal_id)
        timepoint = min(snapshot, self._jeton.w3.eth.block_number - 1)
        return int(self._governor.functions.getVotes(address, timepoint).call())

    def tally(self, proposal_id: int) -> Tally:
        """The votes cast on the proposal per side, token votes and reputation votes apart."""
        snapshot = self._snapshot(proposal_id)
        token = self._jeton.contracts.token.functions
        votes = [
            (record, int(token.getPastVotes(record.voter, snapshot).call()))
            for record in self.votes(proposal_id)
        ]
        tokens = dict.fromkeys(Vote, 0)
        reputation = dict.fromkeys(Vote, 0)
        for record, from_tokens in votes:
            tokens[record.support] += from_tokens
            reputation[record.support] += record.weight - from_tokens
        return Tally(tokens=tokens, reputation=reputation, votes=votes)

    # -------------------------------------------------------------- internals: checks

    def _check_can_vote(self, proposal_id: int, voter: str) -> None:
        self._require_state(proposal_id, ProposalState.ACTIVE, "voting")
        deadline = int(self._governor.functions.proposalDeadline(proposal_id).call())
        latest = self._jeton.w3.eth.block_number
        if latest >= deadline:
            # Active as of the latest block, but a transaction lands in a later one: too late.
            raise unexpected_state(
                proposal_id,
                ProposalState.ACTIVE,
                ProposalState.ACTIVE,
                f"voting on proposal {self._label(proposal_id)} ends with block {deadline}, "
                "the latest block: a vote sent now would be mined after the deadline",
            )
        if self._governor.functions.hasVoted(proposal_id, voter).call():
            raise error_class("GovernorAlreadyCastVote")(
                {"voter": voter},
                contract=GOVERNOR,
                detail=f"{voter} has already voted on proposal {self._label(proposal_id)}; a "
                "vote is final",
            )

    def _check_signature(
        self, proposal_id: int, support: Vote, voter: str, signature: bytes
    ) -> None:
        if self._jeton.w3.eth.get_code(voter):
            return  # a contract wallet (ERC-1271): the simulation checks it
        nonce = int(self._governor.functions.nonces(voter).call())
        typed = ballot(self._eip712_domain(), proposal_id, support, voter, nonce)
        signer = ballot_signer(typed, signature)
        if signer is None or signer.lower() != voter.lower():
            raise error_class("GovernorInvalidSignature")(
                {"voter": voter},
                contract=GOVERNOR,
                detail=f"the signature is not {voter}'s vote {support} on proposal "
                f"{proposal_id} with nonce {nonce}",
            )

    def _eip712_domain(self) -> dict[str, Any]:
        """The governor's EIP-712 domain, as its `eip712Domain()` (ERC-5267) reports it."""
        if self._domain is None:
            self._domain = erc5267_domain(self._governor.functions.eip712Domain().call())
        return self._domain


__all__ = ["Voting"]
