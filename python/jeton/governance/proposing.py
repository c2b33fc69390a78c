"""Proposing rule changes: a governed rule's change checked against its bounds and step, and
proposals sent once everything the governor would check has been checked.
"""

from collections.abc import Sequence

from ..errors import InputError, error_class
from ..formatting import sentence
from ..parsing import check_uint, parse_address
from .proposals import (
    GOVERNOR,
    Proposal,
    RuleChange,
    as_bytes,
    restricted_proposer,
    with_proposer,
)
from .refusals import Refusals
from .rules import rule_by_key, rule_error


class Proposing(Refusals):
    """How `Governance` proposes (see `jeton.governance.Governance`)."""

    # -------------------------------------------------------------- a rule's change

    def check_rule(self, rule: str, value: int, current: int | None = None) -> None:
        """Raise RuleOutOfBounds or RuleStepTooLarge, as the contract would, unless setting
        `rule` from `current` (default: its value now) to `value` is allowed."""
        spec = rule_by_key(rule)
        limits = self.rule_limits(rule)
        current = self.rule_value(rule) if current is None else current
        if limits.max is not None and not limits.min <= value <= limits.max:
            raise rule_error(
                "RuleOutOfBounds",
                spec,
                {"rule": spec.rule_id, "value": value, "min": limits.min, "max": limits.max},
            )
        if limits.step is not None and abs(value - current) > limits.step:
            raise rule_error(
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
        spec = rule_by_key(rule)
        check_uint(value, spec.label)
        contract = self._jeton.contracts[spec.contract]
        try:
            calldata = bytes.fromhex(contract.encode_abi(spec.setter, args=[value])[2:])
        except Exception as exc:  # web3 raises several validation errors for a bad argument
            raise InputError(f"{value} does not fit {spec.contract}.{spec.setter}") from exc
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
        restrict: bool = True,
    ) -> Proposal:
        """Propose `changes` (from `rule_change`), or raw `targets`/`values`/`calldatas`.

        `description` defaults to the changes in plain words. Unless `restrict=False`, it ends
        with OpenZeppelin's `#proposer=<wallet>` suffix, so that nobody who sees the
        transaction can submit the same proposal first and cancel it while it is pending (the
        proposal's `text` is the description without it). Before sending, checks every
        governed rule's bounds and step against its value now (unless `check_bounds=False`:
        the timelock's execution then stops an out-of-bounds change), the proposal threshold,
        the `#proposer=` restriction and that no identical proposal exists.
        Returns the new proposal (state Pending).
        """
        if changes is not None and targets is not None:
            raise InputError("give either changes or targets/values/calldatas, not both")
        if changes is not None:
            targets = [c.target for c in changes]
            values = [c.value for c in changes]
            calldatas = [c.calldata for c in changes]
        targets = [parse_address(t, "target") for t in targets or []]
        values = [int(v) for v in values] if values is not None else [0] * len(targets)
        datas = [as_bytes(c) for c in calldatas or []]
        if not targets or len(targets) != len(values) or len(targets) != len(datas):
            raise error_class("GovernorInvalidProposalLength")(
                {"targets": len(targets), "calldatas": len(datas), "values": len(values)},
                contract=GOVERNOR,
                detail="a proposal needs at least one call, and as many targets, values and "
                "calldatas",
            )
        described = self._describe_calls(targets, values, datas)
        if description is None:
            description = sentence("; ".join(c.description for c in described))
        proposer = self._jeton.address
        if restrict:
            description = with_proposer(description, proposer)
        if check_bounds:
            self._check_changes(described)
        self._check_proposer(proposer, description)
        fn = self._governor.functions.propose(targets, values, datas, description)
        result = self._send(fn, lambda error, now: self._proposing_refusal(error))
        created = result.event("ProposalCreated")
        self._created[int(created.args["proposalId"])] = created
        return self.proposal(int(created.args["proposalId"]))

    def propose_rule(
        self,
        rule: str,
        value: int,
        description: str | None = None,
        *,
        check_bounds: bool = True,
        restrict: bool = True,
    ) -> Proposal:
        """Propose setting governed rule `rule` (a key of `RULES`) to `value` (see `propose`
        for `check_bounds` and `restrict`)."""
        change = self.rule_change(rule, value)
        return self.propose([change], description, check_bounds=check_bounds, restrict=restrict)

    def propose_fee(self, bps: int, description: str | None = None, **options: bool) -> Proposal:
        """Propose a new platform fee in basis points (500 = 5%) for tasks posted later."""
        return self.propose_rule("fee", bps, description, **options)

    def propose_reward(self, bps: int, description: str | None = None, **options: bool) -> Proposal:
        """Propose a new work-reward rate, in basis points of the fee."""
        return self.propose_rule("reward", bps, description, **options)

    def propose_review_period(
        self, seconds: int, description: str | None = None, **options: bool
    ) -> Proposal:
        """Propose a new review period (seconds a client has to review a submission)."""
        return self.propose_rule("review_period", seconds, description, **options)

    def propose_dispute_window(
        self, seconds: int, description: str | None = None, **options: bool
    ) -> Proposal:
        """Propose a new dispute window (seconds an arbiter has to resolve a dispute)."""
        return self.propose_rule("dispute_window", seconds, description, **options)

    def propose_reputation_weight(
        self, weight: int, description: str | None = None, **options: bool
    ) -> Proposal:
        """Propose a new voting weight of reputation: votes (token base units) per point."""
        return self.propose_rule("reputation_weight", weight, description, **options)

    # -------------------------------------------------------------- internals: checks

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
        """The `#proposer=` restriction, read from the description (the votes a proposer
        needs are the governor's to check: see `_proposing_refusal`)."""
        restricted = restricted_proposer(description)
        if restricted is not None and restricted.lower() != proposer.lower():
            raise error_class("GovernorRestrictedProposer")(
                {"proposer": proposer},
                contract=GOVERNOR,
                detail=f"the description ends with #proposer={restricted}: only that account "
                "may submit it",
            )


__all__ = ["Proposing"]
