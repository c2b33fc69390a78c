"""EIP-712 domains: read from a contract's ERC-5267 `eip712Domain()`, typed, hashed.

One reading of a domain serves the EIP-2612 permits of `jeton.tasks` and the governor's vote
ballots of `jeton.governance.ballots`.
"""

from collections.abc import Sequence
from typing import Any

from eth_abi import encode as abi_encode
from eth_utils import keccak
from web3 import Web3

#: EIP-712 domain fields in the order of ERC-5267's `fields` bitmap.
DOMAIN_FIELDS = [
    ("name", "string"),
    ("version", "string"),
    ("chainId", "uint256"),
    ("verifyingContract", "address"),
    ("salt", "bytes32"),
]


def erc5267_domain(answer: Sequence[Any]) -> dict[str, Any]:
    """The domain in what `eip712Domain()` returned (fields bitmap, name, version, chain id,
    verifying contract, salt, extensions): the fields its bitmap names, in EIP-712's order."""
    fields, name, version, chain, contract, salt, _ = answer
    values = [name, version, chain, Web3.to_checksum_address(contract), salt]
    return {
        key: value
        for i, ((key, _), value) in enumerate(zip(DOMAIN_FIELDS, values, strict=True))
        if fields[0] >> i & 1
    }


def domain_type(domain: dict[str, Any]) -> list[dict[str, str]]:
    """The `EIP712Domain` type of `domain`: its fields, in EIP-712's order."""
    return [{"name": key, "type": kind} for key, kind in DOMAIN_FIELDS if key in domain]


def hash_domain(domain: dict[str, Any]) -> bytes:
    """EIP-712 `hashStruct(domain)` of a domain of strings, numbers and an address."""
    fields = domain_type(domain)
    signature = ",".join(f"{f['type']} {f['name']}" for f in fields)
    types = ["bytes32"] + ["bytes32" if f["type"] == "string" else f["type"] for f in fields]
    values = [keccak(text=f"EIP712Domain({signature})")] + [
        keccak(text=domain[f["name"]]) if f["type"] == "string" else domain[f["name"]]
        for f in fields
    ]
    return keccak(abi_encode(types, values))


__all__ = ["DOMAIN_FIELDS", "domain_type", "erc5267_domain", "hash_domain"]
