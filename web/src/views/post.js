// Posting a task: the deposit moves with an EIP-2612 permit signature and the post in one
// transaction (or with postTask alone when the escrow may already take it). The fee in force
// now is shown: it is locked with the task, whatever the DAO decides later.

import { act } from "../actions.js";
import { get } from "../api.js";
import { addressOf, call, checkAddress, hashFile, hashText, iface, pull } from "../chain.js";
import { h } from "../dom.js";
import { amount, bps, date, duration, fromUnits, toUnits } from "../format.js";
import { activeAccount, jtn, state } from "../state.js";

const ZERO = "0x0000000000000000000000000000000000000000";
const UNITS = { hours: 3600, days: 86400, weeks: 604800 };

export const post = {
  name: "post",
  title: "Post a task",
  async load() {
    const { rules, claim_bond_bps: bond } = await get("rules");
    const value = (key) => Number(rules.find((r) => r.key === key).value.value);
    return { fee: value("fee"), reward: value("reward"), review: value("review_period"), bond };
  },
  draw(terms) {
    const symbol = jtn();
    const input = (id, attrs = {}) => h("input", { id, name: id, autocomplete: "off", ...attrs });
    const amountIn = input("post-amount", { inputmode: "decimal", required: true, placeholder: "100" });
    const deadlineIn = input("post-deadline", { type: "number", min: "1", step: "1", value: "7", required: true });
    const unitIn = h("select", { id: "post-deadline-unit", "aria-label": "Deadline unit" }, Object.keys(UNITS).map((u) => h("option", { value: u, selected: u === "days" }, u)));
    const briefIn = h("textarea", { id: "post-brief", rows: "4", placeholder: "What to do, or a URI of the brief" });
    const briefFile = input("post-brief-file", { type: "file" });
    const repIn = input("post-min-rep", { type: "number", min: "0", step: "1", value: "0" });
    const workerIn = input("post-worker", { placeholder: "0x… (optional)", spellcheck: "false" });
    const bondIn = input("post-bond", { inputmode: "decimal", placeholder: `${bps(terms.bond)} (the DAO's rule)` });
    const summary = h("p", { class: "muted", id: "post-summary", "aria-live": "polite" });
    const problem = h("p", { class: "note error", id: "post-problem", role: "alert", hidden: true });

    const describe = () => {
      try {
        const units = toUnits(amountIn.value || "0");
        const fee = (units * BigInt(terms.fee)) / 10000n;
        summary.textContent =
          `Fee in force now: ${bps(terms.fee)}, locked with the task. ` +
          (units > 0n
            ? `The worker would get ${amount(fromUnits(units - fee), symbol)}; ${amount(fromUnits(fee), symbol)} goes to the DAO's treasury.`
            : "");
      } catch {
        summary.textContent = `Fee in force now: ${bps(terms.fee)}, locked with the task.`;
      }
    };
    amountIn.addEventListener("input", describe);
    describe();

    const form = h(
      "form",
      {
        class: "stack",
        id: "post-form",
        onsubmit: async (event) => {
          event.preventDefault();
          problem.hidden = true;
          let inputs;
          try {
            inputs = await parse();
          } catch (error) {
            problem.textContent = error.message;
            problem.hidden = false;
            return;
          }
          submit(inputs, terms);
        },
      },
      h("label", { for: "post-amount" }, `Amount (${symbol})`),
      amountIn,
      h("label", { for: "post-deadline" }, "Deadline: in"),
      h("span", { class: "inline" }, deadlineIn, unitIn),
      h("label", { for: "post-brief" }, "Brief"),
      briefIn,
      h("label", { for: "post-brief-file" }, "or a brief file (hashed here, never uploaded)"),
      briefFile,
      h("label", { for: "post-min-rep" }, "Reputation a worker needs"),
      repIn,
      h("label", { for: "post-worker" }, "Reserve it for one worker"),
      workerIn,
      h("label", { for: "post-bond" }, "Claim bond (%), staked by the worker"),
      bondIn,
      summary,
      problem,
      h("p", {}, h("button", { type: "submit", class: "primary", "data-role": "post" }, "Post the task")),
    );

    async function parse() {
      const units = toUnits(amountIn.value);
      if (units === 0n) throw new Error("A task must pay something: give an amount above zero.");
      const count = Number(deadlineIn.value);
      if (!Number.isInteger(count) || count < 1) throw new Error("Give the deadline as a whole number of hours, days or weeks.");
      const minRep = Number(repIn.value || "0");
      if (!Number.isInteger(minRep) || minRep < 0) throw new Error("The reputation needed is a whole number of points.");
      const worker = workerIn.value.trim() ? checkAddress(workerIn.value) : ZERO;
      const file = briefFile.files?.[0];
      const brief = briefIn.value.trim();
      if (!file && !brief) throw new Error("Write a brief or pick a brief file: its hash goes on chain.");
      const specHash = file ? await hashFile(file) : hashText(brief);
      const deadline = Number(state.status.timestamp) + count * UNITS[unitIn.value];
      const bondText = bondIn.value.trim().replace(/%$/, "");
      if (bondText && !/^\d+(\.\d{1,2})?$/.test(bondText)) throw new Error("Give the claim bond as a percentage, such as 10 or 12.5 (or leave it to the DAO's rule).");
      const bondBps = bondText ? Math.round(Number(bondText) * 100) : null;
      return { units, deadline, minRep, worker, specHash, bondBps };
    }
    return [h("h1", {}, "Post a task"), form];
  },
};

