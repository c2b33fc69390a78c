"""A running development chain and its powers: mining blocks, moving the clock, giving ETH,
snapshots; and the funded test accounts of anvil's mnemonic.

`DevChain.attach(url)` wraps any node; `require_development()` refuses, by name
(`NotDevelopmentChain`), a node that is not anvil or Hardhat before these powers are used.
"""

from __future__ import annotations

from typing import Any

from eth_account import Account
from web3 import HTTPProvider, Web3

from ..errors import DevChainError, NotDevelopmentChain
from ..parsing import check_base_units, check_uint, parse_address
from ..units import format_eth
from ..wallet import Wallet

#: The mnemonic of anvil's (and Ape's) funded test accounts: public, for local chains only.
DEFAULT_MNEMONIC = "test test test test test test test test test test test junk"
#: anvil's chain id.
ANVIL_CHAIN_ID = 31337
#: Node software with the development powers used here, by the start of web3_clientVersion,
#: and the prefix of its methods.
DEVELOPMENT_NODES = {"anvil": "anvil", "hardhat": "hardhat"}


def test_wallet(index: int, mnemonic: str = DEFAULT_MNEMONIC) -> Wallet:
    """Test account `index` of the node's mnemonic (anvil's funded accounts 0..9)."""
    Account.enable_unaudited_hdwallet_features()
    account = Account.from_mnemonic(mnemonic, account_path=f"m/44'/60'/0'/0/{index}")
    return Wallet(account)


def test_wallets(count: int = 10, mnemonic: str = DEFAULT_MNEMONIC) -> list[Wallet]:
    """The first `count` test accounts of `mnemonic` (anvil funds 10 by default)."""
    return [test_wallet(i, mnemonic) for i in range(count)]


class DevChain:
    """A development node at `url`: its clock, blocks and balances, moved at will.

    `LocalNode` (a node this process starts) is one; `DevChain.attach(url)` wraps a node that
    runs already. Its powers (`mine`, `advance`, `fund`, `set_balance`) first check once that
    the node is a development chain.
    """

    def __init__(self) -> None:
        self._url: str | None = None
        self._w3: Web3 | None = None
        self._method_prefix: str | None = None

    @classmethod
    def attach(cls, url: str) -> DevChain:
        """The helpers for a node already running at `url` (nothing is started or stopped);
        DevChainError if nothing answers there."""
        chain = cls()
        chain._url = url
        try:
            chain.rpc("eth_chainId", [])
        except DevChainError as exc:
            raise DevChainError(f"no Ethereum node answers at {url}: is it running?") from exc
        return chain

    @property
    def url(self) -> str:
        """The node's HTTP RPC URL."""
        if self._url is None:
            raise DevChainError("the node is not started: use `with LocalNode() as node:`")
        return self._url

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

    def balance(self, address: str) -> int:
        """The ETH balance of `address`, in wei."""
        return int(self.rpc("eth_getBalance", [parse_address(address), "latest"]), 16)

    def client_version(self) -> str:
        """The node's software and version, as it reports it ("anvil/v1.7.1")."""
        return str(self.rpc("web3_clientVersion"))

    # -------------------------------------------------------------- development only

    @property
    def is_development(self) -> bool:
        """Whether the node is a development chain (anvil or Hardhat), whose clock, blocks
        and balances can be moved."""
        return self._development_prefix() is not None

    def require_development(self, action: str = "this") -> None:
        """NotDevelopmentChain, saying what the node is, unless it is a development chain."""
        if self._development_prefix() is None:
            raise NotDevelopmentChain(
                f"the node at {self.url} (chain {self.chain_id()}, {self.client_version()}) is "
                f"not a development chain, so {action} is not possible there: mining blocks, "
                "moving time and giving ETH work only on a local node such as `jeton node` "
                "(anvil). On a real chain, blocks and time move by themselves, and ETH comes "
                "from an exchange, a bridge or a testnet's faucet."
            )

    def mine(self, blocks: int = 1) -> int:
        """Mine `blocks` empty blocks at once; returns the new block number."""
        check_uint(blocks, "blocks")
        if blocks > 0:
            self.rpc(f"{self._power('mining blocks')}_mine", [hex(blocks)])
        return self.block_number()

    def advance(self, seconds: int) -> int:
        """Move the clock `seconds` ahead and mine a block there; returns its timestamp."""
        check_uint(seconds, "seconds")
        self._power("moving time")
        if seconds > 0:
            self.rpc("evm_increaseTime", [int(seconds)])
        self.rpc("evm_mine", [])
        return self.timestamp()

    def set_balance(self, address: str, wei: int) -> None:
        """Give `address` exactly `wei` of ETH."""
        address = parse_address(address)
        check_base_units(wei, "wei")
        self.rpc(f"{self._power('setting a balance')}_setBalance", [address, hex(wei)])

    def fund(self, address: str, wei: int) -> int:
        """Add `wei` of ETH to `address`'s balance (conjured, not sent from anyone: a
        development chain's power); returns the new balance."""
        address = parse_address(address)
        check_base_units(wei, "wei")
        self._power(f"giving {format_eth(wei)}")
        self.set_balance(address, self.balance(address) + wei)
        return self.balance(address)

    def snapshot(self) -> str:
        """A snapshot id to `revert` to (evm_snapshot)."""
        return self.rpc("evm_snapshot")

    def revert(self, snapshot_id: str) -> bool:
        return bool(self.rpc("evm_revert", [snapshot_id]))

    def _development_prefix(self) -> str | None:
        if self._method_prefix is None:
            client = self.client_version().lower()
            self._method_prefix = next(
                (prefix for name, prefix in DEVELOPMENT_NODES.items() if client.startswith(name)),
                "",
            )
        return self._method_prefix or None

    def _power(self, action: str) -> str:
        """The prefix of the node's development methods, once it is known to have them."""
        self.require_development(action)
        return self._method_prefix  # type: ignore[return-value]


__all__ = [
    "ANVIL_CHAIN_ID",
    "DEFAULT_MNEMONIC",
    "DevChain",
    "test_wallet",
    "test_wallets",
]
