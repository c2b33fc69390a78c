"""The Jeton project a development chain is deployed from: its folder, and its deploy script
run with Ape (`deploy`), as `jeton deploy`, `jeton node` and the demo do.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ..contracts import Deployment
from ..errors import DevChainError
from ..launch import check_launch, load_config
from .chain import DevChain, test_wallet


class DeployFailed(DevChainError):
    """`ape run deploy` exited with an error; `output` holds everything it printed."""

    def __init__(self, rpc_url: str, returncode: int, output: str):
        self.returncode = returncode
        self.output = output
        lines = [line.rstrip() for line in output.strip().splitlines()]
        # Ape prints its own one-line summary of the failure after "ERROR:".
        errors = [line.strip() for line in lines if line.lstrip().startswith("ERROR:")]
        why = "\n".join(errors) if errors else "\n".join(lines[-25:])
        super().__init__(f"`ape run deploy --network {rpc_url}` failed (exit {returncode}): {why}")


class DeploymentExists(DevChainError):
    """The deployments file a deployment would write exists already (`path`): replacing it
    would lose the addresses of the system it describes, so it is only done when asked."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__(
            f"{path} exists already: it holds the addresses of an earlier deployment on this "
            "chain. Give --force (overwrite=True) to replace it, or deploy into another folder"
        )


def project_root(start: Path | str | None = None) -> Path:
    """The Jeton project folder (it holds ape-config.yaml and scripts/deploy.py).

    Looked for from `start` (default: the current directory) upwards, then from this package's
    own location (an editable install lives in `<root>/python/jeton`).
    """
    candidates = [Path(start) if start else Path.cwd(), Path(__file__).resolve().parent]
    for origin in candidates:
        origin = origin.resolve()
        for folder in (origin, *origin.parents):
            if _is_project(folder):
                return folder
    raise DevChainError(
        "can not find the Jeton project (a folder with ape-config.yaml and scripts/deploy.py): "
        "run this from inside a clone of the project"
    )


def _is_project(folder: Path) -> bool:
    return (folder / "ape-config.yaml").is_file() and (folder / "scripts" / "deploy.py").is_file()


def find_ape(root: Path | None = None) -> str:
    """The `ape` command: on PATH, else next to this Python, else in the project's .venv."""
    candidates = [shutil.which("ape"), str(Path(sys.executable).parent / "ape")]
    if root is not None:
        candidates.append(str(root / ".venv" / "bin" / "ape"))
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK) and Path(candidate).is_file():
            return candidate
    raise DevChainError(
        "`ape` (eth-ape) is not installed, and the deploy script runs with it: run `make setup`, "
        "or `pip install -e '.[dev]'` in this project's virtual environment"
    )


def deploy_env(root: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment the deploy script needs: the project's tools first on PATH, the solc
    bridge folder and Ape's data folder (as the Makefile sets them), plus `extra`."""
    env = dict(os.environ)
    path = [str(root / "node_modules" / ".bin"), str(Path(sys.executable).parent)]
    env["PATH"] = os.pathsep.join([*path, env.get("PATH", "")])
    if "SOLCX_BINARY_PATH" not in env and (root / ".solcx").is_dir():
        env["SOLCX_BINARY_PATH"] = str(root / ".solcx")
    if "APE_DATA_FOLDER" not in env and (root / ".ape-data").is_dir():
        env["APE_DATA_FOLDER"] = str(root / ".ape-data")
    env.update(extra or {})
    return env


def deploy(
    rpc_url: str,
    config_path: Path | str | None = None,
    *,
    deployments_dir: Path | str | None = None,
    profile: str | None = None,
    root: Path | str | None = None,
    timeout: float = 900.0,
    overwrite: bool = False,
) -> Deployment:
    """Deploy the whole system on the node at `rpc_url` with `ape run deploy`.

    The script reads `config_path` (default: the project's deploy-config.json) and writes
    `<deployments_dir>/<chain-id>.json` (default: $JETON_DEPLOYMENTS_DIR, as for the script,
    else the project's deployments/ folder), which is
    loaded and returned; an existing file is replaced only with `overwrite=True` (else
    DeploymentExists, before anything is deployed). Ape takes the URL itself as its network
    (`--network http://...`): a network with the node's own chain id. Runs from the project
    root; raises DevChainError with the script's last lines if it fails. A configuration that
    can not start a working DAO on the node's chain is refused first, with
    `jeton.launch.LaunchRefused`, and nothing runs.
    """
    root = Path(root).resolve() if root else project_root()
    ape = find_ape(root)
    directory = Path(
        deployments_dir or os.environ.get("JETON_DEPLOYMENTS_DIR") or root / "deployments"
    ).resolve()
    extra = {"JETON_DEPLOYMENTS_DIR": str(directory)}
    if config_path is not None:
        config = Path(config_path).resolve()
        if not config.is_file():
            raise DevChainError(f"no deploy config at {config}")
        extra["JETON_DEPLOY_CONFIG"] = str(config)
    if profile:
        extra["JETON_DEPLOY_PROFILE"] = profile

    chain_id = DevChain.attach(rpc_url).chain_id()
    # The same file and profile the script will read (its environment is this one plus `extra`).
    config_file = deploy_env(root, extra).get("JETON_DEPLOY_CONFIG") or root / "deploy-config.json"
    check_launch(
        load_config(chain_id, config_file, profile),
        chain_id,
        lambda index: test_wallet(index).address,
    )
    target = directory / f"{chain_id}.json"
    if target.exists() and not overwrite:
        raise DeploymentExists(target)
    started = time.time()
    # Ape 0.8 takes a bare URL as an ad-hoc network whose chain id is the node's own;
    # `ethereum:local:<url>` would sign for Ape's local chain id 1337 and anvil (31337)
    # refuses those transactions ("invalid chain id for signer").
    command = [ape, "run", "deploy", "--network", rpc_url]
    try:
        result = subprocess.run(
            command,
            cwd=root,
            env=deploy_env(root, extra),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        raise DevChainError(f"`ape run deploy` did not finish within {timeout:.0f}s") from exc
    if result.returncode != 0:
        raise DeployFailed(rpc_url, result.returncode, result.stdout + result.stderr)
    if not target.exists() or target.stat().st_mtime < started - 1:
        raise DevChainError(
            f"`ape run deploy` finished but did not write {target}:\n{result.stdout[-2000:]}"
        )
    return Deployment.load(target)
