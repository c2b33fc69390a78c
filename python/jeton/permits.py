"""Moving tokens into the escrow in one transaction: EIP-2612 permits.

Posting a task moves the deposit in, claiming moves the claim bond in, disputing the dispute
bond. Each has a plain call (the allowance is already there) and a permit twin (the owner's
signed permit goes with the call, so it stays one transaction). `pull` picks: the plain call
when the allowance suffices, the permit twin when the token supports EIP-2612, and for a token
without permits, an `approve` transaction first, then the plain call.

What a permit needs (the allowance, the owner's permit nonce and balance, and, once per
connection, the token's EIP-712 domain) is read in one batch (`permit_reads`), usually in the
same round trip as the plain call's simulation: the callers first simulate the plain call with
these reads, and turn to a permit only when the token refused to move for want of an allowance
(the escrow checks every rule of the call before it moves any token).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from web3.contract import Contract
from web3.contract.contract import ContractFunction
from web3.exceptions import BadFunctionCallOutput, ContractLogicError, Web3Exception

from .eip712 import domain_type, erc5267_domain, hash_domain
from .errors import ContractError, UnknownRevert
from .rpc import RpcFailure, call_request, decode_result, quantity
from .types import TxResult

if TYPE_CHECKING:
    from .client import Jeton

ZERO_ADDRESS = "0x" + "00" * 20

#: How long a permit signed for a call stays valid: it is used at once.
PERMIT_TTL = 3_600

#: EIP-2612's Permit type, for EIP-712 typed data.
PERMIT_TYPE = [
    {"name": "owner", "type": "address"},
    {"name": "spender", "type": "address"},
    {"name": "value", "type": "uint256"},
    {"name": "nonce", "type": "uint256"},
    {"name": "deadline", "type": "uint256"},
]

_CALL_FAILED = (ContractLogicError, BadFunctionCallOutput, Web3Exception, ValueError)

#: The refusals of a token asked to move more than the allowance: a permit or an approve may
#: cure them (an ERC-20 without custom errors reverts with a reason string, or none).
PULL_ERRORS = frozenset(
    {
        "ERC20InsufficientAllowance",
        "ERC20InsufficientBalance",
        "SafeERC20FailedOperation",
        UnknownRevert.name,
    }
)


def permit_reads(jeton: Jeton, token: str, spender: str | None = None) -> list[ContractFunction]:
    """The view calls a pull of `token` needs, for `pull`'s `reads`: the wallet's allowance to
    `spender` (default: the escrow), its permit nonce and its balance, and the token's EIP-712
    domain the first time the connection meets the token."""
    owner = jeton.address
    erc20 = jeton.erc20(token).functions
    reads = [erc20.allowance(owner, spender or jeton.contracts.escrow.address), erc20.nonces(owner)]
    reads.append(erc20.balanceOf(owner))
    if jeton.erc20(token).address not in jeton.permit_domains:
        reads += [erc20.eip712Domain(), erc20.DOMAIN_SEPARATOR(), erc20.name()]
    return reads


def pull(
    jeton: Jeton,
    token: str,
    amount: int,
    plain: Callable[[], ContractFunction],
    with_permit: Callable[[int, int, bytes, bytes], ContractFunction],
    contract_name: str,
    *,
    refusal: ContractError,
    reads: Sequence[Any] | None = None,
    now: int | None = None,
    spender: str | None = None,
) -> TxResult:
    """Send the call that moves `amount` of `token` from the wallet into `spender` (default:
    the escrow), after the plain call's simulation was refused with `refusal`.

    `reads` are the results of `permit_reads` (read now if not given) and `now` the chain's
    time when they were read. A refusal the allowance does not explain is raised as it is (in
    tokens when it is about amounts); otherwise the permit twin is simulated and sent with a
    fresh permit, or, for a token without permits, an `approve` is sent before the plain call.
    """
    spender = spender or jeton.contracts.escrow.address
    if reads is None or now is None:
        *reads, now = _read(jeton, permit_reads(jeton, token, spender))
    if refusal.name not in PULL_ERRORS or _int(reads[0], amount) >= amount:
        raise in_tokens(refusal, jeton, token)
    call = _with_allowance(
        jeton, jeton.erc20(token), amount, plain, with_permit, spender, reads, now
    )
    prepared = jeton.prepare(call, contract_name)
    if prepared.error is not None:
        raise in_tokens(prepared.error, jeton, token)
    return jeton.send(prepared)


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
    escrow), for a caller that sends it itself: `plain()` when the allowance suffices (or
    nothing moves), else `with_permit(deadline, v, r, s)` with a freshly signed permit, else
    `plain()` after an `approve` transaction. What it needs is read in one round trip; `pull`
    reads it with the plain call's own simulation instead, and saves that round trip."""
    if amount == 0:
        return plain()
    spender = spender or jeton.contracts.escrow.address
    *reads, now = _read(jeton, permit_reads(jeton, erc20.address, spender))
    if _int(reads[0], amount) >= amount:
        return plain()
    return _with_allowance(jeton, erc20, amount, plain, with_permit, spender, reads, now)


