// The DAO: proposals with their tally (token votes and reputation votes apart), quorum, state
// and the blocks or time left; delegating; proposing a fee change within the bounds the
// contracts set; voting, signing a gasless ballot, relaying one, queueing and executing.

import { act, signOnly } from "../actions.js";
import { get } from "../api.js";
import { addressOf, ballotTypedData, call, checkAddress, read, signTypedData } from "../chain.js";
import { button, fields, h, table } from "../dom.js";
import { blocks, date, relative, votes } from "../format.js";
import { activeAccount, state } from "../state.js";
import { accountLink, badge, same } from "./common.js";

const SIDES = [
  ["for", 1, "For"],
  ["against", 0, "Against"],
  ["abstain", 2, "Abstain"],
];

/** "set the platform fee from 5.00% to 4.00%" (the proposal's calls in words). */
function changesText(p) {
  const text = p.changes.map((c) => c.description).join("; ");
  return text ? text[0].toUpperCase() + text.slice(1) : "No calls";
}

function timing(p, now) {
  switch (p.state) {
    case "pending":
      return `Voting opens after block ${p.snapshot} (in ${blocks(Math.max(0, p.snapshot - p.current_block + 1))}).`;
    case "active":
      return `Voting closes after block ${p.deadline}: ${blocks(p.blocks_left)} left.`;
    case "succeeded":
      return "Passed: it can be queued in the timelock.";
    case "queued":
      return p.seconds_until_executable
        ? `Queued: executable from ${date(p.eta)} (${relative(p.eta, now)}).`
        : "Queued: it can be executed now.";
    case "executed":
      return "Executed.";
    case "defeated":
      return "Defeated: not enough votes for, or no quorum.";
    default:
      return `${p.state[0].toUpperCase()}${p.state.slice(1)}.`;
  }
}

function tally(p) {
  return table(
    ["", "Votes", "From tokens", "From reputation"],
    SIDES.map(([key, , label]) => [
      label,
      h("span", { "data-side": key, "data-value": p[`${key}_votes`] }, votes(p[`${key}_votes_human`])),
      votes(p.split[key].tokens_human),
      votes(p.split[key].reputation_human),
    ]),
    { class: "tally" },
  );
}

function quorumLine(p) {
  return `Quorum ${votes(p.quorum_human)} (for and abstain count): ${p.quorum_reached ? "reached" : "not reached"}.`;
}

export const proposals = {
  name: "proposals",
  title: "Proposals",
  async load() {
    const [list, { rules }] = await Promise.all([get("proposals"), get("rules")]);
    return { ...list, fee: rules.find((r) => r.key === "fee"), me: state.me };
  },
  draw(data) {
    return [
      h("h1", {}, "Proposals"),
      data.proposals.length
        ? data.proposals
            .slice()
            .reverse()
            .map((p) =>
              h(
                "article",
                { class: "proposal", "data-proposal": p.number },
                h("h2", {}, h("a", { href: `#/proposals/${p.number}` }, `#${p.number} ${changesText(p)}`), " ", badge(p.state)),
                h("p", { class: "description" }, p.description),
                tally(p),
                h("p", { class: "muted" }, quorumLine(p), " ", timing(p, data.timestamp)),
              ),
            )
        : h("p", { class: "empty" }, "No proposals yet."),
      delegateBox(data.me),
      proposeForm(data.fee),
    ];
  },
};

