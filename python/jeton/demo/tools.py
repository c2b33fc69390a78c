"""The demo's scene of the access credits: a translator buys credits of an AI translation aid;
the DAO raises its price by the largest step it may; the credits bought before keep their value.

The DAO first votes the tool in (Lexa AI provides it, at 2 JTN a unit); a translator buys 10
units with a permit, and Lexa records the pages it translated with them. A week later the DAO
votes a rise of 25%, the most one vote may do (a doubling is refused before it is proposed): the
rise is announced when the vote executes and applies a week later. Through all of it the units
bought at 2 JTN are used, and would be refunded, at 2 JTN; new units cost 2.5 JTN.

`ToolsScene` is a part of `Story` (the scene's act); `render_credits` is its part of the report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.markup import escape

from ..client import Jeton
from ..devchain import test_wallet
from ..formatting import format_duration, format_jtn, format_tokens
from ..services import Purchase, units_text
from ..types import Vote
from .cast import Person

if TYPE_CHECKING:
    from .story import Story

WAD = 10**18
#: The AI translation aid: its name, terms and first price a unit.
AID_NAME = "AI translation aid"
AID_TERMS = "jeton-demo://tools/ai-translation-aid"
AID_PRICE = 2 * WAD
#: Units the translator buys before the rise, uses before it, and uses after it.
BOUGHT, USED_BEFORE, USED_AFTER, BOUGHT_AFTER = 10, 3, 2, 4


class ToolsScene:
    """The access credits' act of the story (mixed into `Story`)."""

    def tools(self: Story) -> None:
        n, p = self.n, self.people
        n.act("Act 6 · Tools at prices the DAO sets")
        lexa = Person("lexa", "Lexa AI", "provider", test_wallet(5))
        lexa.jeton = Jeton.connect(self.node.url, account=lexa.wallet, deployment=self.deployment)
        p["lexa"] = lexa
        translator = max(self.workers, key=lambda w: w.j.me.summary().balance)
        voters = [p["lumen"], p["forge"], p["atlas"], p["vesta"]]

        with n.step(f"Lumen proposes to offer Lexa AI's {AID_NAME} at 2 JTN a unit"):
            gov = p["lumen"].j.gov
            proposal = self._propose(
                p["lumen"],
                lambda: gov.propose_service(
                    lexa.address,
                    AID_PRICE,
                    AID_NAME,
                    AID_TERMS,
                    f"Offer the {AID_NAME}: translators work faster with it",
                ),
            )
            n.say(f"“{proposal.changes[0].description}”")
        self._vote_through(proposal, [(v, Vote.FOR, "a tool our translators need") for v in voters])
        service = p["lumen"].j.services.list()[-1]
        n.say(f"{service}")

        with n.step(f"{translator.name}, a translator, buys {BOUGHT} units with a permit"):
            bought = self._buy(translator, service.id, BOUGHT)
            n.say(
                f"{units_text(BOUGHT)} for {format_tokens(bought.cost)}, in one transaction; "
                f"the DAO's cut, {format_tokens(bought.cut)}, is taken only as units are used"
            )
        with n.step(f"Lexa records the pages {translator.name} translated with the aid"):
            used = self._tx(
                "consume credits",
                lambda: (
                    lexa.j.services.consume(
                        service.id, translator.address, USED_BEFORE, "3 pages, session 1"
                    ).tx
                ),
            )
            n.say(
                f"{units_text(USED_BEFORE)} used: "
                f"{format_tokens(used.event('CreditsConsumed').args['value'])}; "
                f"{translator.name} sees each use: {translator.j.services.uses()[-1]}"
            )

        rise = service.unit_price * 5 // 4
        vesta = p["vesta"]
        with n.step("Running the aid costs more: can the DAO double its price?"):
            self._expect_refusal(
                vesta,
                f"propose {format_tokens(2 * service.unit_price)} a unit",
                lambda: vesta.j.gov.propose_service_price(
                    service.id, 2 * service.unit_price, "Double the AI aid's price"
                ),
                "RuleStepTooLarge",
            )
        with n.step("Vesta proposes the largest step instead: +25%"):
            proposal = self._propose(
                vesta,
                lambda: vesta.j.gov.propose_service_price(
                    service.id, rise, "The AI aid costs more to run: +25%"
                ),
            )
            n.say(f"“{vesta.j.gov.service_price_change(service.id, rise).description}”")
        rise_voters = [
            (vesta, Vote.FOR, "keep the tool viable"),
            (p["forge"], Vote.FOR, "the provider's costs rose"),
            (p["atlas"], Vote.ABSTAIN, "no strong view"),
            (p["lumen"], Vote.AGAINST, "our translators pay more"),
        ]
        executed_at = self._vote_through(
            proposal, rise_voters, not_before=lexa.j.services.get(service.id).next_change_at
        )
        announced = lexa.j.services.get(service.id)
        n.say(f"{announced}")

        held = translator.j.services.balance(service.id)
        with n.step("During the notice, the price stays; then the rise applies"):
            n.say(
                f"{translator.name} holds {held} — bought before, kept at its price; "
                f"anyone may buy at {format_tokens(announced.unit_price)} for "
                f"{format_duration(announced.next_price_at - executed_at)} more"
            )
            wait = max(1, announced.next_price_at - lexa.j.block_timestamp())
            n.wait_time(wait, self.node.advance, "the rise's notice")
            n.say(f"{lexa.j.services.get(service.id)}")
        with n.step(f"Lexa records {USED_AFTER} more units: at the price they were bought at"):
            after = lexa.j.services.consume(
                service.id, translator.address, USED_AFTER, "2 pages, session 2"
            )
            self.ledger.gas["consume credits"].append(after.tx.gas_used)
            n.say(
                f"{units_text(after.units)} used: {format_tokens(after.value)} "
                f"({format_tokens(after.value // after.units)} a unit, not "
                f"{format_tokens(rise)})"
            )
        with n.step(f"{translator.name} buys {BOUGHT_AFTER} more units at the new price"):
            more = self._buy(translator, service.id, BOUGHT_AFTER)
            mine = translator.j.services.balance(service.id)
            n.say(f"{units_text(more.units)} for {format_tokens(more.cost)}; now: {mine}")
        with n.step("Lexa withdraws what the used units earned; the DAO's cut is swept"):
            proceeds = lexa.j.services.proceeds()
            self._tx("withdraw proceeds", lexa.j.services.withdraw_proceeds)
            cut = lexa.j.services.accrued_cut()
            self._tx("sweep cut", lexa.j.services.sweep_cut)
            n.say(
                f"Lexa: {format_jtn(proceeds)}; to the treasury: {format_jtn(cut)} (one base unit "
                "stays accrued)"
            )

        self.ledger.facts["credits"] = {
            "service_id": service.id,
            "name": service.name,
            "provider": lexa.address,
            "translator": translator.name,
            "price_before": service.unit_price,
            "price_after": rise,
            "max_rise_bps": 2_500,
            "bought_units": BOUGHT,
            "bought_cost": int(bought.cost),
            "used_before_units": USED_BEFORE,
            "held_at_rise": {"units": held.units, "paid": held.paid},
            "rise_executed_at": executed_at,
            "rise_effective_at": announced.next_price_at,
            "price_during_notice": announced.unit_price,
            "used_after_units": after.units,
            "used_after_value": after.value,
            "bought_after_units": int(more.units),
            "bought_after_cost": int(more.cost),
            "provider_proceeds": proceeds,
            "cut_swept": cut - 1,
        }

    # ------------------------------------------------------------------ helpers

    def _buy(self: Story, who: Person, service_id: int, units: int) -> Purchase:
        """`who` buys `units` of the service, with a permit; its gas is recorded."""
        purchase = who.j.services.buy(service_id, units)
        self.ledger.gas["buy credits (permit)"].append(purchase.tx.gas_used)
        return purchase

    def _vote_through(
        self: Story, proposal, voters: list[tuple[Person, Vote, str]], not_before: int = 0
    ) -> int:
        """Open the vote, cast it, close it, queue, wait the timelock out (and until
        `not_before`), execute; returns the execution's time."""
        n = self.n
        gov = voters[0][0].j.gov
        self._open_voting(proposal)
        with n.step("The DAO votes"):
            self._cast(proposal, voters)
        self._close_voting(proposal)
        with n.step("Queued in the timelock; its delay passes; anyone executes it"):
            self._tx("queue", lambda: gov.queue(proposal.id))
            eta = max(gov.proposal(proposal.id).eta, not_before)
            wait = max(1, eta - voters[0][0].j.block_timestamp())
            why = "waiting in the timelock"
            if not_before > gov.proposal(proposal.id).eta:
                why += " and for the price's week to end"
            n.wait_time(wait, self.node.advance, why)
            executed = self._tx("execute", lambda: gov.execute(proposal.id))
            n.say(f"executed: {escape(gov.proposal(proposal.id).changes[0].description)}")
        return self._timestamp(executed.block)


def render_credits(data: dict[str, Any]) -> str | None:
    """The report's lines on the access credits (None if the scene did not run)."""
    c = data.get("credits")
    if not c:
        return None
    return (
        f"[bold]Tools[/]: the {c['name']} went from {format_tokens(c['price_before'])} to "
        f"{format_tokens(c['price_after'])} a unit (+25%, one step), announced "
        f"{format_duration(c['rise_effective_at'] - c['rise_executed_at'])} ahead.\n"
        f"  {c['translator']}'s {c['held_at_rise']['units']} units bought before were used at "
        f"{format_tokens(c['used_after_value'] // c['used_after_units'])} a unit; "
        f"{c['bought_after_units']} bought after cost {format_tokens(c['bought_after_cost'])}.\n"
        f"  Lexa AI earned {format_jtn(c['provider_proceeds'])} from the units used, the "
        f"treasury {format_jtn(c['cut_swept'] + 1)} (the DAO's cut).\n"
    )


__all__ = ["ToolsScene", "render_credits"]
