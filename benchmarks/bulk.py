"""Tasks set up in bulk for the benchmarks: thousands of lifecycles in minutes.

The node's unlocked test accounts sign (`eth_sendTransaction`), the transactions of one phase
(every post, then every claim, every submission, every approval) go in JSON-RPC batches while
automatic mining is off, and blocks are mined until the pool is empty. Each task is a real
lifecycle with its real events; only the signing and the mining are fast-tracked.
"""

from __future__ import annotations

from dataclasses import dataclass

import requests

WAD = 10**18
BATCH = 500
ZERO = "0x" + "00" * 20


def rpc(url: str, calls: list[tuple[str, list]]) -> list:
    """A JSON-RPC batch: [(method, params)] -> results (raising on any error)."""
    body = [{"jsonrpc": "2.0", "id": i, "method": m, "params": p} for i, (m, p) in enumerate(calls)]
    answers = sorted(requests.post(url, json=body, timeout=600).json(), key=lambda a: a["id"])
    errors = [a["error"] for a in answers if "error" in a]
    assert not errors, errors[:3]
    return [a["result"] for a in answers]


@dataclass
class Bulk:
    """Posts and completes tasks in bulk on the node at `url` for the escrow `escrow` (a web3.py
    contract), paid in `token` by `client`, worked by `workers` in turn (unlocked accounts).
    One client posts them all, so that its nonces give the tasks their ids in order."""

    url: str
    escrow: object
    token: object
    client: str
    workers: list[str]
    amount: int = WAD

    def tasks(self, count: int, complete: bool = True) -> list[int]:
        """Post `count` tasks (no claim bond) and, if `complete`, take each through claim,
        submit and approve; returns their ids."""
        if count <= 0:
            return []
        first = int(self.escrow.functions.taskCount().call()) + 1
        ids = list(range(first, first + count))
        (head,) = rpc(self.url, [("eth_getBlockByNumber", ["latest", False])])
        deadline = int(head["timestamp"], 16) + 365 * 86_400
        escrow = self.escrow.functions
        approve = _data(self.token.functions.approve(self.escrow.address, count * self.amount))
        self._phase(self.token.address, [(self.client, approve)], 100_000)
        post = _data(
            escrow.postTaskWithBond(
                self.token.address, self.amount, deadline, 0, b"\x01" * 32, ZERO, 0
            )
        )
        self._phase(self.escrow.address, [(self.client, post) for i in ids], 300_000)
        if complete:
            worker_of = {i: self.workers[n % len(self.workers)] for n, i in enumerate(ids)}
            to = self.escrow.address
            claims = [(worker_of[i], _data(escrow.claim(i))) for i in ids]
            self._phase(to, claims, 120_000)
            submits = [(worker_of[i], _data(escrow.submit(i, b"\x02" * 32))) for i in ids]
            self._phase(to, submits, 80_000)
            self._phase(to, [(self.client, _data(escrow.approve(i))) for i in ids], 400_000)
            status = escrow.getTask(ids[-1]).call()[3]
            assert status == 5, f"the bulk lifecycles did not complete (status {status})"
        return ids

    def _phase(self, to: str, sends: list[tuple[str, str]], gas: int) -> None:
        """Send every (sender, calldata) to `to`, then mine them all."""
        senders = list(dict.fromkeys(sender for sender, _ in sends))
        counts = rpc(self.url, [("eth_getTransactionCount", [s, "pending"]) for s in senders])
        nonces = {s: int(n, 16) for s, n in zip(senders, counts, strict=True)}
        txs = []
        for sender, data in sends:
            tx = {"from": sender, "to": to, "data": data, "gas": hex(gas), "gasPrice": "0x0"}
            txs.append({**tx, "nonce": hex(nonces[sender])})
            nonces[sender] += 1
        (block,) = rpc(self.url, [("eth_getBlockByNumber", ["latest", False])])
        base_fee = block.get("baseFeePerGas", "0x0")
        rpc(self.url, [("evm_setAutomine", [False]), ("anvil_setNextBlockBaseFeePerGas", ["0x0"])])
        try:
            for start in range(0, len(txs), BATCH):  # the pool holds one batch at a time
                rpc(self.url, [("eth_sendTransaction", [tx]) for tx in txs[start : start + BATCH]])
                while int(rpc(self.url, [("txpool_status", [])])[0]["pending"], 16):
                    # Full blocks would raise the base fee past what the pending transactions
                    # offer, and they would wait for ever: these blocks charge none.
                    rpc(self.url, [("anvil_setNextBlockBaseFeePerGas", ["0x0"])])
                    rpc(self.url, [("anvil_mine", ["0x1"])])
        finally:
            rpc(self.url, [("evm_setAutomine", [True])])
            rpc(self.url, [("anvil_setNextBlockBaseFeePerGas", [base_fee])])


def _data(fn) -> str:
    """The calldata of a web3.py contract call, as 0x hex."""
    return fn._encode_transaction_data()
