// One task: its terms, what the connected account may do with it now, and its timeline (the
// same events, in the same words, as `jeton tasks show`).

import { act } from "../actions.js";
import { get } from "../api.js";
import { call, hashFile, hashText, pull } from "../chain.js";
import { button, fields, h, table } from "../dom.js";
import { amount, bps, date, duration, fromUnits, relative } from "../format.js";
import { activeAccount, jtn, state } from "../state.js";
import { accountLink, badge, same, taskAmount } from "./common.js";

export const task = {
  name: "task",
  title: "Task",
  async load([id]) {
    return { task: await get(`tasks/${id}`, { for: activeAccount() }), now: state.status?.timestamp };
  },
  draw({ task: t, now }) {
    const money = (units) => amount(fromUnits(units, t.decimals), t.token_symbol);
    const reward = t.earns_reward
      ? `reward ${t.reward_bps / 100}% of the fee, in ${jtn()}`
      : `no work reward (paid in ${t.token_symbol})`;
    const window = { submitted: "Review ends", disputed: "Arbitration ends" }[t.status];
    return [
      h("h1", {}, `Task #${t.id} `, badge(t.status)),
      fields(
        [
          ["Pays", [taskAmount(t), h("span", { class: "muted" }, ` (fee ${bps(t.fee_bps)} locked at posting: the worker gets ${money(t.worker_amount)}; ${reward})`)]],
          ["Client", accountLink(t.client)],
          ["Worker", t.worker ? [accountLink(t.worker), t.status === "open" ? " (reserved)" : ""] : "anyone who qualifies may claim it"],
          ["Deadline", [date(t.deadline), now ? ` (${relative(t.deadline, now)})` : ""]],
          ["Reputation needed", t.min_reputation ? `${t.min_reputation.toLocaleString("en-US")} points` : "none"],
          ["Claim bond", h("span", { "data-field": "bond", "data-value": t.bond }, t.bond_bps ? `${bps(t.bond_bps)} (${money(t.bond)}), staked by the worker, and by whoever disputes` : "none")],
          window ? [window, [date(t.window_ends), now ? ` (${relative(t.window_ends, now)})` : ""]] : null,
        ],
        { id: "task-terms" },
      ),
      h("section", { class: "actions", "aria-label": "What you can do" }, actions(t, now)),
      h("h2", {}, "Timeline"),
      table(
        ["Block", "Time", "Event", "What happened"],
        t.timeline.map((e) => [String(e.block), date(e.timestamp), e.name, e.summary]),
        { id: "timeline" },
      ),
    ];
  },
};

