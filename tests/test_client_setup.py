"""What stands between a newcomer and a first transaction, through the library: finding the
deployments file from any folder, a node that does not answer (`NodeUnreachable`), and a
wallet without ETH for gas (`InsufficientGasFunds`, raised before anything is sent, saying how
much is needed and how to get it).
"""

import json
import shutil

import pytest
from jeton import Deployment, Jeton, Wallet
from jeton.client import NodeProvider
from jeton.devchain import LocalNode, free_port
from jeton.errors import DeploymentError, InsufficientGasFunds, JetonError, NodeUnreachable
from web3 import Web3

WAD = 10**18
# A throw-away key (not one of the test node's funded accounts): it holds no ETH.
POOR_KEY = "0x" + "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"


@pytest.fixture
def places(tmp_path, monkeypatch):
    """A current folder and a per-user folder of their own: (here, per-user) deployments."""
    here = tmp_path / "work"
    here.mkdir()
    monkeypatch.chdir(here)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return here / "deployments", tmp_path / "config" / "jeton" / "deployments"


def copy_to(folder, deployment_file, **changes):
    folder.mkdir(parents=True, exist_ok=True)
    document = json.loads(deployment_file.read_text())
    document.update(changes)
    path = folder / "31337.json"
    path.write_text(json.dumps(document))
    return path


# ------------------------------------------------------------------ the deployments file


def test_no_deployments_file_says_where_it_looked_and_what_to_do(places, rpc_url):
    here, user = places
    with pytest.raises(DeploymentError) as info:
        Jeton.connect(rpc_url)
    message = str(info.value)
    assert str(here / "31337.json") in message and str(user / "31337.json") in message
    assert "jeton node" in message and "jeton deploy" in message


def test_the_per_user_copy_is_found_from_any_folder(places, rpc_url, deployment_file):
    _, user = places
    kept = Deployment.load(deployment_file).remember()
    assert kept == user / "31337.json"
    assert (kept.stat().st_mode & 0o777, kept.parent.stat().st_mode & 0o777) == (0o600, 0o700)
    assert Jeton.connect(rpc_url).deployment.path == kept


def test_the_current_folder_comes_first_and_a_stale_file_is_passed_over(
    places, rpc_url, deployment_file
):
    here, user = places
    good_here = copy_to(here, deployment_file)
    copy_to(user, deployment_file)
    assert Jeton.connect(rpc_url).deployment.path == good_here
    # A file left from an earlier chain (its contracts are not on this one): the next place.
    stale = json.loads(deployment_file.read_text())
    for entry in stale["contracts"].values():
        entry["address"] = "0x" + "12" * 20
    good_here.write_text(json.dumps(stale))
    assert Jeton.connect(rpc_url).deployment.path == user / "31337.json"
    shutil.rmtree(user)
    with pytest.raises(DeploymentError, match="the chain was reset since that deployment"):
        Jeton.connect(rpc_url)


# ------------------------------------------------------------------ no node


def test_a_node_that_does_not_answer_is_named(deployment_file):
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(NodeUnreachable, match=f"no Ethereum node answers at {url}"):
        Jeton.connect(url, deployment=deployment_file)
    assert issubclass(NodeUnreachable, JetonError) and issubclass(NodeUnreachable, ConnectionError)


def test_a_node_that_stops_answering_later_is_named_too(jc):
    assert isinstance(jc.w3.provider, NodeProvider)  # every connection reports it so
    with LocalNode() as node:
        w3 = Web3(NodeProvider(node.url))
        assert w3.eth.chain_id == 31337
    with pytest.raises(NodeUnreachable, match=f"no Ethereum node answers at {node.url}"):
        w3.eth.get_block("latest")
    with pytest.raises(NodeUnreachable), w3.batch_requests() as batch:  # as transact batches
        batch.add(w3.eth.get_block("latest"))
        batch.execute()


# ------------------------------------------------------------------ no ETH for gas


def test_a_wallet_without_eth_is_told_how_much_and_how_to_get_some(
    connect, jc, rpc_url, deployment_file, chain
):
    poor = Jeton.connect(rpc_url, account=Wallet.from_key(POOR_KEY), deployment=deployment_file)
    task = jc.tasks.post(10 * WAD, deadline=jc.block_timestamp() + 86_400, spec="s", bond_bps=0)
    assert poor.w3.eth.get_balance(poor.address) == 0
    with pytest.raises(InsufficientGasFunds) as info:
        poor.tasks.claim(task.id)
    err = info.value
    assert (err.address, err.balance) == (poor.address, 0)
    assert err.needed == err.gas * err.fee_per_gas > 0
    message = str(err)
    assert f"{poor.address} has 0 ETH and this transaction needs up to" in message
    assert f"jeton chain fund {poor.address} 1" in message  # a development chain: how to
    assert poor.w3.eth.get_transaction_count(poor.address) == 0  # nothing was sent
    assert jc.tasks.get(task.id).worker is None
    chain.provider.web3.provider.make_request("anvil_setBalance", [poor.address, hex(WAD)])
    poor.tasks.claim(task.id)  # with ETH, the same call goes through
    assert jc.tasks.get(task.id).worker == poor.address
