"""jeton.Wallet: keystores, Ape aliases and environment keys, and that a key never shows."""

import io
import json
import stat
import sys

import pytest
from eth_account import Account
from eth_account.messages import encode_typed_data
from helpers import DAY
from jeton import Jeton, TaskStatus, Wallet
from jeton.errors import WalletError

# A throw-away key (not one of the test node's funded accounts).
KEY = "0x" + "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
ADDRESS = Account.from_key(KEY).address
WAD = 10**18


def keystore(path, password):
    """A keystore of KEY as geth and Ape write it, with a cheap scrypt: fast tests."""
    path.write_text(json.dumps(Account.encrypt(KEY, password, iterations=2**10)))
    return path


@pytest.fixture(autouse=True)
def no_terminal(monkeypatch):
    """No password in the environment and no terminal to ask one from, unless a test says so."""
    monkeypatch.delenv("JETON_PASSWORD", raising=False)
    monkeypatch.delenv("JETON_PRIVATE_KEY", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO())


def test_keystore_round_trip_with_a_password(tmp_path):
    path = tmp_path / "keys" / "me.json"
    created = Wallet.create_keystore(path, "s3cret")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    document = json.loads(path.read_text())
    assert document["address"].lower() == created.address[2:].lower()
    assert "crypto" in document
    loaded = Wallet.from_keystore(path, "s3cret")
    assert loaded.address == created.address
    assert loaded.address.startswith("0x") and len(loaded.address) == 42


def test_keystore_password_from_the_environment(tmp_path, monkeypatch):
    path = keystore(tmp_path / "me.json", "from-env")
    monkeypatch.setenv("JETON_PASSWORD", "from-env")
    assert Wallet.from_keystore(path).address == ADDRESS
    assert Wallet.from_keystore(str(path)).address == ADDRESS


def test_keystore_refusals(tmp_path):
    path = keystore(tmp_path / "me.json", "right")
    with pytest.raises(WalletError, match="wrong password"):
        Wallet.from_keystore(path, "wrong")
    with pytest.raises(WalletError, match="no password: set JETON_PASSWORD"):
        Wallet.from_keystore(path)
    with pytest.raises(WalletError, match="no keystore file at .*missing.json"):
        Wallet.from_keystore(tmp_path / "missing.json", "right")
    garbage = tmp_path / "garbage.json"
    garbage.write_text("not json")
    with pytest.raises(WalletError, match="not a keystore file"):
        Wallet.from_keystore(garbage, "right")
    with pytest.raises(WalletError, match="exists already"):
        Wallet.create_keystore(path, "other")
    assert Wallet.from_keystore(path, "right").address == ADDRESS  # not overwritten


def test_from_ape_reads_the_alias_from_the_data_folder(tmp_path, monkeypatch):
    (tmp_path / "accounts").mkdir()
    keystore(tmp_path / "accounts" / "worker.json", "ape-pass")  # as `ape accounts import`
    monkeypatch.setenv("APE_DATA_FOLDER", str(tmp_path))
    assert Wallet.from_ape("worker", "ape-pass").address == ADDRESS
    monkeypatch.setenv("JETON_PASSWORD", "ape-pass")
    assert Wallet.from_ape("worker").address == ADDRESS
    with pytest.raises(WalletError, match="no Ape account 'nobody'"):
        Wallet.from_ape("nobody")
    monkeypatch.setenv("JETON_PASSWORD", "nope")
    with pytest.raises(WalletError, match="wrong password"):
        Wallet.from_ape("worker")


def test_from_env(monkeypatch):
    monkeypatch.setenv("JETON_PRIVATE_KEY", KEY)
    assert Wallet.from_env().address == ADDRESS
    monkeypatch.setenv("MY_KEY", KEY[2:])  # without 0x
    assert Wallet.from_env("MY_KEY").address == ADDRESS
    with pytest.raises(WalletError, match="NOT_SET holds no private key"):
        Wallet.from_env("NOT_SET")


@pytest.mark.parametrize(
    "bad",
    [
        KEY[:-1],  # a digit missing: eth-account would pad it into another key
        KEY[:-1] + "g",  # not hex
        KEY + "00",  # too long
        "0x" + "00" * 32,  # zero is no key
    ],
)
def test_from_env_refuses_a_bad_key_without_showing_it(monkeypatch, bad):
    monkeypatch.setenv("JETON_PRIVATE_KEY", bad)
    with pytest.raises(WalletError) as info:
        Wallet.from_env()
    assert str(info.value) == "JETON_PRIVATE_KEY does not hold a valid private key"
    shown = str(info.value) + repr(info.value) + str(info.value.__cause__)
    assert bad not in shown and bad[2:] not in shown and bad[2:12] not in shown
    with pytest.raises(WalletError, match="^not a valid private key$"):
        Wallet.from_key(bad)


def test_repr_never_shows_the_key(tmp_path):
    wallet = Wallet.from_key(KEY)
    assert repr(wallet) == f"Wallet({ADDRESS})"
    for text in (repr(wallet), str(wallet), f"{wallet}", repr([wallet])):
        assert KEY[2:] not in text and KEY[2:].lower() not in text.lower()
    path = wallet.save_keystore(tmp_path / "k.json", "pw")
    assert KEY[2:] not in path.read_text()


def test_signatures_recover_to_the_wallet():
    wallet = Wallet.from_key(KEY)
    typed = {
        "types": {
            "EIP712Domain": [{"name": "name", "type": "string"}],
            "Hello": [{"name": "who", "type": "address"}],
        },
        "primaryType": "Hello",
        "domain": {"name": "Jeton"},
        "message": {"who": ADDRESS},
    }
    v, r, s = wallet.sign_typed_data(typed)
    signer = Account.recover_message(encode_typed_data(full_message=typed), vrs=(v, r, s))
    assert signer == ADDRESS
    tx = {"to": ADDRESS, "value": 1, "gas": 21_000, "gasPrice": 10**9, "nonce": 0, "chainId": 1}
    raw = wallet.sign_transaction(tx)
    assert Account.recover_transaction(raw) == ADDRESS


def test_a_keystore_wallet_works_on_chain(
    tmp_path, accounts, connect, client, rpc_url, deployment_file
):
    path = keystore(tmp_path / "worker.json", "pw")
    accounts[0].transfer(ADDRESS, WAD)
    jeton = Jeton.connect(
        rpc_url, account=Wallet.from_keystore(path, "pw"), deployment=deployment_file
    )
    assert jeton.address == ADDRESS
    boss = connect(client)
    deadline = boss.block_timestamp() + DAY
    task = boss.tasks.post(10 * WAD, deadline=deadline, spec="ipfs://t", bond_bps=0)
    jeton.tasks.claim(task.id)
    assert jeton.tasks.get(task.id).worker == ADDRESS
    assert jeton.tasks.get(task.id).status == TaskStatus.CLAIMED