function actions(t, now) {
  const me = activeAccount();
  if (!me) {
    return h("p", { class: "muted" }, "Connect a wallet on this chain to claim, deliver or pay.");
  }
  const client = same(me, t.client);
  const worker = same(me, t.worker);
  const money = (units) => amount(fromUnits(units, t.decimals), t.token_symbol);
  const items = [];
  if (t.status === "open" && !client) {
    if (t.refusal) {
      items.push(h("p", { class: "note warning", "data-field": "claim-refusal" }, h("strong", {}, t.refusal.name), `: ${t.refusal.explanation}`));
    } else {
      items.push(button("Claim this task", () => claim(t, money), { class: "primary", "data-role": "claim" }));
    }
  }
  if (t.status === "open" && client) {
    items.push(
      button("Cancel the task", () =>
        act({
          title: `Cancel task #${t.id}`,
          effects: [`The deposit of ${money(t.amount)} comes back to you; nobody can claim the task any more.`],
          contract: "TaskEscrow",
          call: async () => call("TaskEscrow", "cancel", [t.id]),
          done: () => `Task #${t.id} is cancelled; the deposit is back.`,
        }), { "data-role": "cancel-task" }),
    );
  }
  if (t.status === "claimed" && worker) items.push(deliverForm(t));
  if (t.status === "claimed" && client) {
    if (now && now > t.deadline) {
      items.push(
        button("Reclaim the deposit", () =>
          act({
            title: `Reclaim task #${t.id}`,
            effects: [`The deadline passed with no delivery: the deposit of ${money(t.amount)}${BigInt(t.bond) ? ` and the worker's bond of ${money(t.bond)}` : ""} come to you.`],
            contract: "TaskEscrow",
            call: async () => call("TaskEscrow", "reclaim", [t.id]),
            done: () => `Reclaimed the deposit of task #${t.id}.`,
          }), { "data-role": "reclaim" }),
      );
    } else {
      items.push(h("p", { class: "muted" }, `If nothing is delivered by ${date(t.deadline)}, you can reclaim the deposit.`));
    }
  }
  if (t.status === "submitted" && client) {
    items.push(
      button("Approve and pay", () =>
        act({
          title: `Approve task #${t.id}`,
          effects: [
            `The worker gets ${money(t.worker_amount)}${BigInt(t.bond) ? ` and their bond of ${money(t.bond)} back` : ""}; the fee of ${money(t.fee)} goes to the DAO's treasury.`,
            t.earns_reward ? `The worker earns a work reward and reputation.` : "The worker earns reputation.",
          ],
          contract: "TaskEscrow",
          call: async () => call("TaskEscrow", "approve", [t.id]),
          done: () => `Approved task #${t.id}: the worker is paid.`,
        }), { class: "primary", "data-role": "approve" }),
    );
  }
  if (t.status === "submitted" && (client || worker) && now && now <= t.window_ends) {
    items.push(button("Dispute", () => dispute(t, money), { "data-role": "dispute" }));
  }
  if (t.status === "submitted" && worker) {
    if (now && now > t.window_ends) {
      items.push(
        button("Release the payment", () =>
          act({
            title: `Release the payment of task #${t.id}`,
            effects: [`The review period is over: you take ${money(t.worker_amount)}${BigInt(t.bond) ? ` and your bond of ${money(t.bond)} back` : ""} (the fee of ${money(t.fee)} goes to the treasury).`],
            contract: "TaskEscrow",
            call: async () => call("TaskEscrow", "release", [t.id]),
            done: () => `Released: you are paid for task #${t.id}.`,
          }), { class: "primary", "data-role": "release" }),
      );
    } else {
      items.push(h("p", { class: "muted" }, `The client may review until ${date(t.window_ends)}; if they stay silent, you can release the payment after that.`));
    }
  }
  if (t.status === "disputed" && (client || worker) && now && now > t.window_ends) {
    items.push(
      button("Settle", () =>
        act({
          title: `Settle task #${t.id}`,
          effects: ["No arbiter ruled in time: the dispute is undone for the client, who takes back the deposit and both bonds; no fee, reward or reputation for anyone."],
          contract: "TaskEscrow",
          call: async () => call("TaskEscrow", "settleDispute", [t.id]),
          done: () => `Task #${t.id} is split evenly.`,
        }), { "data-role": "settle" }),
    );
  }
  return items.length ? items : h("p", { class: "muted" }, "Nothing for you to do on this task now.");
}

function deliverForm(t) {
  const hashOut = h("output", { id: "deliverable-hash", class: "mono" }, "");
  const fileInput = h("input", { type: "file", id: "deliver-file" });
  const uriInput = h("input", { type: "text", id: "deliver-uri", placeholder: "ipfs://… or https://…", autocomplete: "off" });
  let hash = null;
  const update = async () => {
    const file = fileInput.files?.[0];
    const uri = uriInput.value.trim();
    hash = file ? await hashFile(file) : uri ? hashText(uri) : null;
    hashOut.textContent = hash ? `Hash on chain: ${hash}` : "";
  };
  fileInput.addEventListener("change", update);
  uriInput.addEventListener("input", update);
  const form = h(
    "form",
    {
      class: "stack",
      id: "deliver-form",
      onsubmit: async (event) => {
        event.preventDefault();
        await update();
        if (!hash) {
          hashOut.textContent = "Pick a file or give a URI first.";
          return;
        }
        const what = fileInput.files?.[0] ? `the file ${fileInput.files[0].name}` : `the URI ${uriInput.value.trim()}`;
        const chosen = hash;
        act({
          title: `Deliver task #${t.id}`,
          effects: [
            `The hash of ${what} is recorded on chain (${chosen}); the file itself stays with you.`,
            `The client then has ${duration(t.review_period)} to approve or dispute; if they stay silent, you can release the payment after that.`,
          ],
          contract: "TaskEscrow",
          call: async () => call("TaskEscrow", "submit", [t.id, chosen]),
          done: () => `Delivered task #${t.id}.`,
        });
      },
    },
    h("h2", {}, "Deliver"),
    h("p", { class: "muted" }, "Pick the file you deliver: it is hashed here, in your browser, and never uploaded. Or give a URI where the client finds it."),
    h("label", { for: "deliver-file" }, "File"),
    fileInput,
    h("label", { for: "deliver-uri" }, "or URI"),
    uriInput,
    hashOut,
    h("p", {}, h("button", { type: "submit", class: "primary", "data-role": "deliver" }, "Deliver")),
  );
  return form;
}

function claim(t, money) {
  const bond = BigInt(t.bond);
  return act({
    title: `Claim task #${t.id}`,
    effects: [
      "You become the task's worker; nobody else can take it.",
      bond
        ? `You stake a claim bond of ${money(t.bond)}: it comes back with your pay; if the deadline passes with nothing delivered, it goes to the client.`
        : "It asks no claim bond.",
      `Deliver before ${date(t.deadline)}; once the client approves, you get ${money(t.worker_amount)}.`,
    ],
    contract: "TaskEscrow",
    ...staking(t, "claim", "claimWithPermit"),
    done: () => `You claimed task #${t.id}.`,
  });
}

function dispute(t, money) {
  return act({
    title: `Dispute task #${t.id}`,
    effects: [
      BigInt(t.bond) ? `You stake a dispute bond of ${money(t.bond)}, as large as the claim bond.` : "It asks no bond.",
      "An arbiter appointed by the DAO may split the deposit; both bonds go to the side it favours.",
      "If no arbiter rules within the arbitration window, the dispute is undone for the client.",
    ],
    contract: "TaskEscrow",
    ...staking(t, "dispute", "disputeWithPermit"),
    done: () => `Task #${t.id} is disputed.`,
  });
}

/** `act`'s prepare and call for a call that stakes the task's bond: with a permit when the
 * escrow may not take it yet (one transaction, as the Python client does). */
function staking(t, plain, withPermit) {
  let chosen = null;
  const choose = async (account) => {
    chosen = chosen || (await pull(account, BigInt(t.bond), () => call("TaskEscrow", plain, [t.id]), (...permit) => call("TaskEscrow", withPermit, [t.id, ...permit])));
    return chosen;
  };
  return {
    prepareLabel: "Sign the permit for the bond",
    prepareIf: async (account) => (await choose(account)).permit,
    prepare: async (account) => (await choose(account)).prepare?.(account),
    call: async (account, prepared) => (await choose(account)).call(account, prepared),
  };
}
