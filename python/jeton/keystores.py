"""Named keystores: the encrypted key files `jeton wallet` keeps in the per-user folder.

A wallet made with `jeton wallet new ada` lives in `~/.config/jeton/wallets/ada.json` (see
`jeton.config`), and `--keystore ada` or `Wallet.from_keystore("ada")` finds it by name. The
files are standard Web3 Secret Storage keystores (geth's, Ape's and MetaMask's format), so
they can be copied to and from other wallets. Nothing here decrypts a key.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

from eth_utils import to_checksum_address

from .config import wallets_dir
from .errors import WalletError

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


def keystore_path(name: str) -> Path:
    """The file of wallet `name` (it may not exist yet); WalletError for a name that is not
    letters, digits, `-`, `_` and `.`."""
    if not _NAME.fullmatch(name) or name.endswith(".json"):
        raise WalletError(
            f"{name!r} is not a wallet name: use letters, digits, '-', '_' and '.' "
            "(up to 64, without .json)"
        )
    return wallets_dir() / f"{name}.json"


def find_keystore(value: str | Path) -> Path:
    """The keystore `value` names: a file path, else the name of a wallet in the per-user
    folder (`jeton wallet list`)."""
    path = Path(value).expanduser()
    if path.is_file():
        return path
    if isinstance(value, str) and _NAME.fullmatch(value) and not value.endswith(".json"):
        named = keystore_path(value)
        if named.is_file():
            return named
        raise WalletError(
            f"no keystore file {value!r} here and no wallet named {value!r} in "
            f"{wallets_dir()}: see `jeton wallet list`, or make one with `jeton wallet new "
            f"{value}`"
        )
    raise WalletError(f"no keystore file at {path}")


@dataclass(frozen=True)
class KeystoreInfo:
    """What a keystore file says about itself, read without its password."""

    #: The wallet's name (the file's name without .json).
    name: str
    address: str
    path: Path
    #: The key-derivation function: "scrypt" or "pbkdf2".
    kdf: str
    #: Its work factor: scrypt's n, or pbkdf2's iteration count.
    work: int

    def __str__(self) -> str:
        return f"{self.name}: {self.address} ({self.path}, {self.kdf} n={self.work:,})"


def read_keystore(path: Path | str) -> KeystoreInfo:
    """The address and key derivation of keystore `path` (WalletError if it is not one)."""
    path = Path(path).expanduser()
    try:
        document = json.loads(path.read_text())
        crypto = document.get("crypto") or document["Crypto"]
        kdf = crypto["kdf"]
        params = crypto["kdfparams"]
        return KeystoreInfo(
            name=path.stem,
            address=to_checksum_address(document["address"]),
            path=path,
            kdf=kdf,
            work=int(params["n"] if kdf == "scrypt" else params["c"]),
        )
    except FileNotFoundError:
        raise WalletError(f"no keystore file at {path}") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise WalletError(f"{path} is not a keystore file ({type(exc).__name__})") from None


def list_keystores() -> list[KeystoreInfo]:
    """The wallets in the per-user folder, by name (files that are not keystores are left
    out)."""
    folder = wallets_dir()
    found = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            found.append(read_keystore(path))
        except WalletError:
            continue
    return found


__all__ = ["KeystoreInfo", "find_keystore", "keystore_path", "list_keystores", "read_keystore"]
