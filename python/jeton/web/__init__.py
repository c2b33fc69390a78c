"""`jeton web`: the Jeton web app, served for a deployment.

Workers and DAO members meet Jeton in the browser, with the wallet they already have. The
server sends the page (built from `web/` by `make web` into `static/`) and answers a read-only
JSON API with the library (`api`), so the page, the command and the library show the same
figures; every write is built in the page and signed by the user's wallet: the server never
holds a key. `demo` plays the demo economy into a fresh local chain and serves it.

>>> from jeton import Jeton
>>> from jeton.web import Api, WebServer
>>> jeton = Jeton.connect("http://127.0.0.1:8545")
>>> with WebServer(Api(jeton, "http://127.0.0.1:8545"), port=8000) as server:
...     server.serve_forever()
"""

from .api import Api
from .server import STATIC_DIR, StaticFilesMissing, WebServer

__all__ = ["STATIC_DIR", "Api", "StaticFilesMissing", "WebServer"]
