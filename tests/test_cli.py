"""The `jeton` command, through click's CliRunner against the session's anvil node and system.

Every command runs as a user would type it (`--rpc URL --deployment FILE --key-env VAR`), and
its `--json` output is parsed back and checked against the chain. Exit codes: 0 ok, 1 refused,
2 usage, 3 no node/deployment/wallet, 4 transaction timeout.
"""

import threading
import time
from datetime import UTC, datetime
from decimal import Decimal

import jeton
import requests
from eth_utils import keccak
from helpers import KEY_VAR, make_task, post_task, run_json
from jeton.errors import TransactionTimeout
from jeton.wallet import Wallet

WAD = 10**18
DAY = 86_400


def event_names(payload):
    return [e["name"] for e in payload["events"]]


def advance(chain, seconds):
    chain.pending_timestamp += seconds
    chain.mine()


# ------------------------------------------------------------------ no node needed


def test_version_needs_no_node(run):
    result = run("--rpc", "http://127.0.0.1:9", "version", node=False)
    assert result.stdout.strip() == f"jeton {jeton.__version__}"
    payload = run_json(run, "--rpc", "http://127.0.0.1:9", "version", node=False)
    assert payload == {"version": jeton.__version__}


def test_deploy_and_demo_are_wired(run):
    deploy = run("deploy", "--help", node=False)
    assert "--config" in deploy.stdout
    demo = run("demo", "--help", node=False)
    for option in ("--workers", "--tasks", "--seed", "--rpc", "--out"):
        assert option in demo.stdout


# ------------------------------------------------------------------ exit codes


def test_missing_deployment_file_exits_3(run, rpc_url, tmp_path):
    missing = tmp_path / "nowhere.json"
    result = run("--rpc", rpc_url, "--deployment", missing, "tasks", "list", node=False, code=3)
    assert result.stderr.startswith("Error: no deployments file at")
    assert str(missing) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_dead_rpc_exits_3(run, deployment_file):
    dead = ["--rpc", "http://127.0.0.1:9", "--deployment", deployment_file]
    result = run(*dead, "tasks", "list", node=False, code=3)
    assert "no Ethereum node answers at http://127.0.0.1:9" in result.stderr
    assert "Traceback" not in result.stderr


def test_wallet_problems_exit_3(run, client):
    result = run("tasks", "claim", 1, code=3)
    assert "needs your account" in result.stderr
    result = run("--key-env", "JETON_NO_SUCH_VAR", "me", code=3)
    assert "JETON_NO_SUCH_VAR holds no private key" in result.stderr
    result = run("--key-env", KEY_VAR, "me", env={KEY_VAR: "0x1234"}, code=3)
    assert "does not hold a valid private key" in result.stderr
    assert "0x1234" not in result.stderr  # never echo what may be a key


def test_usage_errors_exit_2(run, client):
    assert (
        "not an amount"
        in run("tasks", "post", "abc", "--deadline", "3d", "--spec", "x", as_=client, code=2).stderr
    )
    assert (
        "give a duration (90m, 12h, 3d, 2w) or an ISO date"
        in run("tasks", "post", "1", "--deadline", "soon", "--spec", "x", as_=client, code=2).stderr
    )
    run("tasks", "resolve", 1, 20_000, code=2)
    run("tasks", "list", "--mine", "--open-for-me", as_=client, code=2)
    run("gov", "vote", 1, "maybe", code=2)
    run("no-such-command", code=2)
    result = run("--keystore", "k.json", "--key-env", KEY_VAR, "me", code=2)
    assert "give one wallet" in result.stderr
    # Too many decimals for an 18-decimal token is a usage error too, found before sending.
    run(
        "tasks",
        "post",
        "0.0000000000000000001",
        "--deadline",
        "3d",
        "--spec",
        "x",
        as_=client,
        code=2,
    )


def test_timeout_exits_4(run, client, monkeypatch):
    def never_mined(self, fn, contract_name=None):
        raise TransactionTimeout("transaction 0xabc was not mined within 1s")

    monkeypatch.setattr(jeton.Jeton, "transact", never_mined)
    result = run("gov", "delegate", as_=client, code=4)
    assert result.stderr.strip() == "Error: transaction 0xabc was not mined within 1s"


# ------------------------------------------------------------------ reading


def test_addresses(run, system):
    payload = run_json(run, "addresses")
    assert payload["chain_id"] == 31337
    assert payload["contracts"]["TaskEscrow"] == system.escrow.address
    assert payload["contracts"]["WorkGovernor"] == system.governor.address
    assert system.token.address in run("addresses").stdout


