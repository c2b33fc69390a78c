"""`jeton wallet ...`: keystores for your keys, kept in the per-user folder.

`jeton wallet new ada` makes a key and stores it encrypted in ~/.config/jeton/wallets/ada.json
(owner-only: the file 0600, its folder 0700); `--keystore ada` then signs with it. Passwords
are asked twice (or read from JETON_PASSWORD, for scripts). A private key is shown only by
`jeton wallet export NAME`, with a warning.
"""

import os
import sys

import click

from ..config import wallets_dir, write_private
from ..errors import WalletError
from ..keystores import find_keystore, keystore_path, list_keystores, read_keystore
from ..wallet import PASSWORD_ENV, Wallet
from .common import emit, fields, table


@click.group()
def wallet():
    """Your wallets: make, import, list and show keystores (and export a key)."""


def _new_password() -> str:
    """A password for a new keystore: JETON_PASSWORD, else asked twice (on stderr)."""
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        password = click.prompt(
            "Password for the new keystore",
            hide_input=True,
            confirmation_prompt="Repeat the password",
            err=True,
        )
    if not password:
        raise WalletError("an empty password would leave the key unprotected: choose one")
    return password


def _show(info, headline: str, **extra) -> None:
    emit(
        {
            "name": info.name,
            "address": info.address,
            "file": str(info.path),
            "kdf": info.kdf,
            "kdf_work": info.work,
            **extra,
        },
        f"[green]✓[/green] {headline}",
        fields(
            [
                ("Address", info.address),
                ("Keystore", str(info.path)),
                ("Use it", f"jeton --keystore {info.name} me"),
            ]
        ),
    )


@wallet.command()
@click.argument("name")
def new(name):
    """Make a new key and keep it encrypted as wallet NAME (password asked twice)."""
    path = keystore_path(name)
    if path.exists():
        raise WalletError(f"a wallet named {name!r} exists already ({path}); choose another name")
    created = Wallet.create_keystore(path, _new_password())
    _show(read_keystore(path), f"Made wallet {name}: {created.address}")


@wallet.command("import")
@click.argument("name")
@click.option("--from-env", metavar="VAR", help="Read the private key from this variable.")
@click.option(
    "--from-keystore",
    metavar="FILE",
    type=click.Path(exists=True, dir_okay=False),
    help="Copy a keystore file (geth, MetaMask, Ape) instead; its password stays the same.",
)
def import_(name, from_env, from_keystore):
    """Keep an existing key as wallet NAME: typed at a hidden prompt, piped on stdin, from
    --from-env VAR, or a keystore file (--from-keystore)."""
    path = keystore_path(name)
    if path.exists():
        raise WalletError(f"a wallet named {name!r} exists already ({path}); choose another name")
    if from_env and from_keystore:
        raise click.UsageError("give --from-env or --from-keystore, not both")
    if from_keystore:
        info = read_keystore(from_keystore)  # refuses what is not a keystore
        write_private(path, info.path.read_text())
        _show(read_keystore(path), f"Imported {from_keystore} as wallet {name}: {info.address}")
        return
    if from_env:
        imported = Wallet.from_env(from_env)
    elif sys.stdin is not None and sys.stdin.isatty():
        imported = Wallet.from_key(click.prompt("Private key", hide_input=True, err=True))
    else:
        imported = Wallet.from_key(sys.stdin.readline())
    imported.save_keystore(path, _new_password())
    _show(read_keystore(path), f"Imported wallet {name}: {imported.address}")


@wallet.command("list")
def list_wallets():
    """Your wallets: name, address and file."""
    found = list_keystores()
    records = [
        {"name": w.name, "address": w.address, "file": str(w.path), "kdf": w.kdf} for w in found
    ]
    rows = [[w.name, w.address, str(w.path)] for w in found]
    empty = f"No wallets in {wallets_dir()} yet: jeton wallet new NAME"
    emit(records, table(["Name", "Address", "Keystore"], rows) if rows else empty)


@wallet.command()
@click.argument("name")
def show(name):
    """One wallet: address, file and encryption (no password needed)."""
    info = read_keystore(find_keystore(name))
    mode = oct(info.path.stat().st_mode & 0o777)
    emit(
        {
            "name": info.name,
            "address": info.address,
            "file": str(info.path),
            "mode": mode,
            "kdf": info.kdf,
            "kdf_work": info.work,
        },
        fields(
            [
                ("Name", info.name),
                ("Address", info.address),
                ("Keystore", f"{info.path} (mode {mode[2:]})"),
                ("Encryption", f"{info.kdf}, work factor {info.work:,}"),
                ("Balances", f"jeton me {info.address}"),
            ]
        ),
    )


@wallet.command()
@click.argument("name")
def address(name):
    """Print wallet NAME's address, alone (for scripts: $(jeton wallet address NAME))."""
    info = read_keystore(find_keystore(name))
    emit({"name": info.name, "address": info.address}, info.address)


@wallet.command()
@click.argument("name")
def export(name):
    """Print wallet NAME's PRIVATE KEY, after its password: whoever sees it owns the account."""
    path = find_keystore(name)
    key = Wallet.from_keystore(path).export_private_key()
    click.echo(
        "Warning: this is the private key of the wallet. Anyone who sees it can take "
        "everything the account holds: do not paste it anywhere but into a wallet you trust.",
        err=True,
    )
    emit({"name": path.stem, "private_key": key}, key)