function delegateBox(me) {
  const account = activeAccount();
  if (!account) return h("section", { class: "box" }, h("h2", {}, "Vote"), h("p", { class: "muted" }, "Connect a wallet to delegate, propose and vote."));
  const other = h("input", { id: "delegate-to", placeholder: "0x… (another member)", spellcheck: "false", autocomplete: "off" });
  const problem = h("p", { class: "note error", role: "alert", hidden: true });
  const delegate = (to) =>
    act({
      title: same(to, account) ? "Delegate your votes to yourself" : `Delegate your votes to ${to}`,
      effects: [
        same(to, account)
          ? "Your work tokens count as your votes from the next block on (reputation counts without delegating)."
          : `Your work tokens count as ${to}'s votes from the next block on; you keep the tokens.`,
      ],
      contract: "WorkToken",
      call: async () => call("WorkToken", "delegate", [to]),
      done: () => "Delegated.",
    });
  const current = me?.address === account ? me.delegate : undefined;
  return h(
    "section",
    { class: "box", id: "delegate" },
    h("h2", {}, "Your votes"),
    h(
      "p",
      {},
      current === undefined ? "" : current ? `Your token votes are delegated to ${same(current, account) ? "yourself" : current}. ` : "Your tokens do not vote yet: delegate them (to yourself, or to someone you trust). ",
    ),
    h(
      "p",
      { class: "buttons" },
      button("Delegate to myself", () => delegate(account), { "data-role": "delegate-self" }),
    ),
    h(
      "form",
      {
        class: "inline",
        onsubmit: (event) => {
          event.preventDefault();
          problem.hidden = true;
          try {
            delegate(checkAddress(other.value));
          } catch (error) {
            problem.textContent = error.message;
            problem.hidden = false;
          }
        },
      },
      h("label", { for: "delegate-to" }, "or to "),
      other,
      h("button", { type: "submit" }, "Delegate"),
    ),
    problem,
  );
}

function proposeForm(fee) {
  if (!activeAccount()) return null;
  const valueIn = h("input", { id: "propose-fee", inputmode: "decimal", required: true, placeholder: fee.value.text.replace("%", ""), autocomplete: "off", "aria-describedby": "propose-bounds" });
  const descIn = h("textarea", { id: "propose-description", rows: "3", placeholder: "Why this change (optional)" });
  const problem = h("div", { class: "note error", id: "propose-problem", role: "alert", hidden: true });
  const showProblem = (...children) => {
    problem.replaceChildren(...children.map((c) => (c instanceof Node ? c : document.createTextNode(c))));
    problem.hidden = false;
  };
  return h(
    "section",
    { class: "box" },
    h("h2", {}, "Propose a fee change"),
    fields(
      [
        ["Fee now", fee.value.text],
        ["Hard bounds", `${fee.min.text} to ${fee.max.text}`],
        ["Max step per change", fee.step ? fee.step.text : "no limit"],
      ],
      { id: "propose-bounds" },
    ),
    h(
      "form",
      {
        class: "stack",
        id: "propose-form",
        onsubmit: async (event) => {
          event.preventDefault();
          problem.hidden = true;
          const text = valueIn.value.trim().replace(/%$/, "");
          if (!/^\d+(\.\d{1,2})?$/.test(text)) {
            showProblem("Give the new fee as a percentage with at most two decimals, such as 4 or 4.25.");
            return;
          }
          const [whole, frac = ""] = text.split(".");
          const value = Number(whole) * 100 + Number(frac.padEnd(2, "0"));
          let draft;
          try {
            draft = await get("draft", { rule: "fee", value });
          } catch (error) {
            showProblem(`${error.name}: ${error.explanation || error.message}`);
            return;
          }
          if (draft.error) {
            showProblem(h("strong", { "data-field": "error-name" }, draft.error.name), `: ${draft.error.explanation}. Nothing was signed.`);
            return;
          }
          const description = descIn.value.trim() || `${draft.description[0].toUpperCase()}${draft.description.slice(1)}`;
          act({
            title: "Propose a fee change",
            effects: [
              `${draft.description[0].toUpperCase()}${draft.description.slice(1)}, if the vote passes and the timelock's delay runs out.`,
              "Tasks posted before the change keep the fee they were posted with.",
            ],
            contract: "WorkGovernor",
            call: async () => call("WorkGovernor", "propose", [[draft.target], [0], [draft.calldata], description]),
            done: () => ["Proposed. ", h("a", { href: "#/proposals" }, "See the proposals.")],
          });
        },
      },
      h("label", { for: "propose-fee" }, "New fee (%)"),
      valueIn,
      h("label", { for: "propose-description" }, "Description"),
      descIn,
      problem,
      h("p", {}, h("button", { type: "submit", class: "primary", "data-role": "propose" }, "Propose")),
    ),
  );
}

