"""The web app's read-only JSON API: each route is one call of the library, its result in the
shape of `jeton.records` (the one `jeton --json` prints). Nothing here writes to the chain or
holds a key: the page builds every transaction and the user's wallet signs it.

Routes (GET, query parameters in brackets):
- `/api/config`: chain, contracts and their ABIs, the work token, tiers, RPC URL
- `/api/status`: whether the node answers, and its latest block (always 200)
- `/api/tasks` [limit, before, status, for]: a page of tasks, newest first; with `for`, whether
  that account may claim each open task (and the error `claim` would raise if not)
- `/api/tasks/<id>` [for]: one task and its timeline, as `jeton tasks show`
- `/api/rules`: each governed rule's value, hard bounds, step and last change
- `/api/proposals`, `/api/proposals/<number or id>` [for]: proposals with tally (token and
  reputation votes apart), quorum, state and blocks or time left; one with its votes
- `/api/draft` [rule, value]: the call of a rule change, or the error the rule's bounds raise
- `/api/accounts/<address>`: an account's balance, votes, reputation, tier, rewards and the
  payouts kept for it
- `/api/accounts/<address>/history`: its payouts over time and the tasks it worked on or posted
- `/api/explain` [data, contract]: a revert's custom error, named and explained
- `/api/tx/<hash>`: a mined transaction's events, in words
- `/api/services`, `/api/services/<id>` [for]: the access credits (see `jeton.web.credits`)
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from web3.exceptions import TransactionNotFound

from .. import __version__, records
from ..account import TIER_NAMES
from ..client import Jeton
from ..contracts import load_abi
from ..errors import ContractError, InvalidAddress, JetonError, decode_revert
from ..formatting import format_time
from ..governance import RULES, RuleStatus, Tally, rule_by_id
from ..governance.ballots import BALLOT_KIND
from ..governance.rules import rule_error
from ..parsing import parse_address
from ..tasks import Task, TaskNotFound
from ..types import TaskStatus, Vote
from .credits import CreditsRoutes

#: Chain ids of development chains (anvil, Ape's local network).
LOCAL_CHAINS = (31337, 1337)

MAX_PAGE = 100


class BadRequest(JetonError):
    """A request the API can not answer as asked (HTTP 400)."""


class NotFound(JetonError):
    """No such route, task, proposal or transaction (HTTP 404)."""


@dataclass(frozen=True)
class Route:
    pattern: re.Pattern[str]
    handler: Callable[..., Any]


class Api(CreditsRoutes):
    """The routes, answered by one read-only `Jeton` connection."""

    def __init__(self, jeton: Jeton, rpc_url: str | None = None):
        self.jeton = jeton
        self.rpc_url = rpc_url
        self.routes = [
            Route(re.compile(pattern), handler)
            for pattern, handler in (
                (r"/api/config", self.config),
                (r"/api/status", self.status),
                (r"/api/tasks", self.tasks),
                (r"/api/tasks/(\d+)", self.task),
                (r"/api/rules", self.rules),
                (r"/api/proposals", self.proposals),
                (r"/api/proposals/(\d+|0x[0-9a-fA-F]+)", self.proposal),
                (r"/api/draft", self.draft),
                (r"/api/accounts/(0x[0-9a-fA-F]{40})", self.account),
                (r"/api/accounts/(0x[0-9a-fA-F]{40})/history", self.history),
                (r"/api/explain", self.explain),
                (r"/api/tx/(0x[0-9a-fA-F]{64})", self.transaction),
                (r"/api/services", self.services),
                (r"/api/services/(\d+)", self.service),
            )
        ]

    def answer(self, path: str, query: dict[str, str]) -> Any:
        """The JSON value of GET `path` with `query`; NotFound or BadRequest otherwise."""
        for route in self.routes:
            match = route.pattern.fullmatch(path)
            if match:
                return route.handler(query, *match.groups())
        raise NotFound(f"no API route {path}")

    # ------------------------------------------------------------------ the chain

    def config(self, query: dict[str, str]) -> dict[str, Any]:
        j = self.jeton
        work_token = j.token_info()
        thresholds = [0, *(int(t) for t in j.contracts.rules.functions.tierThresholds().call())]
        return {
            "version": __version__,
            "chain_id": j.chain_id,
            "chain_name": "Jeton local chain" if j.chain_id in LOCAL_CHAINS else None,
            "rpc_url": self.rpc_url,
            "deployment_block": j.deployment.block,
            "contracts": dict(j.deployment.addresses),
            "abis": {n: load_abi(j.deployment.abi_names[n]) for n in j.deployment.addresses},
            "work_token": {
                "address": work_token.address,
                "symbol": work_token.symbol,
                "decimals": work_token.decimals,
            },
            # The kind of a signed ballot's JSON, as `jeton gov relay` reads it.
            "ballot_kind": BALLOT_KIND,
            "tiers": [
                {"tier": i, "name": name, "points": points}
                for i, (name, points) in enumerate(zip(TIER_NAMES, thresholds, strict=True))
            ],
        }

    def status(self, query: dict[str, str]) -> dict[str, Any]:
        try:
            block = self.jeton.w3.eth.get_block("latest")
        except Exception as exc:  # any failure to reach the node means the same to the page
            return {"node": "down", "detail": " ".join(str(exc).split())[:200]}
        return {
            "node": "up",
            "chain_id": self.jeton.chain_id,
            "block": int(block["number"]),
            "timestamp": int(block["timestamp"]),
        }

    # ------------------------------------------------------------------ tasks

    def tasks(self, query: dict[str, str]) -> dict[str, Any]:
        limit = _int(query.get("limit", "20"), "limit", 1, MAX_PAGE)
        before = _int(query["before"], "before", 1) if query.get("before") else None
        status = query.get("status") or None
        if status is not None and status.upper() not in TaskStatus.__members__:
            raise BadRequest(f"no task status {status!r}")
        page = self.jeton.tasks.page(limit, before=before, status=status)
        claimant = _address(query["for"]) if query.get("for") else None
        judge = self._claim_judge(claimant) if claimant else None
        return {
            "total": page.total,
            "next_before": page.next_before,
            "tasks": [self._task(t, judge) for t in page.tasks],
        }

    def task(self, query: dict[str, str], task_id: str) -> dict[str, Any]:
        try:
            task = self.jeton.tasks.get(int(task_id))
        except TaskNotFound as exc:
            raise NotFound(str(exc)) from None
        claimant = _address(query["for"]) if query.get("for") else None
        record = self._task(task, self._claim_judge(claimant) if claimant else None)
        money, jtn = self.jeton.token_info(task.token).format, self.jeton.token_info().format
        now = self.jeton.block_timestamp()

        def when(timestamp: int) -> str:  # by the chain's clock, as the command tells it
            return format_time(timestamp, now)

        timeline = []
        events = self.jeton.tasks.timeline(task.id)
        stamps = self.jeton.events.timestamps(e.block for e in events)  # one batch
        for event in events:
            stamp = stamps[event.block]
            timeline.append(
                {
                    **records.event_json(event),
                    "timestamp": stamp,
                    "time": records.iso(stamp),
                    "summary": records.describe_event(event, jtn, money, when),
                }
            )
        return {**record, "timeline": timeline}

    def _task(self, task: Task, judge: Callable[[Task], Any] | None) -> dict[str, Any]:
        token = self.jeton.token_info(task.token)
        record = records.task_record(
            task, token.symbol, token.decimals, self.jeton.contracts.token.address
        )
        record["fee"], record["worker_amount"] = str(task.fee), str(task.worker_amount)
        if judge is not None and task.status == TaskStatus.OPEN:
            refusal = judge(task)
            record["claimable"] = refusal is None
            record["refusal"] = error_record(refusal) if refusal else None
        return record

    def _claim_judge(self, account: str) -> Callable[[Task], ContractError | None]:
        """Whether `account` may claim a task: the library's own pre-flight check of `claim`,
        with the chain's time and the account's points read once."""
        now = self.jeton.block_timestamp()
        points = int(self.jeton.contracts.reputation.functions.pointsOf(account).call())
        return lambda task: self.jeton.tasks.claim_refusal(task, account, now=now, points=points)

    # ------------------------------------------------------------------ the DAO

    def rules(self, query: dict[str, str]) -> dict[str, Any]:
        return {
            "rules": [_rule_record(state) for state in self.jeton.gov.rules()],
            # The claim bond a task asks when its client names none (the rulebook's default).
            "claim_bond_bps": int(self.jeton.contracts.rules.functions.claimBondBps().call()),
        }

    def proposals(self, query: dict[str, str]) -> dict[str, Any]:
        head, now = self.jeton.w3.eth.block_number, self.jeton.block_timestamp()
        return {
            "block": head,
            "timestamp": now,
            "proposals": [
                {**records.proposal_record(p, n, head, now), **self._tally(p.id)}
                for n, p in enumerate(self.jeton.gov.proposals(), start=1)
            ],
        }

    def proposal(self, query: dict[str, str], ref: str) -> dict[str, Any]:
        gov = self.jeton.gov
        try:
            proposal = gov.proposal(ref)
        except ContractError as exc:  # GovernorNonexistentProposal
            raise NotFound(exc.plain()) from None
        wanted = proposal.id
        head, now = self.jeton.w3.eth.block_number, self.jeton.block_timestamp()
        record = records.proposal_record(proposal, gov.proposal_number(wanted), head, now)
        record.update(self._tally(wanted, with_votes=True))
        record["timestamp"] = now
        if query.get("for"):
            voter = _address(query["for"])
            record["you"] = {
                "address": voter,
                "has_voted": gov.has_voted(wanted, voter),
                **records.amount_fields("voting_power", gov.voting_power(wanted, voter)),
            }
        return record

    def _tally(self, proposal_id: int, with_votes: bool = False) -> dict[str, Any]:
        tally: Tally = self.jeton.gov.tally(proposal_id)
        split = {
            str(side): {
                **records.amount_fields("tokens", tally.tokens[side]),
                **records.amount_fields("reputation", tally.reputation[side]),
            }
            for side in (Vote.FOR, Vote.AGAINST, Vote.ABSTAIN)
        }
        result: dict[str, Any] = {"split": split}
        if with_votes:
            result["votes"] = [
                {
                    "voter": record.voter,
                    "support": str(record.support),
                    **records.amount_fields("weight", record.weight),
                    **records.amount_fields("token_votes", tokens),
                    "reason": record.reason,
                    "block": record.block,
                    "tx_hash": record.tx_hash,
                }
                for record, tokens in tally.votes
            ]
        return result

    def draft(self, query: dict[str, str]) -> dict[str, Any]:
        """The call that sets a rule, checked against the rule's bounds and step as `propose`
        checks it; `{"error": ...}` (the contract's error, explained) if it would be refused."""
        rule = query.get("rule", "")
        value = _int(query.get("value", ""), "value", 0)
        gov = self.jeton.gov
        try:
            change = gov.rule_change(rule, value)
            gov.check_rule(rule, value, change.current)
        except ContractError as exc:
            return {"error": error_record(exc)}
        except ValueError as exc:
            raise BadRequest(str(exc)) from None
        return {
            "rule": rule,
            "description": change.description,
            "target": change.target,
            "calldata": "0x" + change.calldata.hex(),
            "current": str(change.current),
            "value": str(value),
        }

    # ------------------------------------------------------------------ accounts

    def account(self, query: dict[str, str], address: str) -> dict[str, Any]:
        """An account's standing: balances, votes, delegate, reputation, tier, rewards."""
        who = _address(address)
        owed = self.jeton.tasks.owed(None, who)  # payouts in JTN it could not receive
        return {
            **records.account_record(self.jeton.me.summary(who)),
            **records.amount_fields("owed", owed),
        }

    def history(self, query: dict[str, str], address: str) -> dict[str, Any]:
        """An account's payouts as a worker (over time) and the tasks it worked on or posted,
        newest first."""
        j, who = self.jeton, _address(address)
        payouts = j.me.history(who).payouts
        return {
            "tasks_done": len(payouts),
            "payouts": [records.payout_record(p) for p in payouts],
            "worked": [self._task(t, None) for t in reversed(j.tasks.list(worker=who))],
            "posted": [self._task(t, None) for t in reversed(j.tasks.list(client=who))],
        }

    # ------------------------------------------------------------------ errors, receipts

    def explain(self, query: dict[str, str]) -> dict[str, Any]:
        """A revert's data decoded with the shipped ABIs and explained with the client's hints
        (a rule's bounds in plain words, as the client words them)."""
        data = query.get("data", "")
        if not re.fullmatch(r"0x([0-9a-fA-F]{2})*", data):
            raise BadRequest("data must be the revert's bytes, as 0x hex")
        error = decode_revert(bytes.fromhex(data[2:]), query.get("contract") or None)
        spec = rule_by_id(error.inputs.get("rule", b"")) if "rule" in error.inputs else None
        if spec is not None and error.name in ("RuleOutOfBounds", "RuleStepTooLarge"):
            error = rule_error(error.name, spec, error.inputs)
        return error_record(error)

    def transaction(self, query: dict[str, str], tx_hash: str) -> dict[str, Any]:
        try:
            receipt = self.jeton.w3.eth.get_transaction_receipt(tx_hash)
        except TransactionNotFound:
            raise NotFound(f"no mined transaction {tx_hash}") from None
        jtn = self.jeton.token_info().format
        events = self.jeton.decode_logs(receipt["logs"])
        return {
            "tx_hash": tx_hash,
            "block": receipt["blockNumber"],
            "gas_used": receipt["gasUsed"],
            "status": receipt["status"],
            "events": [
                {**records.event_json(e), "summary": records.describe_event(e, jtn)} for e in events
            ],
        }


def error_record(error: ContractError) -> dict[str, Any]:
    """A contract's error for the page: its name, contract, inputs and explanation."""
    return {
        "name": error.name,
        "contract": error.contract,
        "inputs": records.jsonable(error.inputs),
        "explanation": error.explanation,
        "message": str(error),
    }


def _rule_record(rule: RuleStatus) -> dict[str, Any]:
    """A governed rule with its value, bounds, step and last change by a vote, each value
    with its words ("5.00%")."""
    limits = rule.limits

    def shown(value: int | None) -> dict[str, Any] | None:
        return None if value is None else {"value": str(value), "text": rule.format(value)}

    return {
        "key": rule.key,
        "label": rule.label,
        "contract": rule.contract,
        "suffix": RULES[rule.key].suffix,
        "value": shown(rule.value),
        "min": shown(limits.min if limits.max is not None else None),
        "max": shown(limits.max),
        "step": shown(limits.step),
        "last_change": None
        if rule.changed_at is None
        else {
            "block": rule.changed_block,
            "timestamp": rule.changed_at,
            "time": records.iso(rule.changed_at),
            "from": shown(rule.previous),
        },
    }


def _int(text: str, name: str, minimum: int, maximum: int | None = None) -> int:
    try:
        value = int(text)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number, not {text!r}") from None
    if value < minimum or (maximum is not None and value > maximum):
        limit = f" to {maximum}" if maximum is not None else " or more"
        raise BadRequest(f"{name} must be {minimum}{limit}, not {value}")
    return value


def _address(text: str) -> str:
    """A checksummed address (a mixed-case one must pass its EIP-55 checksum)."""
    try:
        return parse_address(text)
    except InvalidAddress as exc:
        raise BadRequest(str(exc)) from None


__all__ = ["Api", "BadRequest", "NotFound", "error_record"]
