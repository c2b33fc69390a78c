// Every write goes through `act`: it says what will happen, checks the call by simulating it
// (a refusal shows the contract's error by name with the Python client's hint, and nothing is
// sent), shows the cost, waits for the user's go, has the wallet sign and send, shows the
// pending transaction, then the outcome in words. A signature the user declines (EIP-1193
// error 4001) is reported as such, and nothing is sent.

import { get } from "./api.js";
import { revertData } from "./chain.js";
import { button, h, replace } from "./dom.js";
import { decimal, fromUnits } from "./format.js";
import { activeAccount, nodeUp, state } from "./state.js";
import { WalletError, request } from "./wallet.js";

const panel = () => document.getElementById("action");
const RECEIPT_POLL_MS = 400;

class Stop extends Error {}

/** Show the panel in `mode` with `children`, and move the focus to its heading. */
function show(mode, title, ...children) {
  const el = panel();
  el.hidden = false;
  el.dataset.state = mode;
  const heading = h("h2", { tabindex: "-1" }, title);
  replace(el, heading, ...children);
  heading.focus();
  return el;
}

/** Close the panel. */
export function closePanel() {
  const el = panel();
  el.hidden = true;
  el.dataset.state = "";
  el.replaceChildren();
  document.getElementById("main")?.focus();
}

/** Buttons that resolve (go) or reject (cancel) the returned promise. */
function ask(goLabel) {
  return new Promise((resolve, reject) => {
    const go = button(goLabel, () => resolve(), { class: "primary", "data-role": "go" });
    const cancel = button("Cancel", () => reject(new Stop("cancelled")), { "data-role": "cancel" });
    const row = h("p", { class: "buttons" }, go, cancel);
    panel().append(row);
    go.focus();
  });
}

function closeRow() {
  return h("p", { class: "buttons" }, button("Close", closePanel, { "data-role": "close" }));
}

function effectsList(effects) {
  return h("ul", { class: "effects" }, effects.map((line) => h("li", {}, line)));
}

/** The contract's error, named and explained (by the API, from the Python client's hints). */
async function refusal(title, error, contract) {
  const data = revertData(error);
  let explained = null;
  if (data && data !== "0x") {
    explained = await get("explain", { data, contract }).catch(() => null);
  }
  const name = explained?.name || "Refused";
  const text = explained?.explanation || error.message || String(error);
  show(
    "refused",
    title,
    h("p", { class: "error-name" }, h("strong", { "data-field": "error-name" }, name)),
    h("p", { class: "error-text", "data-field": "error-text" }, text),
    h("p", { class: "muted" }, "Nothing was sent."),
    closeRow(),
  );
}

function declined(title, what) {
  show(
    "declined",
    title,
    h("p", { "data-field": "declined" }, `You declined the ${what} in your wallet: nothing was sent.`),
    closeRow(),
  );
}

function failed(title, error) {
  show(
    "failed",
    title,
    h("p", { class: "error-text", "data-field": "error-text" }, error.message || String(error)),
    closeRow(),
  );
}

/** The account to act with, or a message in the panel saying why there is none. */
function actor(title) {
  if (!nodeUp()) {
    failed(title, new Error("The node does not answer: wait until it is back."));
    return null;
  }
  const account = activeAccount();
  if (!account) {
    const why = state.wallet.account
      ? `Your wallet is on chain ${state.wallet.chainId}: switch it to chain ${state.config.chain_id} first.`
      : "Connect a wallet first.";
    failed(title, new Error(why));
    return null;
  }
  return account;
}

/**
 * A transaction: `spec` = {
 *   title, effects: [text],           what will happen, shown first
 *   contract,                          whose errors a refusal decodes as
 *   prepare?: async (account) => any, a step before the call (e.g. a permit signature),
 *   prepareIf?: async (account) => bool, whether `prepare` is needed (default: when given),
 *   prepareLabel?: text,               its button ("Sign the permit")
 *   call: async (account, prepared) => { to, data, value? },
 *   done: (receipt) => text,           the outcome in words
 * }
 */
