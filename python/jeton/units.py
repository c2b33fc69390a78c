"""Token amounts for people: integers of the smallest unit on chain shown as decimals.

Parsing amounts people type is `jeton.parsing.parse_amount`."""

from decimal import Decimal

WAD = 10**18


def from_base_units(amount: int, decimals: int = 18) -> Decimal:
    """12500000000000000000 -> Decimal("12.5")."""
    return (Decimal(amount).scaleb(-decimals)).normalize() if amount else Decimal(0)


def format_amount(
    amount: int, decimals: int = 18, places: int = 2, symbol: str | None = None
) -> str:
    """A base-unit amount for people, rounded to `places`: `1,234.50`, or `1,234.50 JTN`
    with `symbol="JTN"`."""
    text = f"{from_base_units(amount, decimals):,.{places}f}"
    return text if symbol is None else f"{text} {symbol}"


def format_exact(amount: int, decimals: int = 18, *, grouping: bool = False) -> str:
    """A base-unit amount with every digit it has and no more: 12500000000000000000 -> `12.5`
    (`1,000,000.5` with `grouping`)."""
    return format(from_base_units(amount, decimals), ",f" if grouping else "f")
