"""The `jeton` command: tasks, your account, wallets, the DAO and a local chain, from a terminal
or a script.

Tables for people, `--json` for scripts. Global options (--json, --rpc, --deployment, the
wallet options, --timeout) go before or after the command: `jeton tasks list --json`. Exit
codes: 0 done; 1 refused (a contract error or a check the client makes before sending, named
and explained on stderr); 2 usage; 3 no node, no deployment or no usable wallet; 4 a
transaction was sent but not mined in time.
"""

import os

import click
import requests
from web3.exceptions import ProviderConnectionError

from .. import __version__
from ..devchain import DeploymentExists
from ..errors import (
    ContractError,
    DeploymentError,
    DevChainError,
    JetonError,
    NodeUnreachable,
    NotDevelopmentChain,
    TransactionTimeout,
    WalletError,
)
from .common import EXIT_REFUSED, EXIT_SETUP, EXIT_TIMEOUT, State
from .options import arrange, global_options

_SETUP_ERRORS = (
    DeploymentError,
    WalletError,
    NodeUnreachable,
    DevChainError,
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    ProviderConnectionError,
)
#: Refusals among the setup errors' subclasses.
_REFUSALS = (NotDevelopmentChain, DeploymentExists)


def exit_code(exc: BaseException) -> int:
    """The exit code of a failure (see the module's docstring)."""
    if isinstance(exc, TransactionTimeout):
        return EXIT_TIMEOUT
    if isinstance(exc, _SETUP_ERRORS) and not isinstance(exc, _REFUSALS):
        return EXIT_SETUP
    return EXIT_REFUSED


class JetonGroup(click.Group):
    """The root group: global options anywhere on the line (see `options.arrange`), and every
    failure turned into one line on stderr and its exit code."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, arrange(self, ctx, args))

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            if os.environ.get("JETON_DEBUG"):
                raise
            text = exc.plain() if isinstance(exc, ContractError) else str(exc)
            message = " ".join(text.split()) or type(exc).__name__
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
@global_options
@click.version_option(__version__, "--version", prog_name="jeton", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx, rpc, deployment, keystore, account, key_env, json_mode, timeout):
    """Jeton: earn work tokens for tasks and vote on the platform's rules.

    Global options go before or after the command (jeton tasks list --json).
    Exit codes: 0 ok, 1 refused (contract error or pre-flight check), 2 usage,
    3 node/deployment/wallet problem, 4 transaction not mined in time.
    """
    wallet = _wallet_option(ctx, {"keystore": keystore, "account": account, "key_env": key_env})
    ctx.obj = State(rpc, deployment, wallet, json_mode, timeout)


def main() -> None:
    """The console script's entry point."""
    cli(prog_name="jeton")


from . import ballots, basic, chain, gov, me, rules, services, tasks, wallet, web  # noqa: E402

for _command in (
    *basic.COMMANDS,
    me.me,
    tasks.tasks,
    gov.gov,
    wallet.wallet,
    *chain.COMMANDS,
    web.web,
    services.services,
):
    cli.add_command(_command)
for _command in (ballots.relay, rules.rules, services.propose_service_price):
    gov.gov.add_command(_command)
