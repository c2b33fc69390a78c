"""The demo's charts, drawn with matplotlib's Agg backend into PNG files.

- earnings.png: what each worker earned, and their reputation, over the chain's days;
- votes.png: each proposal's tally, split into token votes and reputation votes;
- gas.png: the mean gas of each kind of transaction.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..formatting import sentence

WAD = 10**18


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _save(plt, fig, path: Path) -> Path:
    """Lay out `fig`, write it to `path` as PNG and free it; returns `path`."""
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _mark(x: float, label: str, colour: str, axis, *more_axes) -> None:
    """A vertical line at `x` on `axis` (and `more_axes`), labelled along it on `axis`."""
    for each in (axis, *more_axes):
        each.axvline(x, color=colour, alpha=0.4)
    axis.annotate(
        label,
        (x, 0.98),
        xycoords=("data", "axes fraction"),
        fontsize="small",
        color=colour,
        rotation=90,
        va="top",
        ha="right",
    )


def draw_all(data: dict[str, Any], out_dir: Path) -> list[Path]:
    """Draw every chart into `out_dir`; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        earnings_chart(data, out_dir / "earnings.png"),
        votes_chart(data, out_dir / "votes.png"),
        gas_chart(data, out_dir / "gas.png"),
    ]


def earnings_chart(data: dict[str, Any], path: Path) -> Path:
    plt = _pyplot()
    timeline = data["timeline"]
    names = [w["name"] for w in data["workers"]]
    days = [s["day"] for s in timeline]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7), sharex=True)
    for name in names:
        earned = [s["workers"][name]["earned"] / WAD for s in timeline]
        points = [s["workers"][name]["points"] for s in timeline]
        top.step(days, earned, where="post", label=name, linewidth=2)
        bottom.step(days, points, where="post", label=name, linewidth=2)
    top.set_ylabel("earned (JTN)")
    top.set_title("What each worker earned")
    top.legend(loc="upper left", fontsize="small", ncol=min(4, max(1, len(names))))
    top.grid(alpha=0.3)
    bottom.set_ylabel("reputation (points)")
    bottom.set_title("Reputation: earned with every paid task (it grows with the fee paid)")
    thresholds = data.get("tier_thresholds") or []
    highest = max([0, *(s["workers"][n]["points"] for s in timeline for n in names)])
    for tier, points in enumerate(thresholds, start=1):
        if points <= max(highest * 1.3, thresholds[0]):
            bottom.axhline(points, color="grey", linestyle="--", linewidth=1)
            bottom.annotate(
                f"tier {tier}",
                (days[0] if days else 0, points),
                fontsize="small",
                color="grey",
                va="bottom",
            )
    reserved = data.get("reserved_task")
    if reserved:
        when = next((s["day"] for s in timeline if s["block"] >= reserved["claim_block"]), None)
        if when is not None:
            label = f"{reserved['worker_name']} takes the reserved task"
            _mark(when, label, "tab:red", bottom)
    fee = data.get("fee_change")
    if fee:
        day = (fee["executed_at"] - data["chain"]["genesis_timestamp"]) / 86_400
        _mark(day, "fee lowered", "tab:green", top, bottom)
    bottom.set_xlabel("days on the chain since genesis")
    bottom.grid(alpha=0.3)
    return _save(plt, fig, path)


def votes_chart(data: dict[str, Any], path: Path) -> Path:
    plt = _pyplot()
    proposals = data["proposals"]
    fig, axes = plt.subplots(
        1, max(1, len(proposals)), figsize=(6 * max(1, len(proposals)), 4), squeeze=False
    )
    sides = ("for", "against", "abstain")
    colours = {"for": "tab:green", "against": "tab:red", "abstain": "tab:grey"}
    for axis, proposal in zip(axes[0], proposals, strict=False):
        split = proposal["split"]
        tokens = [split[s]["tokens"] / WAD for s in sides]
        reputation = [split[s]["reputation"] / WAD for s in sides]
        axis.barh(sides, tokens, color=[colours[s] for s in sides], label="token votes")
        axis.barh(
            sides,
            reputation,
            left=tokens,
            color=[colours[s] for s in sides],
            alpha=0.45,
            hatch="//",
            label="reputation votes",
        )
        axis.axvline(
            proposal["quorum"] / WAD,
            color="black",
            linestyle="--",
            linewidth=1,
            label="quorum (for + abstain)",
        )
        for y, (t, r) in enumerate(zip(tokens, reputation, strict=True)):
            if t + r:
                label = f" {t + r:,.0f}" + (f"\n ({r:,.1f} from reputation)" if r else "")
                axis.annotate(label, (t + r, y), va="center", fontsize="small")
        axis.invert_yaxis()
        axis.set_xlim(
            0,
            max(
                [
                    *(t + r for t, r in zip(tokens, reputation, strict=True)),
                    proposal["quorum"] / WAD,
                    1,
                ]
            )
            * 1.35,
        )
        title = proposal["change"] or proposal["description"]
        outcome = proposal["state"]
        refused = data.get("out_of_bounds") or {}
        if refused.get("proposal_id") == proposal["id"]:
            outcome = f"passed the vote, refused at execution ({refused['error']})"
        axis.set_title(f"{sentence(title)}\n→ {outcome}", fontsize="medium")
        axis.set_xlabel("votes (JTN-weighted)")
        axis.legend(fontsize="x-small", loc="lower right")
    fig.suptitle("The DAO's votes: delegated tokens plus reputation")
    return _save(plt, fig, path)


def gas_chart(data: dict[str, Any], path: Path) -> Path:
    plt = _pyplot()
    gas = sorted(data["gas"].items(), key=lambda item: item[1]["mean"])
    fig, axis = plt.subplots(figsize=(8, 0.35 * len(gas) + 1.2))
    axis.barh([k for k, _ in gas], [g["mean"] for _, g in gas], color="tab:blue")
    for y, (_, g) in enumerate(gas):
        axis.annotate(
            f" {g['mean']:,} ×{g['count']}", (g["mean"], y), va="center", fontsize="small"
        )
    axis.set_xlabel("mean gas used")
    axis.set_title("Gas per kind of transaction")
    axis.margins(x=0.2)
    return _save(plt, fig, path)
