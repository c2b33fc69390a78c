"""The per-user Jeton folder: where `jeton wallet` keeps keystores and where `jeton deploy` and
`jeton node` leave the deployments file they wrote last, so that the command works from any
folder.

It is `$XDG_CONFIG_HOME/jeton` (by default `~/.config/jeton`), owner-only (mode 0700), as
are its sub-folders:

    ~/.config/jeton/wallets/<name>.json         keystores (mode 0600)
    ~/.config/jeton/deployments/<chain-id>.json  the deployment written last for each chain
"""

import os
from pathlib import Path

#: Folder and file modes: only the owner may read, since keystores live here.
FOLDER_MODE = 0o700
FILE_MODE = 0o600


def user_dir() -> Path:
    """The per-user Jeton folder (not created): `$XDG_CONFIG_HOME/jeton`, else
    `~/.config/jeton`."""
    base = os.environ.get("XDG_CONFIG_HOME")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".config"
    return root / "jeton"


def wallets_dir() -> Path:
    """Where named keystores live (`jeton wallet new NAME`)."""
    return user_dir() / "wallets"


def deployments_dir() -> Path:
    """Where the last deployments file of each chain is kept (`<chain-id>.json`)."""
    return user_dir() / "deployments"


def private_dir(path: Path) -> Path:
    """Create folder `path` owner-only (0700) and return it. Inside the Jeton folder, it and
    every folder above it up to the Jeton folder are made (or narrowed to) 0700; elsewhere only
    the folders created are, and an existing folder is left as it is."""
    path, top = Path(path).expanduser().absolute(), user_dir()
    if path.is_relative_to(top):
        for folder in reversed([p for p in (path, *path.parents) if p.is_relative_to(top)]):
            folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
            folder.chmod(FOLDER_MODE)
        return path
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=FOLDER_MODE)
        folder.chmod(FOLDER_MODE)  # mkdir's mode is masked by the umask
    return path


def write_private(path: Path, text: str, *, replace: bool = False) -> Path:
    """Write `text` to `path` with mode 0600 (see `private_dir` for its folder). With
    `replace=False` an existing file is an error (FileExistsError); the file never exists with
    wider permissions, not even for a moment."""
    private_dir(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if replace else os.O_EXCL)
    fd = os.open(path, flags, FILE_MODE)
    with os.fdopen(fd, "w") as handle:
        os.fchmod(handle.fileno(), FILE_MODE)
        handle.write(text)
    return path


__all__ = [
    "FILE_MODE",
    "FOLDER_MODE",
    "deployments_dir",
    "private_dir",
    "user_dir",
    "wallets_dir",
    "write_private",
]
