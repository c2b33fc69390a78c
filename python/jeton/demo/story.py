"""The story: a whole Jeton economy, played through the Python client.

`Story` plays the scenes in order: setting up, the market, when things go wrong, the DAO lowers
the fee, a fee above the hard bound, payday, tools at prices the DAO sets. The scenes live in
`market`, `votes` and `tools`, the steps they share in `scene`.
"""

from __future__ import annotations

import random
from pathlib import Path

from ..contracts import Deployment
from ..devchain import LocalNode
from ..governance import Proposal
from ..tasks import Task
from ..types import TaskStatus
from .cast import Person, cast
from .market import MarketScenes
from .narrator import Narrator
from .scene import Ledger, TaskNote
from .tools import ToolsScene
from .votes import VoteScenes


class Story(MarketScenes, VoteScenes, ToolsScene):
    """Plays the demo on the node at `node.url` and records what happened in `ledger`."""

    def __init__(
        self,
        node: LocalNode,
        narrator: Narrator,
        out_dir: Path,
        *,
        workers: int,
        tasks: int,
        seed: int,
    ):
        if workers < 1 or tasks < 1:
            raise ValueError("the demo needs at least one worker and one task")
        self.node = node
        self.n = narrator
        self.out_dir = out_dir
        self.worker_count = workers
        self.task_count = tasks
        self.seed = seed
        self.rng = random.Random(seed)
        self.ledger = Ledger()
        self.people: dict[str, Person] = cast(tasks)
        self.workers: list[Person] = []
        self.deployment: Deployment | None = None
        self.config_path = out_dir / "deploy-config.json"
        self.genesis_block = 0
        self.genesis_time = 0
        self.thresholds: list[int] = []
        self.reserved: Task | None = None
        self.fee_proposal: Proposal | None = None
        self.greedy_proposal: Proposal | None = None

    def play(self) -> None:
        self.setup()
        self.market()
        self.trouble()
        self.fee_vote()
        self.greedy_vote()
        self.payday()
        self.tools()


__all__ = ["Story", "Ledger", "TaskNote", "TaskStatus"]
