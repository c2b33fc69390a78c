"""The global options, declared once on the root command and accepted anywhere on the line.

`jeton tasks list --json` means `jeton --json tasks list`, as `gh` reads its flags: before
click parses a command line, `arrange` moves every global option (with its value) that follows
the subcommand to the front, unless the command has an option of that name itself (`jeton demo
--rpc` keeps its own). It walks the line with each command's own options, so the value of an
option (`--description --json`) is never taken for a flag, and stops at `--`.

It also lets a negative number stand as an argument (`jeton tasks post -5 ...`), so that the
command refuses the amount by name instead of calling it an unknown option.
"""

import re

import click

from ..client import DEFAULT_TIMEOUT
from .common import DEFAULT_RPC

#: A negative number, which is never an option of ours.
_NEGATIVE = re.compile(r"-\d[\d_,.]*")


def global_options(command):
    """Decorate the root command with the global options (their values go to `State`)."""
    options = [
        click.option(
            "--rpc",
            envvar="JETON_RPC",
            default=DEFAULT_RPC,
            show_default=True,
            metavar="URL",
            help="The node's JSON-RPC URL (env JETON_RPC).",
        ),
        click.option(
            "--deployment",
            envvar="JETON_DEPLOYMENT",
            metavar="FILE",
            type=click.Path(dir_okay=False),
            help="Deployments file (env JETON_DEPLOYMENT) [default: deployments/<chain-id>.json"
            " here, else the one `jeton deploy` or `jeton node` wrote last].",
        ),
        click.option(
            "--keystore",
            envvar="JETON_KEYSTORE",
            metavar="NAME|FILE",
            help="A wallet made by `jeton wallet new NAME`, or a keystore file; password from "
            "JETON_PASSWORD or a prompt.",
        ),
        click.option(
            "--account",
            envvar="JETON_ACCOUNT",
            metavar="APE_ALIAS",
            help="An Ape account (`ape accounts import ALIAS`).",
        ),
        click.option(
            "--key-env", metavar="VAR", help="Environment variable holding a private key."
        ),
        click.option(
            "--json",
            "json_mode",
            is_flag=True,
            help="Machine-readable JSON on stdout (amounts in base units, as decimal strings).",
        ),
        click.option(
            "--timeout",
            envvar="JETON_TIMEOUT",
            type=click.FloatRange(min=1),
            default=DEFAULT_TIMEOUT,
            show_default=True,
            metavar="SECONDS",
            help="How long to wait for a transaction to be mined.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def arrange(root: click.Group, ctx: click.Context, args: list[str]) -> list[str]:
    """`args` with the global options that follow a subcommand moved to the front, and a
    leaf command's negative-number arguments placed after `--` (see the module docstring)."""
    global_opts = {name: param for param in root.params for name in param.opts}
    hoisted: list[str] = []
    head: list[str] = []  # the groups' part of the line, up to the leaf command
    leaf: list[tuple[bool, list[str]]] = []  # the leaf's (is an argument, tokens), in order
    tail: list[str] = []  # from a `--` on
    command: click.Command = root
    negative = False
    i = 0
    while i < len(args):
        token = args[i]
        in_leaf = not isinstance(command, click.Group)
        if token == "--":
            tail = args[i:]
            break
        if token.startswith("-") and len(token) > 1:
            name, eq, _ = token.partition("=")
            own = _option(command, ctx, name)
            if own is None and command is not root and name in global_opts:
                taken = 1 + _takes_value(global_opts[name], eq)
                hoisted += args[i : i + taken]
                i += taken
                continue
            if own is None and in_leaf and _NEGATIVE.fullmatch(token):
                negative = True
                leaf.append((True, [token]))
                i += 1
                continue
            taken = 1 + (_takes_value(own, eq) if own is not None else 0)
            if in_leaf:
                leaf.append((False, args[i : i + taken]))
            else:
                head += args[i : i + taken]
            i += taken
            continue
        if in_leaf:
            leaf.append((True, [token]))
        else:
            head.append(token)
            sub = command.get_command(ctx, token)  # type: ignore[attr-defined]
            if sub is not None:
                command = sub
        i += 1
    if not negative:
        return [*hoisted, *head, *(t for _, tokens in leaf for t in tokens), *tail]
    flags = [t for is_argument, tokens in leaf if not is_argument for t in tokens]
    arguments = [t for is_argument, tokens in leaf if is_argument for t in tokens]
    return [*hoisted, *head, *flags, "--", *arguments, *tail[1:]]


def _option(command: click.Command, ctx: click.Context, name: str) -> click.Option | None:
    """`command`'s own option called `name` (help included), if any."""
    for param in command.get_params(ctx):
        if isinstance(param, click.Option) and name in (*param.opts, *param.secondary_opts):
            return param
    return None


def _takes_value(param: click.Parameter, inline: str) -> int:
    """1 if the option reads the next argument as its value, else 0."""
    if inline or not isinstance(param, click.Option):
        return 0
    return 0 if param.is_flag or param.count or param.nargs == 0 else 1
