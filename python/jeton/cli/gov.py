"""`jeton gov ...`: delegate, propose a fee change, vote (or sign a ballot for someone else
to relay), queue, execute or cancel, follow proposals, and read the rules with their bounds.

A proposal is named by its number (#1 is the first proposal ever made, #2 the next...; `1` or
`#1`) or by its full id.
"""

from typing import Any

import click

from .. import records
from ..formatting import format_duration_short, format_votes
from ..records import VOTING
from ..types import ProposalState, Vote
from .common import (
    ADDRESS,
    describe_event,
    emit,
    fields,
    find_tx,
    iso,
    progress,
    report_tx,
    state,
    table,
)
from .waiting import wait_until


@click.group()
def gov():
    """The DAO: delegate, propose rule changes, vote, queue and execute them."""


class ProposalRef(click.ParamType):
    """A proposal's number (`2`, `#2`) or id (decimal or 0x hex), resolved by the library."""

    name = "PROPOSAL"

    def convert(self, value, param, ctx):
        text = str(value).strip()
        try:
            int(text, 16) if text.lower().startswith("0x") else int(text.removeprefix("#"))
        except ValueError:
            self.fail(f"{value!r} is not a proposal number (#1, #2...) or id", param, ctx)
        return text


class BpsType(click.ParamType):
    """Basis points: `400`, or a percentage such as `4%` or `4.5%`."""

    name = "BPS"

    def convert(self, value, param, ctx):
        text = str(value).strip()
        try:
            bps = float(text[:-1]) * 100 if text.endswith("%") else float(text)
        except ValueError:
            self.fail(f"{value!r} is not basis points (400) or a percentage (4%)", param, ctx)
        if bps < 0 or bps != int(bps):
            self.fail(f"{value!r} is not a whole, non-negative number of basis points", param, ctx)
        return int(bps)


PROPOSAL, BPS = ProposalRef(), BpsType()


def find_proposal(ref: str):
    """(number, Proposal) for a proposal's number or id."""
    proposal = state().connect().gov.proposal(ref)
    return proposal.number, proposal


def proposal_json(p, number: int | None) -> dict[str, Any]:
    head = state().connect().w3.eth.block_number
    return records.proposal_record(p, number, head, state().now())


def _votes(value: str) -> str:
    return format_votes(int(value))


def _voting(r: dict[str, Any]) -> str:
    if r["state"] == "pending":
        return f"starts after block {r['snapshot']} (now {r['current_block']})"
    if r["state"] == "active":
        return f"ends at block {r['deadline']} ({r['blocks_left']} blocks left)"
    return f"ended at block {r['deadline']}"


def _timelock(r: dict[str, Any]) -> str:
    if r["state"] == "executed":
        return f"executed (executable from {state().when(r['eta'])})" if r["eta"] else "executed"
    if r["state"] == "expired":
        return f"expired at {state().when(r['expires'])}, unexecuted: it can never run"
    if r["state"] != "queued":
        return "not queued"
    stale = "; stale: its proposer may cancel it" if r["stale"] else ""
    return f"executable from {state().when(r['eta'])} until {iso(r['expires'])}{stale}"


def _changes(r: dict[str, Any]) -> str:
    return "; ".join(c["description"] for c in r["changes"]) or "—"


# ------------------------------------------------------------------ reading


@gov.command("list")
def list_proposals():
    """Every proposal, oldest first, with its state and tally."""
    jeton = state().connect()
    records = [proposal_json(p, p.number) for p in jeton.gov.proposals()]
    rows = [
        [
            f"#{r['number']}",
            r["state"],
            _votes(r["for_votes"]),
            _votes(r["against_votes"]),
            _votes(r["abstain_votes"]),
            _changes(r),
            r["text"][:50],
        ]
        for r in records
    ]
    columns = ["#", "State", "For", "Against", "Abstain", "Change", "Description"]
    emit(records, table(columns, rows) if rows else "No proposals yet.")


@gov.command()
@click.argument("proposal", type=PROPOSAL)
def show(proposal):
    """One proposal: state, tally, quorum, time left and the rule change in plain words."""
    number, p = find_proposal(proposal)
    r = proposal_json(p, number)
    reached = "reached" if r["quorum_reached"] else "not reached"
    emit(
        r,
        fields(
            [
                ("Id", r["id"]),
                ("Description", r["text"]),
                ("Proposer", r["proposer"]),
                ("State", r["state"]),
                ("Change", _changes(r)),
                (
                    "Votes",
                    f"for {_votes(r['for_votes'])} · against {_votes(r['against_votes'])} · "
                    f"abstain {_votes(r['abstain_votes'])}",
                ),
                ("Quorum", f"{_votes(r['quorum'])} ({reached})"),
                ("Voting", _voting(r)),
                ("Timelock", _timelock(r)),
            ],
            title=f"Proposal #{number}" if number else "Proposal",
        ),
    )


# ------------------------------------------------------------------ writing


def report_proposal(result, summary: str, p, number: int | None, **extra: Any) -> None:
    """A proposal command's output: the transaction, the proposal's id and number, `extra`."""
    report_tx(
        result,
        summary,
        extra={"proposal_id": str(p.id), "number": number, **extra},
        describe=describe_event,
    )


def _wait_for(proposal_id: int, ready, message, hint) -> None:
    """Wait until `ready(proposal)`, re-reading the proposal each second; progress on stderr
    shows `message(proposal)` and the latest block, and `hint(proposal)` says how to move a
    development chain that does not move by itself."""
    jeton = state().connect()
    wait_until(
        jeton,
        lambda: ready(jeton.gov.proposal(proposal_id)),
        lambda: (
            f"{message(jeton.gov.proposal(proposal_id))}; now block {jeton.w3.eth.block_number}"
        ),
        lambda: hint(jeton.gov.proposal(proposal_id)),
    )


