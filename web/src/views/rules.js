// The rules as they stand: each governed rule's value, its hard bounds and maximum step per
// change (constants in the contracts: no vote can move a rule outside them), and when it last
// changed.

import { get } from "../api.js";
import { h, table } from "../dom.js";
import { date } from "../format.js";

export const rules = {
  name: "rules",
  title: "Rules",
  async load() {
    return get("rules");
  },
  draw(data) {
    return [
      h("h1", {}, "Rules"),
      h(
        "p",
        { class: "muted" },
        "Only a DAO vote changes a rule, after the timelock's delay; no vote can take a rule past its hard bounds or move it by more than its step at once. A task keeps the fee in force when it was posted.",
      ),
      table(
        ["Rule", "Value", "Hard bounds", "Max step per change", "Last change"],
        data.rules.map((rule) => {
          const bounds = rule.max ? `${rule.min.text} to ${rule.max.text}` : "—";
          const change = rule.last_change;
          const last = change
            ? `${date(change.timestamp)}: ${change.from.text} → ${rule.value.text}`
            : "never by a vote (set at deployment)";
          return h(
            "tr",
            { "data-rule": rule.key },
            h("td", { "data-label": "Rule" }, rule.label),
            h("td", { "data-label": "Value", "data-value": rule.value.value }, rule.value.text + rule.suffix),
            h("td", { "data-label": "Hard bounds" }, bounds),
            h("td", { "data-label": "Max step" }, rule.step ? rule.step.text : "no limit"),
            h("td", { "data-label": "Last change" }, last),
          );
        }),
        { class: "cards", id: "rules-table" },
      ),
    ];
  },
};