def test_me_with_a_keystore(run, worker, jtn, tmp_path):
    path = Wallet.from_key(worker.private_key).save_keystore(tmp_path / "worker.json", "s3cret")
    payload = run_json(run, "--keystore", path, "me", env={"JETON_PASSWORD": "s3cret"})
    assert payload["address"] == worker.address
    assert payload["balance"] == str(jtn.balanceOf(worker))
    assert int(payload["eth_balance"]) == worker.balance
    wrong = run("--keystore", path, "me", env={"JETON_PASSWORD": "nope"}, code=3)
    assert "wrong password" in wrong.stderr


def test_me_of_another_address_needs_no_wallet(run, client, jtn):
    payload = run_json(run, "me", client.address)
    assert payload["address"] == client.address
    assert payload["balance"] == str(jtn.balanceOf(client))
    assert Decimal(payload["balance_human"]) * WAD == jtn.balanceOf(client)
    assert "Balance" in run("me", client.address).stdout


# ------------------------------------------------------------------ a task, start to finish


def test_task_lifecycle(run, client, worker, worker2, jtn, escrow, tmp_path):
    before = jtn.balanceOf(client)
    posted = run_json(
        run,
        "tasks",
        "post",
        "12.5",
        "--deadline",
        "3d",
        "--spec",
        "Translate the README",
        "--bond-bps",
        "0",  # the worker holds no JTN yet (bonds: test_bonds_disputes_and_pull_payments)
        as_=client,
    )
    task_id = posted["task_id"]
    assert task_id == escrow.taskCount()
    assert posted["task"]["amount"] == str(125 * WAD // 10)
    assert posted["task"]["amount_human"] == "12.5"
    assert posted["task"]["status"] == "open"
    assert posted["task"]["client"] == client.address
    assert "TaskPosted" in event_names(posted)
    assert posted["tx_hash"].startswith("0x") and posted["gas_used"] > 21_000
    assert jtn.balanceOf(client) == before - 125 * WAD // 10
    spec_hash = next(e for e in posted["events"] if e["name"] == "TaskPosted")["args"]["specHash"]
    assert spec_hash == "0x" + keccak(text="Translate the README").hex()

    listed = run_json(run, "tasks", "list", "--status", "open")
    assert task_id in [t["id"] for t in listed]
    open_for_worker = run_json(run, "tasks", "list", "--open-for-me", as_=worker)
    assert task_id in [t["id"] for t in open_for_worker]
    assert "12.50 JTN" in run("tasks", "list", "--status", "open").stdout

    claimed = run_json(run, "tasks", "claim", task_id, as_=worker)
    assert event_names(claimed) == ["TaskClaimed"]
    assert claimed["events"][0]["args"]["worker"] == worker.address
    refused = run("tasks", "claim", task_id, as_=worker2, code=1)
    assert "TaskNotOpen" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1

    deliverable = tmp_path / "translation.txt"
    deliverable.write_text("Lisez-moi")
    submitted = run_json(run, "tasks", "submit", task_id, deliverable, as_=worker)
    delivered = submitted["events"][0]["args"]["deliverableHash"]
    assert delivered == "0x" + keccak(text="Lisez-moi").hex()

    shown = run_json(run, "tasks", "show", task_id)
    assert shown["status"] == "submitted"
    assert [e["name"] for e in shown["timeline"]] == ["TaskPosted", "TaskClaimed", "TaskSubmitted"]
    assert shown["window_ends"] > shown["timeline"][0]["timestamp"]
    assert shown["worker"] == worker.address

    worker_before = jtn.balanceOf(worker)
    approved = run_json(run, "tasks", "approve", task_id, as_=client)
    completed = next(e for e in approved["events"] if e["name"] == "TaskCompleted")
    paid = int(completed["args"]["workerAmount"])
    assert paid == 125 * WAD // 10 * 95 // 100  # the 5% fee of the local profile
    assert jtn.balanceOf(worker) == worker_before + paid

    human = run("tasks", "show", task_id).stdout
    assert "approved by the client" in human and "completed" in human
    mine = run_json(run, "tasks", "list", "--mine", as_=worker)
    assert [t["status"] for t in mine if t["id"] == task_id] == ["completed"]

    me = run_json(run, "me", as_=worker)
    assert me["reputation"] > 0
    owed = int(me["rewards_owed"])
    assert owed == escrow.rewardsOwed(worker) > 0
    collected = run_json(run, "tasks", "collect", as_=worker)
    rewards = next(e for e in collected["events"] if e["name"] == "RewardsCollected")
    assert int(rewards["args"]["amount"]) == owed
    assert jtn.balanceOf(worker) == worker_before + paid + owed
    assert run_json(run, "me", as_=worker)["rewards_owed"] == "0"


def test_cancel_release_reclaim(run, chain, client, worker, jtn):
    def post(deadline="3d"):
        args = ("tasks", "post", 2, "--deadline", deadline, "--spec", "s", "--bond-bps", 0)
        return run_json(run, *args, as_=client)["task_id"]

    before = jtn.balanceOf(client)
    cancelled = post()
    run("tasks", "cancel", cancelled, as_=client)
    assert run_json(run, "tasks", "show", cancelled)["status"] == "cancelled"
    assert jtn.balanceOf(client) == before

    released = post()
    run("tasks", "claim", released, as_=worker)
    run("tasks", "submit", released, "ipfs://result", as_=worker)
    early = run("tasks", "release", released, as_=worker, code=1)
    assert "ReviewPeriodActive" in early.stderr
    advance(chain, 3 * DAY + 1)
    out = run_json(run, "tasks", "release", released, as_=worker)
    completed = next(e for e in out["events"] if e["name"] == "TaskCompleted")
    assert completed["args"]["released"] is True

    reclaimed = post("1h")
    run("tasks", "claim", reclaimed, as_=worker)
    advance(chain, 2 * 3600)
    out = run_json(run, "tasks", "reclaim", reclaimed, as_=client)
    assert "TaskReclaimed" in event_names(out)
    assert run_json(run, "tasks", "show", reclaimed)["status"] == "expired"


def test_dispute_and_resolve(run, chain, client, worker, arbiter, jtn):
    day = datetime.fromtimestamp(chain.pending_timestamp + 10 * DAY, UTC).date()
    posted = run_json(
        run,
        *("tasks", "post", 10, "--deadline", day.isoformat(), "--spec", "s", "--bond-bps", 0),
        as_=client,
    )
    task_id = posted["task_id"]
    assert posted["task"]["deadline_iso"] == f"{day.isoformat()}T00:00:00Z"
    run("tasks", "claim", task_id, as_=worker)
    run("tasks", "submit", task_id, "ipfs://x", as_=worker)
    disputed = run_json(run, "tasks", "dispute", task_id, as_=client)
    assert disputed["events"][0]["args"]["by"] == client.address
    summary = run_json(run, "tasks", "show", task_id)["timeline"][-1]["summary"]
    assert summary.startswith(f"disputed by {client.address}; an arbiter may resolve it until ")
    assert summary.endswith("then either party may settle it")
    assert "NotArbiter" in run("tasks", "resolve", task_id, 6000, as_=worker, code=1).stderr
    client_before = jtn.balanceOf(client)
    out = run_json(run, "tasks", "resolve", task_id, 6000, as_=arbiter)
    resolved = next(e for e in out["events"] if e["name"] == "TaskResolved")
    assert resolved["args"]["workerShareBps"] == "6000"
    assert resolved["args"]["clientAmount"] == str(4 * WAD)
    assert jtn.balanceOf(client) == client_before + 4 * WAD
    assert run_json(run, "tasks", "show", task_id)["status"] == "resolved"


def test_bonds_disputes_and_pull_payments(
    run, chain, client, worker, jtn, escrow, deployer, timelock
):
    jtn.transfer(worker, 100 * WAD, sender=deployer)  # for the claim bond
    posted = run_json(
        run,
        *("tasks", "post", 10, "--deadline", "3d", "--spec", "s"),
        "--bond-bps",
        2000,
        as_=client,
    )
    task_id = posted["task_id"]
    assert (posted["task"]["bond_bps"], posted["task"]["bond_human"]) == (2000, "2")
    assert "20%" in run("tasks", "list", "--status", "open").stdout
    claimed = run_json(run, "tasks", "claim", task_id, as_=worker)
    assert next(e for e in claimed["events"] if e["name"] == "TaskClaimed")["args"]["bond"] == str(
        2 * WAD
    )
    run("tasks", "submit", task_id, "ipfs://x", as_=worker)
    disputed = run("tasks", "dispute", task_id, as_=client).stdout
    assert "staking 2.00 JTN" in disputed
    early = run("tasks", "settle", task_id, as_=worker, code=1)
    assert "ArbitrationWindowActive" in early.stderr
    advance(chain, 7 * DAY + 1)
    client_before = jtn.balanceOf(client)
    settled = run("tasks", "settle", task_id, as_=client).stdout
    assert "back to the client; no fee, reward or reputation" in settled
    assert jtn.balanceOf(client) == client_before + 10 * WAD + 4 * WAD  # deposit, both bonds
    assert jtn.balanceOf(worker) == 98 * WAD
    # Pull payments: nothing kept for the worker; the fees of a paid task are swept.
    escrow.approve(make_task(escrow, jtn, client, worker, 100 * WAD), sender=client)
    nothing = run("tasks", "withdraw", as_=worker, code=1)
    assert "NothingToWithdraw" in nothing.stderr
    treasury = jtn.balanceOf(timelock)
    swept = run_json(run, "tasks", "sweep-fees", as_=worker)
    amount = int(next(e for e in swept["events"] if e["name"] == "FeesSwept")["args"]["amount"])
    assert jtn.balanceOf(timelock) == treasury + amount == treasury + 5 * WAD - 1
    assert "NothingToSweep" in run("tasks", "sweep-fees", as_=worker, code=1).stderr


def test_show_says_which_tasks_earn_a_work_reward(run, escrow, jtn, usd, client):
    """Only a task paid in JTN earns a work reward: the view says so for the others."""
    in_usd = post_task(escrow, usd, client, 10 * 10**6)
    in_jtn = post_task(escrow, jtn, client, 10 * WAD)
    shown = run_json(run, "tasks", "show", in_usd)
    assert (shown["token_symbol"], shown["reward_bps"], shown["earns_reward"]) == (
        "USD",
        5000,
        False,
    )
    human = run("tasks", "show", in_usd).stdout
    assert "no work reward: paid in USD, not JTN" in " ".join(human.split())
    assert "reward 50%" not in human
    shown = run_json(run, "tasks", "show", in_jtn)
    assert (shown["token_symbol"], shown["reward_bps"], shown["earns_reward"]) == (
        "JTN",
        5000,
        True,
    )
    assert "reward 50% of the fee" in " ".join(run("tasks", "show", in_jtn).stdout.split())


# ------------------------------------------------------------------ the DAO


def _advance_later(rpc_url, seconds, delay=1.5):
    """Move anvil's clock from another thread while a command waits (`--wait`)."""

    def move():
        time.sleep(delay)
        for method, params in (("evm_increaseTime", [seconds]), ("evm_mine", [])):
            requests.post(
                rpc_url,
                json={"jsonrpc": "2.0", "id": 1, "method": method, "params": params},
                timeout=10,
            )

    thread = threading.Thread(target=move)
    thread.start()
    return thread


def test_fee_vote_from_proposal_to_execution(run, chain, client, rules, votes, rpc_url):
    delegated = run_json(run, "gov", "delegate", as_=client)
    assert "DelegateChanged" in event_names(delegated)
    assert delegated["delegate"] == client.address

    too_far = run("gov", "propose-fee", 200, "--description", "Halve", as_=client, code=1)
    assert "RuleStepTooLarge" in too_far.stderr

    proposed = run_json(
        run, "gov", "propose-fee", "4%", "--description", "Cheaper tasks", as_=client
    )
    pid, number = proposed["proposal_id"], proposed["number"]
    assert "ProposalCreated" in event_names(proposed)
    assert proposed["proposal"]["state"] == "pending"
    assert proposed["proposal"]["text"] == "Cheaper tasks"  # without the #proposer= suffix
    assert proposed["proposal"]["description"] == f"Cheaper tasks\n\n#proposer={client.address}"
    assert proposed["proposal"]["changes"][0]["function"] == "setFeeBps"
    assert "to 4.00%" in proposed["proposal"]["changes"][0]["description"]

    chain.mine(2)
    voted = run_json(run, "gov", "vote", pid, "for", "--reason", "fair", as_=client)
    cast = next(e for e in voted["events"] if e["name"] == "VoteCast")
    assert cast["args"]["reason"] == "fair" and cast["args"]["support"] == "1"
    weight = votes.getVotes(client)
    assert int(cast["args"]["weight"]) == weight > 0
    assert (
        "GovernorAlreadyCastVote" in run("gov", "vote", pid, "against", as_=client, code=1).stderr
    )

    shown = run_json(run, "gov", "show", f"#{number}")
    assert shown["id"] == pid and shown["state"] == "active"
    assert shown["for_votes"] == str(weight) and shown["against_votes"] == "0"
    assert shown["quorum_reached"] is True and int(shown["quorum"]) > 0
    assert shown["blocks_left"] > 0
    human = run("gov", "show", pid).stdout
    assert "blocks left" in human and "Cheaper tasks" in human

    chain.mine(shown["blocks_left"] + 1)
    queued = run_json(run, "gov", "queue", pid, as_=client)
    assert "ProposalQueued" in event_names(queued)
    assert queued["eta"] == chain.blocks.head.timestamp + 2 * DAY
    early = run("gov", "execute", pid, as_=client, code=1)
    assert early.stderr.startswith("Error: ")

    listed = run_json(run, "gov", "list")
    assert [p["state"] for p in listed if p["id"] == pid] == ["queued"]

    mover = _advance_later(rpc_url, 2 * DAY + 1)
    executed = run_json(run, "gov", "execute", pid, "--wait", as_=client)
    mover.join()
    assert "ProposalExecuted" in event_names(executed)
    assert rules.feeBps() == 400
    assert run_json(run, "gov", "show", pid)["state"] == "executed"
