"""The `jeton` command: tasks, your account and the DAO from a terminal or a script.

Tables for people, `--json` for scripts. Exit codes: 0 done; 1 refused (a contract error or a
check the client makes before sending, named and explained on stderr); 2 usage; 3 no node, no
deployment or no usable wallet; 4 a transaction was sent but not mined in time.
"""

import os

import click
import requests
from web3.exceptions import ProviderConnectionError

from ..client import DEFAULT_TIMEOUT
from ..errors import DeploymentError, JetonError, TransactionTimeout, WalletError
from .common import (
    DEFAULT_RPC,
    EXIT_REFUSED,
    EXIT_SETUP,
    EXIT_TIMEOUT,
    ConnectionProblem,
    State,
)

_SETUP_ERRORS = (
    DeploymentError,
    WalletError,
    ConnectionProblem,
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    ProviderConnectionError,
)
_WALLET_OPTIONS = ("keystore", "account", "key_env")


def exit_code(exc: BaseException) -> int:
    """The exit code of a failure (see the module's docstring)."""
    if isinstance(exc, TransactionTimeout):
        return EXIT_TIMEOUT
    if isinstance(exc, _SETUP_ERRORS):
        return EXIT_SETUP
    return EXIT_REFUSED


class JetonGroup(click.Group):
    """The root group: turns every failure into one line on stderr and its exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if os.environ.get("JETON_DEBUG"):
                raise
            message = " ".join(str(exc).split()) or type(exc).__name__
            if not isinstance(exc, JetonError | requests.exceptions.RequestException):
                message = f"{type(exc).__name__}: {message}"
            click.echo(f"Error: {message}", err=True)
            ctx.exit(exit_code(exc))


def _wallet_option(ctx: click.Context, given: dict[str, str | None]) -> tuple[str, str] | None:
    """The one wallet option in effect: the command line's over the environment's."""
    chosen = {k: v for k, v in given.items() if v}
    explicit = {
        k: v
        for k, v in chosen.items()
        if ctx.get_parameter_source(k) == click.core.ParameterSource.COMMANDLINE
    }
    candidates = explicit or chosen
    if len(candidates) > 1:
        names = " and ".join("--" + k.replace("_", "-") for k in candidates)
        raise click.UsageError(f"give one wallet, not {names}")
    return next(iter(candidates.items()), None)


@click.group(cls=JetonGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--rpc",
    envvar="JETON_RPC",
    default=DEFAULT_RPC,
    show_default=True,
    metavar="URL",
    help="The node's JSON-RPC URL (env JETON_RPC).",
)
@click.option(
    "--deployment",
    envvar="JETON_DEPLOYMENT",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="Deployments file (env JETON_DEPLOYMENT) [default: deployments/<chain-id>.json].",
)
@click.option(
    "--keystore",
    envvar="JETON_KEYSTORE",
    metavar="FILE",
    help="Encrypted keystore; password from JETON_PASSWORD or a prompt.",
)
@click.option(
    "--account",
    envvar="JETON_ACCOUNT",
    metavar="APE_ALIAS",
    help="An Ape account (`ape accounts import ALIAS`).",
)
@click.option("--key-env", metavar="VAR", help="Environment variable holding a private key.")
@click.option("--json", "json_mode", is_flag=True, help="Machine-readable JSON on stdout.")
@click.option(
    "--timeout",
    envvar="JETON_TIMEOUT",
    type=click.FloatRange(min=1),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for a transaction to be mined.",
)
@click.pass_context
def cli(ctx, rpc, deployment, keystore, account, key_env, json_mode, timeout):
    """Jeton: earn work tokens for tasks and vote on the platform's rules.

    Exit codes: 0 ok, 1 refused (contract error or pre-flight check), 2 usage,
    3 node/deployment/wallet problem, 4 transaction not mined in time.
    """
    wallet = _wallet_option(ctx, {"keystore": keystore, "account": account, "key_env": key_env})
    ctx.obj = State(rpc, deployment, wallet, json_mode, timeout)


def main() -> None:
    """The console script's entry point."""
    cli(prog_name="jeton")


from . import basic, gov, tasks  # noqa: E402  (the commands register themselves on `cli`)

for _command in (*basic.COMMANDS, tasks.tasks, gov.gov):
    cli.add_command(_command)
