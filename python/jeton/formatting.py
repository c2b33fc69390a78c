"""Values in words and figures for people: work-token amounts and votes, basis points and
percentages, durations, dates, block counts, plurals, shortened ids, sentences.

One function per way of showing a value, shared by the client's messages, the `jeton` command
and the demo. Amounts of any token (with their decimals) are `jeton.units`'; these add JTN.
"""

from datetime import UTC, datetime
from decimal import Decimal

from .units import format_amount, format_exact

#: The work token's symbol.
JTN = "JTN"

#: (word, letter, seconds) of the units a duration is told in, largest first.
_TIME_UNITS = (("day", "d", 86_400), ("hour", "h", 3_600), ("minute", "m", 60), ("second", "s", 1))


def plural(count: int, word: str) -> str:
    """`word` as `count` of it reads: plural(1, "task") -> "task", plural(3, "task") -> "tasks"."""
    return word if count == 1 else f"{word}s"


# ------------------------------------------------------------------ work-token amounts


def format_jtn(amount: int, places: int = 2) -> str:
    """Work-token base units in JTN, rounded: 1234500000000000000000 -> "1,234.50 JTN"."""
    return format_amount(amount, places=places, symbol=JTN)


def format_tokens(amount: int) -> str:
    """Work-token base units in JTN, every digit: "1,000,000 JTN", "0.5 JTN"."""
    return f"{format_exact(amount, grouping=True)} {JTN}"


def format_weight(weight: int) -> str:
    """Votes per reputation point, in JTN: 10**18 -> "1 JTN"."""
    return f"{format_exact(weight)} {JTN}"


def format_votes(amount: int) -> str:
    """Votes (token base units) as whole votes: 1234600000000000000000 -> "1,235"."""
    return format_amount(amount, places=0)


# ------------------------------------------------------------------ rates and counts


def format_bps(bps: int) -> str:
    """Basis points as a percentage: 500 -> "5.00%"."""
    return f"{Decimal(bps) / 100:.2f}%"


def format_percent(percent: int) -> str:
    """A whole percentage: 4 -> "4%"."""
    return f"{percent}%"


def format_blocks(blocks: int) -> str:
    """A number of blocks: "1 block", "1,200 blocks"."""
    return f"{blocks:,} {plural(blocks, 'block')}"


# ------------------------------------------------------------------ durations


def _time_parts(seconds: int) -> list[tuple[str, str, int]]:
    """(word, letter, count) of each unit of `seconds`: 90061 -> 1 day, 1 hour, 1 minute,
    1 second."""
    parts = []
    rest = int(seconds)
    for word, letter, size in _TIME_UNITS:
        count, rest = divmod(rest, size)
        parts.append((word, letter, count))
    return parts


def format_duration(seconds: int) -> str:
    """Seconds in days, hours, minutes, seconds: 259200 -> "3 days", 90000 -> "1 day 1 hour"."""
    parts = [f"{n} {plural(n, word)}" for word, _, n in _time_parts(seconds) if n]
    return " ".join(parts) if parts else "0 seconds"


def format_duration_short(seconds: int) -> str:
    """Seconds in days, hours and minutes, short: 93784 -> "1d 2h 3m"; under a minute, "42s"
    (a negative number of seconds is 0s)."""
    seconds = max(0, int(seconds))
    text = " ".join(f"{n}{letter}" for _, letter, n in _time_parts(seconds)[:-1] if n)
    return text or f"{seconds}s"


def format_relative(seconds: int) -> str:
    """A time `seconds` from now in words: "in 3 days" (2 days 23 hours, rounded), "in 1 day
    6 hours", "3 minutes ago", "now". Two units below 2 of the largest, else that one, rounded."""
    seconds = int(seconds)
    if seconds == 0:
        return "now"
    rest = abs(seconds)
    word, _, size = next(unit for unit in _TIME_UNITS if rest >= unit[2])
    if rest >= 2 * size:
        count = (rest + size // 2) // size
        text = f"{count} {plural(count, word)}"
    else:
        parts = [(w, n) for w, _, n in _time_parts(rest) if n][:2]
        text = " ".join(f"{n} {plural(n, w)}" for w, n in parts)
    return f"in {text}" if seconds > 0 else f"{text} ago"


# ------------------------------------------------------------------ dates


def iso_time(timestamp: int) -> str:
    """A unix time as ISO 8601 in UTC, the one date format of the client: 2026-12-03T14:00:00Z."""
    return datetime.fromtimestamp(int(timestamp), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_time(timestamp: int, now: int | None = None) -> str:
    """A unix time for people: its ISO date in UTC, and how far it is from `now` (the chain's
    clock, which a development chain may have moved) when given:
    "2026-12-03T14:00:00Z (in 2 days)", "2026-11-28T09:12:00Z (3 hours ago)"."""
    text = iso_time(timestamp)
    return text if now is None else f"{text} ({format_relative(int(timestamp) - int(now))})"


# ------------------------------------------------------------------ text


def sentence(text: str) -> str:
    """`text` with a capital first letter: "set the fee" -> "Set the fee"."""
    return text[:1].upper() + text[1:] if text else text


def shorten(value: str | int) -> str:
    """A long id or address cut to its ends: "0x1234…cdef"; 12 characters or fewer as is."""
    text = str(value)
    return f"{text[:6]}…{text[-4:]}" if len(text) > 12 else text


__all__ = [
    "JTN",
    "format_blocks",
    "format_bps",
    "format_duration",
    "format_duration_short",
    "format_jtn",
    "format_percent",
    "format_relative",
    "format_time",
    "format_tokens",
    "format_votes",
    "format_weight",
    "iso_time",
    "plural",
    "sentence",
    "shorten",
]
