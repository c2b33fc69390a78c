"""The connection: a node, a deployment and a wallet, and the one way transactions are sent.

Every transaction goes through `Jeton.prepare` and `Jeton.send` (`Jeton.transact` does both),
which simulate it first (the node's gas estimate) and raise the contract's custom error as a
Python exception instead of sending a transaction known to revert; check that the wallet can
pay for its gas; then sign, send, wait (with a timeout) and decode the events the transaction
emitted. The simulation travels in one batched round trip with everything the transaction needs
(nonce, fees, the wallet's ETH) and any reads the caller adds. A node that does not answer
raises `NodeUnreachable`, from the first call or any later one.

What can not change during a connection is read once: the chain id, the contract objects, each
token's symbol and decimals and its permit domain.
"""

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from eth_utils import keccak
from web3 import Web3
from web3.contract.contract import ContractFunction

from .contracts import Contracts, Deployment, load_abi
from .errors import (
    TIME_INPUTS,
    ContractError,
    DeploymentError,
    InsufficientGasFunds,
    TransactionFailed,
    TransactionTimeout,
    UnknownRevert,
    WalletError,
    decode_revert,
)
from .history import EventIndex
from .parsing import parse_address
from .rpc import (
    NodeProvider,
    NodeRefused,
    Request,
    Rpc,
    RpcFailure,
    call_request,
    decode_result,
    quantity,
)
from .types import Event, Timestamp, TxResult
from .units import TokenInfo
from .wallet import Wallet

DEFAULT_TIMEOUT = 120.0

#: Chain ids of local development chains (anvil's and Hardhat's/Ganache's).
DEVELOPMENT_CHAIN_IDS = (31337, 1337)


#: Longest pause between two polls for a receipt (the first polls come sooner).
RECEIPT_POLL_CAP = 0.25


@dataclass
class Prepared:
    """A transaction simulated and ready to sign (`Jeton.prepare`), or the error its
    simulation raised, with the reads that travelled with it."""

    tx: dict[str, Any]
    contract_name: str | None
    #: The sender's ETH balance (wei), for the gas check.
    balance: int
    #: The latest block's timestamp: the chain's idea of now.
    now: int
    #: The results of the `reads` asked for (an RpcFailure for a reverted read).
    reads: list[Any] = field(default_factory=list)
    #: Why the simulation refused the transaction (None: it would succeed).
    error: ContractError | None = None

    def checked(self) -> "Prepared":
        """Itself, or its error raised."""
        if self.error is not None:
            raise self.error
        return self


