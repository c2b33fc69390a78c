"""Token amounts for people: integers of the smallest unit on chain shown as decimals.

Parsing amounts people type is `jeton.parsing.parse_amount`."""

from dataclasses import dataclass
from decimal import Decimal, localcontext

WAD = 10**18
GWEI = 10**9


def from_base_units(amount: int, decimals: int = 18) -> Decimal:
    """12500000000000000000 -> Decimal("12.5"), exact whatever the size (a uint256 has 78
    digits, more than Decimal's default precision of 28)."""
    if not amount:
        return Decimal(0)
    with localcontext(prec=len(str(abs(int(amount)))) + 2):
        return Decimal(int(amount)).scaleb(-decimals).normalize()


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


def format_eth(wei: int) -> str:
    """Wei in ETH with the digits that matter: "1.5 ETH", "0.000315 ETH", "0 ETH"."""
    if wei and abs(wei) < 10**12:  # under 0.000001 ETH: every digit
        return f"{format_exact(wei)} ETH"
    return f"{from_base_units(wei).quantize(Decimal('0.000001')).normalize():,f} ETH"


def format_gwei(wei: int) -> str:
    """A gas price in gwei: 1500000000 -> "1.5 gwei"."""
    return f"{format_exact(wei, 9)} gwei"


class TokenAmount(int):
    """An amount in base units of a token (an int) that prints in tokens: `12.5 JTN`.

    Errors and results carry amounts as these, so that comparing and adding them works as
    with ints while messages read in tokens.
    """

    decimals: int
    symbol: str | None

    def __new__(cls, value: int, decimals: int = 18, symbol: str | None = None) -> "TokenAmount":
        amount = super().__new__(cls, value)
        amount.decimals, amount.symbol = decimals, symbol
        return amount

    def __str__(self) -> str:
        text = format_exact(int(self), self.decimals, grouping=True)
        return f"{text} {self.symbol}" if self.symbol else text

    def __repr__(self) -> str:
        return f"TokenAmount({int(self)}, {self.decimals}, {self.symbol!r})"


@dataclass(frozen=True)
class TokenInfo:
    """A token's address, symbol and decimals: what its amounts need to be read."""

    address: str
    symbol: str
    decimals: int

    def amount(self, value: int) -> TokenAmount:
        """`value` base units of this token, printing in tokens."""
        return TokenAmount(value, self.decimals, self.symbol)

    def format(self, value: int, places: int = 2) -> str:
        """`value` base units rounded for a table: "1,234.50 JTN"."""
        return format_amount(value, self.decimals, places, self.symbol)
