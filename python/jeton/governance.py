"""Governance: delegate, propose rule changes, vote, queue, execute, and follow proposals.

The DAO is OpenZeppelin's Governor (`WorkGovernor`) with a timelock. A rule change goes:
propose -> (voting delay) -> vote -> (voting period) -> queue -> (timelock delay) -> execute.

Every governed rule is described once, in `RULES`: which contract holds it, its getter and
setter, the names of the constants that bound it, and its unit. That one table serves the
`propose_*` methods, the pre-flight bound checks, and the plain-words reading of a proposal's
calls ("set the platform fee from 5.00% to 4.00%").

Like every state-changing method of the client, each method here first checks what the contract
would check (proposal state, an earlier vote, the signature, the rule's bounds and step, the
timelock's delay) and raises the exception class the contract would revert with, before any
transaction; then it sends through `Jeton.transact`, which simulates once more.

>>> proposal = jeton.gov.propose_fee(400, "Lower the fee to 4%")
>>> proposal.changes[0].description
'set the platform fee from 5.00% to 4.00%'
>>> jeton.gov.vote(proposal.id, "for", reason="cheaper for clients")
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from eth_abi import encode as abi_encode
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils import keccak
from web3 import Web3
from web3.contract.contract import ContractFunction

from .errors import ContractError, error_class
from .history import iter_events
from .types import Event, ProposalState, TxResult, Vote
from .units import from_base_units

if TYPE_CHECKING:
    from .client import Jeton

Unit = Literal["bps", "seconds", "weight", "blocks", "percent", "tokens"]

GOVERNOR = "WorkGovernor"
ZERO_BYTES32 = b"\x00" * 32
#: TimelockController.OperationState.Ready, as a state bitmap.
TIMELOCK_READY_BITMAP = (1 << 2).to_bytes(32, "big")


# ------------------------------------------------------------------ the governed rules


@dataclass(frozen=True)
class GovernedRule:
    """One rule the DAO governs: where it lives, how it is read and set, what bounds it."""

    #: Short name used by the client and the command: "fee", "review_period"...
    key: str
    #: The rule's name in `RuleBounds` errors and `RuleChanged` events (a bytes32 string).
    name: str
    #: How people call it: "the platform fee".
    label: str
    #: The deployment's name of the contract that holds it.
    contract: str
    getter: str
    setter: str
    unit: Unit
    #: Names of the contract's constants: upper bound, maximum step (None: no step limit),
    #: lower bound (None: 0).
    max_constant: str
    step_constant: str | None = None
    min_constant: str | None = None
    #: Words after the value: " of the fee", " per reputation point".
    suffix: str = ""
    #: The event the setter emits, whose first argument is the value it replaced.
    event: str = "RuleChanged"

    @property
    def rule_id(self) -> bytes:
        """The bytes32 name the contract uses in its errors and events."""
        return self.name.encode().ljust(32, b"\x00")

    def format(self, value: int) -> str:
        """`value` for people: "5.00%", "3 days", "1 JTN"."""
        return FORMATTERS[self.unit](value)

    def describe(self, current: int | None, new: int) -> str:
        """ "set the platform fee from 5.00% to 4.00%" (without "from" if `current` is None)."""
        start = f" from {self.format(current)}" if current is not None else ""
        return f"set {self.label}{start} to {self.format(new)}{self.suffix}"


@dataclass(frozen=True)
class RuleLimits:
    """A rule's hard bounds and maximum step per change, as its contract's constants say.

    `max` is None when the deployed contract declares no bounds (an older deployment: nothing
    to check); `step` is None when the rule has no step limit.
    """

    min: int
    max: int | None
    step: int | None


def format_bps(bps: int) -> str:
    """Basis points as a percentage: 500 -> "5.00%"."""
    return f"{Decimal(bps) / 100:.2f}%"


def format_duration(seconds: int) -> str:
    """Seconds in days, hours, minutes: 259200 -> "3 days", 90000 -> "1 day 1 hour"."""
    parts = []
    rest = int(seconds)
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60), ("second", 1)):
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{count} {unit}{'' if count == 1 else 's'}")
    return " ".join(parts) if parts else "0 seconds"


def format_weight(weight: int) -> str:
    """Votes per reputation point, in JTN: 10**18 -> "1 JTN"."""
    return f"{format(from_base_units(weight), 'f')} JTN"


def format_blocks(blocks: int) -> str:
    """A number of blocks: "50 blocks"."""
    return f"{blocks:,} block{'' if blocks == 1 else 's'}"


def format_percent(percent: int) -> str:
    """A whole percentage: 4 -> "4%"."""
    return f"{percent}%"


def format_tokens(amount: int) -> str:
    """A token amount in base units, in JTN: "1,000,000 JTN"."""
    return f"{from_base_units(amount):,f} JTN"


FORMATTERS: dict[str, Callable[[int], str]] = {
    "bps": format_bps,
    "seconds": format_duration,
    "weight": format_weight,
    "blocks": format_blocks,
    "percent": format_percent,
    "tokens": format_tokens,
}

#: Every rule a vote can change by a single number, by key.
RULES: dict[str, GovernedRule] = {
    rule.key: rule
    for rule in (
        GovernedRule(
            key="fee",
            name="feeBps",
            label="the platform fee",
            contract="PlatformRules",
            getter="feeBps",
            setter="setFeeBps",
            unit="bps",
            max_constant="MAX_FEE_BPS",
            step_constant="MAX_FEE_STEP",
        ),
        GovernedRule(
            key="reward",
            name="rewardBps",
            label="the work reward",
            contract="PlatformRules",
            getter="rewardBps",
            setter="setRewardBps",
            unit="bps",
            max_constant="MAX_REWARD_BPS",
            step_constant="MAX_REWARD_STEP",
            suffix=" of the fee",
        ),
        GovernedRule(
            key="review_period",
            name="reviewPeriod",
            label="the review period",
            contract="PlatformRules",
            getter="reviewPeriod",
            setter="setReviewPeriod",
            unit="seconds",
            max_constant="MAX_REVIEW_PERIOD",
            step_constant="MAX_REVIEW_STEP",
            min_constant="MIN_REVIEW_PERIOD",
        ),
        GovernedRule(
            key="dispute_window",
            name="disputeWindow",
            label="the dispute window",
            contract="PlatformRules",
            getter="disputeWindow",
            setter="setDisputeWindow",
            unit="seconds",
            max_constant="MAX_DISPUTE_WINDOW",
            step_constant="MAX_DISPUTE_STEP",
            min_constant="MIN_DISPUTE_WINDOW",
        ),
        GovernedRule(
            key="reputation_weight",
            name="reputationWeight",
            label="the voting weight of reputation",
            contract="WorkVotes",
            getter="reputationWeight",
            setter="setReputationWeight",
            unit="weight",
            max_constant="MAX_REPUTATION_WEIGHT",
            step_constant="MAX_REPUTATION_WEIGHT_STEP",
            suffix=" per reputation point",
        ),
        # The voting settings and the timelock's delay: bounded, with no step limit.
        GovernedRule(
            key="voting_delay",
            name="votingDelay",
            label="the voting delay",
            contract="WorkGovernor",
            getter="votingDelay",
            setter="setVotingDelay",
            unit="blocks",
            max_constant="MAX_VOTING_DELAY",
            min_constant="MIN_VOTING_DELAY",
            event="VotingDelaySet",
        ),
        GovernedRule(
            key="voting_period",
            name="votingPeriod",
            label="the voting period",
            contract="WorkGovernor",
            getter="votingPeriod",
            setter="setVotingPeriod",
            unit="blocks",
            max_constant="MAX_VOTING_PERIOD",
            min_constant="MIN_VOTING_PERIOD",
            event="VotingPeriodSet",
        ),
        GovernedRule(
            key="proposal_threshold",
            name="proposalThreshold",
            label="the votes needed to propose",
            contract="WorkGovernor",
            getter="proposalThreshold",
            setter="setProposalThreshold",
            unit="tokens",
            max_constant="MAX_PROPOSAL_THRESHOLD",
            event="ProposalThresholdSet",
        ),
        GovernedRule(
            key="quorum",
            name="quorumPercent",
            label="the quorum",
            contract="WorkGovernor",
            getter="quorumNumerator",
            setter="updateQuorumNumerator",
            unit="percent",
            max_constant="MAX_QUORUM_PERCENT",
            min_constant="MIN_QUORUM_PERCENT",
            suffix=" of the token supply",
            event="QuorumNumeratorUpdated",
        ),
        GovernedRule(
            key="late_quorum_extension",
            name="lateQuorumExtension",
            label="the late-quorum extension",
            contract="WorkGovernor",
            getter="lateQuorumVoteExtension",
            setter="setLateQuorumVoteExtension",
            unit="blocks",
            max_constant="MAX_LATE_QUORUM_EXTENSION",
            event="LateQuorumVoteExtensionSet",
        ),
        GovernedRule(
            key="timelock_delay",
            name="timelockDelay",
            label="the timelock delay",
            contract="Timelock",
            getter="getMinDelay",
            setter="updateDelay",
            unit="seconds",
            max_constant="MAX_DELAY",
            min_constant="MIN_DELAY",
            event="MinDelayChange",
        ),
    )
}


def rule_for_setter(contract: str, function: str) -> GovernedRule | None:
    """The governed rule that `contract.function` sets, if any."""
    for rule in RULES.values():
        if rule.contract == contract and rule.setter == function:
            return rule
    return None


def rule_by_id(rule_id: bytes) -> GovernedRule | None:
    """The governed rule named `rule_id` (bytes32, as in RuleBounds errors), if any."""
    for rule in RULES.values():
        if rule.rule_id == bytes(rule_id):
            return rule
    return None


def rule_for_event(event: Event) -> tuple[GovernedRule, int] | None:
    """The governed rule a setter's event reports, and the value it replaced."""
    if event.name == "RuleChanged":
        rule = rule_by_id(event.args["rule"])
        if rule is not None and rule.contract == event.contract:
            return rule, int(event.args["oldValue"])
        return None
    for rule in RULES.values():
        if rule.event == event.name and rule.contract == event.contract:
            return rule, int(next(iter(event.args.values())))
    return None


