"""Voting: delegate token votes, vote, sign a vote for someone else to relay, relay one, and
read what a wallet can vote with and how a proposal's votes split between tokens and
reputation.
"""

from typing import Any

from ..eip712 import erc5267_domain
from ..errors import error_class
from ..parsing import parse_address
from ..types import ProposalState, TxResult, Vote
from .ballots import SignedBallot, ballot
from .proposals import GOVERNOR, Tally, as_bytes, parse_vote
from .reading import unexpected_state
from .refusals import Refusals


class Voting(Refusals):
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

        The governor's simulation checks that voting is open (in the block the vote would be
        mined in) and that the wallet has not voted yet; a refusal says when voting opens or
        closed. The weight is the wallet's votes at the proposal's snapshot; a vote of weight
        zero is allowed (as the governor allows it) and counts for nothing: see `voting_power`.
        """
        choice = parse_vote(support)
        voter = self._jeton.address
        functions = self._governor.functions
        if reason:
            fn = functions.castVoteWithReason(proposal_id, int(choice), reason)
        else:
            fn = functions.castVote(proposal_id, int(choice))
        return self._send(fn, lambda error, now: self._vote_refusal(error, proposal_id, voter))

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

        The governor's simulation checks that voting is open, that the signature is `voter`'s
        for this proposal, support and nonce, and that `voter` has not voted; a refused
        signature is explained (a voter who voted already, or whose ballot this is not).
        """
        choice = parse_vote(support)
        voter = parse_address(voter, "voter")
        signature = as_bytes(signature)
        fn = self._governor.functions.castVoteBySig(proposal_id, int(choice), voter, signature)
        return self._send(
            fn, lambda error, now: self._ballot_refusal(error, proposal_id, choice, voter)
        )

    def sign_ballot(self, proposal_id: int, support: Vote | str | int) -> SignedBallot:
        """The wallet's vote as a `SignedBallot` that anyone may relay (`relay_ballot`),
        paying the gas: a voter without ETH still votes. Checks first that the proposal is
        pending or active and that the wallet has not voted; signing sends nothing."""
        choice = parse_vote(support)
        voter = self._jeton.address
        functions = self._governor.functions
        state_, voted, nonce = self._jeton.call(
            functions.state(proposal_id),
            functions.hasVoted(proposal_id, voter),
            functions.nonces(voter),
        )  # one round trip (a proposal that does not exist: GovernorNonexistentProposal)
        state = ProposalState(state_)
        if state not in (ProposalState.PENDING, ProposalState.ACTIVE):
            raise unexpected_state(
                proposal_id,
                state,
                ProposalState.ACTIVE,
                f"proposal {self._label(proposal_id)} is {state}: its voting is over, so a "
                "ballot for it could never be counted",
            )
        if voted:
            raise error_class("GovernorAlreadyCastVote")({"voter": voter}, contract=GOVERNOR)
        return SignedBallot(
            chain_id=self._jeton.chain_id,
            governor=self._governor.address,
            proposal_id=proposal_id,
            support=choice,
            voter=voter,
            nonce=int(nonce),
            signature=self.sign_vote(proposal_id, choice, nonce=int(nonce)),
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
        snapshot = int(self._creation(proposal_id).args["voteStart"])
        timepoint = min(snapshot, self._jeton.w3.eth.block_number - 1)
        return int(self._governor.functions.getVotes(address, timepoint).call())

    def tally(self, proposal_id: int) -> Tally:
        """The votes cast on the proposal per side, token votes and reputation votes apart."""
        snapshot = int(self._creation(proposal_id).args["voteStart"])
        token = self._jeton.contracts.token.functions
        records = self.votes(proposal_id)
        past = self._jeton.call(*(token.getPastVotes(r.voter, snapshot) for r in records))
        votes = [(record, int(tokens)) for record, tokens in zip(records, past, strict=True)]
        tokens = dict.fromkeys(Vote, 0)
        reputation = dict.fromkeys(Vote, 0)
        for record, from_tokens in votes:
            tokens[record.support] += from_tokens
            reputation[record.support] += record.weight - from_tokens
        return Tally(tokens=tokens, reputation=reputation, votes=votes)

    # -------------------------------------------------------------- internals

    def _eip712_domain(self) -> dict[str, Any]:
        """The governor's EIP-712 domain, as its `eip712Domain()` (ERC-5267) reports it."""
        if self._domain is None:
            self._domain = erc5267_domain(self._governor.functions.eip712Domain().call())
        return self._domain


__all__ = ["Voting"]
