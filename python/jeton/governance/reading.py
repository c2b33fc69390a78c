"""Reading the DAO: the governed rules' values and limits, proposals (their calls in plain
words, state, tally and times) and the votes cast on them; and the checks of a proposal's
state that the sending methods share. The base of `Governance`.
"""

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from eth_utils import keccak
from web3 import Web3
from web3.contract.contract import ContractFunction

from ..errors import ContractError, error_class
from ..history import iter_events
from ..parsing import parse_address
from ..types import Event, ProposalState, Timestamp
from .proposals import GOVERNOR, ZERO_BYTES32, Proposal, RuleChange, VoteRecord, as_bytes
from .rules import RULES, RuleLimits, rule_by_key, rule_for_event, rule_for_setter

if TYPE_CHECKING:
    from ..client import Jeton

#: A proposal's calls: targets, values and calldatas.
Calls = tuple[list[str], list[int], list[bytes]]


class Reading:
    """What `Governance` reads (see `jeton.governance.Governance`)."""

    def __init__(self, jeton: "Jeton"):
        self._jeton = jeton
        self._limits: dict[str, RuleLimits] = {}
        self._created: dict[int, Event] = {}
        self._executions: dict[int, str] = {}
        #: Proposal ids in the order they were made (#1 first), and the last block read.
        self._order: list[int] = []
        self._order_block: int | None = None

    @property
    def _governor(self):
        return self._jeton.contracts.governor

    def _account(self, address: str | None) -> str:
        """`address` checksummed, or the wallet's address if None."""
        return parse_address(address) if address else self._jeton.address

    # -------------------------------------------------------------- rules

    def rule_value(self, rule: str) -> int:
        """The current value of governed rule `rule` (a key of `RULES`)."""
        spec = rule_by_key(rule)
        contract = self._jeton.contracts[spec.contract]
        return int(contract.get_function_by_signature(f"{spec.getter}()")().call())

    def rule_limits(self, rule: str) -> RuleLimits:
        """The hard bounds and maximum step of `rule`, read from its contract's constants."""
        if rule not in self._limits:
            spec = rule_by_key(rule)
            contract = self._jeton.contracts[spec.contract]
            declared = {e.get("name") for e in contract.abi if e.get("type") == "function"}

            def constant(name: str | None) -> int | None:
                if name is None or name not in declared:
                    return None
                return int(contract.functions[name]().call())

            maximum = constant(spec.max_constant)
            self._limits[rule] = RuleLimits(
                min=(constant(spec.min_constant) or 0) if maximum is not None else 0,
                max=maximum,
                step=constant(spec.step_constant),
            )
        return self._limits[rule]

    def describe(self, target: str, calldata: bytes | str, value: int = 0) -> RuleChange:
        """Decode one call of a proposal into a `RuleChange` in plain words."""
        return self._describe_calls([target], [value], [as_bytes(calldata)])[0]

    # -------------------------------------------------------------- proposals and votes

    def proposal(self, proposal: int | str) -> Proposal:
        """A proposal now, by its number (2, "#2") or its id (GovernorNonexistentProposal if
        there is none)."""
        proposal_id = self.proposal_id(proposal)
        created = self._creation(proposal_id)
        if proposal_id not in self._order:
            self.proposal_ids()  # its number
        return self._read(created)

    def proposals(
        self, state: ProposalState | None = None, proposer: str | None = None
    ) -> list[Proposal]:
        """Every proposal, oldest first (#1 first), from the ProposalCreated events
        (optionally only those in `state`, or made by `proposer`)."""
        proposer = parse_address(proposer, "proposer") if proposer else None
        result = []
        for executed in iter_events(self._jeton, GOVERNOR, "ProposalExecuted"):
            self._executions[int(executed.args["proposalId"])] = executed.tx_hash
        for proposal_id in self.proposal_ids():
            created = self._created[proposal_id]
            if proposer and created.args["proposer"].lower() != proposer.lower():
                continue
            proposal = self._read(created)
            if state is None or proposal.state == state:
                result.append(proposal)
        return result

    def proposal_ids(self) -> list[int]:
        """Every proposal's id in the order they were made: the id of proposal #n is at index
        n - 1. Read from the ProposalCreated events (only blocks not read before)."""
        head = self._jeton.w3.eth.block_number
        start = self._jeton.deployment.block if self._order_block is None else self._order_block
        for event in iter_events(self._jeton, GOVERNOR, "ProposalCreated", None, start, head):
            proposal_id = int(event.args["proposalId"])
            self._created[proposal_id] = event
            if proposal_id not in self._order:
                self._order.append(proposal_id)
        self._order_block = head + 1
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
        """The votes cast on the proposal (optionally by `voter` only), in order, from events."""
        filters = {"voter": parse_address(voter, "voter")} if voter else None
        snapshot = self._snapshot(proposal_id)
        deadline = int(self._governor.functions.proposalDeadline(proposal_id).call())
        last = min(deadline, self._jeton.w3.eth.block_number)
        records = []
        for name in ("VoteCast", "VoteCastWithParams"):
            for event in iter_events(self._jeton, GOVERNOR, name, filters, snapshot + 1, last):
                if int(event.args["proposalId"]) != proposal_id:
                    continue
                records.append((event.block, event.log_index, VoteRecord.from_event(event)))
        return [record for _, _, record in sorted(records, key=lambda r: (r[0], r[1]))]

    # -------------------------------------------------------------- internals: proposals

    def _creation(self, proposal_id: int) -> Event:
        """The proposal's ProposalCreated event (cached: a proposal's calls never change)."""
        if proposal_id in self._created:
            return self._created[proposal_id]
        snapshot = self._snapshot(proposal_id)
        # Usually created `votingDelay` blocks before the snapshot: look there first.
        guess = snapshot - int(self._governor.functions.votingDelay().call())
        first = self._jeton.deployment.block
        for start, end in ((guess, guess), (first, snapshot)):
            if start < first:
                continue
            for event in iter_events(self._jeton, GOVERNOR, "ProposalCreated", None, start, end):
                self._created[int(event.args["proposalId"])] = event
            if proposal_id in self._created:
                return self._created[proposal_id]
        raise _no_proposal(proposal_id, f"no ProposalCreated event of proposal {proposal_id}")

    def _read(self, created: Event) -> Proposal:
        args = created.args
        proposal_id = int(args["proposalId"])
        block = self._jeton.w3.eth.block_number
        functions = self._governor.functions

        def call(fn: ContractFunction) -> Any:
            return fn.call(block_identifier=block)

        state = ProposalState(call(functions.state(proposal_id)))
        against, for_votes, abstain = call(functions.proposalVotes(proposal_id))
        snapshot = int(call(functions.proposalSnapshot(proposal_id)))
        targets, values, calldatas = _calls(args)
        replaced = (
            self._replaced_values(proposal_id, snapshot)
            if state == ProposalState.EXECUTED
            else None
        )
        return Proposal(
            id=proposal_id,
            proposer=call(functions.proposalProposer(proposal_id)),
            description=args["description"],
            state=state,
            for_votes=int(for_votes),
            against_votes=int(against),
            abstain_votes=int(abstain),
            quorum=int(call(functions.quorum(min(snapshot, block - 1)))),
            snapshot=snapshot,
            deadline=int(call(functions.proposalDeadline(proposal_id))),
            eta=int(call(functions.proposalEta(proposal_id))),
            expires=int(call(functions.proposalExpiry(proposal_id))),
            changes=self._describe_calls(targets, values, calldatas, replaced),
            targets=targets,
            values=values,
            calldatas=calldatas,
            description_hash=keccak(text=args["description"]),
            created_block=created.block,
            number=self._order.index(proposal_id) + 1 if proposal_id in self._order else None,
        )

    def _call_args(self, proposal_id: int) -> tuple[list[str], list[int], list[bytes], bytes]:
        """targets, values, calldatas and description hash: what queue/execute/cancel take."""
        args = self._creation(proposal_id).args
        return (*_calls(args), keccak(text=args["description"]))

    def _describe_calls(
        self,
        targets: Sequence[str],
        values: Sequence[int],
        calldatas: Sequence[bytes],
        replaced: list[tuple[str, int]] | None = None,
    ) -> list[RuleChange]:
        """The calls in plain words, each "from" the rule's value now (a rule changed twice
        reads from its first new value). For an executed proposal, `replaced` lists the
        (rule key, old value) its execution logged, which give the "from" instead."""
        running: dict[str, int] = {}
        pending = list(replaced or [])
        changes = []
        for target, value, calldata in zip(targets, values, calldatas, strict=True):
            change = self._decode_call(target, value, calldata)
            if change.rule is not None:
                spec = RULES[change.rule]
                current = running.get(change.rule)
                if replaced is not None:
                    current = next((old for key, old in pending if key == change.rule), None)
                    if current is not None:
                        pending.remove((change.rule, current))
                elif current is None:
                    current = self.rule_value(change.rule)
                running[change.rule] = change.args[0]
                change = replace(
                    change, current=current, description=spec.describe(current, change.args[0])
                )
            changes.append(change)
        return changes

    def _decode_call(self, target: str, value: int, calldata: bytes) -> RuleChange:
        """One call decoded with the deployment's ABIs (no "from" value yet)."""
        contracts = self._jeton.contracts
        name = contracts.name_of(target)
        sent = f", sending {value} wei" if value else ""
        base = RuleChange(
            contract=name or target,
            function="",
            args=(),
            description=f"call {name or target} with data 0x{calldata.hex()}{sent}",
            target=target,
            calldata=calldata,
            value=value,
        )
        if name is None:
            return base
        try:
            fn, params = contracts[name].decode_function_input(calldata)
        except ValueError:
            return base
        args = tuple(params.values())
        rule = rule_for_setter(name, fn.fn_name)
        if rule is not None:
            description = RULES[rule.key].describe(None, args[0])
        elif name == "AccessCredits" and (text := self._credits_call(fn.fn_name, params)):
            description = text
        else:
            shown = ", ".join(f"{k}={self._show(v)}" for k, v in params.items())
            description = f"call {name}.{fn.fn_name}({shown}){sent}"
        return replace(
            base,
            function=fn.fn_name,
            args=args,
            description=description,
            rule=rule.key if rule else None,
        )

    def _credits_call(self, function: str, params: dict[str, Any]) -> str | None:
        from ..services import describe_credits_call

        return describe_credits_call(self._jeton, function, params)

    def _show(self, value: Any) -> str:
        if isinstance(value, bytes):
            return "0x" + value.hex()
        if isinstance(value, str) and Web3.is_address(value):
            name = self._jeton.contracts.name_of(value)
            return f"{name} ({value})" if name else value
        return str(value)

    def _replaced_values(self, proposal_id: int, since: int) -> list[tuple[str, int]]:
        """(rule key, old value) of each rule the proposal's execution changed, in order."""
        if proposal_id not in self._executions:
            for event in iter_events(self._jeton, GOVERNOR, "ProposalExecuted", None, since + 1):
                self._executions[int(event.args["proposalId"])] = event.tx_hash
        tx_hash = self._executions.get(proposal_id)
        if tx_hash is None:
            return []
        receipt = self._jeton.w3.eth.get_transaction_receipt(tx_hash)
        found = (rule_for_event(e) for e in self._jeton.decode_logs(receipt["logs"]))
        return [(rule.key, old) for rule, old in filter(None, found)]

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
