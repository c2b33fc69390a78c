"""Moving tokens into a Jeton contract in one transaction: EIP-2612 permits.

Posting a task moves the deposit into the escrow, claiming moves the claim bond in, disputing
the dispute bond; buying access credits moves their cost into AccessCredits. Each has a plain
call (the allowance is already there) and a permit twin (the owner's signed permit goes with
the call, so it stays one transaction). `pull_call` picks: the plain call when the allowance
suffices, the permit twin when the token supports EIP-2612, and for a token without permits,
an `approve` transaction first, then the plain call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from web3.contract import Contract
from web3.exceptions import BadFunctionCallOutput, ContractLogicError, Web3Exception

from .eip712 import domain_type, erc5267_domain, hash_domain

if TYPE_CHECKING:
    from .client import Jeton

ZERO_ADDRESS = "0x" + "00" * 20

#: How long a permit signed for a call stays valid: it is used at once.
PERMIT_TTL = 3_600

_PERMIT_TYPE = [
    {"name": "owner", "type": "address"},
    {"name": "spender", "type": "address"},
    {"name": "value", "type": "uint256"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
]

_CALL_FAILED = (ContractLogicError, BadFunctionCallOutput, Web3Exception, ValueError)


def pull_call(
    jeton: Jeton,
    erc20: Contract,
    amount: int,
    plain: Callable[[], Any],
    with_permit: Callable[[int, int, bytes, bytes], Any],
    *,
    spender: str | None = None,
) -> Any:
    """The call that moves `amount` of `erc20` from the wallet into `spender` (default: the
    escrow): `plain()` when the allowance suffices (or nothing moves), else
    `with_permit(deadline, v, r, s)` with a freshly signed permit, else `plain()` after an
    `approve` transaction."""
    owner = jeton.address
    spender = spender or jeton.contracts.escrow.address
    if amount == 0 or erc20.functions.allowance(owner, spender).call() >= amount:
        return plain()
    domain = permit_domain(erc20, jeton.chain_id)
    if domain is not None:
        deadline = jeton.block_timestamp() + PERMIT_TTL
        signed = sign_permit(jeton, erc20, domain, amount, deadline, spender=spender)
        return with_permit(deadline, *signed)
    label = jeton.contracts.name_of(erc20.address) or "ERC20"
    jeton.transact(erc20.functions.approve(spender, amount), label)
    return plain()


def sign_permit(
    jeton: Jeton,
    erc20: Contract,
    domain: dict[str, Any],
    value: int,
    deadline: int,
    *,
    spender: str | None = None,
) -> tuple[int, bytes, bytes]:
    """The wallet's EIP-2612 permit letting `spender` (default: the escrow) take `value` of
    `erc20`: (v, r, s)."""
    owner = jeton.address
    message = {
        "owner": owner,
        "spender": spender or jeton.contracts.escrow.address,
        "value": value,
        "nonce": int(erc20.functions.nonces(owner).call()),
        "deadline": deadline,
    }
    typed = {
        "types": {"EIP712Domain": domain_type(domain), "Permit": _PERMIT_TYPE},
        "primaryType": "Permit",
        "domain": domain,
        "message": message,
    }
    return jeton.wallet.sign_typed_data(typed)  # type: ignore[union-attr]


def permit_domain(erc20: Contract, chain_id: int) -> dict[str, Any] | None:
    """The token's EIP-712 domain if it supports EIP-2612 permits, else None.

    Read from ERC-5267 `eip712Domain()`; failing that, the domain `{name(), "1"}` is used only
    if it hashes to the token's `DOMAIN_SEPARATOR()`.
    """
    try:
        erc20.functions.nonces(ZERO_ADDRESS).call()
    except _CALL_FAILED:
        return None
    try:
        answer = erc20.functions.eip712Domain().call()
    except _CALL_FAILED:
        return domain_from_separator(erc20, chain_id)
    return erc5267_domain(answer)


def domain_from_separator(erc20: Contract, chain_id: int) -> dict[str, Any] | None:
    """The domain `{name(), "1", chain_id, token}` if it hashes to `DOMAIN_SEPARATOR()`."""
    try:
        separator = bytes(erc20.functions.DOMAIN_SEPARATOR().call())
        name = erc20.functions.name().call()
    except _CALL_FAILED:
        return None
    domain = {"name": name, "version": "1", "chainId": chain_id, "verifyingContract": erc20.address}
    return domain if hash_domain(domain) == separator else None


__all__ = ["PERMIT_TTL", "domain_from_separator", "permit_domain", "pull_call", "sign_permit"]
