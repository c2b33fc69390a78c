"""A local development chain: anvil on a free port, its time machine, and the deploy script.

    from jeton.devchain import LocalNode, deploy

    with LocalNode() as node:                 # anvil on a free port, stopped on exit
        deployment = deploy(node.url)         # `ape run deploy` against that node
        node.advance(3 * 24 * 3600)           # three days pass
        node.mine(50)                         # fifty blocks pass

`LocalNode` always stops the anvil it started: on a normal exit, on an exception, on Ctrl-C
and on SIGTERM (the node runs in its own process group, which is stopped as a whole).
`LocalNode.attach(url)` wraps a node that is already running, with the same helpers and no
process of its own. `deploy` runs the project's deploy script with Ape, from the project root.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from eth_account import Account
from web3 import HTTPProvider, Web3

from .contracts import Deployment
from .errors import JetonError
from .parsing import parse_address
from .wallet import Wallet

#: The mnemonic of anvil's (and Ape's) funded test accounts.
DEFAULT_MNEMONIC = "test test test test test test test test test test test junk"
#: anvil's chain id.
ANVIL_CHAIN_ID = 31337


class DevChainError(JetonError):
    """The local node could not be started or used, or the deploy script failed."""


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


# ---------------------------------------------------------------------- the project


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


def find_anvil(root: Path | None = None) -> str:
    """The anvil executable: the project's npm install (its native binary when it can be found,
    so that the node is this process's own child; else `node_modules/.bin/anvil`), else the
    one on PATH."""
    try:
        root = root or project_root()
    except DevChainError:
        root = None
    if root is not None:
        modules = root / "node_modules"
        for native in sorted(modules.glob("@foundry-rs/anvil-*/bin/anvil")):
            if native.is_file() and os.access(native, os.X_OK):
                return str(native)
        local = modules / ".bin" / "anvil"
        if local.exists() and os.access(local, os.X_OK):
            return str(local)
    found = shutil.which("anvil")
    if found:
        return found
    raise DevChainError(
        "anvil is not installed: run `make setup` (npm installs it into node_modules/.bin) "
        "or put Foundry's anvil on PATH"
    )


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether nothing listens on `port`: a server could bind it (as servers do, with
    SO_REUSEADDR, which lets closed connections of an old server linger)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def test_wallet(index: int, mnemonic: str = DEFAULT_MNEMONIC) -> Wallet:
    """Test account `index` of the node's mnemonic (anvil's funded accounts 0..9)."""
    Account.enable_unaudited_hdwallet_features()
    account = Account.from_mnemonic(mnemonic, account_path=f"m/44'/60'/0'/0/{index}")
    return Wallet(account)


# ---------------------------------------------------------------------- the node


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Runs in the child before exec: a session of its own (so that Ctrl-C reaches Python,
    which stops the node, and the group can be stopped as a whole); on Linux also SIGTERM when
    the thread that started it dies, so that even a killed Python leaves no node behind (start
    a LocalNode from a thread that outlives it: the main thread, as `with` blocks do)."""
    os.setsid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


