"""`jeton node` (a local development chain, deployed) and `jeton chain mine|advance|fund` (its
powers: blocks, time and ETH on demand, refused on any chain that is not a development one)."""

import sys
import time
from pathlib import Path

import click

from .. import config
from ..client import Jeton
from ..devchain import DevChain, LocalNode, deploy, port_is_free, test_wallets
from ..errors import DevChainError
from ..formatting import format_blocks, format_duration, format_time
from ..units import format_amount, format_eth
from .common import (
    ADDRESS,
    AMOUNT,
    DEFAULT_RPC,
    DURATION,
    amount_fields,
    emit,
    iso,
    progress,
    state,
    table,
    to_base_units,
)

#: The port `jeton node` listens on unless told otherwise: the one every command uses first.
DEFAULT_PORT = int(DEFAULT_RPC.rsplit(":", 1)[1])
#: Seconds between two checks that the node still runs.
NODE_POLL_SECONDS = 0.5


# ------------------------------------------------------------------ jeton node


@click.command()
@click.option(
    "--port",
    type=click.IntRange(1, 65_535),
    help=f"Listen on this port [default: {DEFAULT_PORT}, or a free port if it is taken].",
)
@click.option(
    "--block-time",
    type=click.IntRange(min=1),
    metavar="SECONDS",
    help="Mine a block every SECONDS [default: a block for each transaction, none between].",
)
@click.option(
    "--accounts",
    type=click.IntRange(1, 100),
    default=10,
    show_default=True,
    help="How many funded test accounts.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False),
    help="Deployment parameters (default: the project's deploy-config.json).",
)
@click.option("--no-deploy", is_flag=True, help="Start the chain only; deploy nothing.")
def node(port, block_time, accounts, config_path, no_deploy):
    """Start a local development chain (anvil), deploy Jeton on it, and keep it running.

    Prints its URL, the deployments file and the funded test accounts with their keys; other
    `jeton` commands (from any folder) then use it. Ctrl-C or SIGTERM stops it.
    """
    if port is None:
        port = DEFAULT_PORT if port_is_free(DEFAULT_PORT) else None
    extra = ["--block-time", str(block_time)] if block_time else []
    chain = LocalNode(port=port, accounts=accounts, extra_args=extra)
    try:
        with progress("Starting anvil…"):
            chain.start()
        try:
            deployment_file = None
            if not no_deploy:
                with progress("Deploying Jeton with the project's deploy script (ape)…"):
                    deployment = deploy(
                        chain.url,
                        config_path,
                        deployments_dir=config.deployments_dir(),
                        overwrite=True,
                    )
                deployment_file = deployment.path
            _announce(chain, accounts, deployment_file)
            while chain.running:
                time.sleep(NODE_POLL_SECONDS)
            raise DevChainError(f"anvil stopped by itself: {chain.log_tail()}")
        finally:
            chain.stop()
    except (KeyboardInterrupt, SystemExit):  # Ctrl-C, or SIGTERM (LocalNode's handler)
        click.echo("Stopped the node.", err=True)