def _blocks_to(block: int) -> str:
    """The `jeton chain mine` command that takes the chain past `block`."""
    return f"jeton chain mine {max(1, block + 1 - state().connect().w3.eth.block_number)}"


@gov.command()
@click.argument("to", type=ADDRESS, required=False)
def delegate(to):
    """Delegate your token votes to TO (default: yourself, to vote with them)."""
    jeton = state().connect(wallet=True)
    with progress("Delegating…"):
        result = jeton.gov.delegate(to)
    who = "yourself" if to in (None, jeton.address) else to
    report_tx(
        result,
        f"Delegated your votes to {who}",
        extra={"delegate": to or jeton.address},
        describe=describe_event,
    )


def propose_with(make) -> None:
    """A proposal command: `make(jeton.gov)` proposes; report the new proposal's number, its
    changes in plain words and when voting runs."""
    jeton = state().connect(wallet=True)
    start = jeton.w3.eth.block_number
    with progress("Proposing…"):
        p = make(jeton.gov)
    result = find_tx(
        jeton, start, "WorkGovernor", "ProposalCreated", lambda e: e.args["proposalId"] == p.id
    )
    number, p = find_proposal(p.id)
    record = proposal_json(p, number)
    report_proposal(
        result,
        f"Proposed #{number}: {_changes(record)}; {_voting(record)}",
        p,
        number,
        proposal=record,
    )


@gov.command("propose-fee")
@click.argument("bps", type=BPS)
@click.option("--description", required=True, help="Why: shown to every voter.")
def propose_fee(bps, description):
    """Propose setting the platform fee to BPS basis points (400 or 4%)."""
    propose_with(lambda g: g.propose_fee(bps, description))


@gov.command()
@click.argument("proposal", type=PROPOSAL)
@click.argument("support", type=click.Choice(["for", "against", "abstain"], case_sensitive=False))
@click.option("--reason", help="Recorded on chain with the vote.")
@click.option("--wait", is_flag=True, help="Wait for the voting to start if it has not.")
@click.option(
    "--by-signature",
    is_flag=True,
    help="Sign the vote into a ballot file instead of sending it: anyone relays it with "
    "`jeton gov relay FILE` and pays the gas (no ETH needed).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="The ballot file (with --by-signature) [default: ballot-<number>-<voter>.json].",
)
def vote(proposal, support, reason, wait, by_signature, out):
    """Vote for, against or abstain on a proposal (or sign a ballot: --by-signature)."""
    if by_signature and (reason or wait):
        raise click.UsageError(
            "--by-signature signs a plain ballot now: it takes no --reason and needs no --wait"
        )
    if out and not by_signature:
        raise click.UsageError("--out names the ballot file of --by-signature")
    number, p = find_proposal(proposal)
    jeton = state().connect(wallet=True)
    if by_signature:
        from .ballots import sign_ballot

        sign_ballot(jeton, p, number, support, out)
        return
    if wait:
        _wait_for(
            p.id,
            lambda q: q.state != ProposalState.PENDING,
            lambda q: f"Voting starts after block {q.snapshot}",
            lambda q: _blocks_to(q.snapshot),
        )
    with progress(f"Voting {support} on #{number}…"):
        result = jeton.gov.vote(p.id, Vote[support.upper()], reason=reason)
    report_proposal(result, f"Voted {support} on proposal #{number}", p, number)


@gov.command()
@click.argument("proposal", type=PROPOSAL)
@click.option("--wait", is_flag=True, help="Wait for the voting to end first.")
def queue(proposal, wait):
    """Queue a passed proposal in the timelock."""
    number, p = find_proposal(proposal)
    jeton = state().connect(wallet=True)
    if wait:
        _wait_for(
            p.id,
            lambda q: q.state not in VOTING,
            lambda q: f"Voting ends at block {q.deadline}",
            lambda q: _blocks_to(q.deadline),
        )
    with progress(f"Queueing #{number}…"):
        result = jeton.gov.queue(p.id)
    eta = jeton.gov.proposal(p.id).eta
    report_proposal(
        result,
        f"Queued proposal #{number}: executable from {state().when(eta)}",
        p,
        number,
        eta=eta,
        eta_iso=iso(eta),
    )


@gov.command()
@click.argument("proposal", type=PROPOSAL)
@click.option("--wait", is_flag=True, help="Wait for the timelock delay to pass first.")
def execute(proposal, wait):
    """Execute a queued proposal once the timelock delay has passed."""
    number, p = find_proposal(proposal)
    jeton = state().connect(wallet=True)
    if wait and p.eta:
        wait_until(
            jeton,
            lambda: jeton.block_timestamp() >= p.eta,
            lambda: (
                f"Timelock: executable from {iso(p.eta)}, in "
                f"{format_duration_short(p.eta - jeton.block_timestamp())} of chain time"
            ),
            lambda: f"jeton chain advance {max(1, p.eta - jeton.block_timestamp())}s",
        )
    with progress(f"Executing #{number}…"):
        result = jeton.gov.execute(p.id)
    changes = "; ".join(c.description for c in p.changes) or "its calls"
    report_proposal(result, f"Executed proposal #{number}: {changes}", p, number)


@gov.command()
@click.argument("proposal", type=PROPOSAL)
def cancel(proposal):
    """Cancel your proposal: while it is pending, or once it is stale (queued, its ETA passed,
    not executed, e.g. refused at execution), so that nobody can run it later."""
    number, p = find_proposal(proposal)
    jeton = state().connect(wallet=True)
    with progress(f"Cancelling #{number}…"):
        result = jeton.gov.cancel(p.id)
    report_proposal(result, f"Cancelled proposal #{number}", p, number)