# ------------------------------------------------------------------ what the client returns


@dataclass(frozen=True)
class RuleChange:
    """One call of a proposal, in plain words.

    `description` reads "set the platform fee from 5.00% to 4.00%" for a governed rule (the
    "from" is the rule's value when read, or, once executed, the value the execution replaced),
    and "call PlatformRules.setArbiter(arbiter=0x..., allowed=True)" for any other call.
    """

    #: The deployment's name of the target contract (its address if not a Jeton contract).
    contract: str
    #: The called function's name ("" when the calldata does not decode).
    function: str
    args: tuple[Any, ...]
    description: str
    target: str
    calldata: bytes
    #: Wei sent with the call.
    value: int = 0
    #: The key of the governed rule it changes (see `RULES`), or None.
    rule: str | None = None
    #: The rule's value the description starts "from", or None.
    current: int | None = None

    @property
    def new_value(self) -> int | None:
        """The rule's value after the change (None if it is not a governed-rule change)."""
        return self.args[0] if self.rule is not None else None


@dataclass(frozen=True)
class Proposal:
    """A proposal as the chain sees it now: its calls, state, tally and times.

    `snapshot` and `deadline` are block numbers (the governor's clock): voting is open in the
    blocks after `snapshot` up to and including `deadline` (which a late quorum may extend).
    `eta` is the unix time from which a queued proposal can be executed (0 until queued).
    """

    id: int
    proposer: str
    description: str
    state: ProposalState
    for_votes: int
    against_votes: int
    abstain_votes: int
    #: Votes (for + abstain) needed; for a pending proposal, the quorum at the latest block.
    quorum: int
    snapshot: int
    deadline: int
    eta: int
    changes: list[RuleChange]
    targets: list[str]
    values: list[int]
    calldatas: list[bytes]
    description_hash: bytes
    #: The block of the ProposalCreated event.
    created_block: int = 0

    @property
    def quorum_reached(self) -> bool:
        """For and abstain votes together reach the quorum (GovernorCountingSimple)."""
        return self.for_votes + self.abstain_votes >= self.quorum

    @property
    def vote_succeeded(self) -> bool:
        """More votes for than against (a tie fails)."""
        return self.for_votes > self.against_votes

    def blocks_left(self, current_block: int) -> int:
        """Blocks in which a vote can still be cast after `current_block` (0 once closed)."""
        return max(0, self.deadline - current_block)

    def seconds_until_executable(self, now: int) -> int | None:
        """Seconds from `now` (unix time) until the timelock lets the proposal execute;
        0 when it can execute now, None when it is not queued."""
        if not self.eta:
            return None
        return max(0, self.eta - now)


