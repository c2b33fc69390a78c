"""The web app's HTTP server: the page's files, built into `static/`, and the JSON API.

Bound to 127.0.0.1 by default. Every answer carries a Content-Security-Policy that allows
scripts, styles and requests from the app's own origin only (no inline script, no eval, no
other host); requests whose Host header names another host are refused, so that a web page
elsewhere can not read the API through DNS rebinding.
"""

from __future__ import annotations

import json
import mimetypes
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests
from web3.exceptions import ProviderConnectionError

from ..errors import ContractError, JetonError, NodeUnreachable
from .api import Api, BadRequest, NotFound, error_record

#: Where `make web` (web/build.mjs) writes the bundled page.
STATIC_DIR = Path(__file__).resolve().parent / "static"

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)

#: Files the page is made of, by URL path.
STATIC_FILES = {
    "/": "index.html",
    "/index.html": "index.html",
    "/app.js": "app.js",
    "/app.css": "app.css",
    "/favicon.svg": "favicon.svg",
}

_NODE_DOWN = (requests.exceptions.ConnectionError, requests.exceptions.Timeout)


class StaticFilesMissing(JetonError):
    """The page has not been built: run `make web` (or `node web/build.mjs`)."""


class WebServer(ThreadingHTTPServer):
    """The app's server: `api` answers /api/..., `static_dir` holds the page.

    >>> with WebServer(api, port=0) as server:   # a free port
    ...     server.start()                        # serve from a thread
    ...     print(server.url)
    """

    daemon_threads = True

    def __init__(
        self,
        api: Api,
        host: str = "127.0.0.1",
        port: int = 0,
        static_dir: Path = STATIC_DIR,
    ):
        missing = [name for name in set(STATIC_FILES.values()) if not (static_dir / name).is_file()]
        if missing:
            raise StaticFilesMissing(
                f"the page is not built ({', '.join(sorted(missing))} missing in {static_dir}): "
                "run `make web` in the project, or `node web/build.mjs`"
            )
        self.api = api
        self.static_dir = static_dir
        self._thread: threading.Thread | None = None
        super().__init__((host, port), _Handler)
        bound_host, bound_port = self.server_address[:2]
        self.allowed_hosts = {
            f"{name}:{bound_port}" for name in ("127.0.0.1", "localhost", "[::1]", str(bound_host))
        }

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that went away mid-answer (a closed tab) is no error; others are."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):
            super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> WebServer:
        """Serve from a background thread (stopped by `stop` or the `with` block's end)."""
        self._thread = threading.Thread(target=self.serve_forever, name="jeton-web", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.server_close()

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    server: WebServer
    server_version = "jeton-web"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base's name)
        """Quiet: the command prints its own lines."""

    def do_GET(self) -> None:  # noqa: N802 (the base class's naming)
        if self.headers.get("Host") not in self.server.allowed_hosts:
            self._send_json(HTTPStatus.MISDIRECTED_REQUEST, {"error": _plain("WrongHost", "")})
            return
        parts = urlsplit(self.path)
        if parts.path.startswith("/api/"):
            self._api(parts.path, dict(parse_qsl(parts.query)))
        elif parts.path in STATIC_FILES:
            self._static(STATIC_FILES[parts.path])
        else:
            self._send_json(HTTPStatus.NOT_FOUND, {"error": _plain("NotFound", parts.path)})

    def do_HEAD(self) -> None:  # noqa: N802
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, b"", "text/plain")

    def _api(self, path: str, query: dict[str, str]) -> None:
        try:
            payload = self.server.api.answer(path, query)
        except NotFound as exc:
            self._send_json(HTTPStatus.NOT_FOUND, {"error": _plain("NotFound", str(exc))})
        except (NodeUnreachable, *_NODE_DOWN, ProviderConnectionError) as exc:
            detail = " ".join(str(exc).split())[:200]
            self._send_json(HTTPStatus.BAD_GATEWAY, {"error": _plain("NodeUnreachable", detail)})
        except ContractError as exc:
            self._send_json(HTTPStatus.UNPROCESSABLE_ENTITY, {"error": error_record(exc)})
        except (BadRequest, JetonError, ValueError) as exc:
            self._send_json(HTTPStatus.BAD_REQUEST, {"error": _plain("BadRequest", str(exc))})
        else:
            self._send_json(HTTPStatus.OK, payload)

    def _static(self, name: str) -> None:
        body = (self.server.static_dir / name).read_bytes()
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind == "application/javascript":
            kind += "; charset=utf-8"
        self._send(HTTPStatus.OK, body, kind, cache="no-cache")

    def _send_json(self, status: HTTPStatus, payload: Any) -> None:
        body = json.dumps(payload, separators=(",", ":")).encode()
        self._send(status, body, "application/json", cache="no-store")

    def _send(self, status: HTTPStatus, body: bytes, kind: str, cache: str = "no-store") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Frame-Options", "DENY")
        self.end_headers()
        self.wfile.write(body)


def _plain(name: str, message: str) -> dict[str, str]:
    return {"name": name, "message": message}


__all__ = ["CONTENT_SECURITY_POLICY", "STATIC_DIR", "StaticFilesMissing", "WebServer"]
