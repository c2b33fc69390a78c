"""The Jeton demo: a whole work economy on a local chain, played through the client.

`run_demo()` starts anvil (or uses `rpc_url`), deploys the system with the deploy script, and
plays the story of DESIGN.md: clients post tasks, workers with fresh wallets take them and
build reputation, one reaches the tier of a reserved task, a client goes silent, a task
expires, a dispute is split, the DAO lowers the fee through its timelock, and a fee above the
hard bound fails at execution. It prints each step, then a report, and writes report.json and
PNG charts into `out_dir`.

Modules: `cast` (the people and the work), `story` (the acts in order), `scene` (the steps
every act shares), `market`, `votes` and `tools` (the acts), `narrator` (the console),
`report` (figures from the chain, tables, JSON), `charts` (matplotlib), `run` (`run_demo`).
"""

from .narrator import DemoError
from .report import DemoReport
from .run import run_demo

__all__ = ["DemoError", "DemoReport", "run_demo"]