@dataclass(frozen=True)
class VoteRecord:
    """A vote cast on a proposal (from its VoteCast event)."""

    voter: str
    support: Vote
    weight: int
    reason: str
    block: int
    tx_hash: str


# ------------------------------------------------------------------ the client


class Governance:
    """The DAO for one connection (`jeton.gov`): delegate, propose, vote, queue, execute, read.

    Amounts of votes are int token base units (like every amount in the client). Block numbers
    are the governor's clock; "now" for the timelock is the latest block's timestamp.
    """

    def __init__(self, jeton: "Jeton"):
        self._jeton = jeton
        self._limits: dict[str, RuleLimits] = {}
        self._created: dict[int, Event] = {}
        self._executions: dict[int, str] = {}
        self._domain: dict[str, Any] | None = None

    @property
    def _governor(self):
        return self._jeton.contracts.governor

    # -------------------------------------------------------------- delegation

    def delegate(self, to: str | None = None) -> TxResult:
        """Delegate the wallet's token votes to `to` (default: the wallet itself).

        ERC20Votes counts only delegated tokens, so a holder delegates (to itself) once before
        its tokens vote. Votes count from the block after delegation; a proposal counts the
        votes its snapshot block saw.
        """
        delegatee = Web3.to_checksum_address(to) if to else self._jeton.address
        token = self._jeton.contracts.token
        return self._jeton.transact(token.functions.delegate(delegatee), "WorkToken")

    # -------------------------------------------------------------- rules

    def rule_value(self, rule: str) -> int:
        """The current value of governed rule `rule` (a key of `RULES`)."""
        spec = _rule(rule)
        contract = self._jeton.contracts[spec.contract]
        return int(contract.get_function_by_signature(f"{spec.getter}()")().call())

    def rule_limits(self, rule: str) -> RuleLimits:
        """The hard bounds and maximum step of `rule`, read from its contract's constants."""
        if rule not in self._limits:
            spec = _rule(rule)
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

    def check_rule(self, rule: str, value: int, current: int | None = None) -> None:
        """Raise RuleOutOfBounds or RuleStepTooLarge, as the contract would, unless setting
        `rule` from `current` (default: its value now) to `value` is allowed."""
        spec = _rule(rule)
        limits = self.rule_limits(rule)
        current = self.rule_value(rule) if current is None else current
        if limits.max is not None and not limits.min <= value <= limits.max:
            raise _rule_error(
                "RuleOutOfBounds",
                spec,
                {"rule": spec.rule_id, "value": value, "min": limits.min, "max": limits.max},
            )
        if limits.step is not None and abs(value - current) > limits.step:
            raise _rule_error(
                "RuleStepTooLarge",
                spec,
                {
                    "rule": spec.rule_id,
                    "oldValue": current,
                    "newValue": value,
                    "maxStep": limits.step,
                },
            )

    def rule_change(self, rule: str, value: int) -> RuleChange:
        """The call that sets `rule` to `value`, described from the rule's value now."""
        spec = _rule(rule)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{spec.label} is a whole, non-negative number, not {value!r}")
        contract = self._jeton.contracts[spec.contract]
        try:
            calldata = bytes.fromhex(contract.encode_abi(spec.setter, args=[value])[2:])
        except Exception as exc:  # web3 raises several validation errors for a bad argument
            raise ValueError(f"{value} does not fit {spec.contract}.{spec.setter}") from exc
        current = self.rule_value(rule)
        return RuleChange(
            contract=spec.contract,
            function=spec.setter,
            args=(value,),
            description=spec.describe(current, value),
            target=contract.address,
            calldata=calldata,
            rule=rule,
            current=current,
        )

    def describe(self, target: str, calldata: bytes | str, value: int = 0) -> RuleChange:
        """Decode one call of a proposal into a `RuleChange` in plain words."""
        return self._describe_calls([target], [value], [_as_bytes(calldata)])[0]

    # -------------------------------------------------------------- proposing

    def propose(
        self,
        changes: Sequence[RuleChange] | None = None,
        description: str | None = None,
        *,
        targets: Sequence[str] | None = None,
        values: Sequence[int] | None = None,
        calldatas: Sequence[bytes | str] | None = None,
        check_bounds: bool = True,
    ) -> Proposal:
        """Propose `changes` (from `rule_change`), or raw `targets`/`values`/`calldatas`.

        `description` defaults to the changes in plain words. Before sending, checks every
        governed rule's bounds and step against its value now (unless `check_bounds=False`:
        the timelock's execution then stops an out-of-bounds change), the proposal threshold,
        the `#proposer=` restriction and that no identical proposal exists.
        Returns the new proposal (state Pending).
        """
        if changes is not None and targets is not None:
            raise ValueError("give either changes or targets/values/calldatas, not both")
        if changes is not None:
            targets = [c.target for c in changes]
            values = [c.value for c in changes]
            calldatas = [c.calldata for c in changes]
        targets = [Web3.to_checksum_address(t) for t in targets or []]
        values = [int(v) for v in values] if values is not None else [0] * len(targets)
        datas = [_as_bytes(c) for c in calldatas or []]
        if not targets or len(targets) != len(values) or len(targets) != len(datas):
            raise error_class("GovernorInvalidProposalLength")(
                {"targets": len(targets), "calldatas": len(datas), "values": len(values)},
                contract=GOVERNOR,
                detail="a proposal needs at least one call, and as many targets, values and "
                "calldatas",
            )
        described = self._describe_calls(targets, values, datas)
        if description is None:
            description = _sentence("; ".join(c.description for c in described))
        proposer = self._jeton.address
        if check_bounds:
            self._check_changes(described)
        self._check_proposer(proposer, description)
        proposal_id = hash_proposal(targets, values, datas, keccak(text=description))
        if self._governor.functions.proposalSnapshot(proposal_id).call():
            state = self._state(proposal_id)
            raise error_class("GovernorUnexpectedProposalState")(
                {"proposalId": proposal_id, "current": state, "expectedStates": ZERO_BYTES32},
                contract=GOVERNOR,
                detail=f"an identical proposal (same calls, same description) exists already "
                f"and is {state}: change the description",
            )

        fn = self._governor.functions.propose(targets, values, datas, description)
        result = self._jeton.transact(fn, GOVERNOR)
        created = result.event("ProposalCreated")
        self._created[int(created.args["proposalId"])] = created
        return self.proposal(int(created.args["proposalId"]))

    def propose_rule(
        self, rule: str, value: int, description: str | None = None, *, check_bounds: bool = True
    ) -> Proposal:
        """Propose setting governed rule `rule` (a key of `RULES`) to `value`."""
        return self.propose([self.rule_change(rule, value)], description, check_bounds=check_bounds)

    def propose_fee(
        self, bps: int, description: str | None = None, *, check_bounds: bool = True
    ) -> Proposal:
        """Propose a new platform fee in basis points (500 = 5%) for tasks posted later."""
        return self.propose_rule("fee", bps, description, check_bounds=check_bounds)

    def propose_reward(
        self, bps: int, description: str | None = None, *, check_bounds: bool = True
    ) -> Proposal:
        """Propose a new work-reward rate, in basis points of the fee."""
        return self.propose_rule("reward", bps, description, check_bounds=check_bounds)

    def propose_review_period(
        self, seconds: int, description: str | None = None, *, check_bounds: bool = True
    ) -> Proposal:
        """Propose a new review period (seconds a client has to review a submission)."""
        return self.propose_rule("review_period", seconds, description, check_bounds=check_bounds)

    def propose_dispute_window(
        self, seconds: int, description: str | None = None, *, check_bounds: bool = True
    ) -> Proposal:
        """Propose a new dispute window (seconds an arbiter has to resolve a dispute)."""
        return self.propose_rule("dispute_window", seconds, description, check_bounds=check_bounds)

    def propose_reputation_weight(
        self, weight: int, description: str | None = None, *, check_bounds: bool = True
    ) -> Proposal:
        """Propose a new voting weight of reputation: votes (token base units) per point."""
        return self.propose_rule(
            "reputation_weight", weight, description, check_bounds=check_bounds
        )

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
        typed = self._ballot(proposal_id, parse_vote(support), voter, nonce)
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
        voter = Web3.to_checksum_address(voter)
        signature = _as_bytes(signature)
        self._check_can_vote(proposal_id, voter)
        self._check_signature(proposal_id, choice, voter, signature)
        fn = self._governor.functions.castVoteBySig(proposal_id, int(choice), voter, signature)
        return self._jeton.transact(fn, GOVERNOR)

    def has_voted(self, proposal_id: int, address: str | None = None) -> bool:
        """Whether `address` (default: the wallet) has voted on the proposal."""
        address = Web3.to_checksum_address(address) if address else self._jeton.address
        return bool(self._governor.functions.hasVoted(proposal_id, address).call())

    def voting_power(self, proposal_id: int, address: str | None = None) -> int:
        """The votes `address` (default: the wallet) casts on the proposal: its votes at the
        snapshot (at the latest block while the proposal is pending)."""
        address = Web3.to_checksum_address(address) if address else self._jeton.address
        snapshot = self._snapshot(proposal_id)
        timepoint = min(snapshot, self._jeton.w3.eth.block_number - 1)
        return int(self._governor.functions.getVotes(address, timepoint).call())

    # -------------------------------------------------------------- after the vote

    def queue(self, proposal_id: int) -> TxResult:
        """Queue a succeeded proposal in the timelock (anyone may); its delay starts now."""
        self._require_state(proposal_id, ProposalState.SUCCEEDED, "queueing")
        fn = self._governor.functions.queue(*self._call_args(proposal_id))
        return self._jeton.transact(fn, GOVERNOR)

    def execute(self, proposal_id: int) -> TxResult:
        """Execute a queued proposal once the timelock's delay is over (anyone may).

        Raises TimelockUnexpectedOperationState before the delay is over. If a call of the
        proposal would revert (a rule out of its bounds, say), the simulation raises that
        call's error (e.g. RuleStepTooLarge, attributed to the called contract) and nothing
        is sent; the proposal stays queued.
        """
        self._require_state(proposal_id, ProposalState.QUEUED, "execution")
        args = self._call_args(proposal_id)
        eta = int(self._governor.functions.proposalEta(proposal_id).call())
        now = self._jeton.block_timestamp()
        if now < eta:
            raise error_class("TimelockUnexpectedOperationState")(
                {"operationId": self._operation_id(*args), "expectedStates": TIMELOCK_READY_BITMAP},
                contract="Timelock",
                detail=f"proposal {proposal_id} can be executed from {eta} (unix time), in "
                f"{format_duration(eta - now)}: the timelock's delay is not over",
            )
        fn = self._governor.functions.execute(*args)
        try:
            result = self._jeton.transact(fn, GOVERNOR)
        except ContractError as exc:
            raise self._blame(exc, args[0]) from None
        self._executions[proposal_id] = result.tx_hash
        return result

    def cancel(self, proposal_id: int) -> TxResult:
        """Cancel a proposal: only its proposer, and only while it is pending."""
        caller = self._jeton.address
        state = self._state(proposal_id)
        proposer = self._governor.functions.proposalProposer(proposal_id).call()
        if state != ProposalState.PENDING or proposer.lower() != caller.lower():
            raise error_class("GovernorUnableToCancel")(
                {"proposalId": proposal_id, "account": caller},
                contract=GOVERNOR,
                detail=f"only the proposer ({proposer}) can cancel, and only while the proposal "
                f"is pending; it is {state}",
            )
        fn = self._governor.functions.cancel(*self._call_args(proposal_id))
        return self._jeton.transact(fn, GOVERNOR)

    # -------------------------------------------------------------- reading

    def proposal(self, proposal_id: int) -> Proposal:
        """The proposal `proposal_id` now (GovernorNonexistentProposal if there is none)."""
        return self._read(self._creation(proposal_id))

    def proposals(
        self, state: ProposalState | None = None, proposer: str | None = None
    ) -> list[Proposal]:
        """Every proposal, oldest first, from the ProposalCreated events (optionally only
        those in `state`, or made by `proposer`)."""
        result = []
        for executed in iter_events(self._jeton, GOVERNOR, "ProposalExecuted"):
            self._executions[int(executed.args["proposalId"])] = executed.tx_hash
        for created in iter_events(self._jeton, GOVERNOR, "ProposalCreated"):
            self._created[int(created.args["proposalId"])] = created
            if proposer and created.args["proposer"].lower() != proposer.lower():
                continue
            proposal = self._read(created)
            if state is None or proposal.state == state:
                result.append(proposal)
        return result

    def votes(self, proposal_id: int, voter: str | None = None) -> list[VoteRecord]:
        """The votes cast on the proposal (optionally by `voter` only), in order, from events."""
        snapshot = self._snapshot(proposal_id)
        deadline = int(self._governor.functions.proposalDeadline(proposal_id).call())
        last = min(deadline, self._jeton.w3.eth.block_number)
        filters = {"voter": Web3.to_checksum_address(voter)} if voter else None
        records = []
        for name in ("VoteCast", "VoteCastWithParams"):
            for event in iter_events(self._jeton, GOVERNOR, name, filters, snapshot + 1, last):
                if int(event.args["proposalId"]) != proposal_id:
                    continue
                records.append((event.block, event.log_index, _vote_record(event)))
        return [record for _, _, record in sorted(records, key=lambda r: (r[0], r[1]))]

    # -------------------------------------------------------------- internals: reading

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
        raise error_class("GovernorNonexistentProposal")(
            {"proposalId": proposal_id},
            contract=GOVERNOR,
            detail=f"no ProposalCreated event of proposal {proposal_id} was found",
        )

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
        targets = [Web3.to_checksum_address(t) for t in args["targets"]]
        values = [int(v) for v in args["values"]]
        calldatas = [bytes(c) for c in args["calldatas"]]
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
            changes=self._describe_calls(targets, values, calldatas, replaced),
            targets=targets,
            values=values,
            calldatas=calldatas,
            description_hash=keccak(text=args["description"]),
            created_block=created.block,
        )

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

    # -------------------------------------------------------------- internals: checks

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
        raise error_class("GovernorUnexpectedProposalState")(
            {
                "proposalId": proposal_id,
                "current": state,
                "expectedStates": (1 << needed).to_bytes(32, "big"),
            },
            contract=GOVERNOR,
            detail=f"{action} needs proposal {proposal_id} {needed}, and it is {state}"
            f"{self._when(proposal_id, state)}",
        )

    def _when(self, proposal_id: int, state: ProposalState) -> str:
        """Why the state is what it is, in words (for error messages)."""
        functions = self._governor.functions
        if state == ProposalState.PENDING:
            return f": voting opens after block {functions.proposalSnapshot(proposal_id).call()}"
        if state == ProposalState.ACTIVE:
            return f": voting closes after block {functions.proposalDeadline(proposal_id).call()}"
        if state == ProposalState.QUEUED:
            return f": executable from {functions.proposalEta(proposal_id).call()} (unix time)"
        return ""

    def _check_can_vote(self, proposal_id: int, voter: str) -> None:
        self._require_state(proposal_id, ProposalState.ACTIVE, "voting")
        deadline = int(self._governor.functions.proposalDeadline(proposal_id).call())
        latest = self._jeton.w3.eth.block_number
        if latest >= deadline:
            # Active as of the latest block, but a transaction lands in a later one: too late.
            raise error_class("GovernorUnexpectedProposalState")(
                {
                    "proposalId": proposal_id,
                    "current": ProposalState.ACTIVE,
                    "expectedStates": (1 << ProposalState.ACTIVE).to_bytes(32, "big"),
                },
                contract=GOVERNOR,
                detail=f"voting on proposal {proposal_id} ends with block {deadline}, the latest "
                "block: a vote sent now would be mined after the deadline",
            )
        if self._governor.functions.hasVoted(proposal_id, voter).call():
            raise error_class("GovernorAlreadyCastVote")(
                {"voter": voter},
                contract=GOVERNOR,
                detail=f"{voter} has already voted on proposal {proposal_id}; a vote is final",
            )

    def _check_signature(
        self, proposal_id: int, support: Vote, voter: str, signature: bytes
    ) -> None:
        if self._jeton.w3.eth.get_code(voter):
            return  # a contract wallet (ERC-1271): the simulation checks it
        nonce = int(self._governor.functions.nonces(voter).call())
        message = encode_typed_data(full_message=self._ballot(proposal_id, support, voter, nonce))
        try:
            signer = Account.recover_message(message, signature=signature)
        except Exception:  # malformed signature bytes
            signer = None
        if signer is None or signer.lower() != voter.lower():
            raise error_class("GovernorInvalidSignature")(
                {"voter": voter},
                contract=GOVERNOR,
                detail=f"the signature is not {voter}'s vote {support} on proposal "
                f"{proposal_id} with nonce {nonce}",
            )

    def _check_changes(self, changes: Sequence[RuleChange]) -> None:
        """Bounds and step of each governed-rule change, in order (a rule changed twice in
        one proposal moves from its first new value)."""
        running: dict[str, int] = {}
        for change in changes:
            if change.rule is None:
                continue
            current = running.get(change.rule, change.current)
            self.check_rule(change.rule, change.args[0], current)
            running[change.rule] = change.args[0]

    def _check_proposer(self, proposer: str, description: str) -> None:
        functions = self._governor.functions
        restricted = _restricted_proposer(description)
        if restricted is not None and restricted.lower() != proposer.lower():
            raise error_class("GovernorRestrictedProposer")(
                {"proposer": proposer},
                contract=GOVERNOR,
                detail=f"the description ends with #proposer={restricted}: only that account "
                "may submit it",
            )
        threshold = int(functions.proposalThreshold().call())
        if threshold:
            clock = int(functions.clock().call())
            votes = int(functions.getVotes(proposer, clock - 1).call())
            if votes < threshold:
                raise error_class("GovernorInsufficientProposerVotes")(
                    {"proposer": proposer, "votes": votes, "threshold": threshold},
                    contract=GOVERNOR,
                )

    def _call_args(self, proposal_id: int) -> tuple[list[str], list[int], list[bytes], bytes]:
        """targets, values, calldatas and description hash: what queue/execute/cancel take."""
        args = self._creation(proposal_id).args
        return (
            [Web3.to_checksum_address(t) for t in args["targets"]],
            [int(v) for v in args["values"]],
            [bytes(c) for c in args["calldatas"]],
            keccak(text=args["description"]),
        )

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
        if exc.name in ("RuleOutOfBounds", "RuleStepTooLarge"):
            spec = rule_by_id(exc.inputs.get("rule", b""))
            if spec is not None:
                return _rule_error(exc.name, spec, exc.inputs, at_execution=True)
        if exc.name in _error_names(self._governor.abi):
            return exc
        for target in targets:
            name = self._jeton.contracts.name_of(target)
            if name is not None and exc.name in _error_names(self._jeton.contracts[name].abi):
                return error_class(exc.name)(exc.inputs, contract=name)
        return exc

    def _ballot(self, proposal_id: int, support: Vote, voter: str, nonce: int) -> dict[str, Any]:
        """The EIP-712 typed data of an OpenZeppelin 5 Governor Ballot."""
        return {
            "domain": self._eip712_domain(),
            "types": {
                "EIP712Domain": [
                    {"name": "name", "type": "string"},
                    {"name": "version", "type": "string"},
                    {"name": "chainId", "type": "uint256"},
                    {"name": "verifyingContract", "type": "address"},
                ],
                "Ballot": [
                    {"name": "proposalId", "type": "uint256"},
                    {"name": "support", "type": "uint8"},
                    {"name": "voter", "type": "address"},
                    {"name": "nonce", "type": "uint256"},
                ],
            },
            "primaryType": "Ballot",
            "message": {
                "proposalId": proposal_id,
                "support": int(support),
                "voter": voter,
                "nonce": nonce,
            },
        }

    def _eip712_domain(self) -> dict[str, Any]:
        """The governor's EIP-712 domain, as its `eip712Domain()` (ERC-5267) reports it."""
        if self._domain is None:
            _, name, version, chain_id, verifying, _, _ = (
                self._governor.functions.eip712Domain().call()
            )
            self._domain = {
                "name": name,
                "version": version,
                "chainId": int(chain_id),
                "verifyingContract": Web3.to_checksum_address(verifying),
            }
        return self._domain


