"""The benchmark's one table: each figure with its target and verdict, printed, written as JSON
to out/bench/, with a chart of the gas per operation at growing task counts.

Figures are measured, never asserted: a missed target is a verdict in the table, not a failed
run. What the run does check is that every row of the table was measured (`EXPECTED`), so that
a broken benchmark can not pass for a fast one.
"""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

OUT = Path(os.environ.get("JETON_BENCH_OUT", "out/bench"))

#: Sections, in the order the table shows them.
SECTIONS = ("escrow gas", "vote gas", "client", "history", "demo", "web app")

#: Every row the table must hold, in the order it shows them (a benchmark that failed to
#: measure one fails the run).
EXPECTED = (
    *(f"gas.{k}" for k in ("lifecycle", "post", "claim", "submit", "approve", "growth")),
    *(f"gas.{k}" for k in ("amortised", "collect", "undelegated", "bond", "claim_bond")),
    *(f"gas.{k}" for k in ("dispute", "resolve_for", "resolve_against", "settle", "sweep")),
    *(f"vote.{k}" for k in ("later", "after_quorum", "first", "by_sig")),
    *(f"oz.{k}" for k in ("later", "first", "by_sig")),
    *(f"client.{k}" for k in ("ratio", "ms", "bare_ms", "requests", "round_trips")),
    "client.bare_requests",
    *(f"history.{k}" for k in ("timelines_small", "timelines_large", "linear", "cursor")),
    *(f"history.{k}" for k in ("earnings_small", "earnings_large")),
    *(f"demo.{k}" for k in ("small", "large", "growth", "memory")),
    "web.first_page",
    "web.library_page",
)

#: The figures before this work, for the full run: measured on main at d286306 (the same
#: harness, the library of that commit) or given by issue 14 (the escrow before its bonds).
BEFORE = {
    "gas.lifecycle": "367,089 (issue 14)",
    "gas.growth": "+0.01% (issue 14)",
    "gas.amortised": "378,182 (issue 14)",
    "gas.collect": "110,932 (issue 14)",
    "gas.undelegated": "334,254 (issue 14)",
    "vote.later": "98,191 (issue 14)",
    "vote.after_quorum": "83,896 (issue 14)",
    "vote.first": "115,291 (issue 14)",
    "vote.by_sig": "129,891 (issue 14)",
    "oz.later": "66,155 (issue 14)",
    "oz.first": "83,255 (issue 14)",
    "oz.by_sig": "97,766 (issue 14)",
    "client.ratio": "3.32× on main (issue 14: 3.9×)",
    "client.ms": "178 ms on main",
    "client.requests": "11.75 on main (issue 14: 20.75)",
    "client.round_trips": "7.75 on main",
    "history.timelines_small": "26.6× on main: 37.3 s, 20,000 requests (issue 14: 33×)",
    "history.timelines_large": "issue 14: about 42 min, 124×",
    "history.linear": "quadratic (16 requests per task and call)",
    "history.cursor": "none: every call read everything again",
    "history.earnings_small": "15.7× on main: 1.57 s, 542 requests",
    "history.earnings_large": "issue 14: 13–14×",
    "demo.small": "17.5 s on main (issue 14: 36.7 s)",
    "demo.large": "120 s on main (issue 14: 274.5 s)",
    "demo.growth": "6.9× on main (issue 14: 7.5×)",
    "demo.memory": "issue 14: 2.1 GB (standard scrypt)",
    "web.first_page": "252 ms (README)",
    "web.library_page": "38 ms (README)",
}


@dataclass(frozen=True)
class Target:
    """A figure's target: at most (`most`) or at least `value`, in words as `text`."""

    value: float
    text: str
    most: bool = True

    def verdict(self, figure: float) -> str:
        met = figure <= self.value if self.most else figure >= self.value
        return "met" if met else "MISSED"


@dataclass
class Row:
    section: str
    key: str
    operation: str
    figure: float
    unit: str
    target: str = "—"
    verdict: str = "—"
    #: The figure before this work (as measured on main, or in issue 14), in words.
    before: str = ""

    def shown(self) -> str:
        if self.unit == "gas":
            return f"{self.figure:,.0f}"
        if self.unit == "×":
            return f"{self.figure:.2f}×"
        if self.unit == "%":
            return f"{self.figure:+.2f}%"
        if self.unit in ("requests", "round trips"):
            return f"{self.figure:.2f} {self.unit}"
        return f"{self.figure:,.{_places(self.figure)}f} {self.unit}"


