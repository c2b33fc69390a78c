"""`jeton web`'s server without a browser: the page's files and their security headers, and
the read-only JSON API, which must answer what the library and the command answer.
"""

from html.parser import HTMLParser

import pytest
import requests
from eth_abi import encode
from eth_utils import keccak
from helpers import run_json
from jeton import Jeton
from jeton.contracts import load_abi
from jeton.devchain import free_port
from jeton.errors import error_class
from jeton.governance import RULES
from jeton.governance.rules import rule_error
from jeton.web import Api, StaticFilesMissing, WebServer
from jeton.web.server import CONTENT_SECURITY_POLICY

WAD = 10**18
DAY = 86_400


def get(base, path, **params):
    return requests.get(f"{base}api/{path}", params=params, timeout=30)


def ok(base, path, **params):
    answer = get(base, path, **params)
    assert answer.status_code == 200, answer.text
    return answer.json()


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_the_page_is_served_with_a_strict_content_security_policy(web):
    page = requests.get(web, timeout=30)
    assert page.status_code == 200
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    policy = page.headers["Content-Security-Policy"]
    assert policy == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in policy and "default-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    parser = Tags()
    parser.feed(page.text)
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert scripts == [{"type": "module", "src": "app.js"}]  # no inline script
    assert not any(
        "style" in attrs or any(k.startswith("on") for k in attrs) for _, attrs in parser.tags
    )
    script = requests.get(f"{web}app.js", timeout=30)
    assert script.headers["Content-Type"].startswith("text/javascript")
    assert "Content-Security-Policy" in script.headers
    assert requests.get(f"{web}nothing-here", timeout=30).status_code == 404


def test_requests_for_another_host_are_refused(web):
    # A page elsewhere that rebinds its own name to 127.0.0.1 must not read the API.
    answer = requests.get(f"{web}api/config", headers={"Host": "attacker.example"}, timeout=30)
    assert answer.status_code == 421
    port = web.rstrip("/").rsplit(":", 1)[1]
    answer = requests.get(f"{web}api/status", headers={"Host": f"localhost:{port}"}, timeout=30)
    assert answer.status_code == 200


def test_the_server_needs_the_built_page(tmp_path, rpc_url, deployment_file):
    jeton = Jeton.connect(rpc_url, deployment=deployment_file)
    with pytest.raises(StaticFilesMissing, match="make web"):
        WebServer(Api(jeton, rpc_url), static_dir=tmp_path)


def test_config_names_the_chain_the_contracts_and_their_shipped_abis(web, system, rpc_url):
    config = ok(web, "config")
    assert config["chain_id"] == 31337 and config["chain_name"] == "Jeton local chain"
    assert config["rpc_url"] == rpc_url
    assert config["contracts"]["TaskEscrow"] == system.escrow.address
    assert config["abis"]["TaskEscrow"] == load_abi("TaskEscrow")
    assert config["work_token"] == {
        "address": system.token.address,
        "symbol": "JTN",
        "decimals": 18,
    }
    assert [(t["name"], t["points"]) for t in config["tiers"]] == [
        ("newcomer", 0),
        ("skilled", 100),
        ("expert", 1000),
        ("master", 10000),
    ]


def test_tasks_page_by_page_with_what_an_account_may_claim(web, jc, jw, accounts):
    deadline = jc.block_timestamp() + 5 * DAY
    plain = jc.tasks.post(10 * WAD, deadline=deadline, spec="plain", bond_bps=0)
    skilled = jc.tasks.post(
        20 * WAD, deadline=deadline, spec="skilled", min_reputation=100, bond_bps=0
    )
    taken = jc.tasks.post(30 * WAD, deadline=deadline, spec="taken", bond_bps=0)
    jw.tasks.claim(taken.id)

    first = ok(web, "tasks", limit=2, status="", **{"for": accounts[5].address})
    assert first["total"] == 3 and [t["id"] for t in first["tasks"]] == [taken.id, skilled.id]
    assert first["next_before"] == skilled.id
    claimed, needs_points = first["tasks"]
    assert "claimable" not in claimed  # only open tasks are judged
    assert needs_points["claimable"] is False
    assert needs_points["refusal"]["name"] == "ReputationTooLow"
    assert needs_points["amount"] == str(20 * WAD) and needs_points["amount_human"] == "20"
    assert needs_points["fee"] == str(WAD) and needs_points["worker_amount"] == str(19 * WAD)
    rest = ok(web, "tasks", limit=2, before=first["next_before"], **{"for": accounts[5].address})
    assert [t["id"] for t in rest["tasks"]] == [plain.id] and rest["tasks"][0]["claimable"]
    assert rest["next_before"] is None

    own = ok(web, "tasks", status="open", **{"for": jc.address})
    assert {t["refusal"]["name"] for t in own["tasks"]} == {"ClientCannotWork"}

    assert get(web, "tasks", limit=0).status_code == 400
    assert get(web, "tasks", status="lost").status_code == 400
    assert get(web, "tasks", **{"for": "0xnope"}).status_code == 400
    missing = get(web, "tasks/99")
    assert missing.status_code == 404 and "no task 99" in missing.json()["error"]["message"]
    assert get(web, "nothing").status_code == 404


