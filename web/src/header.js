// The top of the page: the wallet's connection and the account's standing (balance, votes,
// reputation, tier, uncollected rewards), and the banner that tells of a wrong chain, a
// missing wallet or a node that does not answer.

import { act } from "./actions.js";
import { get } from "./api.js";
import { call } from "./chain.js";
import { button, h, replace } from "./dom.js";
import { amount, short, votes } from "./format.js";
import { activeAccount, jtn, nodeUp, state } from "./state.js";
import { connect, disconnect, switchChain, wallets } from "./wallet.js";

/** Draw the account section from the state (fetching the account's figures when due). */
export async function drawAccount() {
  const el = document.getElementById("account");
  const { account, chosen } = state.wallet;
  if (!chosen || !account) {
    const found = wallets();
    if (!found.length) {
      el.dataset.wallet = "none";
      return replace(el, h("p", { class: "muted" }, "No wallet found: browsing read-only."));
    }
    el.dataset.wallet = "disconnected";
    return replace(
      el,
      found.map((wallet) =>
        button(found.length > 1 ? `Connect ${wallet.info.name}` : "Connect wallet", () => onConnect(wallet), {
          class: "primary",
          "data-role": "connect",
        }),
      ),
    );
  }
  if (!activeAccount()) {
    el.dataset.wallet = "wrong-chain";
    return replace(
      el,
      h("p", {}, h("span", { class: "mono" }, short(account)), ` · wallet on chain ${state.wallet.chainId}`),
    );
  }
  el.dataset.wallet = "connected";
  const me = state.me?.address === account ? state.me : null;
  if (!me) {
    replace(el, h("p", { class: "mono" }, short(account)), h("p", { class: "muted" }, "Reading your account…"));
    return;
  }
  const symbol = jtn();
  const rewardsOwed = BigInt(me.rewards_owed) > 0n;
  const figure = (label, value) => h("div", {}, h("dt", {}, label), value);
  replace(
    el,
    h(
      "dl",
      { class: "standing" },
      figure("Account", h("dd", {}, h("a", { href: `#/accounts/${account}`, class: "mono", "data-field": "account" }, short(account)))),
      figure("Balance", h("dd", { "data-field": "balance", "data-value": me.balance }, amount(me.balance_human, symbol))),
      figure("Votes", h("dd", { "data-field": "votes", "data-value": me.votes }, votes(me.votes_human))),
      figure(
        "Reputation",
        h("dd", { "data-field": "reputation", "data-value": me.reputation }, `${me.reputation.toLocaleString("en-US")} · ${me.tier_name}`),
      ),
      BigInt(me.owed) > 0n
        ? figure(
            "Kept for you",
            h("dd", { "data-field": "owed", "data-value": me.owed }, amount(me.owed_human, symbol), " ", button("Withdraw", () => withdraw(me), { class: "small", "data-role": "withdraw" })),
          )
        : null,
      figure(
        "Rewards",
        h(
          "dd",
          { "data-field": "rewards", "data-value": me.rewards_owed },
          amount(me.rewards_owed_human, symbol),
          rewardsOwed ? [" ", button("Collect", () => collect(me), { class: "small", "data-role": "collect" })] : null,
        ),
      ),
    ),
    button("Disconnect", disconnect, { class: "small quiet", "data-role": "disconnect" }),
  );
}

/** Read the connected account's figures (null when there is no active account). */
export async function loadMe() {
  const account = activeAccount();
  if (!account || !nodeUp()) return;
  try {
    state.me = await get(`accounts/${account}`);
  } catch {
    // the status poll reports an unreachable node; the figures stay as they were
  }
}

async function onConnect(wallet) {
  try {
    await connect(wallet);
    banner("wallet", null);
  } catch (error) {
    const text = error.declined ? "You declined the connection: nothing was shared." : error.message;
    banner("wallet", text, "warning");
  }
}

function collect(me) {
  const symbol = jtn();
  return act({
    title: "Collect your work rewards",
    effects: [
      `${amount(me.rewards_owed_human, symbol)} of work rewards are minted to you, in one transaction.`,
    ],
    contract: "TaskEscrow",
    call: async (account) => call("TaskEscrow", "collectRewards", [account]),
    done: () => `Collected ${amount(me.rewards_owed_human, symbol)}.`,
  });
}

function withdraw(me) {
  const symbol = jtn();
  return act({
    title: "Withdraw the payouts kept for you",
    effects: [`${amount(me.owed_human, symbol)} that could not be sent to you earlier come to you now.`],
    contract: "TaskEscrow",
    call: async () => call("TaskEscrow", "withdraw", [state.config.work_token.address]),
    done: () => `Withdrew ${amount(me.owed_human, symbol)}.`,
  });
}

const banners = new Map();

/** Show (or with text null, remove) the banner `key`. */
export function banner(key, text, kind = "info", ...extra) {
  if (text === null) banners.delete(key);
  else banners.set(key, { text, kind, extra });
  const el = document.getElementById("banner");
  replace(
    el,
    [...banners.entries()].map(([name, b]) =>
      h("p", { class: `note ${b.kind}`, "data-banner": name }, b.text, b.extra.length ? [" ", ...b.extra] : null),
    ),
  );
}

/** The banners the state calls for: wrong chain, read-only, node down. */
export function drawBanners() {
  const { account, chainId } = state.wallet;
  if (account && chainId !== state.config.chain_id) {
    banner(
      "chain",
      `Your wallet is on chain ${chainId}; Jeton runs on chain ${state.config.chain_id}.`,
      "warning",
      button("Switch network", onSwitch, { class: "small", "data-role": "switch-chain" }),
    );
  } else {
    banner("chain", null);
  }
  if (state.status?.node === "down") {
    banner(
      "node",
      "The node does not answer. The figures shown are the last ones read; actions wait until it is back.",
      "error",
    );
  } else {
    banner("node", null);
  }
}

async function onSwitch() {
  try {
    await switchChain();
    banner("wallet", null);
  } catch (error) {
    const text = error.declined ? "You declined the network switch." : `The wallet could not switch: ${error.message}`;
    banner("wallet", text, "warning");
  }
}
