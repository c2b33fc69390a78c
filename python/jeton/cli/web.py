"""`jeton web`: serve the web app for the --rpc node's deployment, or for a fresh demo chain."""

import click

from .common import console, emit, fields, state


def _announce(url: str, rpc: str, chain_id: int, deployment: str | None) -> None:
    payload = {"url": url, "rpc": rpc, "chain_id": chain_id, "deployment": deployment}
    emit(
        payload,
        fields(
            [
                ("App", url),
                ("Node", f"{rpc} (chain {chain_id})"),
                ("Deployment", deployment or "—"),
            ],
            title="Jeton web app",
        ),
        "Open the app in a browser with a wallet (or without one, to browse). Ctrl-C stops.",
    )


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port to listen on (0: a free port).",
)
@click.option(
    "--demo",
    is_flag=True,
    help="Start a local chain, deploy, play the demo economy into it and serve the app on it "
    "(the node stops on exit).",
)
@click.option("--workers", type=click.IntRange(min=1), default=4, show_default=True,
              help="With --demo: how many workers.")  # fmt: skip
@click.option("--tasks", "tasks", type=click.IntRange(min=1), default=8, show_default=True,
              help="With --demo: how many market tasks.")  # fmt: skip
@click.option("--seed", type=int, default=1, show_default=True, help="With --demo: random seed.")
def web(host, port, demo, workers, tasks, seed):
    """Serve the Jeton web app: browse tasks, rules and proposals, and act with a browser
    wallet (the server never holds a key)."""
    from ..web import Api, WebServer

    st = state()
    if demo:
        from ..web.demo import serve_demo

        def ready(setup) -> None:
            deployment = setup.deployment
            _announce(setup.server.url, setup.node.url, deployment.chain_id, str(deployment.path))

        narration = console(stderr=True) if st.json else None
        serve_demo(
            host=host,
            port=port,
            workers=workers,
            tasks=tasks,
            seed=seed,
            console=narration,
            on_ready=ready,
        )
        return
    jeton = st.connect()
    with WebServer(Api(jeton, st.rpc), host, port) as server:
        path = jeton.deployment.path
        _announce(server.url, st.rpc, jeton.chain_id, str(path) if path else None)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