export const proposal = {
  name: "proposal",
  title: "Proposal",
  async load([ref]) {
    return get(`proposals/${ref}`, { for: activeAccount() });
  },
  draw(p) {
    return [
      h("h1", {}, `Proposal #${p.number} `, badge(p.state)),
      h("p", { class: "lead" }, changesText(p)),
      h("p", { class: "description", id: "proposal-description" }, p.description),
      fields([
        ["Proposer", accountLink(p.proposer)],
        ["State", p.state],
        ["Timing", timing(p, p.timestamp)],
        ["Quorum", quorumLine(p)],
      ]),
      tally(p),
      h("section", { class: "actions", "aria-label": "What you can do" }, proposalActions(p)),
      h("h2", {}, "Votes"),
      p.votes.length
        ? table(
            ["Voter", "Vote", "Weight", "From tokens", "Reason"],
            p.votes.map((v) => [accountLink(v.voter), v.support, votes(v.weight_human), votes(v.token_votes_human), h("span", { class: "reason" }, v.reason || "—")]),
            { id: "votes" },
          )
        : h("p", { class: "empty" }, "No votes yet."),
    ];
  },
};

function proposalActions(p) {
  const account = activeAccount();
  if (!account) return h("p", { class: "muted" }, "Connect a wallet to vote, queue or execute.");
  const items = [];
  const args = [p.targets, p.values, p.calldatas, p.description_hash];
  if (p.state === "active" && p.you?.has_voted) {
    items.push(h("p", { "data-field": "voted" }, "You have voted on this proposal."));
  } else if (p.state === "active") {
    items.push(voteForm(p));
  }
  if (p.state === "active") items.push(relayForm(p));
  if (p.state === "succeeded") {
    items.push(
      button("Queue in the timelock", () =>
        act({
          title: `Queue proposal #${p.number}`,
          effects: ["The proposal waits out the timelock's delay; then anyone can execute it."],
          contract: "WorkGovernor",
          call: async () => call("WorkGovernor", "queue", args),
          done: () => `Queued proposal #${p.number}.`,
        }), { class: "primary", "data-role": "queue" }),
    );
  }
  if (p.state === "queued") {
    if (p.seconds_until_executable) {
      items.push(h("p", { class: "muted" }, `It can be executed from ${date(p.eta)} (${relative(p.eta, p.timestamp)}).`));
    } else {
      items.push(
        button("Execute", () =>
          act({
            title: `Execute proposal #${p.number}`,
            effects: [`${changesText(p)}.`],
            contract: "WorkGovernor",
            call: async () => call("WorkGovernor", "execute", args),
            done: () => `Executed proposal #${p.number}.`,
          }), { class: "primary", "data-role": "execute" }),
      );
    }
  }
  return items.length ? items : h("p", { class: "muted" }, "Nothing to do on this proposal now.");
}

function voteForm(p) {
  const power = p.you ? votes(p.you.voting_power_human) : "?";
  const reasonIn = h("textarea", { id: "vote-reason", rows: "2", placeholder: "Your reason (optional, public)" });
  const radios = SIDES.map(([key, , label], i) =>
    h("label", { class: "choice" }, h("input", { type: "radio", name: "support", value: key, checked: i === 0 }), ` ${label}`),
  );
  const chosen = () => SIDES.find(([key]) => key === document.querySelector('input[name="support"]:checked')?.value) || SIDES[0];
  const form = h(
    "form",
    {
      class: "stack",
      id: "vote-form",
      onsubmit: (event) => {
        event.preventDefault();
        const [key, support, label] = chosen();
        const reason = reasonIn.value.trim();
        act({
          title: `Vote ${key} on proposal #${p.number}`,
          effects: [
            `Your ${power} votes (as of the proposal's snapshot) count ${label.toLowerCase()}.`,
            reason ? `Your reason is public: “${reason}”.` : "No reason given.",
          ],
          contract: "WorkGovernor",
          call: async () =>
            reason
              ? call("WorkGovernor", "castVoteWithReason", [p.id, support, reason])
              : call("WorkGovernor", "castVote", [p.id, support]),
          done: () => `You voted ${key}.`,
        });
      },
    },
    h("h2", {}, "Vote"),
    h("fieldset", {}, h("legend", {}, `Your vote (${power} votes)`), radios),
    h("label", { for: "vote-reason" }, "Reason"),
    reasonIn,
    h(
      "p",
      { class: "buttons" },
      h("button", { type: "submit", class: "primary", "data-role": "vote" }, "Vote"),
      button("Sign a gasless ballot", () => {
        const [key, support] = chosen();
        ballot(p, key, support);
      }, { "data-role": "ballot" }),
    ),
  );
  return form;
}

