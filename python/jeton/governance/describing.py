"""A proposal's calls in plain words: each call decoded with the deployment's ABIs, and a
governed rule's change told "from" its value "to" the new one. The base of `Reading`."""

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from web3 import Web3
from web3.contract.contract import ContractFunction

from .proposals import RuleChange, as_bytes
from .rules import RULES, RuleLimits, rule_by_key, rule_for_event, rule_for_setter

if TYPE_CHECKING:
    from ..client import Jeton


class Describing:
    """How `Reading` tells a proposal's calls (see `jeton.governance.Governance`)."""

    _jeton: "Jeton"
    _limits: dict[str, RuleLimits]

    def rule_value(self, rule: str) -> int:
        """The current value of governed rule `rule` (a key of `RULES`)."""
        return int(self._getter(rule).call())

    def describe(self, target: str, calldata: bytes | str, value: int = 0) -> RuleChange:
        """Decode one call of a proposal into a `RuleChange` in plain words."""
        return self._describe_calls([target], [value], [as_bytes(calldata)])[0]

    def _getter(self, rule: str) -> ContractFunction:
        spec = rule_by_key(rule)
        contract = self._jeton.contracts[spec.contract]
        return contract.get_function_by_signature(f"{spec.getter}()")()

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
        return self._describe(self._decode_calls(targets, values, calldatas), replaced)

    def _decode_calls(
        self, targets: Sequence[str], values: Sequence[int], calldatas: Sequence[bytes]
    ) -> list[RuleChange]:
        return [
            self._decode_call(target, value, calldata)
            for target, value, calldata in zip(targets, values, calldatas, strict=True)
        ]

    def _describe(
        self,
        calls: list[RuleChange],
        replaced: list[tuple[str, int]] | None = None,
        now: dict[str, int] | None = None,
    ) -> list[RuleChange]:
        """Decoded calls, each governed-rule change "from" its value (`now` holds values read
        already, `replaced` what an execution replaced)."""
        running: dict[str, int] = {}
        pending = list(replaced or [])
        changes = []
        for change in calls:
            if change.rule is not None:
                spec = RULES[change.rule]
                current = running.get(change.rule)
                if replaced is not None:
                    current = next((old for key, old in pending if key == change.rule), None)
                    if current is not None:
                        pending.remove((change.rule, current))
                elif current is None:
                    known = (now or {}).get(change.rule)
                    current = known if known is not None else self.rule_value(change.rule)
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

    def _replaced(self, logs: list[Any]) -> list[tuple[str, int]]:
        """(rule key, old value) of each rule an execution's logs say it changed, in order."""
        found = (rule_for_event(e) for e in self._jeton.decode_logs(logs))
        return [(rule.key, old) for rule, old in filter(None, found)]


__all__ = ["Describing"]