class Jeton:
    """A connection to a deployed Jeton system, optionally with a wallet that signs.

    >>> jeton = Jeton.connect("http://127.0.0.1:8545", account=Wallet.from_env())
    >>> jeton.tasks.open_for_me()
    """

    def __init__(
        self,
        w3: Web3,
        deployment: Deployment,
        account: Wallet | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
    ):
        self.w3 = w3
        self.deployment = deployment
        self.wallet = account
        self.timeout = timeout
        self.chain_id = deployment.chain_id
        #: Whether the node answers eth_maxPriorityFeePerGas (asked with the gas estimate).
        self._tip_in_batch = True
        self.contracts = Contracts(w3, deployment)
        #: Raw JSON-RPC in batches (it counts the round trips and requests it sends).
        self.rpc = Rpc(w3)
        #: The deployment's events, read incrementally (see `jeton.history`).
        self.events = EventIndex(self)
        self._tokens: dict[str, TokenInfo] = {}
        self._erc20s: dict[str, Any] = {}
        #: Each token's EIP-712 permit domain, or None for a token without permits (read once).
        self.permit_domains: dict[str, dict[str, Any] | None] = {}
        from .account import AccountInfo
        from .governance import Governance
        from .services import Services
        from .tasks import Tasks

        #: Tasks: list, post, claim, submit, approve, release, ... (see `jeton.tasks`).
        self.tasks = Tasks(self)
        #: Governance: delegate, propose, vote, queue, execute, follow (see `jeton.governance`).
        self.gov = Governance(self)
        #: The connected account: balance, reputation, tier, earnings (see `jeton.account`).
        self.me = AccountInfo(self)
        #: Access credits: premium tools bought with tokens (see `jeton.services`).
        self.services = Services(self)

    @classmethod
    def connect(
        cls,
        rpc_url: str,
        account: Wallet | None = None,
        deployment: Deployment | str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> "Jeton":
        """Connect to the node at `rpc_url` and the deployment for its chain.

        `deployment` is a `Deployment`, a path to a deployments file, or None for the chain's
        file in `./deployments/`, else the one `jeton deploy` or `jeton node` wrote last (in
        the per-user folder): the first of them whose contracts are on this chain. Checks that
        the chain id matches and that code exists at every address, so a restarted local node
        is caught here, not at the first call. NodeUnreachable if no node answers.
        """
        # The chain id can't change during a connection: web3 asks for it once, not per call.
        provider = NodeProvider(
            rpc_url,
            request_kwargs={"timeout": 30},
            cache_allowed_requests=True,
            cacheable_requests={"eth_chainId"},
        )
        w3 = Web3(provider)
        chain_id = w3.eth.chain_id
        if deployment is None:
            candidates = Deployment.find_all(chain_id)
        elif isinstance(deployment, Deployment):
            candidates = [deployment]
        else:
            candidates = [Deployment.load(deployment)]
        problems = []
        for candidate in candidates:
            try:
                _check_deployment(w3, candidate, chain_id, rpc_url)
                return cls(w3, candidate, account, timeout=timeout)
            except DeploymentError as exc:
                problems.append(exc)
        if len(problems) > 1:
            raise DeploymentError("; ".join(str(p) for p in problems))
        raise problems[0]

    # ------------------------------------------------------------------ identity

    @property
    def address(self) -> str:
        """The connected wallet's address (WalletError if no wallet is connected)."""
        if self.wallet is None:
            raise WalletError("no wallet connected: pass account=Wallet.from_...(...)")
        return self.wallet.address

    def block_timestamp(self) -> int:
        """The latest block's timestamp: the chain's idea of now."""
        return quantity(self.rpc.request("eth_getBlockByNumber", ["latest", False])["timestamp"])

    def erc20(self, address: str):
        """An ERC-20 token contract (any payment token) with the standard ABI (one object per
        token and connection)."""
        token = parse_address(address, "token")
        if token not in self._erc20s:
            self._erc20s[token] = self.w3.eth.contract(address=token, abi=load_abi("MockERC20"))
        return self._erc20s[token]

    def token_info(self, address: str | None = None) -> TokenInfo:
        """Symbol and decimals of token `address` (default: the work token), read once per
        connection; a token without this optional metadata reads as "?" with 18 decimals."""
        known = self._tokens.get(address or self.contracts.token.address)
        if known is not None:
            return known
        token = parse_address(address, "token") if address else self.contracts.token.address
        if token not in self._tokens:
            contract = self.erc20(token).functions
            symbol, decimals = self.rpc.calls([contract.symbol(), contract.decimals()])
            if isinstance(symbol, RpcFailure) or isinstance(decimals, RpcFailure):
                symbol, decimals = "?", 18
            self._tokens[token] = TokenInfo(token, str(symbol), int(decimals))
        return self._tokens[token]

    def call(self, *fns: ContractFunction) -> list[Any]:
        """The results of view calls `fns`, read in one batched round trip (a reverted call
        raises its custom error)."""
        return self.call_with(fns)[0]

    def call_with(
        self,
        fns: Sequence[ContractFunction],
        requests: Sequence[Request] = (),
        block: int | str = "latest",
    ) -> tuple[list[Any], list[Any]]:
        """The results of view calls `fns` at `block` (a reverted call raises its custom
        error) and the raw answers to other JSON-RPC `requests`, all in one round trip."""
        at = hex(block) if isinstance(block, int) else block
        replies = self.rpc.batch([*(call_request(fn, at) for fn in fns), *requests])
        results = []
        for fn, reply in zip(fns, replies, strict=False):
            if isinstance(reply, RpcFailure):
                raise self._error(reply, self.contracts.name_of(fn.address))
            results.append(decode_result(fn, reply))
        return results, replies[len(fns) :]

    @property
    def is_development_chain(self) -> bool:
        """Whether the chain id is a local development chain's (31337, 1337)."""
        return self.chain_id in DEVELOPMENT_CHAIN_IDS

    # ------------------------------------------------------------------ transactions

    def simulate(self, fn: ContractFunction, contract_name: str | None = None) -> Any:
        """Run `fn` as an eth_call (from the wallet, if one is connected); raise its revert as
        a ContractError."""
        sender = self.address if self.wallet is not None else None
        (result,) = self.rpc.calls([fn], sender=sender)
        if isinstance(result, RpcFailure):
            raise self._error(result, contract_name)
        return result

    def transact(self, fn: ContractFunction, contract_name: str | None = None) -> TxResult:
        """Simulate, then sign, send and wait for `fn`; return its decoded events (the
        contract's custom error, raised, if the simulation refuses it)."""
        return self.send(self.prepare(fn, contract_name).checked())

    def prepare(
        self,
        fn: ContractFunction,
        contract_name: str | None = None,
        *,
        reads: Sequence[ContractFunction] = (),
    ) -> Prepared:
        """Simulate `fn` from the wallet and fill in what its transaction needs, in one
        batched round trip with the view calls `reads`.

        The simulation is the node's gas estimate, made in the next block's context (a vote
        checkpoint written in the same block as an earlier one costs less than a new one, so
        "latest" can under-estimate). A revert is returned as the `error` of the result
        (with the reads' results, which may explain it), not raised: `Prepared.checked()`
        raises it.
        """
        sender = self.address
        data = fn._encode_transaction_data()
        call = {"from": sender, "to": fn.address, "data": data}
        requests = [
            ("eth_estimateGas", [call, "pending"]),
            ("eth_getTransactionCount", [sender, "pending"]),
            ("eth_getBalance", [sender, "pending"]),
            ("eth_getBlockByNumber", ["latest", False]),
        ]
        if self._tip_in_batch:
            requests.append(("eth_maxPriorityFeePerGas", []))
        requests += [call_request(read) for read in reads]
        replies = self.rpc.batch(requests)
        gas, nonce, balance, block = replies[:4]
        tip = replies[4] if self._tip_in_batch else None
        if isinstance(tip, RpcFailure):  # a node without eth_maxPriorityFeePerGas
            self._tip_in_batch = False
            tip = None
        for reply, (method, _) in zip((nonce, balance, block), requests[1:4], strict=True):
            if isinstance(reply, RpcFailure):
                raise NodeRefused(method, reply)
        now = quantity(block["timestamp"])
        results = [
            answer if isinstance(answer, RpcFailure) else decode_result(read, answer)
            for read, answer in zip(reads, replies[len(replies) - len(reads) :], strict=True)
        ]
        tx: dict[str, Any] = {"from": sender, "to": fn.address, "data": data, "value": 0}
        prepared = Prepared(tx, contract_name, quantity(balance), now, results)
        if isinstance(gas, RpcFailure):
            prepared.error = self._error(gas, contract_name, now)
            return prepared
        gas = quantity(gas)
        tx.update(gas=gas + gas // 5, nonce=quantity(nonce), chainId=self.chain_id)
        tx.update(self._fees(block, tip))
        return prepared

    def send(self, prepared: Prepared) -> TxResult:
        """Check the wallet's ETH for gas, then sign, send and wait for a prepared
        transaction. Raises TransactionTimeout when it is not mined within the timeout, and
        TransactionFailed when a transaction that simulated fine reverts on chain."""
        tx = prepared.checked().tx
        self._check_gas_funds(tx, prepared.balance)
        raw = bytes(self.wallet.sign_transaction(tx))  # type: ignore[union-attr]
        # The receipt is asked for in the same round trip: a local node often has it already.
        sent, early = self.rpc.batch(
            [
                ("eth_sendRawTransaction", ["0x" + raw.hex()]),
                ("eth_getTransactionReceipt", ["0x" + keccak(raw).hex()]),
            ]
        )
        if isinstance(sent, RpcFailure):
            raise NodeRefused("eth_sendRawTransaction", sent)
        tx_hash = sent
        receipt = early if isinstance(early, dict) else self._receipt(tx_hash)
        result = TxResult(
            tx_hash=tx_hash,
            block=quantity(receipt["blockNumber"]),
            gas_used=quantity(receipt["gasUsed"]),
            events=self.decode_logs(receipt["logs"]),
        )
        if quantity(receipt["status"]) != 1:
            raise TransactionFailed(f"transaction {result.tx_hash} reverted on chain")
        return result

    def _receipt(self, tx_hash: str) -> dict[str, Any]:
        """The receipt of `tx_hash`, polled soon after sending (a local node mines at once),
        then less and less often, until the timeout."""
        deadline = time.monotonic() + self.timeout
        pause = 0.001
        while True:
            receipt = self.rpc.request("eth_getTransactionReceipt", [tx_hash])
            if receipt is not None:
                return receipt
            if time.monotonic() >= deadline:
                raise TransactionTimeout(
                    f"transaction {tx_hash} was not mined within {self.timeout:.0f}s; it may "
                    "still be mined: check it before sending again"
                )
            time.sleep(min(pause, max(deadline - time.monotonic(), 0)))
            pause = min(pause * 2, RECEIPT_POLL_CAP)

    def _fees(self, block: dict[str, Any], tip: Any) -> dict[str, int]:
        base_fee = block.get("baseFeePerGas")
        if base_fee is None:  # a chain without EIP-1559
            return {"gasPrice": int(self.w3.eth.gas_price)}
        priority = quantity(tip) if tip is not None else int(self.w3.eth.max_priority_fee)
        return {"maxPriorityFeePerGas": priority, "maxFeePerGas": 2 * quantity(base_fee) + priority}

    def _check_gas_funds(self, tx: dict[str, Any], balance: int) -> None:
        """InsufficientGasFunds unless `balance` pays `tx`'s gas at its maximum fee."""
        fee_per_gas = int(tx.get("maxFeePerGas") or tx.get("gasPrice") or 0)
        needed = int(tx["gas"]) * fee_per_gas + int(tx.get("value", 0))
        if balance < needed:
            raise InsufficientGasFunds(
                tx["from"], balance, needed, int(tx["gas"]), fee_per_gas, self.is_development_chain
            )

    def _error(
        self, failure: RpcFailure, contract_name: str | None, now: int | None = None
    ) -> ContractError:
        """The ContractError a refused simulation or call names, its times read against the
        chain's clock `now` when known; a refusal that is no revert is NodeRefused."""
        data = failure.revert_data
        if data is None:
            if "revert" not in failure.message.lower():
                raise NodeRefused("eth_call", failure)
            return UnknownRevert(contract=contract_name, detail=failure.message)
        error = decode_revert(data, contract_name)
        if now is not None and TIME_INPUTS & error.inputs.keys():
            timed = {
                k: Timestamp(int(v), now) if k in TIME_INPUTS else v
                for k, v in error.inputs.items()
            }
            error = type(error)(timed, contract=contract_name)
        return error

    # ------------------------------------------------------------------ events

    def decode_logs(self, logs: list[Any]) -> list[Event]:
        """The deployment's events among `logs` (logs of other contracts are skipped)."""
        return self.events.decoder.decode_all(logs)


def _check_deployment(w3: Web3, deployment: Deployment, chain_id: int, rpc_url: str) -> None:
    """DeploymentError unless `deployment` is for `chain_id` and its contracts are there."""
    where = deployment.path or "the deployment"
    if deployment.chain_id != chain_id:
        raise DeploymentError(
            f"{where} is for chain {deployment.chain_id}, but the node at {rpc_url} is chain "
            f"{chain_id}"
        )
    for name, address in deployment.addresses.items():
        if not w3.eth.get_code(address):
            raise DeploymentError(
                f"no contract at {address} ({name}) on chain {chain_id}, as {where} says: the "
                "chain was reset since that deployment; deploy again (`jeton deploy`)"
            )
