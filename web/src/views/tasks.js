// The task list: a page of tasks, newest first (open ones by default), with what each pays,
// the fee locked with it, its deadline and the reputation it asks; for a connected worker,
// whether they may claim it (the library's own pre-flight check of `claim`).

import { get } from "../api.js";
import { h } from "../dom.js";
import { bps, date, relative } from "../format.js";
import { activeAccount, state } from "../state.js";
import { accountLink, badge, same, taskAmount } from "./common.js";

const PAGE = 20;
const FILTERS = [
  ["open", "Open"],
  ["", "All"],
  ["claimed", "Claimed"],
  ["submitted", "Submitted"],
  ["disputed", "Disputed"],
  ["completed", "Completed"],
  ["cancelled", "Cancelled"],
  ["expired", "Expired"],
  ["resolved", "Resolved"],
];

export const tasks = {
  name: "tasks",
  title: "Tasks",
  async load(params, query) {
    const status = query.status ?? "open";
    const page = await get("tasks", { limit: PAGE, status, before: query.before, for: activeAccount() });
    return { ...page, status, before: query.before || null, now: state.status?.timestamp };
  },
  draw(data) {
    const select = h(
      "select",
      {
        id: "task-filter",
        onchange: (event) => {
          location.hash = `#/tasks?status=${event.target.value}`;
        },
      },
      FILTERS.map(([value, label]) => h("option", { value, selected: value === data.status }, label)),
    );
    const rows = data.tasks.map((task) => row(task, data.now));
    const heading = data.status ? `${FILTERS.find(([v]) => v === data.status)[1]} tasks` : "All tasks";
    return [
      h("h1", {}, heading),
      h(
        "p",
        { class: "toolbar" },
        h("span", {}, h("label", { for: "task-filter" }, "Show "), select),
        h("span", { class: "muted" }, `${data.total.toLocaleString("en-US")} tasks posted in all`),
      ),
      rows.length
        ? h(
            "div",
            { class: "table-wrap" },
            h(
              "table",
              { class: "cards", id: "task-list" },
              h(
                "thead",
                {},
                h(
                  "tr",
                  {},
                  ["Task", "Pays", "Fee locked", "Deadline", "Reputation needed", "Status"].map((c) =>
                    h("th", { scope: "col" }, c),
                  ),
                ),
              ),
              h("tbody", {}, rows),
            ),
          )
        : h("p", { class: "empty" }, data.status === "open" ? "No open tasks right now." : "No tasks here."),
      h(
        "p",
        { class: "pager" },
        data.before ? h("a", { href: `#/tasks?status=${data.status}` }, "← Newest") : null,
        data.next_before
          ? h("a", { href: `#/tasks?status=${data.status}&before=${data.next_before}`, "data-role": "older" }, "Older tasks →")
          : null,
      ),
    ];
  },
};

function row(task, now) {
  const me = activeAccount();
  let forYou = null;
  if (task.status === "open" && me) {
    if (same(task.client, me)) forYou = h("span", { class: "tag" }, "Your task");
    else if (task.claimable) {
      forYou = h("span", { class: "tag good", "data-claimable": "yes" }, task.worker ? "Reserved for you" : "You qualify");
    } else if (task.refusal) {
      forYou = h("span", { class: "tag", title: task.refusal.explanation, "data-claimable": "no" }, task.refusal.name);
    }
  } else if (task.status === "open" && task.worker) {
    forYou = h("span", { class: "tag" }, "Reserved");
  }
  return h(
    "tr",
    { "data-task": task.id },
    h("td", {}, h("a", { href: `#/tasks/${task.id}` }, `Task #${task.id}`), h("span", { class: "sub" }, "by ", accountLink(task.client))),
    h("td", { "data-label": "Pays" }, taskAmount(task)),
    h("td", { "data-label": "Fee locked" }, bps(task.fee_bps)),
    h("td", { "data-label": "Deadline" }, date(task.deadline), now ? h("span", { class: "muted" }, ` (${relative(task.deadline, now)})`) : null),
    h("td", { "data-label": "Reputation needed" }, task.min_reputation ? task.min_reputation.toLocaleString("en-US") : "none"),
    h("td", { "data-label": "Status" }, badge(task.status), forYou ? [" ", forYou] : null),
  );
}
