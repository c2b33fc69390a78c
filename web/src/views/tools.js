// Tools: premium services bought with work tokens at prices the DAO sets (the access credits).
// The list shows each service's price now and any announced rise; a service's page lets a
// connected worker buy credits (a permit signature, then one transaction), see them and every
// use its provider recorded, and take back what it paid for unused credits when the DAO has
// paused or removed the service. The figures are `jeton --json services ...`'s.

import { act } from "../actions.js";
import { get } from "../api.js";
import { call, pull } from "../chain.js";
import { button, fields, h, table } from "../dom.js";
import { amount, date, fromUnits, relative, short } from "../format.js";
import { activeAccount, jtn } from "../state.js";
import { accountLink, badge } from "./common.js";

const money = (human) => amount(human, jtn());

/** The price now, with its base units for tests and scripts. */
function price(s) {
  return h("span", { "data-field": "unit-price", "data-value": s.unit_price }, money(s.unit_price_human));
}

/** An announced rise: its price and when it applies ("—" when none is pending). */
function rise(s, now) {
  if (!s.next_unit_price) return h("span", { "data-field": "next-price" }, "—");
  return h(
    "span",
    { "data-field": "next-price", "data-value": s.next_unit_price },
    `${money(s.next_unit_price_human)} from ${date(s.next_price_at)}`,
    now ? h("span", { class: "muted" }, ` (${relative(s.next_price_at, now)})`) : null,
  );
}

function credits(c) {
  if (!c || c.units === "0") return "none";
  return `${Number(c.units).toLocaleString("en-US")} units, ${money(c.paid_human)} paid (${money(c.average_price_human)} a unit on average)`;
}

export const tools = {
  name: "tools",
  title: "Tools",
  async load() {
    return get("services", { for: activeAccount() });
  },
  draw(data) {
    const me = activeAccount();
    const rows = data.services.map((s) =>
      h(
        "tr",
        { "data-service": s.id },
        h("td", {}, h("a", { href: `#/tools/${s.id}` }, `#${s.id} ${s.name}`)),
        h("td", { "data-label": "Price a unit" }, price(s)),
        h("td", { "data-label": "Announced rise" }, rise(s, data.timestamp)),
        h("td", { "data-label": "Status" }, badge(s.status)),
        me ? h("td", { "data-label": "Your credits", "data-field": "credit-units" }, credits(s.credit)) : null,
      ),
    );
    const columns = ["Service", "Price a unit", "Announced rise", "Status", ...(me ? ["Your credits"] : [])];
    return [
      h("h1", {}, "Tools"),
      h(
        "p",
        { class: "muted" },
        "Premium tools bought with work tokens. Only a DAO vote changes a price: at most 25% up, announced a week ahead, or half down, once a week at most. Credits you bought keep the price you paid, and come back at that price if the DAO pauses or removes a service.",
      ),
      rows.length
        ? table(columns, rows, { class: "cards", id: "services" })
        : h("p", { class: "empty" }, "No tools yet: the DAO adds them by vote."),
    ];
  },
};

export const tool = {
  name: "tool",
  title: "Tool",
  async load([id]) {
    return get(`services/${id}`, { for: activeAccount() });
  },
  draw(s) {
    const now = s.timestamp;
    return [
      h("h1", {}, `${s.name} `, badge(s.status)),
      fields(
        [
          ["Price a unit", price(s)],
          ["Announced rise", rise(s, now)],
          ["Price changes", `by a DAO vote only: at most +25% (announced a week ahead) or −50%, once a week; the next not before ${date(s.next_change_at)}`],
          ["Provider", accountLink(s.provider)],
          ["Terms", h("span", { class: "mono break" }, s.uri || "—")],
        ],
        { id: "service-terms" },
      ),
      h("section", { class: "actions", "aria-label": "What you can do" }, actions(s)),
      s.uses
        ? [
            h("h2", {}, "Uses of your credits"),
            s.uses.length
              ? table(
                  ["Block", "Units", "Paid for them", "Provider's reference"],
                  s.uses.map((u) => [String(u.block), u.units, money(u.value_human), h("span", { class: "mono" }, short(u.usage_ref))]),
                  { id: "uses" },
                )
              : h("p", { class: "empty" }, "The provider has recorded no use of your credits."),
          ]
        : null,
    ];
  },
};

