"""The DAO's scenes of the story: a fee lowered by a vote through the timelock, and a fee past
its hard bound that passes the vote and fails at execution."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.markup import escape

from ..formatting import format_bps, format_duration, format_votes, shorten
from ..governance import Proposal
from ..history import iter_events
from ..types import ProposalState, Vote
from .cast import Person
from .scene import Scene

#: The fee the backer asks for, above the rulebook's hard bound (10%).
GREEDY_FEE_BPS = 2_000


class VoteScenes(Scene):
    """Act 3 (the DAO lowers the fee) and act 4 (a fee above the hard bound)."""

    def fee_vote(self) -> None:
        n, p = self.n, self.people
        n.act("Act 3 · The DAO lowers the fee")
        proposer = max(self.workers, key=lambda w: self.ledger.points[w.key])
        gov = proposer.j.gov
        fee_before = gov.rule_value("fee")
        step = gov.rule_limits("fee").step
        new_fee = max(0, fee_before - step)

        with n.step(f"{proposer.name} proposes to lower the platform fee by one step"):
            description = (
                f"Lower the platform fee from {format_bps(fee_before)} to "
                f"{format_bps(new_fee)}: workers keep more of what they earn"
            )
            proposal = self._propose(proposer, lambda: gov.propose_fee(new_fee, description))
            n.say(f"“{proposal.changes[0].description}”")
            n.say(
                f"voting opens after block {proposal.snapshot} and closes after block "
                f"{proposal.deadline}"
            )
        self.fee_proposal = proposal

        self._open_voting(proposal)
        voters: list[tuple[Person, Vote, str]] = [
            *((w, Vote.FOR, "we keep more of what we earn") for w in self.workers),
            (p["lumen"], Vote.FOR, "lower fees bring better workers"),
            (p["forge"], Vote.FOR, "fair to the people who do the work"),
            (p["atlas"], Vote.ABSTAIN, "no strong view"),
            (p["vesta"], Vote.AGAINST, "fees fund the treasury"),
        ]
        with n.step("The DAO votes: delegated tokens and reputation both count"):
            self._cast(proposal, voters)
        proposal = self._close_voting(proposal)

        with n.step("The proposal passed: it is queued in the timelock, which gives notice"):
            queued = self._tx("queue", lambda: gov.queue(proposal.id))
            queued_at = self._timestamp(queued.block)
            proposal = gov.proposal(proposal.id)
            delay = int(self._timelock().getMinDelay().call())
            n.say(
                f"queued at block {queued.block}; executable after "
                f"{format_duration(delay)}, from {proposal.eta} (unix time)"
            )

        worker = self.workers[self.rng.randrange(len(self.workers))]
        with n.step(
            f"Meanwhile Forge Software posts a task: its fee is locked at {format_bps(fee_before)}"
        ):
            before = self._post_of_kind("software", role="fee before")
            self._claim(worker, before.id)
            self._deliver(worker, before.id)
            n.say(f"{worker.name} claims #{before.id} and delivers")

        with n.step("Somebody tries to execute the change at once"):
            self._expect_refusal(
                proposer,
                f"execute proposal {shorten(proposal.id)}",
                lambda: gov.execute(proposal.id),
                "TimelockUnexpectedOperationState",
            )

        with n.step(f"The timelock's {format_duration(delay)} pass"):
            wait = max(1, proposal.eta - p["faucet"].j.block_timestamp())
            n.wait_time(wait, self.node.advance, "waiting in the timelock")

        with n.step("Anyone may execute now: the fee changes"):
            executed = self._tx("execute", lambda: gov.execute(proposal.id))
            executed_at = self._timestamp(executed.block)
            fee_after = gov.rule_value("fee")
            n.say(
                f"platform fee: {format_bps(fee_before)} → {format_bps(fee_after)} "
                f"(block {executed.block}, {format_duration(executed_at - queued_at)} "
                f"after queueing)"
            )
            self._snapshot("fee lowered", executed.block)

        with n.step(f"Forge approves #{before.id}, posted before the change: it pays the old fee"):
            result = self._approve(p["forge"], before.id)
        fee_paid_before = result.event("TaskCompleted").args["fee"]

        worker2 = self.workers[self.rng.randrange(len(self.workers))]
        with n.step("Atlas ML posts a new task: it pays the new fee"):
            after = self._post_of_kind("training", role="fee after")
            self._claim(worker2, after.id)
            self._deliver(worker2, after.id)
            result = self._approve(p["atlas"], after.id)
        fee_paid_after = result.event("TaskCompleted").args["fee"]

        before_task = p["forge"].j.tasks.get(before.id)
        after_task = p["atlas"].j.tasks.get(after.id)
        self.ledger.facts["fee_change"] = {
            "proposal_id": str(proposal.id),
            "proposer": proposer.address,
            "proposer_name": proposer.name,
            "fee_before_bps": fee_before,
            "fee_after_bps": fee_after,
            "queued_block": queued.block,
            "queued_at": queued_at,
            "delay": delay,
            "eta": proposal.eta,
            "executed_block": executed.block,
            "executed_at": executed_at,
            "task_before": {
                "id": before.id,
                "posted_block": self.ledger.notes[before.id].posted_block,
                "amount": before_task.amount,
                "fee_bps": before_task.fee_bps,
                "fee": fee_paid_before,
            },
            "task_after": {
                "id": after.id,
                "posted_block": self.ledger.notes[after.id].posted_block,
                "amount": after_task.amount,
                "fee_bps": after_task.fee_bps,
                "fee": fee_paid_after,
            },
        }

    def greedy_vote(self) -> None:
        n, p = self.n, self.people
        n.act("Act 4 · A fee above the hard bound")
        vesta = p["vesta"]
        gov = vesta.j.gov
        limits = gov.rule_limits("fee")
        description = f"Raise the platform fee to {format_bps(GREEDY_FEE_BPS)} to fill the treasury"

        with n.step(
            f"Vesta Capital wants the fee at {format_bps(GREEDY_FEE_BPS)}: "
            "the client checks the rule's bounds first"
        ):
            self._expect_refusal(
                vesta,
                f"propose a fee of {format_bps(GREEDY_FEE_BPS)}",
                lambda: gov.propose_fee(GREEDY_FEE_BPS, description),
                "RuleOutOfBounds",
            )

        with n.step("Vesta proposes it anyway, with the client's bounds check turned off"):
            proposal = self._propose(
                vesta, lambda: gov.propose_fee(GREEDY_FEE_BPS, description, check_bounds=False)
            )
            n.say(f"“{proposal.changes[0].description}” (hard bound: {format_bps(limits.max)})")
        self.greedy_proposal = proposal

        self._open_voting(proposal)
        voters: list[tuple[Person, Vote, str]] = [(vesta, Vote.FOR, "more fees, more treasury")]
        smallest = min(self.workers, key=lambda w: w.j.gov.voting_power(proposal.id))
        if smallest.j.gov.voting_power(proposal.id) < vesta.j.gov.voting_power(proposal.id):
            voters.append((smallest, Vote.AGAINST, "a 20% fee is not fair"))
        with n.step("Vesta votes for; few others turn out"):
            self._cast(proposal, voters)
        proposal = self._close_voting(proposal, note="it passes on Vesta's tokens")

        with n.step("The proposal is queued in the timelock"):
            self._tx("queue", lambda: gov.queue(proposal.id))
            proposal = gov.proposal(proposal.id)
        with n.step("The timelock's delay passes"):
            wait = max(1, proposal.eta - vesta.j.block_timestamp())
            n.wait_time(wait, self.node.advance, "waiting in the timelock")

        with n.step("Execution: the rulebook's hard bound stops it"):
            fee_before = gov.rule_value("fee")
            block_before = self.node.block_number()
            error = self._expect_refusal(
                vesta,
                f"execute proposal {shorten(proposal.id)}",
                lambda: gov.execute(proposal.id),
                None,
            )
            block_after = self.node.block_number()
            fee_after = gov.rule_value("fee")
            state = gov.proposal(proposal.id).state
            n.say(
                f"no transaction was sent (still block {block_after}); the fee stays "
                f"{format_bps(fee_after)}; the proposal stays {state}"
            )
        self.ledger.facts["out_of_bounds"] = {
            "proposal_id": str(proposal.id),
            "proposer": vesta.address,
            "proposer_name": vesta.name,
            "proposed_bps": GREEDY_FEE_BPS,
            "max_bps": limits.max,
            "error": getattr(error, "name", type(error).__name__),
            "message": str(error),
            "fee_before_bps": fee_before,
            "fee_after_bps": fee_after,
            "state": str(state),
            "block_before": block_before,
            "block_after": block_after,
            "tx_sent": block_after != block_before,
        }

    def _propose(self, proposer: Person, call: Callable[[], Proposal]) -> Proposal:
        proposal = call()
        created = next(
            e
            for e in iter_events(
                proposer.j,
                "WorkGovernor",
                "ProposalCreated",
                None,
                proposal.created_block,
                proposal.created_block,
            )
            if int(e.args["proposalId"]) == proposal.id
        )
        self.ledger.gas["propose"].append(self._gas_of(proposer.j, created.tx_hash))
        return proposal

    def _open_voting(self, proposal: Proposal) -> None:
        j = self.people["faucet"].j
        with self.n.step("Voting opens after the voting delay"):
            blocks = max(0, proposal.snapshot + 1 - j.w3.eth.block_number)
            self.n.wait_blocks(blocks, self.node.mine, "waiting for the vote to open")
            for _ in range(10):
                if j.gov.proposal(proposal.id).state != ProposalState.PENDING:
                    break
                self.node.mine(1)

    def _cast(self, proposal: Proposal, voters: list[tuple[Person, Vote, str]]) -> None:
        for person, support, reason in voters:
            result = self._tx(
                "vote", lambda p=person, s=support, r=reason: p.j.gov.vote(proposal.id, s, reason=r)
            )
            weight = result.event("VoteCast").args["weight"]
            tokens = int(self._token().getPastVotes(person.address, proposal.snapshot).call())
            self.n.say(
                f"{person.name:<18} votes {str(support):<7} with "
                f"{format_votes(weight):>8} votes "
                f"({format_votes(tokens)} from tokens, "
                f"{format_votes(weight - tokens)} from reputation): "
                f"“{escape(reason)}”"
            )

    def _close_voting(self, proposal: Proposal, note: str = "") -> Proposal:
        j = self.people["faucet"].j
        with self.n.step("The voting period runs out"):
            current = j.gov.proposal(proposal.id)
            blocks = max(0, current.deadline + 1 - j.w3.eth.block_number)
            self.n.wait_blocks(blocks, self.node.mine, "voting is open")
            # A late quorum may have extended the deadline: mine on until the vote closes.
            for _ in range(100):
                current = j.gov.proposal(proposal.id)
                if current.state != ProposalState.ACTIVE:
                    break
                self.node.mine(max(1, current.deadline + 1 - j.w3.eth.block_number))
            tally = (
                f"for {format_votes(current.for_votes)}, against "
                f"{format_votes(current.against_votes)}, abstain "
                f"{format_votes(current.abstain_votes)}; quorum "
                f"{format_votes(current.quorum)}"
            )
            self.n.say(f"{tally} → {current.state}" + (f": {note}" if note else ""))
            self.ledger.proposals.append(self._proposal_record(current))
            if current.state != ProposalState.SUCCEEDED:
                raise RuntimeError(f"proposal {shorten(current.id)} was {current.state}: {tally}")
        return current

    def _proposal_record(self, proposal: Proposal) -> dict[str, Any]:
        tally = self.people["faucet"].j.gov.tally(proposal.id)
        voters = [
            {
                "name": self._person(record.voter).name,
                "address": record.voter,
                "support": str(record.support),
                "weight": record.weight,
                "token_votes": tokens,
                "reputation_votes": record.weight - tokens,
                "reason": record.reason,
                "block": record.block,
            }
            for record, tokens in tally.votes
        ]
        split = {
            str(side): {"tokens": tally.tokens[side], "reputation": tally.reputation[side]}
            for side in (Vote.FOR, Vote.AGAINST, Vote.ABSTAIN)
        }
        return {
            "id": str(proposal.id),
            "proposer": proposal.proposer,
            "proposer_name": self._person(proposal.proposer).name,
            "description": proposal.description,
            "change": proposal.changes[0].description if proposal.changes else "",
            "state_after_vote": str(proposal.state),
            "for": proposal.for_votes,
            "against": proposal.against_votes,
            "abstain": proposal.abstain_votes,
            "quorum": proposal.quorum,
            "snapshot": proposal.snapshot,
            "deadline": proposal.deadline,
            "split": split,
            "voters": voters,
        }
