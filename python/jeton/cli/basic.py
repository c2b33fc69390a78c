"""`jeton version`, `addresses`, and the developer commands `deploy` and `demo`."""

import click

from .. import __version__
from ..contracts import Deployment
from .common import console, emit, progress, state, table


@click.command()
def version():
    """Print the client's version (needs no node)."""
    emit({"version": __version__}, f"jeton {__version__}")


def show_deployment(deployment: Deployment, *lines: str, **extra) -> None:
    payload = {
        "chain_id": deployment.chain_id,
        "block": deployment.block,
        "file": str(deployment.path) if deployment.path else None,
        "contracts": dict(deployment.addresses),
        **extra,
    }
    rows = [[name, address] for name, address in deployment.addresses.items()]
    title = f"Chain {deployment.chain_id}, deployed at block {deployment.block}"
    emit(payload, table(["Contract", "Address"], rows, title=title), *lines)


@click.command()
def addresses():
    """The deployment's contracts (read from --deployment alone when it is given)."""
    st = state()
    deployment = Deployment.load(st.deployment) if st.deployment else st.connect().deployment
    show_deployment(deployment)


@click.command()
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Deployment parameters (default: the project's deploy-config.json).",
)
@click.option(
    "--force", is_flag=True, help="Replace the chain's deployments file if it exists already."
)
def deploy(config_path, force):
    """Deploy the whole system to the --rpc node and write its deployments file.

    The file is the project's deployments/<chain-id>.json (refused if it exists, unless
    --force); a copy in the per-user folder lets the command find it from any folder.
    """
    from ..devchain import deploy as deploy_system

    with progress(f"Deploying to {state().rpc}…"):
        deployment = deploy_system(state().rpc, config_path, overwrite=force)
    kept = deployment.remember()
    show_deployment(
        deployment,
        f"Wrote {deployment.path}",
        f"and a copy at {kept} (found from any folder)",
        copy=str(kept),
    )


@click.command()
@click.option("--workers", type=click.IntRange(min=1), help="How many workers.")
@click.option("--tasks", "tasks", type=click.IntRange(min=1), help="How many tasks.")
@click.option("--seed", type=int, help="Random seed: the same seed plays the same demo.")
@click.option(
    "--rpc", "rpc_url", metavar="URL", help="Run on this node (default: start a fresh local anvil)."
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    help="Folder for the demo's report and charts.",
)
def demo(**options):
    """Run the scripted demo: clients, workers, tasks and a fee vote, with a report."""
    from ..demo import run_demo

    # Only what was given: run_demo keeps its own defaults for the rest. With --json the
    # narration goes to stderr and stdout gets the report's data (as in report.json).
    given = {k: v for k, v in options.items() if v is not None}
    if state().json:
        given["console"] = console(stderr=True)
    report = run_demo(**given)
    emit(getattr(report, "data", None), str(report))


COMMANDS = (version, addresses, deploy, demo)
