"""A worker's side of the command: `jeton me history` (each payout and the totals), a wallet
without ETH told how much it needs and how to get it, amounts in tokens in what people read
(base units only in --json), and dates in one format with how far they are.
"""

import json
import re

import pytest
from click.testing import CliRunner
from jeton.cli import cli

WAD = 10**18
DAY = 86_400
KEY_VAR = "JETON_TEST_KEY"
POOR_KEY = "0x" + "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
POOR = "0xb4Ab7b1D6E4bB5D8f1ec6b4e3a6d8a2eA33b1C6b"


@pytest.fixture
def run(rpc_url, deployment_file):
    def _run(*args, key=None, code=0):
        env = {KEY_VAR: key} if key else {}
        where = ["--rpc", rpc_url, "--deployment", str(deployment_file)]
        wallet = ["--key-env", KEY_VAR] if key else []
        result = CliRunner(mix_stderr=False).invoke(
            cli, [*map(str, args), *where, *wallet], env=env
        )
        assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
        return result

    return _run


def post(run, amount, client):
    """`jeton tasks post AMOUNT` by `client`, for 3 days, no claim bond: its JSON output."""
    line = ["tasks", "post", amount, "--deadline", "3d", "--spec", "x", "--bond-bps", "0", "--json"]
    return json.loads(run(*line, key=client.private_key).stdout)


def words(text):
    return " ".join(text.replace("│", " ").split())


def test_me_history_lists_each_payout_and_the_totals(run, jc, jw, worker, usd):
    assert "No payouts yet." in run("me", "history", worker.address).stdout
    now = jc.block_timestamp()
    tasks = [
        jc.tasks.post(20 * WAD, deadline=now + 3 * DAY, spec="a", bond_bps=0),
        jc.tasks.post(10 * 10**6, deadline=now + 3 * DAY, spec="b", token=usd.address, bond_bps=0),
    ]
    for task in tasks:
        jw.tasks.claim(task.id)
        jw.tasks.submit(task.id, "ipfs://done")
        jc.tasks.approve(task.id)
    payload = json.loads(run("me", "history", "--json", key=worker.private_key).stdout)
    assert payload["address"] == worker.address
    rows = [
        (p["task_id"], p["kind"], p["worker_amount"], p["token_symbol"]) for p in payload["payouts"]
    ]
    assert rows == [
        (tasks[0].id, "approved", str(19 * WAD), "JTN"),
        (tasks[1].id, "approved", str(95 * 10**5), "USD"),
    ]
    assert payload["payouts"][1]["worker_amount_human"] == "9.5"
    assert payload["payouts"][0]["time"].endswith("Z")
    assert payload["totals"]["tasks"] == 2 and payload["totals"]["points"] == 15
    assert payload["totals"]["earned"] == {
        jc.contracts.token.address: str(19 * WAD),
        usd.address: str(95 * 10**5),
    }
    human = words(run("me", "history", worker.address).stdout)
    assert "19.00 JTN 1.00 JTN 0.50 JTN +10" in human
    assert "9.50 USD 0.50 USD 0.00 JTN +5" in human
    assert "ago)" in human or "(now)" in human  # the payout's date, relative to the chain's now
    assert "2 paid tasks: 19.00 JTN and 9.50 USD earned, 0.50 JTN of work rewards, +15" in human


def test_a_worker_without_eth_is_told_how_much_and_how_to_get_it(run, jc, chain):
    task = jc.tasks.post(5 * WAD, deadline=jc.block_timestamp() + DAY, spec="s", bond_bps=0)
    summary = words(run("me", key=POOR_KEY).stdout)
    assert "0 ETH (no ETH for gas: see `jeton chain fund` on a local chain)" in summary
    refused = run("tasks", "claim", task.id, key=POOR_KEY, code=1)
    message = words(refused.stderr)
    assert "has 0 ETH and this transaction needs up to" in message and " ETH for gas (" in message
    assert "`jeton chain fund 0x" in message and " 1` gives it 1 ETH" in message
    assert "Web3RPCError" not in message and "Traceback" not in message
    assert jc.tasks.get(task.id).worker is None


def test_amounts_read_in_tokens_and_in_base_units_only_in_json(run, client, jc):
    refused = run(
        "tasks",
        "post",
        "20000000",
        "--deadline",
        "3d",
        "--spec",
        "x",
        key=client.private_key,
        code=1,
    )
    assert "holds 10,000,000 JTN and needs 20,000,000 JTN" in refused.stderr
    assert str(10_000_000 * WAD) not in refused.stderr
    posted = post(run, "12.5", client)
    assert (posted["task"]["amount"], posted["task"]["amount_human"]) == (
        str(125 * WAD // 10),
        "12.5",
    )
    human = words(run("tasks", "show", posted["task_id"]).stdout)
    assert "12.50 JTN" in human and str(125 * WAD // 10) not in human


def test_dates_are_iso_utc_with_how_far_they_are(run, jc, jw, client):
    posted = post(run, "2", client)
    task_id = posted["task_id"]
    assert posted["task"]["deadline_iso"].endswith("Z")
    shown = words(run("tasks", "show", task_id).stdout)
    assert f"Deadline {posted['task']['deadline_iso']} (in 3 days)" in shown
    listed = words(run("tasks", "list", "--status", "open").stdout)
    assert f"{posted['task']['deadline_iso']} (in 3 days)" in listed
    jw.tasks.claim(task_id)
    jw.tasks.submit(task_id, "ipfs://x")
    early = words(
        run("tasks", "release", task_id, key=jw.wallet.export_private_key(), code=1).stderr
    )
    assert "ReviewPeriodActive" in early and "Z (in 3 days)" in early
    assert re.search(
        r"TaskPosted .*Z \((now|\d+ \w+ ago)\)|Z \((now|\d+ \w+ ago)\) TaskPosted", shown
    )