function actions(s) {
  if (!activeAccount()) {
    return h("p", { class: "muted" }, "Connect a wallet on this chain to buy credits or see yours.");
  }
  const items = [h("p", {}, h("strong", {}, "Your credits: "), h("span", { "data-field": "credit", "data-value": s.credit.units }, credits(s.credit)))];
  if (s.status === "active") items.push(buyForm(s));
  else if (s.credit.units !== "0") {
    items.push(
      button("Refund your unused credits", () => refund(s), { class: "primary", "data-role": "refund" }),
    );
  } else {
    items.push(h("p", { class: "muted" }, `This service is ${s.status}: it sells nothing now.`));
  }
  return items;
}

function buyForm(s) {
  const unitsIn = h("input", { type: "number", id: "buy-units", min: "1", step: "1", inputmode: "numeric", required: true });
  const out = h("output", { id: "buy-cost", for: "buy-units" }, "");
  const units = () => {
    const text = unitsIn.value.trim();
    if (!/^[1-9]\d*$/.test(text)) throw new Error("Give a whole number of units, 1 or more.");
    return BigInt(text);
  };
  unitsIn.addEventListener("input", () => {
    try {
      out.textContent = `Cost: ${money(fromUnits(units() * BigInt(s.unit_price)))}`;
    } catch (error) {
      out.textContent = error.message;
    }
  });
  return h(
    "form",
    {
      class: "stack",
      id: "buy-form",
      onsubmit: (event) => {
        event.preventDefault();
        try {
          buy(s, units());
        } catch (error) {
          out.textContent = error.message;
        }
      },
    },
    h("h2", {}, "Buy credits"),
    h("label", { for: "buy-units" }, "Units"),
    unitsIn,
    out,
    h("p", {}, h("button", { type: "submit", class: "primary", "data-role": "buy" }, "Buy")),
  );
}

async function buy(s, units) {
  const me = activeAccount();
  const limit = BigInt(s.unit_price); // a rise that applies meanwhile refuses the purchase
  const cost = units * limit;
  const args = [s.id, units, limit];
  const moving = await pull(
    me,
    cost,
    () => call("AccessCredits", "buy", args),
    (...permit) => call("AccessCredits", "buyWithPermit", [...args, ...permit]),
    "AccessCredits",
  );
  const total = money(fromUnits(cost));
  act({
    title: `Buy ${units} units of ${s.name}`,
    effects: [
      moving.permit
        ? `You sign a permit (free, nothing is sent) letting the service take ${total} once; then one transaction buys the credits.`
        : `One transaction buys the credits for ${total}.`,
      `${units} units at ${money(s.unit_price_human)} each, the price now: if a rise applies before the transaction is mined, nothing is bought.`,
      "The provider earns, and the DAO takes its cut, only as the provider records your uses; if the DAO pauses or removes the service, you take back what you paid for the units not used.",
    ],
    contract: "AccessCredits",
    prepare: moving.prepare,
    prepareLabel: "Sign the permit",
    call: moving.call,
    done: () => `Bought ${units} units of ${s.name} for ${total}.`,
  });
}

function refund(s) {
  return act({
    title: `Refund your credits of ${s.name}`,
    effects: [`You take back ${money(s.credit.paid_human)}, what you paid for your ${s.credit.units} unused units.`],
    contract: "AccessCredits",
    call: async () => call("AccessCredits", "refund", [s.id]),
    done: () => `Refunded: ${money(s.credit.paid_human)} is back in your wallet.`,
  });
}