# ------------------------------------------------------------------ module helpers


def hash_proposal(
    targets: Sequence[str],
    values: Sequence[int],
    calldatas: Sequence[bytes],
    description_hash: bytes,
) -> int:
    """A proposal's id, as `Governor.hashProposal` computes it."""
    encoded = abi_encode(
        ["address[]", "uint256[]", "bytes[]", "bytes32"],
        [list(targets), list(values), list(calldatas), description_hash],
    )
    return int.from_bytes(keccak(encoded), "big")


def parse_vote(support: Vote | str | int) -> Vote:
    """`Vote.FOR` from "for", "FOR", 1 or `Vote.FOR`; GovernorInvalidVoteType otherwise."""
    try:
        if isinstance(support, str):
            return Vote[support.strip().upper()]
        return Vote(int(support))
    except (KeyError, ValueError):
        raise error_class("GovernorInvalidVoteType")(
            {},
            contract=GOVERNOR,
            detail=f"a vote is 'for', 'against' or 'abstain' (1, 0, 2), not {support!r}",
        ) from None


def _rule(key: str) -> GovernedRule:
    try:
        return RULES[key]
    except KeyError:
        raise ValueError(f"no governed rule {key!r}; rules: {', '.join(RULES)}") from None


def _rule_error(
    name: str, spec: GovernedRule, inputs: dict[str, Any], *, at_execution: bool = False
) -> ContractError:
    """RuleOutOfBounds / RuleStepTooLarge with the contract's inputs and a plain explanation."""
    if name == "RuleOutOfBounds":
        detail = (
            f"{spec.label} can not be {spec.format(inputs['value'])}: its hard bounds are "
            f"{spec.format(inputs['min'])} to {spec.format(inputs['max'])}"
        )
    else:
        detail = (
            f"{spec.label} moves at most {spec.format(inputs['maxStep'])} per vote: from "
            f"{spec.format(inputs['oldValue'])} to {spec.format(inputs['newValue'])} is too far"
        )
    if at_execution:
        detail = f"the proposal's call would revert at execution: {detail}; it stays queued"
    else:
        detail += "; propose a change within the rule's bounds and step"
    return error_class(name)(inputs, contract=spec.contract, detail=detail)


