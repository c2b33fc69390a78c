"""`jeton wallet new|import|list|show|address|export` and the keystores behind them: owner-only
files in the per-user folder (XDG_CONFIG_HOME points at a temporary folder here), passwords
asked twice or taken from JETON_PASSWORD, a private key shown only by `export`, with a warning;
and the key-derivation strength: standard for people's keys, lighter only for throwaway keys.
"""

import json
import stat

import pytest
from click.testing import CliRunner
from eth_account import Account
from jeton.cli import cli
from jeton.demo.cast import create_workers
from jeton.errors import InputError, WalletError
from jeton.keystores import find_keystore, list_keystores, read_keystore
from jeton.wallet import STANDARD_SCRYPT_N, THROWAWAY_SCRYPT_N, Wallet

KEY = "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
ADDRESS = Account.from_key(KEY).address


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """A per-user folder of its own, and no password in the environment."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("JETON_PASSWORD", raising=False)
    return tmp_path / "config" / "jeton"


def run(*args, input=None, env=None, code=0):
    result = CliRunner(mix_stderr=False).invoke(
        cli, list(map(str, args)), input=input, env=env or {}
    )
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    return result


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


# ------------------------------------------------------------------ new


def test_new_asks_the_password_twice_and_keeps_the_key_owner_only(home):
    result = run("wallet", "new", "ada", input="s3cret\ns3cret\n")
    assert "Repeat the password" in result.stderr
    path = home / "wallets" / "ada.json"
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700 and mode(home) == 0o700
    info = read_keystore(path)
    assert (info.kdf, info.work) == ("scrypt", STANDARD_SCRYPT_N)  # a person's key: standard
    assert info.address in result.stdout and str(path) in result.stdout
    assert Wallet.from_keystore("ada", "s3cret").address == info.address


def test_new_with_mismatched_passwords_asks_again(home):
    result = run("wallet", "new", "bo", input="one\ntwo\nsame\nsame\n")
    assert "do not match" in result.stderr
    assert (
        Wallet.from_keystore("bo", "same").address
        == read_keystore(home / "wallets/bo.json").address
    )


def test_new_takes_jeton_password_for_scripts_and_prints_json(home):
    result = run("--json", "wallet", "new", "cy", env={"JETON_PASSWORD": "from-env"})
    payload = json.loads(result.stdout)
    assert payload["name"] == "cy" and payload["kdf"] == "scrypt"
    assert Wallet.from_keystore(payload["file"], "from-env").address == payload["address"]
    assert "private" not in result.stdout.lower()


def test_new_refusals(home):
    run("wallet", "new", "ada", env={"JETON_PASSWORD": "pw"})
    before = (home / "wallets" / "ada.json").read_text()
    taken = run("wallet", "new", "ada", env={"JETON_PASSWORD": "pw"}, code=3)
    assert "exists already" in taken.stderr
    assert (home / "wallets" / "ada.json").read_text() == before  # not overwritten
    empty = run("wallet", "new", "dee", env={"JETON_PASSWORD": ""}, code=3)
    assert "empty password" in empty.stderr
    bad = run("wallet", "new", "../escape", env={"JETON_PASSWORD": "pw"}, code=3)
    assert "is not a wallet name" in bad.stderr
    assert not (home / "escape.json").exists()


# ------------------------------------------------------------------ import


def test_import_a_piped_key_without_showing_it(home):
    result = run("wallet", "import", "ada", input=f"{KEY}\n", env={"JETON_PASSWORD": "pw"})
    assert ADDRESS in result.stdout
    assert KEY[2:] not in result.stdout + result.stderr
    assert mode(home / "wallets" / "ada.json") == 0o600
    assert Wallet.from_keystore("ada", "pw").address == ADDRESS


def test_import_from_an_environment_variable_or_a_keystore_file(home, tmp_path):
    run(
        "wallet",
        "import",
        "env",
        "--from-env",
        "MY_KEY",
        env={"MY_KEY": KEY, "JETON_PASSWORD": "p"},
    )
    assert Wallet.from_keystore("env", "p").address == ADDRESS
    exported = tmp_path / "metamask.json"
    exported.write_text(json.dumps(Account.encrypt(KEY, "mm", iterations=2**10)))
    run("wallet", "import", "mm", "--from-keystore", exported)
    assert mode(home / "wallets" / "mm.json") == 0o600
    assert Wallet.from_keystore("mm", "mm").address == ADDRESS  # its own password still
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{}")
    assert (
        "not a keystore" in run("wallet", "import", "g", "--from-keystore", garbage, code=3).stderr
    )
    wrong = run("wallet", "import", "x", input="0x1234\n", env={"JETON_PASSWORD": "p"}, code=3)
    assert "not a valid private key" in wrong.stderr and "0x1234" not in wrong.stderr


# ------------------------------------------------------------------ list, show, address


def test_list_show_and_address(home):
    assert "No wallets" in run("wallet", "list").stdout
    run("wallet", "import", "ada", input=f"{KEY}\n", env={"JETON_PASSWORD": "pw"})
    run("wallet", "new", "bo", env={"JETON_PASSWORD": "pw"})
    listed = json.loads(run("wallet", "list", "--json").stdout)
    assert [w["name"] for w in listed] == ["ada", "bo"]
    assert listed[0]["address"] == ADDRESS
    assert "ada" in run("wallet", "list").stdout
    assert run("wallet", "address", "ada").stdout.strip() == ADDRESS
    shown = json.loads(run("wallet", "show", "ada", "--json").stdout)
    assert (shown["address"], shown["mode"], shown["kdf_work"]) == (ADDRESS, "0o600", 2**18)
    assert "262,144" in run("wallet", "show", "ada").stdout
    missing = run("wallet", "show", "nobody", code=3)
    assert "no wallet named 'nobody'" in missing.stderr and "jeton wallet new" in missing.stderr
    assert [w.name for w in list_keystores()] == ["ada", "bo"]


# ------------------------------------------------------------------ export


def test_only_export_prints_the_key_with_a_warning(home):
    imported = run("wallet", "import", "ada", input=f"{KEY}\n", env={"JETON_PASSWORD": "pw"})
    shown = [run("wallet", cmd, "ada") for cmd in ("show", "address")]
    listed = run("wallet", "list")
    for result in (imported, listed, *shown):
        assert KEY[2:] not in result.stdout + result.stderr
    exported = run("wallet", "export", "ada", env={"JETON_PASSWORD": "pw"})
    assert exported.stdout.strip() == KEY
    assert "Warning" in exported.stderr and "Anyone who sees it" in exported.stderr
    wrong = run("wallet", "export", "ada", env={"JETON_PASSWORD": "no"}, code=3)
    assert "wrong password" in wrong.stderr and KEY[2:] not in wrong.stdout


# ------------------------------------------------------------------ the library


def test_keystores_are_found_by_name_or_path(home, tmp_path):
    path = Wallet.from_key(KEY).save_keystore(home / "wallets" / "ada.json", "pw")
    assert find_keystore("ada") == path == find_keystore(str(path))
    with pytest.raises(WalletError, match="no wallet named 'bob'"):
        Wallet.from_keystore("bob", "pw")
    with pytest.raises(WalletError, match="no keystore file at"):
        find_keystore(tmp_path / "nowhere.json")


def test_the_work_factor_is_chosen_by_the_caller_and_standard_by_default(tmp_path):
    standard = Wallet.from_key(KEY).save_keystore(tmp_path / "standard.json", "pw")
    light = Wallet.from_key(KEY).save_keystore(
        tmp_path / "light.json", "pw", scrypt_n=THROWAWAY_SCRYPT_N
    )
    assert read_keystore(standard).work == STANDARD_SCRYPT_N == 2**18
    assert read_keystore(light).work == THROWAWAY_SCRYPT_N < STANDARD_SCRYPT_N
    assert Wallet.from_keystore(light, "pw").address == ADDRESS
    for bad in (1000, 2**9):
        with pytest.raises(InputError, match="power of two"):
            Wallet.from_key(KEY).save_keystore(tmp_path / f"{bad}.json", "pw", scrypt_n=bad)


def test_the_demo_uses_the_light_work_factor_for_its_throwaway_keys(tmp_path):
    workers = create_workers(tmp_path / "wallets", 2)
    for worker in workers:
        info = read_keystore(worker.keystore)
        assert (info.work, info.address) == (THROWAWAY_SCRYPT_N, worker.address)
        assert mode(worker.keystore) == 0o600
