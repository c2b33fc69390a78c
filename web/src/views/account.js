// A worker's public profile: reputation, tier, tasks done, earnings over time, and the tasks
// they worked on or posted (each with its timeline).

import { get } from "../api.js";
import { fields, h, svg, table } from "../dom.js";
import { amount, date, decimal, fromUnits, votes } from "../format.js";
import { activeAccount, jtn, state } from "../state.js";
import { accountLink, badge, taskAmount } from "./common.js";

export const account = {
  name: "account",
  title: "Profile",
  async load([address]) {
    const [summary, history] = await Promise.all([get(`accounts/${address}`), get(`accounts/${address}/history`)]);
    return { ...summary, ...history };
  },
  draw(a) {
    const symbol = jtn();
    const workToken = state.config.work_token.address.toLowerCase();
    const earned = {};
    for (const p of a.payouts) {
      const key = p.token_symbol;
      earned[key] = (earned[key] || 0n) + BigInt(p.worker_amount);
    }
    const decimalsOf = Object.fromEntries(a.payouts.map((p) => [p.token_symbol, p.decimals]));
    const earnedText = Object.keys(earned).length
      ? Object.entries(earned).map(([sym, units]) => amount(fromUnits(units, decimalsOf[sym]), sym)).join(" + ")
      : "nothing yet";
    const rewards = a.payouts.reduce((sum, p) => sum + BigInt(p.reward), 0n);
    const next = a.next_tier_points ? ` (next tier at ${a.next_tier_points.toLocaleString("en-US")} points)` : "";
    const isMe = activeAccount() && activeAccount().toLowerCase() === a.address.toLowerCase();
    return [
      h("h1", {}, isMe ? "Your profile" : "Profile"),
      h("p", { class: "mono break" }, a.address),
      fields(
        [
          ["Reputation", h("span", { "data-field": "profile-reputation", "data-value": a.reputation }, `${a.reputation.toLocaleString("en-US")} points`)],
          ["Tier", h("span", { "data-field": "profile-tier" }, `${a.tier} · ${a.tier_name}${next}`)],
          ["Tasks done", h("span", { "data-field": "profile-tasks-done" }, String(a.tasks_done))],
          ["Earned", h("span", { "data-field": "profile-earned" }, earnedText)],
          ["Work rewards", `${amount(fromUnits(rewards), symbol)} earned, ${amount(a.rewards_owed_human, symbol)} not collected yet`],
          ["Balance", h("span", { "data-field": "profile-balance", "data-value": a.balance }, amount(a.balance_human, symbol))],
          ["Votes", `${votes(a.votes_human)} (${votes(a.token_votes_human)} from tokens)`],
        ],
        { id: "profile" },
      ),
      h("h2", {}, "Earnings over time"),
      chart(a.payouts.filter((p) => p.token.toLowerCase() === workToken), symbol),
      a.payouts.length
        ? table(
            ["Date", "Task", "How", "Received", "Fee", "Reward", "Reputation"],
            a.payouts.map((p) => [
              date(p.timestamp),
              h("a", { href: `#/tasks/${p.task_id}` }, `#${p.task_id}`),
              p.kind,
              amount(p.worker_amount_human, p.token_symbol),
              amount(p.fee_human, p.token_symbol),
              amount(p.reward_human, symbol),
              p.points >= 0 ? `+${p.points}` : String(p.points),
            ]),
            { id: "payouts", class: "cards" },
          )
        : h("p", { class: "empty" }, "No payouts yet."),
      h("h2", {}, "History"),
      historyTable("Worked on", a.worked, "worked"),
      historyTable("Posted", a.posted, "posted"),
    ];
  },
};

export const me = {
  name: "me",
  title: "My profile",
  async load() {
    const address = activeAccount();
    return address ? account.load([address]) : null;
  },
  draw(data) {
    if (!data) return [h("h1", {}, "My profile"), h("p", {}, "Connect a wallet on this chain to see your profile.")];
    return account.draw(data);
  },
};

function historyTable(title, tasks, id) {
  if (!tasks.length) return null;
  return [
    h("h3", {}, title),
    table(
      ["Task", "Pays", "Status", "Client", "Worker"],
      tasks.map((t) => [h("a", { href: `#/tasks/${t.id}` }, `#${t.id}`), taskAmount(t), badge(t.status), accountLink(t.client), accountLink(t.worker)]),
      { id: `history-${id}`, class: "cards" },
    ),
  ];
}

/** Cumulative work-token earnings (received plus rewards) per payout, as an SVG step line. */
function chart(payouts, symbol) {
  if (payouts.length === 0) return h("p", { class: "empty" }, "Nothing earned yet.");
  const W = 640;
  const H = 220;
  const pad = { left: 64, right: 16, top: 16, bottom: 36 };
  let total = 0n;
  const points = payouts.map((p) => {
    total += BigInt(p.worker_amount) + BigInt(p.reward);
    return { t: p.timestamp, v: Number(fromUnits(total)) };
  });
  const t0 = Math.min(...points.map((p) => p.t));
  const t1 = Math.max(...points.map((p) => p.t), t0 + 1);
  const top = Math.max(...points.map((p) => p.v)) || 1;
  const x = (t) => pad.left + ((t - t0) / (t1 - t0)) * (W - pad.left - pad.right);
  const y = (v) => H - pad.bottom - (v / top) * (H - pad.top - pad.bottom);
  let path = `M ${x(t0)} ${y(0)}`;
  for (const p of points) path += ` H ${x(p.t)} V ${y(p.v)}`;
  path += ` H ${W - pad.right}`;
  const last = points[points.length - 1];
  return h(
    "figure",
    { class: "chart" },
    svg(
      "svg",
      { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": `Earnings over time: ${decimal(String(last.v))} ${symbol} in all` },
      svg("line", { x1: pad.left, y1: y(0), x2: W - pad.right, y2: y(0), class: "axis" }),
      svg("line", { x1: pad.left, y1: pad.top, x2: pad.left, y2: y(0), class: "axis" }),
      svg("text", { x: pad.left - 6, y: y(top) + 4, class: "label", "text-anchor": "end" }, decimal(String(top), 0)),
      svg("text", { x: pad.left - 6, y: y(0) + 4, class: "label", "text-anchor": "end" }, "0"),
      svg("text", { x: pad.left, y: H - 10, class: "label" }, date(t0).slice(0, 10)),
      svg("text", { x: W - pad.right, y: H - 10, class: "label", "text-anchor": "end" }, date(t1).slice(0, 10)),
      svg("path", { d: path, class: "line" }),
      points.map((p) => svg("circle", { cx: x(p.t), cy: y(p.v), r: 3.5, class: "dot" })),
    ),
    h("figcaption", {}, `${symbol} received plus work rewards, added up payout by payout.`),
  );
}
