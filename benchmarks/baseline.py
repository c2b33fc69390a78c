"""What the library is measured against: bare web3.py doing the same work, written as a
script that knows what it does would write it.

- `BareSender` sends the lifecycle's transactions with web3.py and eth-account alone: nonces
  counted locally from one read, fees read once, fixed gas limits (no estimate, no simulation,
  no pre-flight read), one `nonces()` read per permit, and web3.py's own wait for the receipt
  (polling every 5 ms: a local node mines at once). It checks nothing: it is the floor.
- `bare_timelines` and `bare_earnings` fetch the same events with web3.py's ranged `get_logs`
  (one query per kind of event and block window) and its decoding.

`counting()` counts the JSON-RPC requests and HTTP round trips any of them sends.
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from eth_account import Account
from jeton.eip712 import domain_type, erc5267_domain
from jeton.history import DEFAULT_PAGE
from jeton.permits import PERMIT_TYPE
from web3 import Web3
from web3._utils.http_session_manager import HTTPSessionManager

ZERO = "0x" + "00" * 20
#: Gas limits of the bare lifecycle's transactions (generous: a script that does not estimate).
GAS = {"post": 400_000, "claim": 150_000, "submit": 100_000, "approve": 400_000}


@contextlib.contextmanager
def counting() -> Iterator[Counter]:
    """Count the JSON-RPC requests (by method, and "requests" in all) and the HTTP round trips
    ("round trips") that web3.py's HTTP providers send while the block runs."""
    counts: Counter = Counter()
    original = HTTPSessionManager.make_post_request

    def counted(self: Any, uri: str, data: Any, **kwargs: Any) -> Any:
        body = json.loads(data)
        for item in body if isinstance(body, list) else [body]:
            counts[item["method"]] += 1
            counts["requests"] += 1
        counts["round trips"] += 1
        return original(self, uri, data, **kwargs)

    HTTPSessionManager.make_post_request = counted  # type: ignore[method-assign]
    try:
        yield counts
    finally:
        HTTPSessionManager.make_post_request = original  # type: ignore[method-assign]


class BareSender:
    """The lifecycle sent by bare web3.py, by `client_key` and `worker_key` (see the module)."""

    def __init__(self, w3: Web3, escrow: Any, token: Any, client_key: str, worker_key: str):
        self.w3, self.escrow, self.token = w3, escrow, token
        self.client, self.worker = Account.from_key(client_key), Account.from_key(worker_key)
        self.nonces = {
            a.address: w3.eth.get_transaction_count(a.address) for a in (self.client, self.worker)
        }
        block = w3.eth.get_block("latest")
        tip = w3.eth.max_priority_fee
        self.fees = {"maxPriorityFeePerGas": tip, "maxFeePerGas": 4 * block["baseFeePerGas"] + tip}
        self.deadline = block["timestamp"] + 365 * 86_400
        self.domain = erc5267_domain(token.functions.eip712Domain().call())
        #: The id of the last task its lifecycle took.
        self.task_id = 0

    def lifecycle(self, amount: int) -> dict[str, int]:
        """Post (with a permit), claim, submit, approve; the gas of each."""
        escrow, client = self.escrow.functions, self.client
        typed = {
            "types": {"EIP712Domain": domain_type(self.domain), "Permit": PERMIT_TYPE},
            "primaryType": "Permit",
            "domain": self.domain,
            "message": {
                "owner": client.address,
                "spender": self.escrow.address,
                "value": amount,
                "nonce": self.token.functions.nonces(client.address).call(),
                "deadline": self.deadline,
            },
        }
        signed = client.sign_typed_data(full_message=typed)
        post = escrow.postTaskWithBondAndPermit(
            self.token.address, amount, self.deadline, 0, b"\x01" * 32, ZERO, 0,
            self.deadline, signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big"),
        )  # fmt: skip
        posted = self._send(client, post, GAS["post"])
        escrow_logs = [log for log in posted["logs"] if log["address"] == self.escrow.address]
        task_id = int.from_bytes(escrow_logs[0]["topics"][1], "big")
        self.task_id = task_id
        claimed = self._send(self.worker, escrow.claim(task_id), GAS["claim"])
        submitted = self._send(self.worker, escrow.submit(task_id, b"\x02" * 32), GAS["submit"])
        approved = self._send(client, escrow.approve(task_id), GAS["approve"])
        return {
            "post (permit)": posted["gasUsed"],
            "claim": claimed["gasUsed"],
            "submit": submitted["gasUsed"],
            "approve": approved["gasUsed"],
        }

    def _send(self, account: Any, fn: Any, gas: int) -> Any:
        nonce = self.nonces[account.address]
        self.nonces[account.address] = nonce + 1
        tx = fn.build_transaction(
            {"from": account.address, "nonce": nonce, "gas": gas, "chainId": 31337, **self.fees}
        )
        tx_hash = self.w3.eth.send_raw_transaction(account.sign_transaction(tx).raw_transaction)
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, poll_latency=0.005)
        assert receipt["status"] == 1
        return receipt


def _windows(start: int, head: int) -> Iterator[tuple[int, int]]:
    for low in range(start, head + 1, DEFAULT_PAGE):
        yield low, min(low + DEFAULT_PAGE - 1, head)


def bare_timelines(w3: Web3, escrow: Any, start: int, names: list[str]) -> dict[int, list]:
    """Every task's events by id, from web3.py's `get_logs` of each kind of task event in
    windows of blocks, decoded by web3.py."""
    head = w3.eth.block_number
    by_task: dict[int, list] = defaultdict(list)
    for name in names:
        event = escrow.events[name]
        for low, high in _windows(start, head):
            for log in event.get_logs(from_block=low, to_block=high):
                by_task[log["args"]["taskId"]].append(log)
    for logs in by_task.values():
        logs.sort(key=lambda log: (log["blockNumber"], log["logIndex"]))
    return by_task


def bare_earnings(w3: Web3, escrow: Any, start: int, worker: str) -> dict[str, int]:
    """A worker's totals from web3.py's `get_logs` of its TaskCompleted events and of every
    TaskResolved event, in windows of blocks (one token assumed: bare does not look)."""
    head = w3.eth.block_number
    totals: Counter = Counter()
    for low, high in _windows(start, head):
        completed = escrow.events.TaskCompleted.get_logs(
            argument_filters={"worker": worker}, from_block=low, to_block=high
        )
        resolved = escrow.events.TaskResolved.get_logs(from_block=low, to_block=high)
        for log in [*completed, *resolved]:
            totals["tasks"] += 1
            for key in ("workerAmount", "fee", "reward"):
                totals[key] += log["args"][key]
    return dict(totals)
