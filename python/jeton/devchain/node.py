"""The node process: anvil started on a free (or given) port and always stopped.

`LocalNode` stops the anvil it started on a normal exit, on an exception, on Ctrl-C and on
SIGTERM (the node runs in its own process group, which is stopped as a whole); it has every
helper of `DevChain` (mine, advance, fund...).
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

from ..errors import DevChainError
from .chain import DEFAULT_MNEMONIC, DevChain
from .project import project_root


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


class LocalNode(DevChain):
    """An anvil node on a free port (or `port`), started and stopped with the `with` block.

    `url` is its RPC URL. `mine(n)`, `advance(seconds)` and `fund(address, wei)` move its
    blocks, clock and balances (see `DevChain`). `LocalNode.attach(url)` gives the same
    helpers for a node that runs already.
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
        super().__init__()
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
        self._log_handle: Any = None
        self._own_log = False
        self._old_sigterm: Any = None

    # -------------------------------------------------------------- lifecycle

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
            self._method_prefix = "anvil"  # started here: anvil's powers are known
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