function ballot(p, key, support) {
  signOnly({
    title: `Sign a ballot: ${key} on proposal #${p.number}`,
    effects: [
      "You sign your vote; nothing is sent and you pay nothing.",
      "Anyone can relay the signed ballot (paying the gas), here or with `jeton gov relay`; it counts as your vote, once.",
    ],
    goLabel: "Sign the ballot",
    sign: async (account) => {
      const [nonce] = await read("WorkGovernor", "nonces", [account]);
      const signature = await signTypedData(account, await ballotTypedData(p.id, support, account, nonce));
      return {
        kind: state.config.ballot_kind,
        chain_id: state.config.chain_id,
        governor: addressOf("WorkGovernor"),
        proposal_id: p.id,
        support: key,
        voter: account,
        nonce: nonce.toString(),
        signature,
      };
    },
    check: async (account, b) => call("WorkGovernor", "castVoteBySig", [b.proposal_id, support, b.voter, b.signature]),
    done: (b) => {
      const text = JSON.stringify(b, null, 2);
      const link = h("a", { download: `ballot-${p.number}-${b.voter}.json`, href: URL.createObjectURL(new Blob([text], { type: "application/json" })) }, "Download the ballot");
      return [
        h("p", {}, "Signed. Give this ballot to someone who relays it (in this page, under “Relay a signed ballot”, or with `jeton gov relay`):"),
        h("textarea", { readonly: true, rows: "10", id: "signed-ballot", class: "mono" }, text),
        h("p", {}, link),
      ];
    },
  });
}

function relayForm(p) {
  const input = h("textarea", { id: "relay-ballot", rows: "4", class: "mono", placeholder: '{"kind": "jeton-ballot", "proposal_id": "…", "support": "for", "voter": "0x…", …}' });
  const problem = h("p", { class: "note error", role: "alert", hidden: true });
  return h(
    "form",
    {
      class: "stack",
      id: "relay-form",
      onsubmit: (event) => {
        event.preventDefault();
        problem.hidden = true;
        let b;
        let side;
        try {
          b = JSON.parse(input.value);
          if (b?.kind !== state.config.ballot_kind) throw new Error("it is not a Jeton ballot");
          b.voter = checkAddress(b.voter);
          side = SIDES.find(([key]) => key === String(b.support).toLowerCase());
          if (!side || !/^0x[0-9a-fA-F]{130}$/.test(b.signature)) throw new Error("its vote or signature is garbled");
          if (String(b.proposal_id) !== String(p.id)) throw new Error(`it is for another proposal (${b.proposal_id})`);
          if (Number(b.chain_id) !== state.config.chain_id) throw new Error(`it is for chain ${b.chain_id}`);
        } catch (error) {
          problem.textContent = `Not a ballot for this proposal: ${error.message}.`;
          problem.hidden = false;
          return;
        }
        const [key, support] = side;
        act({
          title: `Relay ${b.voter}'s ballot`,
          effects: [`${b.voter}'s signed vote (${key}) is cast; you pay the gas.`],
          contract: "WorkGovernor",
          call: async () => call("WorkGovernor", "castVoteBySig", [b.proposal_id, support, b.voter, b.signature]),
          done: () => `Relayed: ${b.voter} voted ${key}.`,
        });
      },
    },
    h("h2", {}, "Relay a signed ballot"),
    h("label", { for: "relay-ballot" }, "Ballot (JSON)"),
    input,
    problem,
    h("p", {}, h("button", { type: "submit", "data-role": "relay" }, "Relay")),
  );
}
