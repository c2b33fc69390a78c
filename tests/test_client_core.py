"""The client's core: connecting, pre-send simulation with decoded errors, events."""

import json

import pytest
from jeton import Deployment, Jeton, JetonError
from jeton.errors import DeploymentError, TaskNotOpen, WalletError


def test_connect_checks_chain_and_code(connect, deployment_file, rpc_url, escrow):
    jeton = connect()
    assert jeton.chain_id == 31337
    assert jeton.contracts.escrow.address == escrow.address
    assert jeton.deployment.addresses["TaskEscrow"] == escrow.address
    with pytest.raises(WalletError, match="no wallet connected"):
        _ = jeton.address


def test_connect_refuses_other_chain(rpc_url, deployment_file, tmp_path):
    document = json.loads(deployment_file.read_text())
    document["chain_id"] = 5
    wrong = tmp_path / "5.json"
    wrong.write_text(json.dumps(document))
    with pytest.raises(DeploymentError, match="is for chain 5"):
        Jeton.connect(rpc_url, deployment=wrong)


def test_connect_refuses_addresses_without_code(rpc_url, deployment_file, tmp_path):
    document = json.loads(deployment_file.read_text())
    document["contracts"]["TaskEscrow"]["address"] = "0x" + "11" * 20
    stale = tmp_path / "31337.json"
    stale.write_text(json.dumps(document))
    with pytest.raises(DeploymentError, match="no contract at"):
        Jeton.connect(rpc_url, deployment=Deployment.load(stale))


def test_connect_reports_missing_node(deployment_file):
    with pytest.raises(JetonError, match="no Ethereum node answers"):
        Jeton.connect("http://127.0.0.1:9", deployment=deployment_file)


def test_simulation_raises_named_error_and_sends_nothing(connect, worker, chain):
    jeton = connect(worker)
    nonce = chain.provider.web3.eth.get_transaction_count(worker.address)
    fn = jeton.contracts.escrow.functions.claim(42)
    with pytest.raises(TaskNotOpen) as info:
        jeton.transact(fn, "TaskEscrow")
    assert info.value.inputs["taskId"] == 42
    assert "task 42 is not open" in str(info.value)
    assert chain.provider.web3.eth.get_transaction_count(worker.address) == nonce


def test_transact_decodes_events(connect, client, jtn, escrow):
    jeton = connect(client)
    result = jeton.transact(jeton.contracts.token.functions.approve(escrow.address, 5), "WorkToken")
    approval = result.event("Approval")
    assert approval.contract == "WorkToken"
    assert approval.args["spender"] == escrow.address
    assert approval.args["value"] == 5
    assert result.gas_used > 21_000
    assert jtn.allowance(client, escrow) == 5
