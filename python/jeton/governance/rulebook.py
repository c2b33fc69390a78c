"""The rulebook at a glance: every governed rule's value, hard bounds, maximum step and last
change by a vote (`Governance.rules()`, `jeton gov rules`).
"""

from dataclasses import dataclass

from ..formatting import format_time
from .proposals import GOVERNOR
from .reading import Reading
from .rules import RULES, RuleLimits, rule_for_event


@dataclass(frozen=True)
class RuleStatus:
    """One governed rule now. Values are ints in the rule's unit (see `GovernedRule.unit`)."""

    #: The rule's key in `RULES` ("fee") and how people call it ("the platform fee").
    key: str
    label: str
    #: The contract that holds it.
    contract: str
    value: int
    limits: RuleLimits
    #: When a vote last changed it (unix time, block, the value it replaced); None if no vote
    #: has changed it since deployment.
    changed_at: int | None = None
    changed_block: int | None = None
    previous: int | None = None

    def format(self, value: int) -> str:
        """A value of this rule for people: "5.00%", "3 days"."""
        return RULES[self.key].format(value)

    @property
    def bounds(self) -> str:
        """The hard bounds in words: "0.00% to 10.00%" ("no bounds" on an old deployment)."""
        if self.limits.max is None:
            return "no bounds"
        return f"{self.format(self.limits.min)} to {self.format(self.limits.max)}"

    @property
    def step(self) -> str:
        """The largest change one vote may make: "1.00%", or "any (within the bounds)"."""
        return (
            "any, within the bounds" if self.limits.step is None else self.format(self.limits.step)
        )

    @property
    def last_change(self) -> str:
        """ "from 5.00% on 2026-12-03T14:00:00Z", or "never (set at deployment)"."""
        if self.changed_at is None or self.previous is None:
            return "never (set at deployment)"
        return f"from {self.format(self.previous)} on {format_time(self.changed_at)}"

    def __str__(self) -> str:
        return (
            f"{self.label}: {self.format(self.value)} (bounds {self.bounds}, step "
            f"{self.step}; last changed {self.last_change})"
        )


class Rulebook(Reading):
    """How `Governance` lists the rules (see `jeton.governance.Governance`)."""

    def rules(self) -> list[RuleStatus]:
        """Every governed rule with its value, bounds, step and last change by a vote, in the
        order of `RULES`. Changes are read from the setters' events of executed proposals."""
        contracts = sorted({r.contract for r in RULES.values()})
        # Every setter reports its change with RuleBounds' RuleChanged(rule, old, new): those
        # of every rulebook and the governor's executions, brought up to date in one round trip.
        executions, *changes = self._jeton.events.query_all(
            [
                (GOVERNOR, ["ProposalExecuted"], None),
                *((contract, ["RuleChanged"], None) for contract in contracts),
            ]
        )
        executed = {event.tx_hash for event in executions}
        last: dict[str, tuple[int, int]] = {}  # key -> (block, value replaced)
        for events in changes:
            for event in events:
                found = rule_for_event(event)
                if found is not None and event.tx_hash in executed:
                    last[found[0].key] = (event.block, found[1])
        stamps = self._jeton.events.timestamps(block for block, _ in last.values())
        keys = list(RULES)
        self._load_limits(keys)  # constants: read once per connection
        values = self._jeton.call(*(self._getter(key) for key in keys))  # one round trip
        return [
            RuleStatus(
                key=key,
                label=RULES[key].label,
                contract=RULES[key].contract,
                value=int(value),
                limits=self.rule_limits(key),
                changed_at=stamps[last[key][0]] if key in last else None,
                changed_block=last[key][0] if key in last else None,
                previous=last[key][1] if key in last else None,
            )
            for key, value in zip(keys, values, strict=True)
        ]


__all__ = ["RuleStatus", "Rulebook"]
