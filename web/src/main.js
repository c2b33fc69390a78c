// The Jeton web app: reads through the JSON API that `jeton web` serves, writes through the
// user's wallet. Routes live in the URL's fragment (#/tasks, #/tasks/7, #/proposals/2, ...).

import { closePanel } from "./actions.js";
import { ApiError, get } from "./api.js";
import { h, replace } from "./dom.js";
import { short } from "./format.js";
import { drawAccount, drawBanners, loadMe } from "./header.js";
import { changed, nodeUp, state, subscribe } from "./state.js";
import { discover } from "./wallet.js";
import { account, me } from "./views/account.js";
import { post } from "./views/post.js";
import { proposal, proposals } from "./views/proposals.js";
import { rules } from "./views/rules.js";
import { task } from "./views/task.js";
import { tasks } from "./views/tasks.js";
import { tool, tools } from "./views/tools.js";

const STATUS_POLL_MS = 2000;

/** [pattern, view]: a view is { title, load(params) -> data, draw(data, params) -> node }. */
const ROUTES = [
  [/^\/tasks$/, tasks],
  [/^\/tasks\/(\d+)$/, task],
  [/^\/post$/, post],
  [/^\/rules$/, rules],
  [/^\/proposals$/, proposals],
  [/^\/proposals\/(\d+|0x[0-9a-fA-F]+)$/, proposal],
  [/^\/tools$/, tools],
  [/^\/tools\/(\d+)$/, tool],
  [/^\/accounts\/(0x[0-9a-fA-F]{40})$/, account],
  [/^\/me$/, me],
];

let current = null; // { view, params, query, data, key }

function parseHash() {
  const hash = location.hash || "#/tasks";
  if (!hash.startsWith("#/")) return null; // an in-page anchor (#main): not a route
  const [path, search = ""] = hash.slice(1).split("?");
  for (const [pattern, view] of ROUTES) {
    const match = pattern.exec(path);
    if (match) return { view, params: match.slice(1), query: Object.fromEntries(new URLSearchParams(search)) };
  }
  return { view: null, params: [path], query: {} };
}

/** Show the route in the URL (`force`: draw even if the data did not change or a form is
 * being filled in). */
async function route(force = false, navigated = false) {
  const target = parseHash();
  if (!target) return;
  const main = document.getElementById("main");
  if (!target.view) {
    current = null;
    replace(main, h("h1", {}, "Not found"), h("p", {}, "No page here. ", h("a", { href: "#/tasks" }, "See the tasks.")));
    return;
  }
  const key = `${location.hash}|${state.wallet.account}|${state.wallet.chainId}`;
  const same = current && current.key === key;
  if (same && !force && main.dataset.dirty === "true") return;
  if (!same) {
    main.dataset.dirty = "false";
    main.setAttribute("aria-busy", "true");
  }
  const block = state.status?.block ?? "";
  let data;
  try {
    data = await target.view.load(target.params, target.query);
  } catch (error) {
    main.removeAttribute("aria-busy");
    if (error instanceof ApiError && (error.status === 502 || error.status === 0)) return; // the banner tells
    current = { key, view: target.view, data: null };
    replace(
      main,
      h("h1", {}, target.view.title),
      h("p", { class: "note error", "data-field": "load-error" }, `${error.name}: ${error.explanation || error.message}`),
    );
    drawnFor(main);
    return;
  }
  if (`${location.hash}|${state.wallet.account}|${state.wallet.chainId}` !== key) return; // moved on
  const serialized = JSON.stringify(data);
  const unchanged = same && current.serialized === serialized;
  // A form being filled in is not redrawn under the user's hands (unless `force`).
  if (same && !force && (unchanged || main.dataset.dirty === "true")) {
    if (unchanged) main.dataset.block = String(block);
    main.removeAttribute("aria-busy");
    return;
  }
  current = { key, view: target.view, serialized };
  document.title = `${target.view.title} · Jeton`;
  replace(main, target.view.draw(data, target.params, target.query));
  main.dataset.dirty = "false";
  main.removeAttribute("aria-busy");
  main.dataset.view = target.view.name;
  drawnFor(main);
  performance.mark(`jeton:view:${target.view.name}`); // when each view first showed its data
  main.dataset.block = String(block);
  if (navigated) main.focus({ preventScroll: true });
  markNav();
}

/** Whose view `main` shows now: "connected" once drawn for the wallet's account, so that a
 * form filled after connecting is never redrawn for the account it was waiting for. */
function drawnFor(main) {
  main.dataset.wallet = state.wallet.account ? "connected" : "disconnected";
}

function markNav() {
  const hash = location.hash || "#/tasks";
  for (const link of document.querySelectorAll("header nav a")) {
    const here = hash === link.getAttribute("href") || hash.startsWith(`${link.getAttribute("href")}/`);
    if (here) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

async function pollStatus() {
  let status;
  try {
    status = await get("status");
  } catch {
    status = { node: "down", detail: "the Jeton server does not answer" };
  }
  const before = state.status;
  const wasUp = before?.node === "up";
  state.status = status.node === "up" ? status : { ...(before || {}), node: "down", detail: status.detail };
  if (status.node !== before?.node) changed("status");
  else if (status.node === "up" && status.block !== before?.block) changed("block");
  if (status.node === "up" && !wasUp && before) changed("back");
  drawFooter();
}

function drawFooter() {
  const { config, status } = state;
  if (!config) return;
  const el = document.getElementById("footer");
  el.dataset.node = status?.node || "";
  replace(
    el,
    h(
      "p",
      {},
      `Chain ${config.chain_id} · `,
      status?.node === "up" ? `block ${status.block}` : "node not answering",
      ` · escrow `,
      h("span", { class: "mono" }, short(config.contracts.TaskEscrow)),
      ` · jeton ${config.version}`,
    ),
  );
}

async function start() {
  const main = document.getElementById("main");
  main.addEventListener("input", () => {
    main.dataset.dirty = "true";
  });
  const status = pollStatus();
  try {
    state.config = await get("config");
  } catch (error) {
    replace(
      main,
      h("h1", {}, "Jeton is not reachable"),
      h("p", { class: "note error" }, `${error.name}: ${error.explanation || error.message}`),
    );
    return;
  }
  await status;
  drawFooter();
  discover();
  subscribe(async (reason) => {
    drawBanners();
    if (reason === "wallet" || reason === "block" || reason === "back") {
      if (reason === "wallet") state.me = null;
      await drawAccount();
      await loadMe();
      await drawAccount();
    }
    if (reason === "status") drawAccount();
    if (nodeUp()) await route(false);
  });
  // After an action: the account's figures and the view, read again before the outcome shows.
  state.refresh = async () => {
    await loadMe();
    await drawAccount();
    await route(true);
  };
  window.addEventListener("hashchange", () => {
    const target = parseHash();
    if (!target) return;
    if (document.getElementById("action").dataset.state !== "pending") closePanel();
    route(true, true);
  });
  document.addEventListener("keydown", (event) => {
    const panel = document.getElementById("action");
    if (event.key === "Escape" && !panel.hidden && panel.dataset.state !== "pending") closePanel();
  });
  drawBanners();
  await drawAccount();
  await route(true);
  setInterval(pollStatus, STATUS_POLL_MS);
}

start();
