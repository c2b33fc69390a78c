"""`jeton me`: your balance, votes, reputation, tier and rewards; `jeton me history`: what
each task paid you, and the totals."""

import click

from .. import records, units
from ..formatting import format_votes
from .common import ADDRESS, amount_fields, emit, fields, short, state, table


class DefaultGroup(click.Group):
    """A group that runs its `default` command when the line names no other: `jeton me` and
    `jeton me 0xABC...` are `jeton me summary [...]`."""

    def __init__(self, *args, default: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.default = default

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ctx.help_option_names):
            args = [self.default, *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, default="summary")
def me():
    """Your account (or another ADDRESS's): `jeton me [ADDRESS]`, `jeton me history [ADDRESS]`."""


@me.command()
@click.argument("address", type=ADDRESS, required=False)
def summary(address):
    """Balance, votes, reputation, tier and rewards (the default of `jeton me`)."""
    jeton = state().connect(wallet=address is None)
    s = jeton.me.summary(address)
    jtn = state().money()
    payload = records.account_record(s)
    if not s.delegate:
        delegate = "nobody: delegate to vote (jeton gov delegate)"
    else:
        delegate = "yourself" if s.delegate == s.address else s.delegate
    next_tier = f" (next tier at {s.next_tier_points:,})" if s.next_tier_points else ""
    rewards = jtn(s.rewards_owed) + (" (jeton tasks collect)" if s.rewards_owed else "")
    gas = "" if s.eth_balance else " (no ETH for gas: see `jeton chain fund` on a local chain)"
    view = [
        ("Account", s.address),
        ("Balance", f"{jtn(s.balance)} · {units.format_eth(s.eth_balance)}{gas}"),
        (
            "Votes",
            f"{format_votes(s.votes)} ({jtn(s.token_votes)} delegated, "
            f"{format_votes(s.votes - s.token_votes)} from reputation)",
        ),
        ("Delegate", delegate),
        (
            "Reputation",
            f"{s.reputation:,} points ({s.voting_points:,} voting) · tier {s.tier} "
            f"{s.tier_name}{next_tier}",
        ),
        ("Rewards", rewards),
    ]
    emit(payload, fields(view))


@me.command()
@click.argument("address", type=ADDRESS, required=False)
def history(address):
    """Each payout for your work (approved, released or resolved) and the totals."""
    st = state()
    jeton = st.connect(wallet=address is None)
    h = jeton.me.history(address)
    e = h.earnings
    payouts = [records.payout_record(p) for p in h.payouts]
    totals = {
        "tasks": e.tasks,
        "earned": {token: str(value) for token, value in e.earned.items()},
        "fees": {token: str(value) for token, value in e.fees.items()},
        **amount_fields("rewards", e.rewards),
        "points": e.points,
    }
    rows = [
        [
            str(p.task_id),
            st.when(p.timestamp),
            p.kind + (f" by {short(p.arbiter)}" if p.arbiter else ""),
            units.format_amount(p.worker_amount, p.decimals, symbol=p.symbol),
            units.format_amount(p.fee, p.decimals, symbol=p.symbol),
            st.money()(p.reward),
            f"{p.points:+,}",
        ]
        for p in h.payouts
    ]
    columns = ["Task", "Paid on", "How", "Paid", "Fee", "Reward", "Points"]
    earned = " and ".join(e.tokens[t].format(v) for t, v in e.earned.items()) or st.money()(0)
    total = (
        f"{e.tasks} paid {'task' if e.tasks == 1 else 'tasks'}: {earned} earned, "
        f"{st.money()(e.rewards)} of work rewards, {e.points:+,} reputation points"
    )
    emit(
        {"address": e.address, "payouts": payouts, "totals": totals},
        table(columns, rows, title=f"Work history of {e.address}") if rows else "No payouts yet.",
        total,
    )
