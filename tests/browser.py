"""What the browser tests share: the headless Chromium (unpacked from the npm package by
`make browser`), the web app served on the test chain, and the wallet injected into the page.

The wallet is an EIP-1193 provider that a page's init script defines and announces with
EIP-6963; each request goes to `BrowserWallet.handle` in Python (a Playwright binding), which
answers accounts and chain requests itself, can decline the next signature (EIP-1193 error
4001), and forwards everything else to the anvil node, whose test accounts are unlocked (so
eth_sendTransaction and eth_signTypedData_v4 sign there). It records every request, so a test
can check that nothing was signed or sent.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]

#: Requests that ask the user to sign (a real wallet shows a dialog for each).
SIGNING = ("eth_sendTransaction", "eth_signTypedData_v4", "personal_sign")

WALLET_SCRIPT = """
(() => {
  const listeners = {};
  const emit = (name, value) => (listeners[name] || []).forEach((fn) => fn(value));
  const provider = {
    isJetonTestWallet: true,
    async request({ method, params }) {
      const answer = await window.__jetonWallet({ method, params: params || [] });
      for (const [name, value] of answer.events || []) emit(name, value);
      if (answer.error) {
        const error = new Error(answer.error.message);
        error.code = answer.error.code;
        if (answer.error.data !== undefined) error.data = answer.error.data;
        throw error;
      }
      return answer.result;
    },
    on(name, fn) { (listeners[name] = listeners[name] || []).push(fn); },
    removeListener(name, fn) {
      listeners[name] = (listeners[name] || []).filter((f) => f !== fn);
    },
  };
  const info = Object.freeze({
    uuid: "5b0c4a52-3f9e-4b1e-9c55-7d7f2e3f1a01",
    name: "Jeton Test Wallet",
    icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E",
    rdns: "org.jeton.testwallet",
  });
  const announce = () => window.dispatchEvent(
    new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
})();
"""


def chromium_path() -> str:
    """The headless Chromium `make browser` unpacked (or JETON_CHROMIUM)."""
    path = Path(os.environ.get("JETON_CHROMIUM", ROOT / ".browser" / "chromium"))
    if not path.is_file():
        raise RuntimeError(
            f"no Chromium at {path}: run `make browser` (it unpacks the one the npm package "
            "@sparticuz/chromium ships)"
        )
    return str(path)


#: Chromium's flags: no sandbox (it needs privileges a test run lacks), headless, no GPU.
#: Not --single-process: closing one browser context then takes the whole browser down.
LAUNCH_ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu"]


@dataclass
class BrowserWallet:
    """The Python side of the injected wallet, for one account."""

    account: str
    rpc_url: str
    #: The chain the wallet is on, and the chains it knows (can switch to without adding).
    chain_id: int = 31337
    known_chains: set[int] = field(default_factory=lambda: {31337})
    #: Methods whose next request the user declines (EIP-1193 error 4001).
    decline: list[str] = field(default_factory=list)
    #: Every request the page made, in order: (method, params).
    requests: list[tuple[str, list[Any]]] = field(default_factory=list)

    def methods(self) -> list[str]:
        return [method for method, _ in self.requests]

    def signed(self) -> list[str]:
        """The signing requests the wallet received (declined ones included)."""
        return [m for m in self.methods() if m in SIGNING]

    def handle(self, source: Any, payload: dict[str, Any]) -> dict[str, Any]:
        method, params = payload["method"], list(payload.get("params") or [])
        self.requests.append((method, params))
        if method in ("eth_requestAccounts", "eth_accounts"):
            if method in self.decline:
                self.decline.remove(method)
                return _rejected()
            return {"result": [self.account]}
        if method == "eth_chainId":
            return {"result": hex(self.chain_id)}
        if method == "wallet_switchEthereumChain":
            wanted = int(params[0]["chainId"], 16)
            if wanted not in self.known_chains:
                return {"error": {"code": 4902, "message": f"Unrecognized chain ID {hex(wanted)}"}}
            self.chain_id = wanted
            return {"result": None, "events": [["chainChanged", hex(wanted)]]}
        if method == "wallet_addEthereumChain":
            self.known_chains.add(int(params[0]["chainId"], 16))
            return {"result": None}
        if method in self.decline:
            self.decline.remove(method)
            return _rejected()
        if method in SIGNING and self.chain_id != 31337:
            return {"error": {"code": -32000, "message": "the wallet is on another network"}}
        if method == "eth_signTypedData_v4" and isinstance(params[1], str):
            params = [params[0], json.loads(params[1])]
        return forward(self.rpc_url, method, params)


def _rejected() -> dict[str, Any]:
    return {"error": {"code": 4001, "message": "User rejected the request."}}


def forward(rpc_url: str, method: str, params: list[Any]) -> dict[str, Any]:
    """One JSON-RPC request to the node; its result or its error, as a wallet relays them."""
    body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
    try:
        answer = requests.post(rpc_url, json=body, timeout=30).json()
    except requests.RequestException as exc:
        return {"error": {"code": -32603, "message": f"the node does not answer: {exc}"}}
    if "error" in answer:
        return {"error": answer["error"]}
    return {"result": answer.get("result")}


@dataclass
class Tab:
    """A browser context (one person) with its page, wallet and console errors."""

    context: Any
    page: Any
    wallet: BrowserWallet | None
    errors: list[str]

    def goto(self, base_url: str, route: str) -> None:
        self.page.goto(f"{base_url}#/{route}")

    def assert_no_console_errors(self) -> None:
        assert self.errors == [], f"errors in the browser console: {self.errors}"


def open_tab(
    browser: Any,
    wallet: BrowserWallet | None = None,
    viewport: dict[str, int] | None = None,
) -> Tab:
    """A new context (its own storage) with a page, the wallet injected when given, and every
    console error and uncaught exception collected."""
    context = browser.new_context(viewport=viewport or {"width": 1200, "height": 900})
    if wallet is not None:
        context.expose_binding("__jetonWallet", wallet.handle)
        context.add_init_script(WALLET_SCRIPT)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    page.set_default_timeout(15_000)
    return Tab(context, page, wallet, errors)


class RpcProxy:
    """An HTTP relay to the node, which a test can take down and bring back on the same port:
    the node going away while the page is open."""

    def __init__(self, target: str):
        self.target = target
        self.port: int | None = None
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> RpcProxy:
        target = self.target

        class Relay(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                answer = requests.post(
                    target, data=body, headers={"Content-Type": "application/json"}, timeout=30
                )
                self.send_response(answer.status_code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port or 0), Relay)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@contextmanager
def relay(target: str) -> Iterator[RpcProxy]:
    proxy = RpcProxy(target).start()
    try:
        yield proxy
    finally:
        proxy.stop()


# ---------------------------------------------------------------------- driving the page

FINAL_STATES = ("done", "refused", "declined", "failed")


def connect(tab: Tab, base_url: str, route: str = "tasks") -> None:
    """Open `route` and connect the wallet; wait until the header shows the account and the
    view is drawn for it."""
    tab.goto(base_url, route)
    tab.page.click("[data-role=connect]")
    tab.page.wait_for_selector("#account[data-wallet=connected] [data-field=balance]")
    # The view is drawn again for the account (a form filled before that would be lost).
    tab.page.wait_for_selector("#main[data-wallet=connected]:not([aria-busy])", state="attached")


def confirm(page: Any) -> str:
    """Go through an action's panel (each review's "go" button) to its end; its final state."""
    panel = page.locator("#action")
    states = ", ".join(f"#action[data-state={s}]" for s in ("review", *FINAL_STATES))
    while True:
        try:
            page.wait_for_selector(states)
        except Exception as exc:
            raise AssertionError(f"the action did not end; the page shows:\n{shown(page)}") from exc
        state = panel.get_attribute("data-state")
        if state != "review":
            return state
        panel.locator("[data-role=go]").click()
        page.wait_for_selector("#action:not([data-state=review])")


def act(page: Any, selector: str) -> str:
    """Click the action button `selector` and go through its panel; the final state."""
    page.click(selector)
    return confirm(page)


def shown(page: Any) -> str:
    """What the page shows (the action panel, the banners, the main view), for messages."""
    return page.evaluate(
        "['action', 'banner', 'main'].map((id) => document.getElementById(id).innerText)"
        ".join('\\n----\\n')"
    )


def close_panel(page: Any) -> None:
    page.click("#action [data-role=close]")
    page.wait_for_selector("#action", state="hidden")


def field(page: Any, name: str) -> Any:
    """The element `[data-field=name]`."""
    return page.locator(f"[data-field={name}]")


def wait_for_view(page: Any, view: str, block: int | None = None) -> None:
    """Wait until the view `view` is drawn (at block `block` or later, when given)."""
    page.wait_for_selector(f"main[data-view={view}]:not([aria-busy])")
    if block is not None:
        until(page, f"Number(document.querySelector('main').dataset.block) >= {block}")


def until(page: Any, expression: str, timeout: float = 15.0) -> None:
    """Wait until the JavaScript `expression` is true in the page. (Playwright's
    wait_for_function evaluates its predicate with eval, which the app's Content-Security-Policy
    forbids; `evaluate` goes through the debugging protocol instead.)"""
    for _ in range(int(timeout * 10)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"still false after {timeout}s: {expression}")


def served(process: Any) -> dict[str, Any]:
    """What a `jeton --json web` subprocess prints once it serves (its URL, the node's RPC
    URL, the chain id, the deployments file): read from its stdout, one JSON document."""
    lines: list[str] = []
    while not "".join(lines).strip().endswith("}"):
        line = process.stdout.readline()
        if not line:
            tail = process.stderr.read()[-2000:] if process.stderr else ""
            raise RuntimeError(f"jeton web stopped before serving: {tail}")
        lines.append(line)
    return json.loads("".join(lines))