class LocalNode:
    """An anvil node on a free port, started and stopped with the `with` block.

    `url` is its RPC URL. `mine(n)` and `advance(seconds)` move its blocks and clock.
    `LocalNode.attach(url)` gives the same helpers for a node that runs already.
    """

    def __init__(
        self,
        *,
        port: int | None = None,
        host: str = "127.0.0.1",
        anvil: str | None = None,
        accounts: int = 10,
        balance_eth: int = 10_000,
        mnemonic: str = DEFAULT_MNEMONIC,
        extra_args: tuple[str, ...] | list[str] = (),
        log_path: Path | str | None = None,
        startup_timeout: float = 30.0,
    ):
        self.host = host
        self.port = port
        self.anvil = anvil
        self.accounts = accounts
        self.balance_eth = balance_eth
        self.mnemonic = mnemonic
        self.extra_args = list(extra_args)
        self.log_path = Path(log_path) if log_path else None
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen | None = None
        self._url: str | None = None
        self._log_handle: Any = None
        self._own_log = False
        self._w3: Web3 | None = None
        self._old_sigterm: Any = None

    @classmethod
    def attach(cls, url: str) -> LocalNode:
        """The helpers for a node already running at `url` (nothing is started or stopped)."""
        node = cls()
        node._url = url
        node._connect_check()
        return node

    # -------------------------------------------------------------- lifecycle

    @property
    def url(self) -> str:
        """The node's HTTP RPC URL."""
        if self._url is None:
            raise DevChainError("the node is not started: use `with LocalNode() as node:`")
        return self._url

    @property
    def running(self) -> bool:
        """Whether the anvil this object started is still running."""
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def start(self) -> LocalNode:
        """Start anvil and wait until it answers; try another free port if one is taken."""
        if self.process is not None:
            raise DevChainError("this node is started already")
        executable = self.anvil or find_anvil()
        last_error = ""
        for _attempt in range(5):
            port = self.port or free_port(self.host)
            if not port_is_free(port, self.host):
                if self.port:
                    raise DevChainError(f"port {port} is taken: choose another or leave it unset")
                continue
            self._open_log()
            args = [
                executable,
                "--host", self.host,
                "--port", str(port),
                "--accounts", str(self.accounts),
                "--balance", str(self.balance_eth),
                "--mnemonic", self.mnemonic,
                *self.extra_args,
            ]  # fmt: skip
            try:
                self.process = subprocess.Popen(
                    args,
                    stdin=subprocess.DEVNULL,
                    stdout=self._log_handle,
                    stderr=subprocess.STDOUT,
                    preexec_fn=_die_with_parent,  # its own session, and a death signal
                )
            except OSError as exc:
                self._close_log()
                raise DevChainError(f"could not run {executable}: {exc}") from exc
            self._url = f"http://{self.host}:{port}"
            self._install_sigterm()
            try:
                self._wait_ready()
                return self
            except DevChainError as exc:
                last_error = str(exc)
                self.stop()
                if self.port:
                    break
            except BaseException:
                self.stop()
                raise
        raise DevChainError(f"anvil did not start: {last_error}")

    def stop(self) -> None:
        """Stop the node (its whole process group); safe to call twice."""
        process, self.process = self.process, None
        if process is not None:
            if process.poll() is None:
                self._signal_group(process, signal.SIGTERM)
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self._signal_group(process, signal.SIGKILL)
                    process.wait(timeout=5)
            # The node wrapper may leave its child behind a moment longer: stop the group.
            self._signal_group(process, signal.SIGKILL)
        self._restore_sigterm()
        self._close_log()
        self._w3 = None

    def __enter__(self) -> LocalNode:
        return self.start()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    def __del__(self) -> None:  # a forgotten node still stops
        with contextlib.suppress(Exception):
            self.stop()

    def log_tail(self, lines: int = 20) -> str:
        """The last lines anvil printed (for error messages)."""
        if not self.log_path or not self.log_path.exists():
            return ""
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    @staticmethod
    def _signal_group(process: subprocess.Popen, sig: int) -> None:
        # The node runs in its own session: its process group id is its pid.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, sig)

    def _open_log(self) -> None:
        self._close_log()
        if self.log_path is None or self._own_log:
            handle = tempfile.NamedTemporaryFile(prefix="jeton-anvil-", suffix=".log", delete=False)
            self.log_path = Path(handle.name)
            self._own_log = True
            self._log_handle = handle
        else:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log_handle = open(self.log_path, "wb")  # closed in stop()

    def _close_log(self) -> None:
        if self._log_handle is not None:
            self._log_handle.close()
            self._log_handle = None
        if self._own_log and self.process is None and self.log_path is not None:
            with contextlib.suppress(OSError):
                self.log_path.unlink()

    def _install_sigterm(self) -> None:
        """SIGTERM becomes SystemExit, so that `with` blocks (and this node) are cleaned up."""
        if threading.current_thread() is not threading.main_thread():
            return
        if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
            return

        def on_sigterm(signum: int, frame: Any) -> None:
            raise SystemExit(128 + signum)

        self._old_sigterm = signal.signal(signal.SIGTERM, on_sigterm)

    def _restore_sigterm(self) -> None:
        if self._old_sigterm is not None and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self._old_sigterm)
        self._old_sigterm = None

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise DevChainError(
                    f"anvil exited with code {self.process.returncode}: {self.log_tail()}"
                )
            try:
                self.rpc("eth_chainId", [])
                return
            except DevChainError:
                time.sleep(0.05)
        raise DevChainError(f"anvil did not answer at {self._url} within {self.startup_timeout}s")

    def _connect_check(self) -> None:
        try:
            self.rpc("eth_chainId", [])
        except DevChainError as exc:
            raise DevChainError(f"no Ethereum node answers at {self._url}: is it running?") from exc

    # -------------------------------------------------------------- RPC

    @property
    def w3(self) -> Web3:
        """A web3 connection to the node."""
        if self._w3 is None:
            self._w3 = Web3(HTTPProvider(self.url, request_kwargs={"timeout": 30}))
        return self._w3

    def rpc(self, method: str, params: list[Any] | None = None) -> Any:
        """One JSON-RPC call; DevChainError if the node is unreachable or refuses it."""
        try:
            response = self.w3.provider.make_request(method, params or [])  # type: ignore[arg-type]
        except Exception as exc:  # connection refused, timeouts: all mean "no node"
            raise DevChainError(f"{method} to {self.url} failed: {exc}") from exc
        if "error" in response:
            error = response["error"]
            message = error.get("message", error) if isinstance(error, dict) else error
            raise DevChainError(f"{method} refused by {self.url}: {message}")
        return response.get("result")

    def chain_id(self) -> int:
        return int(self.rpc("eth_chainId"), 16)

    def block_number(self) -> int:
        return int(self.rpc("eth_blockNumber"), 16)

    def timestamp(self) -> int:
        """The latest block's timestamp."""
        return int(self.rpc("eth_getBlockByNumber", ["latest", False])["timestamp"], 16)

    def mine(self, blocks: int = 1) -> int:
        """Mine `blocks` empty blocks at once (anvil_mine); returns the new block number."""
        if blocks > 0:
            self.rpc("anvil_mine", [hex(blocks)])
        return self.block_number()

    def advance(self, seconds: int) -> int:
        """Move the clock `seconds` ahead and mine a block there; returns its timestamp."""
        if seconds > 0:
            self.rpc("evm_increaseTime", [int(seconds)])
        self.rpc("evm_mine", [])
        return self.timestamp()

    def set_balance(self, address: str, wei: int) -> None:
        """Give `address` exactly `wei` of ETH (anvil_setBalance)."""
        self.rpc("anvil_setBalance", [parse_address(address), hex(wei)])

    def snapshot(self) -> str:
        """A snapshot id to `revert` to (evm_snapshot)."""
        return self.rpc("evm_snapshot")

    def revert(self, snapshot_id: str) -> bool:
        return bool(self.rpc("evm_revert", [snapshot_id]))


# ---------------------------------------------------------------------- deployment


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
) -> Deployment:
    """Deploy the whole system on the node at `rpc_url` with `ape run deploy`.

    The script reads `config_path` (default: the project's deploy-config.json) and writes
    `<deployments_dir>/<chain-id>.json` (default: the project's deployments/ folder), which is
    loaded and returned. Ape takes the URL itself as its network (`--network http://...`): a
    network with the node's own chain id. Runs from the project root; raises DevChainError with
    the script's last lines if it fails.
    """
    root = Path(root).resolve() if root else project_root()
    ape = find_ape(root)
    directory = Path(deployments_dir).resolve() if deployments_dir else root / "deployments"
    extra = {"JETON_DEPLOYMENTS_DIR": str(directory)}
    if config_path is not None:
        config = Path(config_path).resolve()
        if not config.is_file():
            raise DevChainError(f"no deploy config at {config}")
        extra["JETON_DEPLOY_CONFIG"] = str(config)
    if profile:
        extra["JETON_DEPLOY_PROFILE"] = profile

    chain_id = LocalNode.attach(rpc_url).chain_id()
    target = directory / f"{chain_id}.json"
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
