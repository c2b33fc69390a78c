"""The node, spoken to directly: JSON-RPC requests in batches, one HTTP round trip each.

web3.py's request pipeline (middlewares, result formatters) costs more per request than the
node does to answer a simple one, and its batches stop at the first failed request. The client
sends what it needs in one batch (`Rpc.batch`) and reads each answer for itself, so a refused
simulation does not hide the reads that travelled with it; calls are encoded by web3's contract
objects and decoded by eth-abi (`Rpc.calls`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import requests
from eth_abi import decode as abi_decode
from eth_utils.abi import collapse_if_tuple
from web3 import HTTPProvider, Web3
from web3.contract.contract import ContractFunction

from .errors import JetonError, NodeUnreachable


class NodeProvider(HTTPProvider):
    """web3's HTTP provider, with a node that does not answer reported as `NodeUnreachable`
    (for single and batched requests alike)."""

    def make_request(self, method: Any, params: Any) -> Any:
        with self._reachable():
            return super().make_request(method, params)

    def make_batch_request(self, batch_requests: Any) -> Any:
        with self._reachable():
            return super().make_batch_request(batch_requests)

    @contextmanager
    def _reachable(self) -> Iterator[None]:
        try:
            yield
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise NodeUnreachable(
                f"no Ethereum node answers at {self.endpoint_uri}: is it running? (a local "
                f"one starts with `jeton node`) [{type(exc).__name__}]"
            ) from None


@dataclass(frozen=True)
class RpcFailure:
    """A request of a batch that the node refused: its JSON-RPC error object."""

    code: int
    message: str
    data: Any = None

    @property
    def revert_data(self) -> bytes | None:
        """The revert's bytes when the failure is a revert that carries data, else None."""
        data = self.data.get("data") if isinstance(self.data, dict) else self.data
        if isinstance(data, str) and data.startswith("0x"):
            return bytes.fromhex(data[2:])
        return None


class NodeRefused(JetonError):
    """The node refused a request for another reason than a contract's revert (the node's
    message says why: a nonce already used, a fee too low, a range too wide...)."""

    def __init__(self, method: str, failure: RpcFailure):
        self.method, self.failure = method, failure
        super().__init__(f"the node refused {method}: {failure.message} (code {failure.code})")


#: What `Rpc.batch` takes: (method, params).
Request = tuple[str, list[Any]]


class Rpc:
    """Raw JSON-RPC over the connection's provider: one HTTP request per `batch`."""

    def __init__(self, w3: Web3):
        self.w3 = w3
        #: HTTP round trips and JSON-RPC requests sent through this object (for benchmarks).
        self.round_trips = 0
        self.requests = 0

    def batch(self, requests_: Sequence[Request]) -> list[Any]:
        """The answers to `requests_`, in order, in one HTTP round trip: each one's result, or
        an `RpcFailure` for a request the node refused."""
        if not requests_:
            return []
        self.round_trips += 1
        self.requests += len(requests_)
        provider = self.w3.provider
        if len(requests_) == 1:
            return [_answer(provider.make_request(*requests_[0]))]  # type: ignore[arg-type]
        answers = provider.make_batch_request(list(requests_))  # type: ignore[attr-defined]
        if not isinstance(answers, list):  # the node refused the batch as a whole
            failure = _answer(answers)
            return [failure] * len(requests_)
        return [_answer(a) for a in answers]

    def request(self, method: str, params: list[Any]) -> Any:
        """The result of one request (NodeRefused if the node refuses it)."""
        (answer,) = self.batch([(method, params)])
        if isinstance(answer, RpcFailure):
            raise NodeRefused(method, answer)
        return answer

    def calls(
        self, fns: Sequence[ContractFunction], block: str = "latest", sender: str | None = None
    ) -> list[Any]:
        """The results of view calls `fns` in one round trip, decoded (a function with one
        output gives that value, with several a tuple); a reverted call gives its RpcFailure."""
        answers = self.batch([call_request(fn, block, sender) for fn in fns])
        return [
            answer if isinstance(answer, RpcFailure) else decode_result(fn, answer)
            for fn, answer in zip(fns, answers, strict=True)
        ]


def call_request(fn: ContractFunction, block: str = "latest", sender: str | None = None) -> Request:
    """The eth_call request of `fn`."""
    tx: dict[str, Any] = {"to": fn.address, "data": fn._encode_transaction_data()}
    if sender:
        tx["from"] = sender
    return ("eth_call", [tx, block])


def decode_result(fn: ContractFunction, result: str) -> Any:
    """`fn`'s return data (hex) as Python values: addresses as lower-case hex strings, as
    eth-abi gives them."""
    outputs = fn.abi.get("outputs", [])
    values = abi_decode([collapse_if_tuple(o) for o in outputs], bytes.fromhex(result[2:]))
    return values[0] if len(values) == 1 else tuple(values)


def _answer(response: dict[str, Any]) -> Any:
    if "error" in response:
        error = response["error"]
        if not isinstance(error, dict):
            return RpcFailure(-1, str(error))
        return RpcFailure(
            int(error.get("code", -1)), str(error.get("message", "")), error.get("data")
        )
    return response.get("result")


def quantity(value: str | int) -> int:
    """A JSON-RPC quantity ("0x1a") as an int."""
    return value if isinstance(value, int) else int(value, 16)
