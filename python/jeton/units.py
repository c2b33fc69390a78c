"""Token amounts: integers of the smallest unit on chain, decimals for people."""

from decimal import Decimal, InvalidOperation

WAD = 10**18


def to_base_units(amount: str | int | Decimal, decimals: int = 18) -> int:
    """`"12.5"` JTN -> 12500000000000000000. Refuses negative or over-precise amounts."""
    try:
        value = Decimal(str(amount))
    except InvalidOperation as exc:
        raise ValueError(f"{amount!r} is not an amount") from exc
    scaled = value.scaleb(decimals)
    if value < 0 or scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} is not a valid amount with {decimals} decimals")
    return int(scaled)


def from_base_units(amount: int, decimals: int = 18) -> Decimal:
    """12500000000000000000 -> Decimal("12.5")."""
    return (Decimal(amount).scaleb(-decimals)).normalize() if amount else Decimal(0)


def format_amount(amount: int, decimals: int = 18, places: int = 2) -> str:
    """A base-unit amount for people: `1,234.50`."""
    return f"{from_base_units(amount, decimals):,.{places}f}"
