"""`jeton version`, `addresses`, `me`, and the developer commands `deploy` and `demo`."""

import click

from .. import __version__, units
from ..contracts import Deployment
from .common import (
    ADDRESS,
    amount_fields,
    console,
    emit,
    fields,
    progress,
    state,
    table,
)


@click.command()
def version():
    """Print the client's version (needs no node)."""
    emit({"version": __version__}, f"jeton {__version__}")


def show_deployment(deployment: Deployment) -> None:
    payload = {
        "chain_id": deployment.chain_id,
        "block": deployment.block,
        "file": str(deployment.path) if deployment.path else None,
        "contracts": dict(deployment.addresses),
    }
    rows = [[name, address] for name, address in deployment.addresses.items()]
    title = f"Chain {deployment.chain_id}, deployed at block {deployment.block}"
    emit(payload, table(["Contract", "Address"], rows, title=title))


@click.command()
def addresses():
    """The deployment's contracts (read from --deployment alone when it is given)."""
    st = state()
    deployment = Deployment.load(st.deployment) if st.deployment else st.connect().deployment
    show_deployment(deployment)


@click.command()
@click.argument("address", type=ADDRESS, required=False)
def me(address):
    """Your balance, votes, reputation, tier and rewards (or another ADDRESS's)."""
    jeton = state().connect(wallet=address is None)
    s = jeton.me.summary(address)
    jtn = state().money()
    payload = {
        "address": s.address,
        **amount_fields("balance", s.balance),
        **amount_fields("eth_balance", s.eth_balance),
        **amount_fields("votes", s.votes),
        **amount_fields("token_votes", s.token_votes),
        "delegate": s.delegate,
        "reputation": s.reputation,
        "tier": s.tier,
        "tier_name": s.tier_name,
        "next_tier_points": s.next_tier_points,
        **amount_fields("rewards_owed", s.rewards_owed),
    }
    if not s.delegate:
        delegate = "nobody: delegate to vote (jeton gov delegate)"
    else:
        delegate = "yourself" if s.delegate == s.address else s.delegate
    next_tier = f" (next tier at {s.next_tier_points:,})" if s.next_tier_points else ""
    rewards = jtn(s.rewards_owed) + (" (jeton tasks collect)" if s.rewards_owed else "")
    from_reputation = units.format_amount(s.votes - s.token_votes)
    view = [
        ("Account", s.address),
        ("Balance", f"{jtn(s.balance)} · {units.format_amount(s.eth_balance, places=4)} ETH"),
        (
            "Votes",
            f"{units.format_amount(s.votes)} ({jtn(s.token_votes)} delegated, "
            f"{from_reputation} from reputation)",
        ),
        ("Delegate", delegate),
        ("Reputation", f"{s.reputation:,} points · tier {s.tier} {s.tier_name}{next_tier}"),
        ("Rewards", rewards),
    ]
    emit(payload, fields(view))


@click.command()
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Deployment parameters (default: the project's deploy-config.json).",
)
def deploy(config_path):
    """Deploy the whole system to the --rpc node and write its deployments file."""
    from ..devchain import deploy as deploy_system

    with progress(f"Deploying to {state().rpc}…"):
        deployment = deploy_system(state().rpc, config_path)
    show_deployment(deployment)


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


COMMANDS = (version, addresses, me, deploy, demo)
