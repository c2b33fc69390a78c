"""A local chain from the command: `jeton node` (anvil, deployed, its URL, deployments file and
public test keys printed; stopped by SIGTERM or Ctrl-C), `jeton chain mine|advance|fund` on a
development chain and refused by name on any other, and `jeton deploy` (prints where it wrote,
never overwrites without --force). The per-user folder is a temporary one (XDG_CONFIG_HOME).
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from jeton import Jeton
from jeton.cli import cli
from jeton.devchain import (
    DeploymentExists,
    DevChain,
    LocalNode,
    NotDevelopmentChain,
    deploy,
    free_port,
    port_is_free,
)
from jeton.devchain import test_wallet as anvil_wallet

WAD = 10**18
JETON = shutil.which("jeton") or str(Path(sys.executable).parent / "jeton")


def run(*args, code=0, env=None):
    result = CliRunner(mix_stderr=False).invoke(cli, list(map(str, args)), env=env or {})
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    return result


# ------------------------------------------------------------------ jeton node


def start_node(tmp_path, *args):
    """`jeton node ARGS --json` as a process of its own; (process, its JSON announcement)."""
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    process = subprocess.Popen(
        [JETON, "node", "--port", str(free_port()), *args, "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    text = ""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        text += line
        if line.rstrip() == "}":
            return process, json.loads(text)
    process.kill()
    raise AssertionError(f"jeton node printed no JSON: {text}\n{process.stderr.read()}")


def stop(process, sig):
    process.send_signal(sig)
    _, err = process.communicate(timeout=30)
    return process.returncode, err


def test_node_deploys_prints_what_to_use_and_stops_on_sigterm(tmp_path, monkeypatch):
    process, info = start_node(tmp_path)
    try:
        url, deployment = info["url"], Path(info["deployment"])
        assert deployment == tmp_path / "config" / "jeton" / "deployments" / "31337.json"
        assert (info["chain_id"], info["test_keys_are_public"]) == (31337, True)
        accounts = info["accounts"]
        assert len(accounts) == 10
        for account in accounts:
            wallet = anvil_wallet(account["index"])
            assert account["address"] == wallet.address
            assert account["private_key"] == wallet.export_private_key()
        # 10,000 ETH each, less the deployment's gas for account 0 (the deployer).
        assert [int(a["eth"]) for a in accounts[1:]] == [10_000 * WAD] * 9
        assert 9_999 * WAD < int(accounts[0]["eth"]) < 10_000 * WAD
        assert [a["arbiter"] for a in accounts] == [False] * 9 + [True]
        assert int(accounts[1]["jtn"]) == 10_000_000 * WAD  # the local profile's genesis
        # From another folder, with no deployments/ of its own, the command finds the node's.
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        monkeypatch.chdir(elsewhere)
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
        listed = run("--rpc", url, "--json", "addresses")
        assert json.loads(listed.stdout)["file"] == str(deployment)
        assert Jeton.connect(url).deployment.path == deployment
    finally:
        code, err = stop(process, signal.SIGTERM)
    assert code == 0, err
    assert "Stopped the node." in err
    assert port_is_free(int(url.rsplit(":", 1)[1]))


def test_node_without_deploying_stops_on_ctrl_c(tmp_path):
    process, info = start_node(tmp_path, "--no-deploy", "--accounts", "2")
    assert info["deployment"] is None and len(info["accounts"]) == 2
    dev = DevChain.attach(info["url"])
    assert dev.is_development and dev.block_number() == 0
    code, err = stop(process, signal.SIGINT)
    assert code == 0 and "Stopped the node." in err
    with pytest.raises(Exception, match="no Ethereum node answers"):
        DevChain.attach(info["url"])


def test_node_refuses_a_taken_port(tmp_path):
    with LocalNode() as other:
        port = other.url.rsplit(":", 1)[1]
        result = run("node", "--port", port, code=3)
    assert f"port {port} is taken" in result.stderr


# ------------------------------------------------------------------ jeton chain


@pytest.fixture
def node():
    with LocalNode() as running:
        yield running


def test_chain_mine_advance_and_fund(node):
    rpc = ["--rpc", node.url]
    start = node.block_number()
    mined = json.loads(run(*rpc, "--json", "chain", "mine", 5).stdout)
    assert mined["block"] == start + 5 == node.block_number()
    before = node.timestamp()
    moved = json.loads(run("chain", "advance", "2d", *rpc, "--json").stdout)
    assert moved["timestamp"] >= before + 2 * 86_400
    assert moved["time"].endswith("Z")
    assert "Moved the clock 1 hour 30 minutes ahead" in run(*rpc, "chain", "advance", "90m").stdout
    fresh = "0x" + "ab" * 20
    funded = json.loads(run(*rpc, "--json", "chain", "fund", fresh, "1.5").stdout)
    assert funded["balance"] == str(15 * WAD // 10) == str(node.balance(fresh))
    again = run(*rpc, "chain", "fund", fresh, "1").stdout
    assert "it holds 2.5 ETH" in again  # fund adds
    assert run(*rpc, "chain", "fund", fresh, "0", code=2).stderr.count("above zero") == 1
    assert "give a duration" in run(*rpc, "chain", "advance", "soon", code=2).stderr


def test_chain_commands_need_a_node(tmp_path):
    result = run("--rpc", f"http://127.0.0.1:{free_port()}", "chain", "mine", 1, code=3)
    assert "no Ethereum node answers" in result.stderr


class _PublicNode(BaseHTTPRequestHandler):
    """A JSON-RPC node that is not a development chain (as Sepolia's geth answers)."""

    answers = {"eth_chainId": "0xaa36a7", "web3_clientVersion": "Geth/v1.14.12-stable"}

    def do_POST(self):  # noqa: N802 - http.server's name
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        method = request["method"]
        if method in self.answers:
            reply = {"result": self.answers[method]}
        else:
            reply = {"error": {"code": -32601, "message": f"the method {method} does not exist"}}
        body = json.dumps({"jsonrpc": "2.0", "id": request["id"], **reply}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        type(self).calls.append(method)

    def log_message(self, *args):
        pass


@pytest.fixture
def public_node():
    _PublicNode.calls = []
    server = HTTPServer(("127.0.0.1", 0), _PublicNode)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_chain_commands_are_refused_on_a_chain_that_is_not_for_development(public_node):
    for line in (["mine", 3], ["advance", "2d"], ["fund", "0x" + "ab" * 20, 1]):
        result = run("--rpc", public_node, "chain", *line, code=1)
        assert "is not a development chain" in result.stderr
        assert "chain 11155111, Geth/v1.14.12-stable" in result.stderr
        assert "jeton node" in result.stderr
    # Refused before any development method was called.
    assert not [m for m in _PublicNode.calls if m.startswith(("anvil_", "evm_", "hardhat_"))]
    dev = DevChain.attach(public_node)
    assert not dev.is_development
    with pytest.raises(NotDevelopmentChain):
        dev.mine(1)
    with pytest.raises(NotDevelopmentChain):
        dev.fund("0x" + "ab" * 20, WAD)


# ------------------------------------------------------------------ jeton deploy


def test_deploy_prints_where_it_wrote_and_never_overwrites_without_force(
    node, tmp_path, monkeypatch
):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("JETON_DEPLOYMENTS_DIR", str(tmp_path / "deployments"))
    target = tmp_path / "deployments" / "31337.json"
    result = run("deploy", "--rpc", node.url)
    assert f"Wrote {target}" in result.stdout
    copy = tmp_path / "config" / "jeton" / "deployments" / "31337.json"
    assert copy.read_text() == target.read_text()
    written = target.read_text()
    refused = run("--rpc", node.url, "--json", "deploy", code=1)
    assert str(target) in refused.stderr and "--force" in refused.stderr
    assert refused.stdout == "" and target.read_text() == written
    with pytest.raises(DeploymentExists):
        deploy(node.url, deployments_dir=tmp_path / "deployments")