async function submit(inputs, terms) {
  const symbol = jtn();
  const me = activeAccount();
  const token = addressOf("WorkToken");
  const base = [token, inputs.units, inputs.deadline, inputs.minRep, inputs.specHash, inputs.worker];
  const args = inputs.bondBps === null ? base : [...base, inputs.bondBps];
  const [plain, withPermit] = inputs.bondBps === null ? ["postTask", "postTaskWithPermit"] : ["postTaskWithBond", "postTaskWithBondAndPermit"];
  const moving = me
    ? await pull(
        me,
        inputs.units,
        () => call("TaskEscrow", plain, args),
        (...permit) => call("TaskEscrow", withPermit, [...args, ...permit]),
      )
    : { permit: false, prepare: null, call: async () => call("TaskEscrow", plain, args) };
  const fee = (inputs.units * BigInt(terms.fee)) / 10000n;
  const bondBps = inputs.bondBps ?? terms.bond;
  const money = (units) => amount(fromUnits(units), symbol);
  act({
    title: `Post a task paying ${money(inputs.units)}`,
    effects: [
      moving.permit
        ? `You sign a permit (free, nothing is sent) letting the escrow take ${money(inputs.units)} once; then one transaction posts the task and moves the deposit.`
        : `One transaction posts the task and moves the deposit of ${money(inputs.units)} into escrow.`,
      `Fee locked: ${bps(terms.fee)} (${money(fee)}); your review period: ${duration(terms.review)}.`,
      `The worker stakes a claim bond of ${bps(bondBps)} (${money((inputs.units * BigInt(bondBps)) / 10000n)}): it goes back with the pay, or to you if nothing is delivered in time.`,
      `Deadline ${date(inputs.deadline)}${inputs.minRep ? `; workers need ${inputs.minRep} reputation points` : ""}${inputs.worker !== ZERO ? `; reserved for ${inputs.worker}` : ""}.`,
    ],
    contract: "TaskEscrow",
    prepare: moving.prepare,
    prepareLabel: "Sign the permit",
    call: moving.call,
    done: (receipt) => {
      const escrow = addressOf("TaskEscrow").toLowerCase();
      const posted = receipt.logs
        .filter((log) => log.address.toLowerCase() === escrow)
        .map((log) => {
          try {
            return iface("TaskEscrow").parseLog(log);
          } catch {
            return null;
          }
        })
        .find((event) => event?.name === "TaskPosted");
      const id = posted ? Number(posted.args.taskId) : null;
      return id ? ["Posted ", h("a", { href: `#/tasks/${id}`, "data-field": "posted-task" }, `task #${id}`), "."] : "Posted.";
    },
  });
}