export async function act(spec) {
  const { title } = spec;
  const account = actor(title);
  if (!account) return null;
  try {
    show("review", title, effectsList(spec.effects));
    let prepared;
    if (spec.prepare && (!spec.prepareIf || (await spec.prepareIf(account)))) {
      await ask(spec.prepareLabel || "Continue");
      show("signing", title, effectsList(spec.effects), h("p", {}, "Waiting for your signature…"));
      try {
        prepared = await spec.prepare(account);
      } catch (error) {
        if (error instanceof WalletError && error.declined) return declined(title, "signature");
        throw error;
      }
    }
    const tx = await spec.call(account, prepared);
    const request_ = { from: account, to: tx.to, data: tx.data, value: tx.value || "0x0" };
    show("checking", title, effectsList(spec.effects), h("p", {}, "Checking the call…"));
    let gas;
    try {
      await request("eth_call", [request_, "latest"]);
      gas = BigInt(await request("eth_estimateGas", [request_]));
    } catch (error) {
      return refusal(title, error, tx.contract || spec.contract);
    }
    const price = BigInt(await request("eth_gasPrice"));
    const cost = gas * price;
    show(
      "review",
      title,
      effectsList(spec.effects),
      h(
        "p",
        { class: "cost", "data-field": "cost" },
        `Cost: about ${decimal(fromUnits(cost), 6)} ETH (${gas.toLocaleString("en-US")} gas at ${decimal(fromUnits(price, 9), 2)} gwei).`,
      ),
    );
    await ask("Sign and send");
    show("signing", title, effectsList(spec.effects), h("p", {}, "Waiting for your wallet…"));
    let hash;
    try {
      hash = await request("eth_sendTransaction", [{ ...request_, gas: `0x${((gas * 6n) / 5n).toString(16)}` }]);
    } catch (error) {
      if (error instanceof WalletError && error.declined) return declined(title, "transaction");
      return refusal(title, error, tx.contract || spec.contract);
    }
    show(
      "pending",
      title,
      h("p", {}, "Sent. Waiting for it to be mined…"),
      h("p", { class: "mono" }, h("span", { "data-field": "tx-hash" }, hash)),
    );
    const receipt = await mined(hash);
    if (Number(receipt.status) !== 1) {
      return failed(title, new Error(`Transaction ${hash} reverted on chain.`));
    }
    const details = await get(`tx/${hash}`).catch(() => null);
    await state.refresh?.();
    show(
      "done",
      title,
      h("p", { class: "outcome", "data-field": "outcome" }, spec.done(receipt)),
      h(
        "p",
        { class: "muted" },
        `Block ${Number(receipt.blockNumber)} · ${Number(receipt.gasUsed).toLocaleString("en-US")} gas · `,
        h("span", { class: "mono" }, hash),
      ),
      details?.events?.length
        ? h("ul", { class: "events" }, details.events.map((e) => h("li", {}, `${e.name}: ${e.summary}`)))
        : null,
      closeRow(),
    );
    return receipt;
  } catch (error) {
    if (error instanceof Stop) return closePanel();
    return failed(title, error);
  }
}

/**
 * A signature that sends nothing (a gasless ballot): `spec` = {
 *   title, effects, sign: async (account) => result, check?: async (account, result) => tx?,
 *   done: (result) => [nodes]
 * }
 */
export async function signOnly(spec) {
  const { title } = spec;
  const account = actor(title);
  if (!account) return null;
  try {
    show("review", title, effectsList(spec.effects));
    await ask(spec.goLabel || "Sign");
    show("signing", title, h("p", {}, "Waiting for your signature…"));
    let result;
    try {
      result = await spec.sign(account);
    } catch (error) {
      if (error instanceof WalletError && error.declined) return declined(title, "signature");
      throw error;
    }
    if (spec.check) {
      const tx = await spec.check(account, result);
      try {
        await request("eth_call", [{ from: account, to: tx.to, data: tx.data }, "latest"]);
      } catch (error) {
        return refusal(title, error, tx.contract);
      }
    }
    show("done", title, spec.done(result), closeRow());
    return result;
  } catch (error) {
    if (error instanceof Stop) return closePanel();
    return failed(title, error);
  }
}

async function mined(hash) {
  for (;;) {
    const receipt = await request("eth_getTransactionReceipt", [hash]);
    if (receipt) return receipt;
    await new Promise((resolve) => setTimeout(resolve, RECEIPT_POLL_MS));
  }
}