def test_a_task_and_its_timeline_are_what_the_command_shows(web, jc, jw, run):
    task = jc.tasks.post(
        50 * WAD, deadline=jc.block_timestamp() + 5 * DAY, spec="Subtitles", bond_bps=0
    )
    jw.tasks.claim(task.id)
    jw.tasks.submit(task.id, "ipfs://subtitles.srt")
    jc.tasks.approve(task.id)

    answer = ok(web, f"tasks/{task.id}")
    command = run_json(run, "tasks", "show", task.id)
    assert answer["timeline"] == command["timeline"]
    for key in ("id", "status", "client", "worker", "amount", "fee_bps", "deadline_iso"):
        assert answer[key] == command[key]
    assert answer["status"] == "completed"


def test_a_revert_is_named_and_explained_as_the_python_client_does(web, jc, jw, system):
    task = jc.tasks.post(10 * WAD, deadline=jc.block_timestamp() + 5 * DAY, spec="x", bond_bps=0)
    jw.tasks.claim(task.id)
    # The revert data of claiming a taken task, as the node gives it to a wallet.
    call = {"to": system.escrow.address, "data": system.escrow.claim.encode_input(task.id).hex()}
    reply = jc.w3.provider.make_request("eth_call", [{**call, "from": jc.address}, "latest"])
    explained = ok(web, "explain", data=reply["error"]["data"], contract="TaskEscrow")
    expected = error_class("TaskNotOpen")({"taskId": task.id, "status": 2}, contract="TaskEscrow")
    assert explained["name"] == "TaskNotOpen" and explained["contract"] == "TaskEscrow"
    assert explained["explanation"] == expected.explanation
    assert explained["message"] == str(expected)
    assert explained["inputs"] == {"taskId": str(task.id), "status": "claimed"}

    # A rule's bounds in plain words, as the client's pre-flight check words them.
    spec = RULES["fee"]
    inputs = {"rule": spec.rule_id, "value": 2000, "min": 0, "max": 1000}
    selector = keccak(text=system.rules.RuleOutOfBounds.abi.selector)[:4]
    data = selector + encode(["bytes32", "uint256", "uint256", "uint256"], list(inputs.values()))
    explained = ok(web, "explain", data="0x" + data.hex(), contract="PlatformRules")
    assert explained["explanation"] == rule_error("RuleOutOfBounds", spec, inputs).explanation
    assert get(web, "explain", data="nope").status_code == 400


def test_a_draft_rule_change_is_the_call_or_the_error(web, system):
    draft = ok(web, "draft", rule="fee", value=400)
    assert draft["description"] == "set the platform fee from 5.00% to 4.00%"
    assert draft["target"] == system.rules.address
    assert draft["calldata"] == "0x" + bytes(system.rules.setFeeBps.encode_input(400)).hex()
    refused = ok(web, "draft", rule="fee", value=2000)["error"]
    assert (
        refused["name"] == "RuleOutOfBounds"
        and "hard bounds are 0.00% to 10.00%" in refused["explanation"]
    )
    step = ok(web, "draft", rule="fee", value=800)["error"]
    assert step["name"] == "RuleStepTooLarge"
    assert get(web, "draft", rule="colour", value=1).status_code == 400
    assert get(web, "draft", rule="fee", value=-1).status_code == 400


def test_an_account_and_its_history(web, jc, jw, system):
    task = jc.tasks.post(100 * WAD, deadline=jc.block_timestamp() + 5 * DAY, spec="x", bond_bps=0)
    jw.tasks.claim(task.id)
    jw.tasks.submit(task.id, "ipfs://y")
    approved = jc.tasks.approve(task.id)

    account = ok(web, f"accounts/{jw.address}")
    summary = jw.me.summary()
    assert account["balance"] == str(summary.balance) == str(95 * WAD)
    assert account["reputation"] == summary.reputation > 0
    assert account["rewards_owed"] == str(summary.rewards_owed) == str(5 * WAD // 2)
    assert account["tier_name"] == summary.tier_name
    history = ok(web, f"accounts/{jw.address}/history")
    assert history["tasks_done"] == 1
    (payout,) = history["payouts"]
    assert (payout["task_id"], payout["kind"], payout["worker_amount"]) == (
        task.id,
        "approved",
        str(95 * WAD),
    )
    assert payout["tx_hash"] == approved.tx_hash and payout["token_symbol"] == "JTN"
    assert [t["id"] for t in history["worked"]] == [task.id] and history["posted"] == []
    assert [t["id"] for t in ok(web, f"accounts/{jc.address}/history")["posted"]] == [task.id]
    wrong = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6a65"  # one letter's case changed
    assert get(web, f"accounts/{wrong}").status_code == 400
    assert ok(web, f"accounts/{wrong.lower()}")["address"] == wrong[:-4] + "6A65"

    described = ok(web, f"tx/{approved.tx_hash}")
    names = [e["name"] for e in described["events"]]
    assert "TaskCompleted" in names and described["status"] == 1
    completed = next(e for e in described["events"] if e["name"] == "TaskCompleted")
    assert completed["summary"].startswith("approved by the client: worker paid 95.00 JTN")
    assert get(web, "tx/0x" + "00" * 32).status_code == 404


def test_status_tells_a_node_that_does_not_answer(rpc_url, deployment_file):
    jeton = Jeton.connect(rpc_url, deployment=deployment_file)
    with WebServer(Api(jeton, rpc_url)) as server:
        server.start()
        assert ok(server.url, "status")["node"] == "up"
        jeton.w3.provider.endpoint_uri = f"http://127.0.0.1:{free_port()}"  # the node is gone
        status = ok(server.url, "status")
        assert status["node"] == "down" and status["detail"]
        gone = get(server.url, "tasks")
        assert gone.status_code == 502 and gone.json()["error"]["name"] == "NodeUnreachable"
