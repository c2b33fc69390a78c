"""Proposals about the access credits' services: add one, set its price, pause, resume or
remove it (`Governance.propose_service_price`, `jeton gov propose-service-price`).

A service's price is not a single-number rule of `RULES` (it belongs to one service), so its
change is checked by the contract itself: `AccessCredits.checkPriceChange` answers, as the
setter would, for the time the proposal could first execute (the timelock's delay from now, or
later if the price changed less than a week ago), so a proposal that could never execute (out of
the hard bounds, or more than a step from the price then in force) is refused before it is made.
"""

from ..errors import ContractError, InputError, error_class
from ..formatting import format_bps, format_duration, format_tokens
from ..parsing import check_uint, parse_address
from .proposals import Proposal, RuleChange
from .proposing import Proposing

CREDITS = "AccessCredits"
#: The actions of `service_status_change`, by the contract function each calls.
STATUS_ACTIONS = {"pause": "pauseService", "resume": "resumeService", "remove": "removeService"}


class CreditProposals(Proposing):
    """How `Governance` proposes service changes (see `jeton.governance.Governance`)."""

    def service_price_change(self, service_id: int, unit_price: int) -> RuleChange:
        """The call that sets service `service_id`'s price to `unit_price` (JTN base units a
        unit), in plain words, checked by the contract for the time it could first execute
        (its RuleOutOfBounds, RuleStepTooLarge, UnknownService or ServiceIsRemoved if never)."""
        check_uint(service_id, "service id")
        check_uint(unit_price, "unit price")
        credits = self._jeton.contracts.credits
        at = self._jeton.block_timestamp() + self._timelock_delay()
        try:
            old, effective = self._check_price(service_id, unit_price, at)
        except ContractError as exc:
            if exc.name != "RuleChangedTooSoon":
                raise
            # Not before its week is over: check it for then.
            at = int(exc.inputs["nextChangeAt"])
            old, effective = self._check_price(service_id, unit_price, at)
        service = self._jeton.services.get(service_id)
        change = abs(unit_price - old) * 10_000 // old
        if effective > at:
            notice = format_duration(effective - at)
            how = f"+{format_bps(change)}: a rise, in force {notice} after execution"
        else:
            how = f"-{format_bps(change)}: a cut, in force at once when executed"
        return RuleChange(
            contract=CREDITS,
            function="setServicePrice",
            args=(service_id, unit_price),
            description=(
                f"set the price of service #{service_id} ({service.name}) from "
                f"{format_tokens(old)} to {format_tokens(unit_price)} a unit ({how})"
            ),
            target=credits.address,
            calldata=_calldata(credits, "setServicePrice", service_id, unit_price),
        )

    def service_add_change(
        self, provider: str, unit_price: int, name: str, uri: str = ""
    ) -> RuleChange:
        """The call that adds a service provided by `provider` at `unit_price` a unit (the
        contract checks the price's hard bounds when it executes)."""
        who = parse_address(provider, "provider")
        check_uint(unit_price, "unit price")
        credits = self._jeton.contracts.credits
        return RuleChange(
            contract=CREDITS,
            function="addService",
            args=(who, unit_price, name, uri),
            description=(
                f"add the service {name!r} provided by {who} at {format_tokens(unit_price)} a unit"
            ),
            target=credits.address,
            calldata=_calldata(credits, "addService", who, unit_price, name, uri),
        )

    def service_status_change(self, service_id: int, action: str) -> RuleChange:
        """The call that pauses, resumes or removes service `service_id` (`action`)."""
        check_uint(service_id, "service id")
        if action not in STATUS_ACTIONS:
            raise InputError(f"no service action {action!r}; one of {', '.join(STATUS_ACTIONS)}")
        credits = self._jeton.contracts.credits
        function = STATUS_ACTIONS[action]
        name = self._jeton.services.get(service_id).name
        return RuleChange(
            contract=CREDITS,
            function=function,
            args=(service_id,),
            description=f"{action} service #{service_id} ({name})",
            target=credits.address,
            calldata=_calldata(credits, function, service_id),
        )

    def propose_service_price(
        self, service_id: int, unit_price: int, description: str | None = None
    ) -> Proposal:
        """Propose setting service `service_id`'s price to `unit_price` (JTN base units a
        unit): at most 25% up or half down from the price in force when it executes, a week
        at least after its last change; a rise applies a week after execution."""
        return self.propose([self.service_price_change(service_id, unit_price)], description)

    def propose_service(
        self,
        provider: str,
        unit_price: int,
        name: str,
        uri: str = "",
        description: str | None = None,
    ) -> Proposal:
        """Propose adding a service provided by `provider` at `unit_price` a unit."""
        return self.propose([self.service_add_change(provider, unit_price, name, uri)], description)

    # -------------------------------------------------------------- internals

    def _check_price(self, service_id: int, unit_price: int, at: int) -> tuple[int, int]:
        """(price replaced, when the new one applies), or the contract's refusal, at `at`
        (a price out of bounds or too far explained in JTN)."""
        fn = self._jeton.contracts.credits.functions.checkPriceChange(service_id, unit_price, at)
        try:
            old, effective = self._jeton.simulate(fn, CREDITS)
        except ContractError as exc:
            raise _in_tokens(exc, service_id) from None
        return int(old), int(effective)

    def _timelock_delay(self) -> int:
        return int(self._jeton.contracts.timelock.functions.getMinDelay().call())


def _in_tokens(error: ContractError, service_id: int) -> ContractError:
    """RuleOutOfBounds and RuleStepTooLarge of a service's price, explained in JTN."""
    a = error.inputs
    if error.name == "RuleOutOfBounds":
        detail = (
            f"a unit price can not be {format_tokens(a['value'])}: its hard bounds are "
            f"{format_tokens(a['min'])} to {format_tokens(a['max'])}"
        )
    elif error.name == "RuleStepTooLarge":
        detail = (
            f"the price of service #{service_id} moves at most {format_tokens(a['maxStep'])} "
            f"per vote from {format_tokens(a['oldValue'])} (up to 25% up, half down): "
            f"{format_tokens(a['newValue'])} is too far; propose a change within the step"
        )
    else:
        return error
    return error_class(error.name)(a, contract=CREDITS, detail=detail)


def _calldata(contract, function: str, *args) -> bytes:
    return bytes.fromhex(contract.encode_abi(function, args=list(args))[2:])


__all__ = ["STATUS_ACTIONS", "CreditProposals"]