def _restricted_proposer(description: str) -> str | None:
    """The address of a trailing `#proposer=0x...` (OpenZeppelin's front-running guard)."""
    data = description.encode()
    if len(data) < 52 or data[-52:-42] != b"#proposer=":
        return None
    candidate = data[-42:].decode(errors="replace")
    return candidate if re.fullmatch(r"0x[0-9a-fA-F]{40}", candidate) else None


def _vote_record(event: Event) -> VoteRecord:
    args = event.args
    return VoteRecord(
        voter=args["voter"],
        support=Vote(int(args["support"])),
        weight=int(args["weight"]),
        reason=args["reason"],
        block=event.block,
        tx_hash=event.tx_hash,
    )


def _error_names(abi: list[dict[str, Any]]) -> set[str]:
    return {entry["name"] for entry in abi if entry.get("type") == "error"}


def _as_bytes(data: bytes | str) -> bytes:
    if isinstance(data, str):
        return bytes.fromhex(data.removeprefix("0x"))
    return bytes(data)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


__all__ = [
    "RULES",
    "GovernedRule",
    "Governance",
    "Proposal",
    "RuleChange",
    "RuleLimits",
    "VoteRecord",
    "format_bps",
    "format_duration",
    "format_weight",
    "hash_proposal",
    "parse_vote",
]
