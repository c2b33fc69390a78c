"""Fail `make lint` on Slither findings of medium severity or more that nobody triaged.

Reads Slither's JSON report (`slither . --json FILE`) and the committed triage file
(slither-triage.toml): each entry names a finding by its detector (`check`) and its text
(`finding`: Slither's description with the source locations taken out, so a line that moves
keeps its triage, while a changed statement needs a new look), says what it is and why it is
safe (`why`) and where the code is (`code`). Prints every finding of medium severity or more
with its verdict and current location, and a count of the lower ones; exits 1 if any is not
triaged, or if an entry no longer matches any finding (the code changed: the entry must go or
be rewritten).

    python tools/slither_gate.py out/slither/report.json slither-triage.toml
    python tools/slither_gate.py out/slither/report.json slither-triage.toml --list
      (prints each medium-or-more finding as a triage entry to fill in)
"""

import argparse
import json
import re
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

GATED = ("High", "Medium")
LOCATION = re.compile(r" \((?:[\w.@-]+/)*[\w.@-]+\.sol#[\d-]+\)")


@dataclass(frozen=True)
class Finding:
    """One Slither result: its detector, impact, normalised text and where it is now."""

    check: str
    impact: str
    confidence: str
    text: str
    where: str


@dataclass(frozen=True)
class Triage:
    """One committed verdict on a finding."""

    check: str
    finding: str
    why: str
    code: str


def normalise(description: str) -> str:
    """Slither's description without source locations, on one line."""
    return " ".join(LOCATION.sub("", description).split())


def load_findings(report: Path) -> list[Finding]:
    """Every detector result in Slither's JSON report."""
    data = json.loads(report.read_text())
    if not data.get("success", False):
        raise SystemExit(f"Slither failed: {data.get('error')}")
    results = (data.get("results") or {}).get("detectors") or []
    return [
        Finding(
            check=r["check"],
            impact=r["impact"],
            confidence=r["confidence"],
            text=normalise(r["description"]),
            where=r.get("first_markdown_element", ""),
        )
        for r in results
    ]


def load_triage(path: Path) -> list[Triage]:
    """The committed verdicts; each needs all four fields."""
    entries = tomllib.loads(path.read_text()).get("finding", [])
    triage = []
    for i, entry in enumerate(entries, 1):
        missing = [k for k in ("check", "finding", "why", "code") if not entry.get(k)]
        if missing:
            raise SystemExit(f"{path}: entry {i} lacks {', '.join(missing)}")
        triage.append(
            Triage(entry["check"], normalise(entry["finding"]), entry["why"], entry["code"])
        )
    return triage


def entry_for(finding: Finding) -> str:
    """A triage entry to fill in for `finding` (the --list output)."""
    return (
        "[[finding]]\n"
        f'check = "{finding.check}"\n'
        f'finding = """{finding.text}"""\n'
        f'code = "{finding.where}"\n'
        'why = """..."""\n'
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("triage", type=Path)
    parser.add_argument("--list", action="store_true", help="print entries to fill in")
    args = parser.parse_args()

    findings = load_findings(args.report)
    gated = [f for f in findings if f.impact in GATED]
    if args.list:
        print("\n".join(entry_for(f) for f in gated))
        return 0
    triage = {(t.check, t.finding): t for t in load_triage(args.triage)}

    untriaged = []
    used = set()
    for f in sorted(gated, key=lambda f: (f.impact != "High", f.check, f.text)):
        verdict = triage.get((f.check, f.text))
        mark = "triaged" if verdict else "NOT TRIAGED"
        print(f"{f.impact:6} {f.check:24} {mark:11} {f.where}\n       {f.text}")
        if verdict:
            used.add((f.check, f.text))
        else:
            untriaged.append(f)
    stale = [t for key, t in triage.items() if key not in used]
    lower = Counter(f.impact for f in findings if f.impact not in GATED)

    print(
        f"\nSlither: {len(gated)} finding(s) of medium severity or more, "
        f"{len(gated) - len(untriaged)} triaged in {args.triage}, {len(untriaged)} not; "
        + ", ".join(f"{n} {impact.lower()}" for impact, n in sorted(lower.items()))
        + " (not gated)."
    )
    for t in stale:
        print(f"Stale triage entry (no such finding any more): [{t.check}] {t.finding}")
    if untriaged:
        print(
            "Fix each finding above marked NOT TRIAGED, or justify it in the triage file "
            f"(`python {sys.argv[0]} {args.report} {args.triage} --list` drafts the entries)."
        )
    return 1 if untriaged or stale else 0


if __name__ == "__main__":
    sys.exit(main())
