"""The rules the DAO governs: one table (`RULES`) of where each rule lives, how it is read and
set, what bounds it and how its values read ("5.00%", "3 days"); lookups of a rule by key,
setter, bytes32 id or event; and the errors a rule out of its bounds or step raises.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from .. import formatting
from ..errors import ContractError, InputError, error_class
from ..types import Event, Timestamp

Unit = Literal["bps", "seconds", "weight", "blocks", "percent", "tokens"]


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
    #: lower bound (None: 0). Every setter emits RuleBounds' RuleChanged(rule, old, new).
    max_constant: str
    step_constant: str | None = None
    min_constant: str | None = None
    #: Words after the value: " of the fee", " per reputation point".
    suffix: str = ""

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


FORMATTERS: dict[str, Callable[[int], str]] = {
    "bps": formatting.format_bps,
    "seconds": formatting.format_duration,
    "weight": formatting.format_weight,
    "blocks": formatting.format_blocks,
    "percent": formatting.format_percent,
    "tokens": formatting.format_tokens,
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
            key="credits_cut",
            name="creditsCutBps",
            label="the DAO's cut of credit sales",
            contract="PlatformRules",
            getter="creditsCutBps",
            setter="setCreditsCutBps",
            unit="bps",
            max_constant="MAX_CREDITS_CUT_BPS",
            step_constant="MAX_CREDITS_CUT_STEP",
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
        # The DAO's own settings: the governor's and the timelock's, stepped the same way.
        GovernedRule(
            key="voting_delay",
            name="votingDelay",
            label="the voting delay",
            contract="WorkGovernor",
            getter="votingDelay",
            setter="setVotingDelay",
            unit="blocks",
            max_constant="MAX_VOTING_DELAY",
            step_constant="MAX_VOTING_DELAY_STEP",
            min_constant="MIN_VOTING_DELAY",
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
            step_constant="MAX_VOTING_PERIOD_STEP",
            min_constant="MIN_VOTING_PERIOD",
        ),
        GovernedRule(
            key="proposal_threshold",
            name="proposalThreshold",
            label="the votes needed to propose",
            contract="WorkGovernor",
            # The setting; `proposalThreshold()` caps it at 1% of the votes that can exist.
            getter="proposalThresholdSetting",
            setter="setProposalThreshold",
            unit="tokens",
            max_constant="MAX_PROPOSAL_THRESHOLD",
            step_constant="MAX_PROPOSAL_THRESHOLD_STEP",
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
            step_constant="MAX_QUORUM_STEP",
            min_constant="MIN_QUORUM_PERCENT",
            suffix=" of the votes outside the treasury",
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
            step_constant="MAX_LATE_QUORUM_EXTENSION_STEP",
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
            step_constant="MAX_DELAY_STEP",
            min_constant="MIN_DELAY",
        ),
        GovernedRule(
            key="grace_period",
            name="gracePeriod",
            label="the grace period of queued proposals",
            contract="Timelock",
            getter="gracePeriod",
            setter="updateGracePeriod",
            unit="seconds",
            max_constant="MAX_GRACE_PERIOD",
            step_constant="MAX_GRACE_PERIOD_STEP",
            min_constant="MIN_GRACE_PERIOD",
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
    """The governed rule a RuleChanged event reports, and the value it replaced."""
    if event.name != "RuleChanged":
        return None
    rule = rule_by_id(event.args["rule"])
    if rule is not None and rule.contract == event.contract:
        return rule, int(event.args["oldValue"])
    return None


def rule_by_key(key: str) -> GovernedRule:
    """The governed rule `key` (a key of `RULES`); InputError naming the rules otherwise."""
    try:
        return RULES[key]
    except KeyError:
        raise InputError(f"no governed rule {key!r}; rules: {', '.join(RULES)}") from None


def rule_error(
    name: str, spec: GovernedRule, inputs: dict[str, Any], *, at_execution: bool = False
) -> ContractError:
    """RuleOutOfBounds, RuleStepTooLarge or RuleChangedTooSoon with the contract's inputs and a
    plain explanation."""
    if name == "RuleOutOfBounds":
        detail = (
            f"{spec.label} can not be {spec.format(inputs['value'])}: its hard bounds are "
            f"{spec.format(inputs['min'])} to {spec.format(inputs['max'])}"
        )
    elif name == "RuleChangedTooSoon":
        detail = (
            f"{spec.label} changes at most once a day, and may change again from "
            f"{Timestamp(int(inputs['nextChangeAt']))}"
        )
    else:
        detail = (
            f"{spec.label} moves at most {spec.format(inputs['maxStep'])} per vote: from "
            f"{spec.format(inputs['oldValue'])} to {spec.format(inputs['newValue'])} is too far"
        )
    if at_execution:
        detail = (
            f"the proposal's call would revert at execution: {detail}; it stays queued until "
            "it executes, expires, or its proposer cancels it"
        )
    else:
        detail += "; propose a change within the rule's bounds and step"
    return error_class(name)(inputs, contract=spec.contract, detail=detail)


__all__ = [
    "FORMATTERS",
    "RULES",
    "GovernedRule",
    "RuleLimits",
    "Unit",
    "rule_by_key",
    "rule_by_id",
    "rule_error",
    "rule_for_event",
    "rule_for_setter",
]
