"""Parsing what people and scripts give the client: addresses and token amounts.

The one place where input is checked before it reaches the chain. Every method of the library
and every command that takes an address or an amount parses it here, so that a mistyped
address or a bad amount is refused by name (an `InputError`, which is a `JetonError`) before
anything is signed or sent.

>>> parse_address("0x5fbdb2315678afecb367f032d93f642f64180aa3")
'0x5FbDB2315678afecb367f032d93F642f64180aa3'
>>> parse_amount("12.5")
12500000000000000000
"""

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from eth_typing import ChecksumAddress
from eth_utils import to_checksum_address

from .errors import InputError, InvalidAddress, InvalidAmount

_HEX_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")


def parse_address(value: object, what: str = "address") -> ChecksumAddress:
    """`value` as a checksummed address, or `InvalidAddress` naming `what` it was for.

    Accepts `0x` and 40 hex digits. A mixed-case address carries an EIP-55 checksum, which
    must match: one mistyped digit would otherwise send money to an address nobody owns. An
    address all in lower or all in upper case has no checksum and is taken as it is, as
    web3.py and wallets do.
    """
    if not isinstance(value, str) or not _HEX_ADDRESS.fullmatch(value):
        raise InvalidAddress(f"{what} {value!r} is not an address: give 0x and 40 hex digits")
    digits = value[2:]
    checksummed = checksum(value)
    if digits != digits.lower() and digits != digits.upper() and value != checksummed:
        raise InvalidAddress(
            f"{what} {value} fails its EIP-55 checksum (mixed-case letters encode one): a "
            "character was probably mistyped; copy the address again from where it came from"
        )
    return checksummed


@lru_cache(maxsize=65_536)
def checksum(address: str) -> ChecksumAddress:
    """A well-formed `address` (any case) with its EIP-55 checksum, remembered: the same
    addresses come back again and again (in logs, in tasks)."""
    return to_checksum_address(address)


def parse_amount(value: str | int | Decimal, decimals: int = 18, what: str = "amount") -> int:
    """A human amount (`"12.5"`, `12`, `Decimal("0.1")`) in base units of a token with
    `decimals` decimals: `"12.5"` -> 12500000000000000000.

    Refuses (`InvalidAmount`) what is not a number, negative amounts, infinities and amounts
    more precise than the token. Digit separators `_` and `,` are allowed in text.
    """
    text = value.replace("_", "").replace(",", "").strip() if isinstance(value, str) else value
    try:
        amount = Decimal(str(text))
    except InvalidOperation:
        raise InvalidAmount(f"{what} {value!r} is not a number (e.g. 12.5)") from None
    if not amount.is_finite():
        raise InvalidAmount(f"{what} {value!r} is not a finite number")
    if amount < 0:
        raise InvalidAmount(f"{what} {value} is negative")
    scaled = amount.scaleb(decimals)
    if scaled != scaled.to_integral_value():
        raise InvalidAmount(
            f"{what} {value} has more decimals than the token's {decimals}: round it"
        )
    return int(scaled)


def check_base_units(value: object, what: str = "amount", bits: int = 256) -> int:
    """`value`, a whole number of base units of a token, checked to be an int in
    `[0, 2**bits)`; `InvalidAmount` otherwise (a float, a negative number, a string...)."""
    problem = _uint_problem(value, bits)
    if problem:
        raise InvalidAmount(
            f"{what} {problem}; amounts are whole numbers of base units "
            "(parse_amount('12.5') gives them)"
        )
    return value  # type: ignore[return-value]


def check_uint(value: object, what: str, bits: int = 256) -> int:
    """`value` checked to be a whole number in `[0, 2**bits)` (a count, a time, a number of
    points); `InputError` naming `what` otherwise."""
    problem = _uint_problem(value, bits)
    if problem:
        raise InputError(f"{what} {problem}")
    return value  # type: ignore[return-value]


def _uint_problem(value: object, bits: int) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return f"must be a whole number (an int), not {value!r}"
    if not 0 <= value < 2**bits:
        return f"must be from 0 to 2**{bits} - 1, not {value}"
    return None


__all__ = ["check_base_units", "check_uint", "checksum", "parse_address", "parse_amount"]