def _places(value: float) -> int:
    return 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2


@dataclass
class BenchTable:
    """The rows measured in this run, the gas chart's data and the run's parameters."""

    scale: str
    rows: dict[str, Row] = field(default_factory=dict)
    #: Gas per operation at each task count: {task count: {operation: gas}}.
    gas_by_count: dict[int, dict[str, int]] = field(default_factory=dict)

    def add(
        self,
        section: str,
        key: str,
        operation: str,
        figure: float,
        unit: str,
        target: Target | None = None,
        before: str = "",
    ) -> Row:
        """Record a figure (`key` names it in the JSON; a second figure of a key replaces it)."""
        assert section in SECTIONS, section
        before = before or (BEFORE.get(key, "") if self.scale == "full" else "")
        row = Row(section, key, operation, float(figure), unit, before=before)
        if target is not None:
            row.target, row.verdict = target.text, target.verdict(figure)
        self.rows[key] = row
        return row

    def ordered(self) -> list[Row]:
        def place(row: Row) -> tuple[int, int]:
            known = EXPECTED.index(row.key) if row.key in EXPECTED else len(EXPECTED)
            return SECTIONS.index(row.section), known

        return sorted(self.rows.values(), key=place)

    def render(self) -> str:
        rows = self.ordered()
        widths = [
            max(len("operation"), *(len(r.operation) for r in rows)),
            max(len("figure"), *(len(r.shown()) for r in rows)),
            max(len("target"), *(len(r.target) for r in rows)),
            max(len("verdict"), *(len(r.verdict) for r in rows)),
        ]
        head = ("operation", "figure", "target", "verdict", "before")
        line = (
            f"{head[0]:<{widths[0]}}  {head[1]:>{widths[1]}}  {head[2]:<{widths[2]}}  "
            f"{head[3]:<{widths[3]}}  {head[4]}"
        )
        out = [line, "-" * len(line)]
        section = None
        for r in rows:
            if r.section != section:
                section = r.section
                out.append(f"[{section}]")
            out.append(
                f"{r.operation:<{widths[0]}}  {r.shown():>{widths[1]}}  {r.target:<{widths[2]}}  "
                f"{r.verdict:<{widths[3]}}  {r.before}"
            )
        return "\n".join(out)

    def write(self, missing: list[str]) -> list[Path]:
        """Write bench.json and gas.png into OUT; returns their paths."""
        OUT.mkdir(parents=True, exist_ok=True)
        document = {
            "schema": "jeton-bench/1",
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "scale": self.scale,
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
            "rows": [asdict(r) for r in self.ordered()],
            "gas_by_task_count": {str(k): v for k, v in sorted(self.gas_by_count.items())},
            "missing": missing,
        }
        json_path = OUT / "bench.json"
        json_path.write_text(json.dumps(document, indent=2) + "\n")
        return [json_path, self.draw(OUT / "gas.png")]

    def draw(self, path: Path) -> Path:
        """Grouped bars: the gas of each operation of the lifecycle at each task count."""
        import matplotlib
        import matplotlib.ticker

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        counts = sorted(self.gas_by_count)
        operations = list(self.gas_by_count[counts[0]]) if counts else []
        fig, ax = plt.subplots(figsize=(9, 4.8))
        width = 0.8 / max(len(counts), 1)
        for n, count in enumerate(counts):
            xs = [i + (n - (len(counts) - 1) / 2) * width for i in range(len(operations))]
            values = [self.gas_by_count[count][op] for op in operations]
            first = " (the chain's first: new slots)" if count == 1 else ""
            bars = ax.bar(xs, values, width, label=f"task {count:,}{first}")
            ax.bar_label(bars, labels=[f"{v / 1000:.0f}k" for v in values], fontsize=7)
        ax.set_xticks(range(len(operations)), operations)
        ax.set_ylabel("gas used")
        ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
        ax.set_title("Gas per operation of the task lifecycle at growing task counts")
        if counts:
            ax.legend()
        fig.tight_layout()
        fig.savefig(path, dpi=110)
        plt.close(fig)
        return path
