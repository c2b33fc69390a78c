"""The connection: a node, a deployment and a wallet, and the one way transactions are sent.

Every transaction goes through `Jeton.transact`, which simulates it first (the node's gas
estimate) and raises the contract's custom error as a Python exception instead of sending a
transaction known to revert; checks that the wallet can pay for its gas; then signs, sends,
waits (with a timeout) and decodes the events the transaction emitted. A node that does not
answer raises `NodeUnreachable`, from the first call or any later one.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests
from eth_utils import event_abi_to_log_topic
from web3 import HTTPProvider, Web3
from web3.contract.contract import ContractFunction
from web3.exceptions import ContractLogicError, TimeExhausted, Web3Exception, Web3RPCError

from .contracts import Contracts, Deployment, load_abi
from .errors import (
    DeploymentError,
    InsufficientGasFunds,
    JetonError,
    NodeUnreachable,
    TransactionFailed,
    TransactionTimeout,
    UnknownRevert,
    WalletError,
    decode_revert,
)
from .history import event_from_log
from .parsing import parse_address
from .types import Event, TxResult
from .units import TokenInfo
from .wallet import Wallet

DEFAULT_TIMEOUT = 120.0

#: Chain ids of local development chains (anvil's and Hardhat's/Ganache's).
DEVELOPMENT_CHAIN_IDS = (31337, 1337)


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
        self._event_topics = self._topic_table()
        self._tokens: dict[str, TokenInfo] = {}
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
        return int(self.w3.eth.get_block("latest")["timestamp"])

    def erc20(self, address: str):
        """An ERC-20 token contract (any payment token) with the standard ABI."""
        return self.w3.eth.contract(
            address=parse_address(address, "token"), abi=load_abi("MockERC20")
        )

    def token_info(self, address: str | None = None) -> TokenInfo:
        """Symbol and decimals of token `address` (default: the work token), read once per
        connection; a token without this optional metadata reads as "?" with 18 decimals."""
        token = parse_address(address, "token") if address else self.contracts.token.address
        if token not in self._tokens:
            contract = self.erc20(token)
            try:
                symbol = str(contract.functions.symbol().call())
                decimals = int(contract.functions.decimals().call())
            except (Web3Exception, ValueError):  # no such optional function, or bad output
                symbol, decimals = "?", 18
            self._tokens[token] = TokenInfo(token, symbol, decimals)
        return self._tokens[token]

    @property
    def is_development_chain(self) -> bool:
        """Whether the chain id is a local development chain's (31337, 1337)."""
        return self.chain_id in DEVELOPMENT_CHAIN_IDS

    # ------------------------------------------------------------------ transactions

    def simulate(self, fn: ContractFunction, contract_name: str | None = None) -> Any:
        """Run `fn` as an eth_call (from the wallet, if one is connected); raise its revert as
        a ContractError."""
        try:
            return fn.call({"from": self.address} if self.wallet is not None else {})
        except ContractLogicError as exc:
            raise self._decode_error(exc, contract_name) from None

    def transact(self, fn: ContractFunction, contract_name: str | None = None) -> TxResult:
        """Simulate, then sign, send and wait for `fn`; return its decoded events.

        The simulation is the node's gas estimate, made in the next block's context (a vote
        checkpoint written in the same block as an earlier one costs less than a new one, so
        "latest" can under-estimate): a revert there raises the contract's custom error before
        anything is signed. It travels in one batched round trip with what the transaction
        needs (nonce, base fee, priority fee). Raises TransactionTimeout when the transaction
        is not mined within the timeout, and TransactionFailed when a transaction that
        simulated fine reverts on chain.
        """
        sender = self.address
        tx: dict[str, Any] = {
            "from": sender,
            "to": fn.address,
            "data": fn._encode_transaction_data(),
            "value": 0,
        }
        gas, nonce, fees, balance = self._prepare(tx, contract_name)
        tx.update(gas=gas + gas // 5, nonce=nonce, chainId=self.chain_id, **fees)
        self._check_gas_funds(tx, balance)
        raw = self.wallet.sign_transaction(tx)  # type: ignore[union-attr]
        tx_hash = self.w3.eth.send_raw_transaction(raw)
        try:
            receipt = self.w3.eth.wait_for_transaction_receipt(
                tx_hash, timeout=self.timeout, poll_latency=0.1
            )
        except TimeExhausted as exc:
            raise TransactionTimeout(
                f"transaction 0x{bytes(tx_hash).hex()} was not mined within {self.timeout:.0f}s;"
                " it may still be mined: check it before sending again"
            ) from exc
        result = TxResult(
            tx_hash="0x" + bytes(tx_hash).hex(),
            block=receipt["blockNumber"],
            gas_used=receipt["gasUsed"],
            events=self.decode_logs(receipt["logs"]),
        )
        if receipt["status"] != 1:
            raise TransactionFailed(f"transaction {result.tx_hash} reverted on chain")
        return result

    def _prepare(
        self, tx: dict[str, Any], contract_name: str | None
    ) -> tuple[int, int, dict[str, int], int]:
        """Gas (the simulation), nonce, fee fields of `tx` and the sender's ETH balance, in
        one batched round trip."""
        eth = self.w3.eth
        try:
            with self.w3.batch_requests() as batch:
                batch.add(eth.estimate_gas(tx, "pending"))  # type: ignore[arg-type]
                batch.add(eth.get_transaction_count(tx["from"], "pending"))
                batch.add(eth.get_balance(tx["from"], "pending"))
                batch.add(eth.get_block("latest"))
                if self._tip_in_batch:
                    batch.add(eth.max_priority_fee)
                gas, nonce, balance, block, *tip = batch.execute()
        except ContractLogicError as exc:
            raise self._decode_error(exc, contract_name) from None
        except Web3RPCError:
            if not self._tip_in_batch:
                raise
            # A node without eth_maxPriorityFeePerGas: web3 derives the tip from fee history.
            self._tip_in_batch = False
            return self._prepare(tx, contract_name)
        base_fee = block.get("baseFeePerGas")  # type: ignore[union-attr]
        if base_fee is None:  # a chain without EIP-1559
            fees = {"gasPrice": int(eth.gas_price)}
        else:
            priority = int(tip[0]) if tip else int(eth.max_priority_fee)
            fees = {"maxPriorityFeePerGas": priority, "maxFeePerGas": 2 * int(base_fee) + priority}
        return int(gas), int(nonce), fees, int(balance)  # type: ignore[arg-type]

    def _check_gas_funds(self, tx: dict[str, Any], balance: int) -> None:
        """InsufficientGasFunds unless `balance` pays `tx`'s gas at its maximum fee."""
        fee_per_gas = int(tx.get("maxFeePerGas") or tx.get("gasPrice") or 0)
        needed = int(tx["gas"]) * fee_per_gas + int(tx.get("value", 0))
        if balance < needed:
            raise InsufficientGasFunds(
                tx["from"], balance, needed, int(tx["gas"]), fee_per_gas, self.is_development_chain
            )

    def _decode_error(self, exc: ContractLogicError, contract_name: str | None) -> JetonError:
        data = exc.data
        if isinstance(data, dict):
            data = data.get("data")
        if isinstance(data, str) and data.startswith("0x"):
            return decode_revert(bytes.fromhex(data[2:]), contract_name)
        return UnknownRevert(contract=contract_name, detail=exc.message or str(exc))

    # ------------------------------------------------------------------ events

    def _topic_table(self) -> dict[tuple[str, bytes], tuple[str, Any]]:
        table: dict[tuple[str, bytes], tuple[str, Any]] = {}
        for name, contract in self.contracts:
            for entry in contract.abi:
                if entry.get("type") == "event" and not entry.get("anonymous"):
                    key = (contract.address.lower(), event_abi_to_log_topic(entry))
                    table[key] = (name, contract.events[entry["name"]])
        return table

    def decode_logs(self, logs: list[Any]) -> list[Event]:
        """The deployment's events among `logs` (logs of other contracts are skipped)."""
        events = []
        for log in logs:
            if not log["topics"]:
                continue
            key = (log["address"].lower(), bytes(log["topics"][0]))
            if key not in self._event_topics:
                continue
            name, event = self._event_topics[key]
            events.append(event_from_log(event().process_log(log), name))
        return events


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