def _with_allowance(
    jeton: Jeton,
    erc20: Contract,
    amount: int,
    plain: Callable[[], Any],
    with_permit: Callable[[int, int, bytes, bytes], Any],
    spender: str,
    reads: Sequence[Any],
    now: int,
) -> Any:
    """The permit twin with a fresh permit, or, for a token without permits, the plain call
    once an `approve` transaction has been sent."""
    _allowance, nonce, _balance, *domain_reads = reads
    domain = _domain(jeton, erc20, domain_reads, nonce)
    if domain is not None:
        deadline = now + PERMIT_TTL
        signed = sign_permit(jeton, erc20, domain, amount, deadline, nonce=nonce, spender=spender)
        return with_permit(deadline, *signed)
    label = jeton.contracts.name_of(erc20.address) or "ERC20"
    jeton.transact(erc20.functions.approve(spender, amount), label)
    return plain()


def in_tokens(error: ContractError, jeton: Jeton, token: str) -> ContractError:
    """`error` with the amounts of a token's refusal (balance, allowance, needed) in tokens of
    `token`, so that its message reads "holds 0 JTN and needs 10 JTN"."""
    amounts = {"balance", "allowance", "needed"} & error.inputs.keys()
    if not error.name.startswith("ERC20Insufficient") or not amounts:
        return error
    info = jeton.token_info(token)
    inputs = {k: info.amount(int(v)) if k in amounts else v for k, v in error.inputs.items()}
    return type(error)(inputs, contract=error.contract)


def sign_permit(
    jeton: Jeton,
    erc20: Contract,
    domain: dict[str, Any],
    value: int,
    deadline: int,
    *,
    nonce: int | None = None,
    spender: str | None = None,
) -> tuple[int, bytes, bytes]:
    """The wallet's EIP-2612 permit letting `spender` (default: the escrow) take `value` of
    `erc20`: (v, r, s). `nonce` is the wallet's permit nonce (read if not given)."""
    owner = jeton.address
    if nonce is None:
        nonce = int(erc20.functions.nonces(owner).call())
    message = {
        "owner": owner,
        "spender": spender or jeton.contracts.escrow.address,
        "value": value,
        "nonce": nonce,
        "deadline": deadline,
    }
    typed = {
        "types": {"EIP712Domain": domain_type(domain), "Permit": PERMIT_TYPE},
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
    return _checked_domain(name, separator, chain_id, erc20.address)


# ---------------------------------------------------------------------- internals


def _read(jeton: Jeton, reads: list[ContractFunction]) -> list[Any]:
    """The results of `reads`, then the chain's time, in one round trip."""
    answers = jeton.rpc.batch(
        [*(call_request(fn) for fn in reads), ("eth_getBlockByNumber", ["latest", False])]
    )
    results = [
        a if isinstance(a, RpcFailure) else decode_result(fn, a)
        for fn, a in zip(reads, answers[:-1], strict=True)
    ]
    return [*results, quantity(answers[-1]["timestamp"])]


def _domain(
    jeton: Jeton, erc20: Contract, domain_reads: Sequence[Any], nonce: Any
) -> dict[str, Any] | None:
    """The token's permit domain from the reads that asked for it (remembered for the
    connection), or the one remembered."""
    token = erc20.address
    if token in jeton.permit_domains:
        return jeton.permit_domains[token]
    answer, separator, name = domain_reads
    domain: dict[str, Any] | None
    if isinstance(nonce, RpcFailure):  # no nonces(): no permits
        domain = None
    elif not isinstance(answer, RpcFailure):
        domain = erc5267_domain(answer)
    elif isinstance(separator, RpcFailure) or isinstance(name, RpcFailure):
        domain = None
    else:
        domain = _checked_domain(name, bytes(separator), jeton.chain_id, token)
    jeton.permit_domains[token] = domain
    return domain


def _checked_domain(
    name: str, separator: bytes, chain_id: int, token: str
) -> dict[str, Any] | None:
    domain = {"name": name, "version": "1", "chainId": chain_id, "verifyingContract": token}
    return domain if hash_domain(domain) == separator else None


def _int(value: Any, default: int) -> int:
    """A read's integer; a failed read (a token without the function) counts as `default`."""
    return default if isinstance(value, RpcFailure) else int(value)


__all__ = [
    "PERMIT_TTL",
    "PERMIT_TYPE",
    "PULL_ERRORS",
    "domain_from_separator",
    "in_tokens",
    "permit_domain",
    "permit_reads",
    "pull",
    "pull_call",
    "sign_permit",
]
