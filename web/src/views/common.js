// Pieces the views share: task and proposal labels, links to accounts, the status badge.

import { h } from "../dom.js";
import { amount, short, word } from "../format.js";
import { activeAccount } from "../state.js";

/** A link to an account's profile ("you" for the connected account). */
export function accountLink(address) {
  if (!address) return "—";
  const you = activeAccount() && address.toLowerCase() === activeAccount().toLowerCase();
  return h(
    "a",
    { href: `#/accounts/${address}`, class: "mono", title: address },
    you ? `${short(address)} (you)` : short(address),
  );
}

/** A task's amount in its token, with its base units for tests and scripts. */
export function taskAmount(task) {
  return h("span", { "data-value": task.amount }, amount(task.amount_human, task.token_symbol));
}

/** A status word in a badge. */
export function badge(status) {
  return h("span", { class: `badge status-${status}`, "data-status": status }, word(status));
}

/** Whether two addresses are the same account. */
export function same(a, b) {
  return Boolean(a && b && a.toLowerCase() === b.toLowerCase());
}
