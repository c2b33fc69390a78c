// Numbers and times for people. Amounts arrive from the API as exact decimal strings
// (`*_human`) beside their base units, and are rounded here as decimal strings, never as
// binary floating point.

const TIME_UNITS = [
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

function group(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** "1234.5678" -> "1,234.57" (half up, `places` decimals, grouped). */
export function decimal(text, places = 2) {
  let [whole, fraction = ""] = String(text).split(".");
  const negative = whole.startsWith("-");
  if (negative) whole = whole.slice(1);
  fraction = fraction.padEnd(places + 1, "0");
  let kept = BigInt(whole + fraction.slice(0, places));
  if (Number(fraction[places]) >= 5) kept += 1n;
  const digits = kept.toString().padStart(places + 1, "0");
  const intPart = group(digits.slice(0, digits.length - places));
  const out = places ? `${intPart}.${digits.slice(digits.length - places)}` : intPart;
  return negative && kept !== 0n ? `-${out}` : out;
}

/** An amount with its symbol: amount("95.5", "JTN") -> "95.50 JTN". */
export function amount(human, symbol, places = 2) {
  return symbol ? `${decimal(human, places)} ${symbol}` : decimal(human, places);
}

/** Whole votes: "11680.3" -> "11,680". */
export function votes(human) {
  return decimal(human, 0);
}

/** Base units (a decimal string or bigint) as an exact decimal string. */
export function fromUnits(units, decimals = 18) {
  const text = BigInt(units).toString().padStart(decimals + 1, "0");
  const whole = text.slice(0, text.length - decimals);
  const fraction = text.slice(text.length - decimals).replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole;
}

/** A decimal string as base units (bigint); throws on a malformed or over-precise amount. */
export function toUnits(text, decimals = 18) {
  const clean = String(text).trim().replace(/[_,]/g, "");
  if (!/^\d+(\.\d+)?$/.test(clean)) throw new Error(`${text} is not an amount (e.g. 12.5)`);
  const [whole, fraction = ""] = clean.split(".");
  if (fraction.length > decimals) {
    throw new Error(`${text} has more than ${decimals} decimals`);
  }
  return BigInt(whole + fraction.padEnd(decimals, "0"));
}

/** Basis points as a percentage: 500 -> "5.00%". */
export function bps(value) {
  return `${(Number(value) / 100).toFixed(2)}%`;
}

/** Seconds in words: 90061 -> "1 day 1 hour" (the two largest units). */
export function duration(seconds) {
  let rest = Math.max(0, Math.floor(Number(seconds)));
  const parts = [];
  for (const [word, size] of TIME_UNITS) {
    const count = Math.floor(rest / size);
    rest %= size;
    if (count) parts.push(`${count} ${word}${count === 1 ? "" : "s"}`);
  }
  return parts.slice(0, 2).join(" ") || "0 seconds";
}

/** A unix time as "2026-12-01 15:04 UTC". */
export function date(timestamp) {
  if (!timestamp) return "—";
  return new Date(Number(timestamp) * 1000).toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

/** A unix time relative to the chain's `now`: "in 2 days 3 hours" / "5 minutes ago". */
export function relative(timestamp, now) {
  const delta = Number(timestamp) - Number(now);
  if (delta === 0) return "now";
  return delta > 0 ? `in ${duration(delta)}` : `${duration(-delta)} ago`;
}

/** "0x1234…cdef". */
export function short(address) {
  if (!address) return "—";
  const text = String(address);
  return text.length > 12 ? `${text.slice(0, 6)}…${text.slice(-4)}` : text;
}

/** "1 block" / "12 blocks". */
export function blocks(count) {
  const n = Number(count);
  return `${n.toLocaleString("en-US")} block${n === 1 ? "" : "s"}`;
}

/** A status word with a capital: "open" -> "Open". */
export function word(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : "";
}
