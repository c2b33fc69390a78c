"""The `jeton` command line as people type it: global options after the subcommand (as `gh`
reads them), `--version`, and a negative amount refused by name instead of taken for an
option. How a line is rearranged is checked on its own (`arrange`), then end to end.
"""

import json

import click
import jeton
import pytest
from click.testing import CliRunner
from jeton.cli import cli
from jeton.cli.options import arrange

KEY_VAR = "JETON_TEST_KEY"


def arranged(*args):
    with click.Context(cli) as ctx:
        return arrange(cli, ctx, list(args))


def invoke(*args, env=None):
    return CliRunner(mix_stderr=False).invoke(cli, list(map(str, args)), env=env or {})


def nonce(chain, address):
    return chain.provider.web3.eth.get_transaction_count(address)


# ------------------------------------------------------------------ the line, rearranged


def test_global_options_after_the_command_move_to_the_front():
    assert arranged("tasks", "list", "--json") == ["--json", "tasks", "list"]
    assert arranged("tasks", "list", "--rpc", "http://x:1", "--status", "open") == [
        "--rpc",
        "http://x:1",
        "tasks",
        "list",
        "--status",
        "open",
    ]
    assert arranged("tasks", "claim", "3", "--keystore=ada", "--timeout", "9") == [
        "--keystore=ada",
        "--timeout",
        "9",
        "tasks",
        "claim",
        "3",
    ]
    # Between a group and its command too, and already in front: left as they are.
    assert arranged("gov", "--json", "list") == ["--json", "gov", "list"]
    assert arranged("--json", "tasks", "list") == ["--json", "tasks", "list"]


def test_option_values_are_never_taken_for_global_options():
    line = ["gov", "propose-fee", "4%", "--description", "--json", "--json"]
    assert arranged(*line) == ["--json", "gov", "propose-fee", "4%", "--description", "--json"]
    # After `--` everything is an argument.
    assert arranged("tasks", "submit", "3", "--", "--json") == [
        "tasks",
        "submit",
        "3",
        "--",
        "--json",
    ]


def test_a_command_keeps_its_own_option_of_a_global_name():
    # `jeton demo --rpc URL` plays on that node: the demo's own option, not the global one.
    assert arranged("demo", "--rpc", "http://x:1", "--json") == [
        "--json",
        "demo",
        "--rpc",
        "http://x:1",
    ]


def test_negative_numbers_are_arguments():
    line = ["tasks", "post", "-5", "--deadline", "3d", "--spec", "x"]
    assert arranged(*line) == ["tasks", "post", "--deadline", "3d", "--spec", "x", "--", "-5"]
    assert arranged("tasks", "resolve", "3", "-1.5") == ["tasks", "resolve", "--", "3", "-1.5"]
    assert arranged("tasks", "list", "--json") == ["--json", "tasks", "list"]  # untouched


def test_version_flag_and_command():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"jeton {jeton.__version__}"
    assert invoke("version", "--json").stdout.strip().startswith("{")


def test_help_says_global_options_go_anywhere():
    assert "before or after the command" in invoke("--help").stdout


# ------------------------------------------------------------------ end to end


@pytest.fixture
def where(rpc_url, deployment_file):
    return ["--rpc", rpc_url, "--deployment", str(deployment_file)]


def test_every_global_option_works_after_the_command(where, client, jc):
    env = {KEY_VAR: client.private_key}
    task = jc.tasks.post(10**18, deadline=jc.block_timestamp() + 86_400, spec="s")
    listed = invoke("tasks", "list", "--json", *where)
    assert listed.exit_code == 0, listed.stderr
    assert task.id in [t["id"] for t in json.loads(listed.stdout)]
    mine = invoke("tasks", "list", "--mine", *where, "--key-env", KEY_VAR, "--json", env=env)
    assert mine.exit_code == 0, mine.stderr
    assert [t["client"] for t in json.loads(mine.stdout)] == [client.address] * len(
        json.loads(mine.stdout)
    )
    me = invoke("me", "--timeout", "30", "--key-env", KEY_VAR, *where, "--json", env=env)
    assert json.loads(me.stdout)["address"] == client.address
    # Without --json after the command, the same command prints for people.
    assert "Balance" in invoke("me", client.address, *where).stdout


def test_a_negative_amount_is_refused_by_name_and_nothing_is_sent(chain, where, client):
    env = {KEY_VAR: client.private_key}
    before = nonce(chain, client.address)
    for amount in ("-5", "-0.5", "-1,000"):
        line = ["tasks", "post", amount, "--deadline", "3d", "--spec", "x", "--key-env", KEY_VAR]
        result = invoke(*line, *where, env=env)
        assert result.exit_code == 2, (amount, result.stdout)
        assert f"'{amount}': an amount must be above zero" in result.stderr
        assert "No such option" not in result.stderr
    assert nonce(chain, client.address) == before
