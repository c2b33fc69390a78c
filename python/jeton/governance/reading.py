"""Reading the DAO: the governed rules' values and limits, proposals (their calls in plain
words, state, tally and times) and the votes cast on them; and the checks of a proposal's
state that the sending methods share. The base of `Governance`.
"""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from eth_utils import keccak
from web3 import Web3
from web3.contract.contract import ContractFunction

from ..errors import ContractError, error_class
from ..parsing import parse_address
from ..types import Event, ProposalState, Timestamp
from .describing import Describing
from .proposals import GOVERNOR, ZERO_BYTES32, Proposal, RuleChange, VoteRecord
from .rules import RuleLimits, rule_by_key, rule_for_event

if TYPE_CHECKING:
    from ..client import Jeton

#: A proposal's calls: targets, values and calldatas.
Calls = tuple[list[str], list[int], list[bytes]]


class Reading(Describing):
    """What `Governance` reads (see `jeton.governance.Governance`)."""

    def __init__(self, jeton: "Jeton"):
        self._jeton = jeton
        self._limits: dict[str, RuleLimits] = {}
        self._created: dict[int, Event] = {}
        self._executions: dict[int, str] = {}
        #: Proposal ids in the order they were made (#1 first).
        self._order: list[int] = []

    @property
    def _governor(self):
        return self._jeton.contracts.governor

    def _account(self, address: str | None) -> str:
        """`address` checksummed, or the wallet's address if None."""
        return parse_address(address) if address else self._jeton.address

    # -------------------------------------------------------------- rules

    def rule_limits(self, rule: str) -> RuleLimits:
        """The hard bounds and maximum step of `rule`, read from its contract's constants."""
        self._load_limits([rule])
        return self._limits[rule]

    def _load_limits(self, rules: Sequence[str]) -> None:
        """Read the limits of `rules` not read yet, in one round trip (constants: once)."""
        plan: list[tuple[str, list[bool]]] = []
        calls: list[ContractFunction] = []
        for rule in dict.fromkeys(r for r in rules if r not in self._limits):
            spec = rule_by_key(rule)
            contract = self._jeton.contracts[spec.contract]
            declared = {e.get("name") for e in contract.abi if e.get("type") == "function"}
            names = (spec.min_constant, spec.max_constant, spec.step_constant)
            present = [name is not None and name in declared for name in names]
            calls += [
                contract.functions[n]() for n, there in zip(names, present, strict=True) if there
            ]
            plan.append((rule, present))
        results = iter(self._jeton.call(*calls) if calls else [])
        for rule, present in plan:
            low, high, step = (int(next(results)) if there else None for there in present)
            self._limits[rule] = RuleLimits(
                min=(low or 0) if high is not None else 0, max=high, step=step
            )

    # -------------------------------------------------------------- proposals and votes

    def proposal(self, proposal: int | str) -> Proposal:
        """A proposal now, by its number (2, "#2") or its id (GovernorNonexistentProposal if
        there is none)."""
        proposal_id = self.proposal_id(proposal)
        return self._read_many([self._creation(proposal_id)])[0]

    def proposals(
        self, state: ProposalState | None = None, proposer: str | None = None
    ) -> list[Proposal]:
        """Every proposal, oldest first (#1 first), from the ProposalCreated events
        (optionally only those in `state`, or made by `proposer`), read in one batch."""
        proposer = parse_address(proposer, "proposer") if proposer else None
        created = [self._created[i] for i in self.proposal_ids()]
        if proposer:
            created = [c for c in created if c.args["proposer"].lower() == proposer.lower()]
        return [
            p for p in self._read_many(created, synced=True) if state is None or p.state == state
        ]

    def proposal_ids(self) -> list[int]:
        """Every proposal's id in the order they were made: the id of proposal #n is at index
        n - 1. From the ProposalCreated events, read with the ProposalExecuted ones through the
        event index (only blocks not read before)."""
        created, executed = self._jeton.events.query_all(
            [(GOVERNOR, ["ProposalCreated"], None), (GOVERNOR, ["ProposalExecuted"], None)]
        )
        order = []
        for event in created:
            proposal_id = int(event.args["proposalId"])
            self._created[proposal_id] = event
            order.append(proposal_id)
        self._order = list(dict.fromkeys(order))
        for event in executed:
            self._executions[int(event.args["proposalId"])] = event.tx_hash
        return list(self._order)

    def proposal_number(self, proposal_id: int) -> int:
        """Proposal `proposal_id`'s number: 1 for the first proposal ever made, and so on
        (GovernorNonexistentProposal if there is none)."""
        if proposal_id not in self._order:
            self.proposal_ids()
        if proposal_id not in self._order:
            raise _no_proposal(proposal_id, "no ProposalCreated event has this id")
        return self._order.index(proposal_id) + 1

    def proposal_id(self, proposal: int | str) -> int:
        """The id of a proposal given by its number (2, "2", "#2") or by its id (an int, or
        its decimal or 0x-hex digits). Ids are 256-bit hashes, so a small number is a number."""
        text = str(proposal).strip()
        try:
            value = int(text, 16) if text.lower().startswith("0x") else int(text.lstrip("#"))
        except ValueError:
            raise _no_proposal(
                0, f"{proposal!r} is neither a proposal's number (#1, #2...) nor its id"
            ) from None
        if value >= 2**32 or text.lower().startswith("0x"):
            return value
        ids = self._order if 1 <= value <= len(self._order) else self.proposal_ids()
        if not 1 <= value <= len(ids):
            raise _no_proposal(
                value, f"there is no proposal #{value}: {len(ids)} proposals were made so far"
            )
        return ids[value - 1]

    def votes(self, proposal_id: int, voter: str | None = None) -> list[VoteRecord]:
        """The votes cast on the proposal (optionally by `voter` only), in order, from events
        (the governor's votes, read through the event index)."""
        where = {"voter": parse_address(voter, "voter")} if voter else None
        self._creation(proposal_id)  # GovernorNonexistentProposal if there is none
        events = self._jeton.events.query(GOVERNOR, ["VoteCast", "VoteCastWithParams"], where)
        return [
            VoteRecord.from_event(event)
            for event in events
            if int(event.args["proposalId"]) == proposal_id
        ]

    # -------------------------------------------------------------- internals: proposals

    def _creation(self, proposal_id: int) -> Event:
        """The proposal's ProposalCreated event (a proposal's calls never change)."""
        if proposal_id not in self._created:
            self.proposal_ids()
        if proposal_id not in self._created:
            raise _no_proposal(proposal_id, f"no ProposalCreated event of proposal {proposal_id}")
        return self._created[proposal_id]

    def _read_many(self, created: Sequence[Event], synced: bool = False) -> list[Proposal]:
        """The proposals of these ProposalCreated events as the chain sees them now (at the
        head the event index reads first): their state, tally and times, the rules they change
        and, for an executed one, its receipt (the values it replaced), in one batched round
        trip after that one (`synced`: the events were read just now)."""
        if not synced:
            self.proposal_ids()  # the head now, and executions up to it (one round trip)
        head = self._jeton.events.head
        functions = self._governor.functions
        calls: list[ContractFunction] = []
        for event in created:
            proposal_id, snapshot = int(event.args["proposalId"]), int(event.args["voteStart"])
            calls += [
                functions.state(proposal_id),
                functions.proposalVotes(proposal_id),
                functions.proposalProposer(proposal_id),
                functions.proposalDeadline(proposal_id),
                functions.proposalEta(proposal_id),
                functions.proposalExpiry(proposal_id),
                functions.quorum(min(snapshot, head - 1)),
            ]
        decoded = [self._decode_calls(*_calls(event.args)) for event in created]
        rules = sorted({c.rule for calls_ in decoded for c in calls_ if c.rule is not None})
        calls += [self._getter(rule) for rule in rules]
        executed = [
            i for i in (int(e.args["proposalId"]) for e in created) if i in self._executions
        ]
        receipts = [("eth_getTransactionReceipt", [self._executions[i]]) for i in executed]
        results, replies = self._jeton.call_with(calls, receipts, block=head)
        values = dict(zip(rules, (int(v) for v in results[7 * len(created) :]), strict=True))
        replaced = {
            proposal_id: [
                (rule.key, old)
                for rule, old in filter(
                    None, map(rule_for_event, self._jeton.decode_logs(r["logs"]))
                )
            ]
            for proposal_id, r in zip(executed, replies, strict=True)
        }
        return [
            self._proposal(event, results[7 * n : 7 * n + 7], decoded[n], values, replaced)
            for n, event in enumerate(created)
        ]

    def _proposal(
        self,
        created: Event,
        read: Sequence[Any],
        calls: list[RuleChange],
        values: dict[str, int],
        replaced: dict[int, list[tuple[str, int]]],
    ) -> Proposal:
        args = created.args
        proposal_id = int(args["proposalId"])
        state_, (against, for_votes, abstain), proposer, deadline, eta, expires, quorum = read
        state = ProposalState(state_)
        targets, values_, calldatas = _calls(args)
        executed = replaced.get(proposal_id) if state == ProposalState.EXECUTED else None
        return Proposal(
            id=proposal_id,
            proposer=Web3.to_checksum_address(proposer),
            description=args["description"],
            state=state,
            for_votes=int(for_votes),
            against_votes=int(against),
            abstain_votes=int(abstain),
            quorum=int(quorum),
            snapshot=int(args["voteStart"]),
            deadline=int(deadline),
            eta=int(eta),
            expires=int(expires),
            changes=self._describe(calls, executed, values),
            targets=targets,
            values=values_,
            calldatas=calldatas,
            description_hash=keccak(text=args["description"]),
            created_block=created.block,
            number=self._order.index(proposal_id) + 1 if proposal_id in self._order else None,
        )

    def _call_args(self, proposal_id: int) -> tuple[list[str], list[int], list[bytes], bytes]:
        """targets, values, calldatas and description hash: what queue/execute/cancel take."""
        args = self._creation(proposal_id).args
        return (*_calls(args), keccak(text=args["description"]))

    # -------------------------------------------------------------- internals: state checks

    def _snapshot(self, proposal_id: int) -> int:
        snapshot = int(self._governor.functions.proposalSnapshot(proposal_id).call())
        if not snapshot:
            raise error_class("GovernorNonexistentProposal")(
                {"proposalId": proposal_id}, contract=GOVERNOR
            )
        return snapshot

    def _state(self, proposal_id: int) -> ProposalState:
        self._snapshot(proposal_id)
        return ProposalState(self._governor.functions.state(proposal_id).call())

    def _require_state(self, proposal_id: int, needed: ProposalState, action: str) -> None:
        state = self._state(proposal_id)
        if state == needed:
            return
        raise unexpected_state(
            proposal_id,
            state,
            needed,
            f"{action} needs proposal {self._label(proposal_id)} {needed}, and it is {state}"
            f"{self._when(proposal_id, state)}",
        )

    def _label(self, proposal_id: int) -> str:
        """ "#2" when the proposal's number is known, else its id (for messages)."""
        return (
            f"#{self._order.index(proposal_id) + 1}"
            if proposal_id in self._order
            else str(proposal_id)
        )

    def _when(self, proposal_id: int, state: ProposalState) -> str:
        """Why the state is what it is, in words (for error messages)."""
        functions = self._governor.functions
        if state == ProposalState.PENDING:
            return f": voting opens after block {functions.proposalSnapshot(proposal_id).call()}"
        if state == ProposalState.ACTIVE:
            return f": voting closes after block {functions.proposalDeadline(proposal_id).call()}"
        if state == ProposalState.QUEUED:
            eta = Timestamp(
                functions.proposalEta(proposal_id).call(), self._jeton.block_timestamp()
            )
            expires = Timestamp(int(functions.proposalExpiry(proposal_id).call()))
            return f": executable from {eta} until {expires}"
        if state == ProposalState.EXPIRED:
            expired = Timestamp(int(functions.proposalExpiry(proposal_id).call()))
            return (
                f": it expired at {expired}, unexecuted, and can never run; propose it again "
                "to do it now"
            )
        return ""


def _no_proposal(proposal_id: int, detail: str) -> ContractError:
    return error_class("GovernorNonexistentProposal")(
        {"proposalId": proposal_id}, contract=GOVERNOR, detail=detail
    )


def unexpected_state(
    proposal_id: int, current: ProposalState, expected: ProposalState | None, detail: str
) -> ContractError:
    """GovernorUnexpectedProposalState: the proposal is `current`, and the call needs it
    `expected` (None: in no state at all, as for a proposal that must not exist yet)."""
    bitmap = ZERO_BYTES32 if expected is None else (1 << expected).to_bytes(32, "big")
    return error_class("GovernorUnexpectedProposalState")(
        {"proposalId": proposal_id, "current": current, "expectedStates": bitmap},
        contract=GOVERNOR,
        detail=detail,
    )


def _calls(args: dict[str, Any]) -> Calls:
    """The calls a ProposalCreated event lists, checksummed and typed."""
    return (
        [Web3.to_checksum_address(t) for t in args["targets"]],
        [int(v) for v in args["values"]],
        [bytes(c) for c in args["calldatas"]],
    )


__all__ = ["Reading", "unexpected_state"]
