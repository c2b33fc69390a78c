"""Fail `make coverage` when a contract's line or branch coverage is below its target.

Reads the summary table `forge coverage --report summary` prints (one row per file: lines,
statements, branches and functions, each as "P% (hit/total)"), checks the named contracts
against the minimum line and branch percentages, and prints one verdict per contract.

    python tools/coverage_gate.py out/coverage/summary.txt --lines 95 --branches 90 \\
        TaskEscrow PlatformRules Reputation WorkVotes WorkGovernor
"""

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROW = re.compile(r"^\|\s*(?P<file>contracts/\S+\.sol)\s*\|(?P<cells>.*)\|\s*$")
CELL = re.compile(r"\((?P<hit>\d+)/(?P<total>\d+)\)")


@dataclass(frozen=True)
class Coverage:
    """A file's covered and total lines and branches."""

    lines_hit: int
    lines: int
    branches_hit: int
    branches: int

    @staticmethod
    def percent(hit: int, total: int) -> float:
        """Coverage in percent; a file with nothing to cover is fully covered."""
        return 100.0 if total == 0 else 100.0 * hit / total

    @property
    def line_percent(self) -> float:
        return self.percent(self.lines_hit, self.lines)

    @property
    def branch_percent(self) -> float:
        return self.percent(self.branches_hit, self.branches)


def parse(summary: str) -> dict[str, Coverage]:
    """The coverage of every contracts/ file in forge's summary table, by contract name."""
    files = {}
    for line in summary.splitlines():
        row = ROW.match(line.strip())
        if not row:
            continue
        cells = [CELL.search(cell) for cell in row["cells"].split("|")]
        if len(cells) != 4 or not all(cells):
            raise SystemExit(f"unexpected coverage row: {line}")
        lines, _statements, branches, _functions = cells
        files[Path(row["file"]).stem] = Coverage(
            int(lines["hit"]), int(lines["total"]), int(branches["hit"]), int(branches["total"])
        )
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("summary", type=Path, help="forge coverage's summary output")
    parser.add_argument("contracts", nargs="+", help="contract names held to the targets")
    parser.add_argument("--lines", type=float, required=True, help="minimum line coverage, %%")
    parser.add_argument("--branches", type=float, required=True, help="minimum branch coverage")
    args = parser.parse_args()

    files = parse(args.summary.read_text())
    failed = False
    print(f"\nCoverage targets: {args.lines:g}% of lines and {args.branches:g}% of branches")
    for name in args.contracts:
        cov = files.get(name)
        if cov is None:
            print(f"  {name}: not in the coverage report")
            failed = True
            continue
        ok = cov.line_percent >= args.lines and cov.branch_percent >= args.branches
        failed |= not ok
        print(
            f"  {name + ':':15} lines {cov.line_percent:6.2f}% ({cov.lines_hit}/{cov.lines}), "
            f"branches {cov.branch_percent:6.2f}% ({cov.branches_hit}/{cov.branches})"
            f"  {'ok' if ok else 'BELOW TARGET'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
