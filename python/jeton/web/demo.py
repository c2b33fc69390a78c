"""`jeton web --demo`: a living Jeton in the browser with one command.

Starts a local anvil node, deploys the system and plays the demo economy into it (the same
story as `jeton demo`), then leaves work in progress for a visitor to find: open tasks (one
asking for reputation, one reserved for a worker), a task claimed, a task delivered and waiting
for review, and a fee proposal open for votes. Then it serves the app on that chain until
Ctrl-C, and the node stops with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from ..client import Jeton
from ..contracts import Deployment
from ..demo import run_demo
from ..demo.cast import DEMO_PASSWORD
from ..devchain import LocalNode, test_wallet
from ..wallet import Wallet
from .api import Api
from .server import WebServer

WAD = 10**18
DAY = 86_400

#: (client's test account, JTN, days to the deadline, points needed, claim bond in basis
#: points or None for the DAO's, brief) of the open tasks. One asks no bond: a newcomer with
#: no tokens yet can take it.
OPEN_TASKS = (
    (1, 45, 5, 0, None, "Translate the release notes into Spanish"),
    (2, 120, 7, 100, None, "Add keyboard shortcuts to the editor (skilled tier)"),
    (3, 60, 4, 0, 0, "Label 1,500 photos of street signs (no claim bond: newcomers welcome)"),
)


@dataclass(frozen=True)
class WebDemo:
    """What `serve_demo` set up: the node, the deployment and the server, before serving."""

    node: LocalNode
    deployment: Deployment
    server: WebServer


def serve_demo(
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    workers: int = 4,
    tasks: int = 8,
    seed: int = 1,
    out_dir: Path | str = Path("out/web-demo"),
    console: Console | None = None,
    on_ready: Callable[[WebDemo], None] | None = None,
) -> None:
    """Play the demo into a fresh local chain, add work in progress, and serve the app on it
    until interrupted (Ctrl-C or SIGTERM); the node stops on the way out, whatever happens.
    `on_ready` is called once the app answers (with the URL in `server.url`)."""
    out_dir = Path(out_dir)
    with LocalNode() as node:
        report = run_demo(
            workers=workers,
            tasks=tasks,
            seed=seed,
            rpc_url=node.url,
            out_dir=out_dir,
            console=console,
        )
        deployment = Deployment.load(report.data["deployment"]["file"])
        jeton = Jeton.connect(node.url, deployment=deployment)
        people = report.data["workers"]
        add_work_in_progress(node, deployment, out_dir / "wallets", people)
        with WebServer(Api(jeton, node.url), host, port) as server:
            if on_ready is not None:
                on_ready(WebDemo(node, deployment, server))
            try:
                server.serve_forever()
            except KeyboardInterrupt:
                pass


def add_work_in_progress(
    node: LocalNode, deployment: Deployment, wallets: Path, workers: list[dict]
) -> None:
    """Open tasks, a claimed one, a delivered one and a fee proposal open for votes, made
    through the client as the demo's people (the clients are test accounts 1 to 3, the
    workers' keystores are in `wallets`)."""

    def connect(wallet: Wallet) -> Jeton:
        return Jeton.connect(node.url, account=wallet, deployment=deployment)

    clients = {i: connect(test_wallet(i)) for i in (1, 2, 3)}
    keystores = sorted(wallets.glob("worker-*.json"))[:2]
    opened = [connect(Wallet.from_keystore(k, DEMO_PASSWORD)) for k in keystores]
    first, second = opened[0], opened[-1]
    now = clients[1].block_timestamp()
    for client, amount, days, points, bond, brief in OPEN_TASKS:
        clients[client].tasks.post(
            amount * WAD,
            deadline=now + days * DAY,
            spec=brief,
            min_reputation=points,
            bond_bps=bond,
        )
    clients[1].tasks.post(
        30 * WAD,
        deadline=now + 6 * DAY,
        spec="Proofread the Italian FAQ",
        worker=workers[0]["address"],
    )
    claimed = clients[2].tasks.post(80 * WAD, deadline=now + 5 * DAY, spec="Fix the date picker")
    first.tasks.claim(claimed.id)
    delivered = clients[3].tasks.post(
        50 * WAD, deadline=now + 3 * DAY, spec="Rate 400 chatbot answers"
    )
    second.tasks.claim(delivered.id)
    second.tasks.submit(delivered.id, "ipfs://bafy-demo/ratings.csv")
    fee = first.gov.rule_value("fee")
    step = first.gov.rule_limits("fee").step or 50
    first.gov.propose_fee(
        max(0, fee - min(50, step)),
        "Lower the fee by half a point: cheaper tasks bring more work to all of us",
    )
    node.mine(2)  # past the voting delay: the proposal is open for votes


__all__ = ["OPEN_TASKS", "WebDemo", "add_work_in_progress", "serve_demo"]