def _announce(chain: LocalNode, count: int, deployment_file: Path | None) -> None:
    """What the node is and how to use it (JSON: one object, printed at once)."""
    wallets = test_wallets(count, chain.mnemonic)
    jeton = Jeton.connect(chain.url, deployment=deployment_file) if deployment_file else None
    rows, records = [], []
    for index, wallet in enumerate(wallets):
        eth = chain.balance(wallet.address)
        jtn = jeton.contracts.token.functions.balanceOf(wallet.address).call() if jeton else 0
        arbiter = bool(jeton and jeton.contracts.rules.functions.isArbiter(wallet.address).call())
        key = wallet.export_private_key()
        records.append(
            {
                "index": index,
                "address": wallet.address,
                "private_key": key,
                **amount_fields("eth", eth),
                **amount_fields("jtn", jtn),
                "arbiter": arbiter,
            }
        )
        rows.append(
            [
                str(index),
                wallet.address,
                format_amount(eth, places=0),
                format_amount(jtn, places=0),
                "arbiter" if arbiter else "",
                key,
            ]
        )
    url_hint = "" if chain.url == DEFAULT_RPC else f" --rpc {chain.url}"
    payload = {
        "url": chain.url,
        "chain_id": chain.chain_id(),
        "client": chain.client_version(),
        "deployment": str(deployment_file) if deployment_file else None,
        "accounts": records,
        "test_keys_are_public": True,
    }
    lines = [
        f"[bold]Jeton development chain[/] at [bold]{chain.url}[/] (chain {payload['chain_id']},"
        f" {payload['client']}, pid {chain.pid})",
        f"Deployments file: {deployment_file}  (found by `jeton` from any folder)"
        if deployment_file
        else "Nothing deployed (--no-deploy): deploy with `jeton deploy`.",
        "",
        table(
            ["#", "Address", "ETH", "JTN", "Role", "Private key"],
            rows,
            title="Test accounts",
        ),
        "[bold red]These private keys are PUBLIC[/] (anvil's well-known test mnemonic): anyone "
        "can take what they hold on any chain. Use them on this local chain only.",
        "",
        "From another terminal:",
        f"  jeton{url_hint} tasks list",
        f"  jeton{url_hint} chain fund ADDRESS 1      give an address 1 ETH for gas",
        f"  jeton{url_hint} chain mine 5 · jeton{url_hint} chain advance 2d",
        "Ctrl-C stops the node (the chain and what is on it are gone).",
    ]
    emit(payload, *lines)
    sys.stdout.flush()


# ------------------------------------------------------------------ jeton chain


@click.group()
def chain():
    """A development chain's powers: mine blocks, move time, give ETH (anvil: `jeton node`)."""


def _development_chain(action: str) -> DevChain:
    """The --rpc node, refused (NotDevelopmentChain) unless it is a development chain."""
    dev = DevChain.attach(state().rpc)
    dev.require_development(action)
    return dev


def _where(dev: DevChain) -> dict:
    stamp = dev.timestamp()
    return {"block": dev.block_number(), "timestamp": stamp, "time": iso(stamp)}


@chain.command()
@click.argument("blocks", type=click.IntRange(min=1))
def mine(blocks):
    """Mine BLOCKS empty blocks at once (voting delays and periods count blocks)."""
    dev = _development_chain(f"mining {blocks} blocks")
    dev.mine(blocks)
    now = _where(dev)
    emit(
        {"mined": blocks, **now},
        f"[green]✓[/green] Mined {format_blocks(blocks)}: now block {now['block']:,} "
        f"({format_time(now['timestamp'])})",
    )


@chain.command()
@click.argument("duration", type=DURATION)
def advance(duration):
    """Move the chain's clock DURATION ahead (90m, 12h, 3d, 2w) and mine a block there."""
    dev = _development_chain(f"moving time {format_duration(duration)} ahead")
    before = dev.timestamp()
    dev.advance(duration)
    now = _where(dev)
    emit(
        {"advanced_seconds": duration, "previous_timestamp": before, **now},
        f"[green]✓[/green] Moved the clock {format_duration(duration)} ahead: now "
        f"{format_time(now['timestamp'])}, block {now['block']:,}",
    )


@chain.command()
@click.argument("address", type=ADDRESS)
@click.argument("amount", type=AMOUNT)
def fund(address, amount):
    """Give ADDRESS AMOUNT more ETH (such as 1 or 0.5), for gas."""
    wei = to_base_units(amount, 18)
    dev = _development_chain(f"giving {format_eth(wei)}")
    balance = dev.fund(address, wei)
    emit(
        {"address": address, **amount_fields("added", wei), **amount_fields("balance", balance)},
        f"[green]✓[/green] Gave {address} {format_eth(wei)}: it holds {format_eth(balance)}",
    )


COMMANDS = (node, chain)
