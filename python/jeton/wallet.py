"""Wallets: the key that signs a worker's or member's transactions.

Three ways to connect one, as DESIGN.md says: an encrypted keystore file (eth-account's
format, the one geth, Ape and MetaMask exports use; a path, or the name of a wallet that
`jeton wallet new` keeps in the per-user folder, see `jeton.keystores`), an Ape account alias
(which is such a keystore in Ape's data folder), or a private key in an environment variable.
A wallet never prints, logs or returns its key, except through `export_private_key`.

Keystores are encrypted with scrypt, whose work factor `n` makes each password guess cost
time and memory: `STANDARD_SCRYPT_N` (geth's standard: about 256 MB and a second to open) for
every key a person keeps; `THROWAWAY_SCRYPT_N` only for throwaway keys that will never hold
value (the demo's workers), where 4 to 8 keystores at the standard strength would take a
gigabyte or more of memory at once.
"""

import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount

from .config import write_private
from .errors import InputError, WalletError
from .keystores import find_keystore

PASSWORD_ENV = "JETON_PASSWORD"
PRIVATE_KEY_ENV = "JETON_PRIVATE_KEY"

#: scrypt's work factor for the keystore of any key a person keeps: geth's and eth-account's
#: standard strength (n = 2**18, r = 8: 256 MB of memory per decryption).
STANDARD_SCRYPT_N = 2**18
#: FOR THROWAWAY DEMO AND TEST KEYS ONLY: a 16 times lighter work factor (16 MB, fast), which
#: makes guessing the password 16 times cheaper. Never for a key that holds value.
THROWAWAY_SCRYPT_N = 2**14
#: The least work factor a keystore may be written with.
MIN_SCRYPT_N = 2**10


class Wallet:
    """A signing account. Build one with `from_keystore`, `from_ape` or `from_env`."""

    def __init__(self, account: LocalAccount):
        self._account = account

    @property
    def address(self) -> str:
        """The account's checksummed address."""
        return self._account.address

    def __repr__(self) -> str:
        return f"Wallet({self.address})"

    # --------------------------------------------------------------- loading

    @classmethod
    def from_keystore(cls, path: Path | str, password: str | None = None) -> "Wallet":
        """Decrypt a keystore: a file, or the name of a wallet in the per-user folder
        (`jeton wallet new NAME`). The password comes from `password`, else the environment
        variable JETON_PASSWORD, else a prompt (when there is a terminal)."""
        path = find_keystore(path)
        try:
            keystore = json.loads(path.read_text())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise WalletError(f"{path} is not a keystore file (not JSON)") from exc
        password = cls._password(password, f"Password for {path.name}: ")
        try:
            key = Account.decrypt(keystore, password)
        except ValueError as exc:
            raise WalletError(f"could not decrypt {path}: wrong password?") from exc
        return cls(Account.from_key(key))

    @classmethod
    def from_ape(cls, alias: str, password: str | None = None) -> "Wallet":
        """The Ape account `alias` (`ape accounts import ALIAS`), from Ape's data folder."""
        folder = Path(os.environ.get("APE_DATA_FOLDER", Path.home() / ".ape"))
        path = folder / "accounts" / f"{alias}.json"
        if not path.exists():
            raise WalletError(f"no Ape account {alias!r} (looked for {path})")
        return cls.from_keystore(path, password)

    @classmethod
    def from_env(cls, variable: str = PRIVATE_KEY_ENV) -> "Wallet":
        """A private key (hex) held in environment variable `variable`."""
        key = os.environ.get(variable)
        if not key:
            raise WalletError(f"environment variable {variable} holds no private key")
        try:
            return cls(_account_from_key(key))
        except (ValueError, TypeError) as exc:
            # Never echo the variable's value: it may be a real key with a typo.
            raise WalletError(f"{variable} does not hold a valid private key") from exc

    @classmethod
    def from_key(cls, key: str | bytes) -> "Wallet":
        """A wallet from a private key held by the caller (scripts and tests)."""
        try:
            return cls(_account_from_key(key))
        except (ValueError, TypeError) as exc:
            raise WalletError("not a valid private key") from exc

    @classmethod
    def create_keystore(
        cls, path: Path | str, password: str, *, scrypt_n: int = STANDARD_SCRYPT_N
    ) -> "Wallet":
        """Make a new key, store it encrypted at `path` (never overwriting), return its wallet.

        `scrypt_n` is the key derivation's work factor: keep the standard for every key a
        person keeps (see `THROWAWAY_SCRYPT_N` for the exception)."""
        account = Account.create()
        cls(account).save_keystore(path, password, scrypt_n=scrypt_n)
        return cls(account)

    def save_keystore(
        self, path: Path | str, password: str, *, scrypt_n: int = STANDARD_SCRYPT_N
    ) -> Path:
        """Write this wallet's key to `path`, encrypted with `password` and scrypt at work
        factor `scrypt_n`: file mode 0600, a folder it creates 0700; never overwriting."""
        if scrypt_n < MIN_SCRYPT_N or scrypt_n & (scrypt_n - 1):
            raise InputError(f"scrypt_n must be a power of two of at least 2**10, not {scrypt_n}")
        path = Path(path).expanduser()
        if path.exists():
            raise WalletError(f"{path} exists already; not overwriting a keystore")
        encrypted = Account.encrypt(self._account.key, password, kdf="scrypt", iterations=scrypt_n)
        try:
            return write_private(path, json.dumps(encrypted))
        except FileExistsError:
            raise WalletError(f"{path} exists already; not overwriting a keystore") from None

    def export_private_key(self) -> str:
        """The private key, as 0x and 64 hex digits. Whoever sees it controls the account:
        only for moving the key to another wallet, on the owner's explicit request."""
        return "0x" + bytes(self._account.key).hex()

    @staticmethod
    def _password(password: str | None, prompt: str) -> str:
        if password is not None:
            return password
        if PASSWORD_ENV in os.environ:
            return os.environ[PASSWORD_ENV]
        if sys.stdin is not None and sys.stdin.isatty():
            return getpass.getpass(prompt)
        raise WalletError(f"no password: set {PASSWORD_ENV} or run in a terminal to be asked")

    # --------------------------------------------------------------- signing

    def sign_transaction(self, tx: dict[str, Any]) -> bytes:
        """The signed raw transaction."""
        return self._account.sign_transaction(tx).raw_transaction

    def sign_typed_data(self, full_message: dict[str, Any]) -> tuple[int, bytes, bytes]:
        """An EIP-712 signature as (v, r, s)."""
        signed = self._account.sign_typed_data(full_message=full_message)
        return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")


def _account_from_key(key: str | bytes) -> LocalAccount:
    """The account of private key `key`. eth-account pads a hex key that lacks a digit into
    another valid key: such a typo would silently give another address, so it is refused."""
    if isinstance(key, str):
        key = key.strip()
        if len(key.removeprefix("0x")) != 64:
            raise ValueError("a private key is 64 hex digits")
    return Account.from_key(key)
