"""Governance: delegate, propose rule changes, vote, queue, execute, and follow proposals.

The DAO is OpenZeppelin's Governor (`WorkGovernor`) with a timelock. A rule change goes:
propose -> (voting delay) -> vote -> (voting period) -> queue -> (timelock delay) -> execute,
before the queued proposal expires (the timelock's grace period after its ETA). A proposal
refused at execution stays queued until then; its proposer may cancel it once its ETA passed.

Every governed rule is described once, in `RULES`: which contract holds it, its getter and
setter, the names of the constants that bound it, and its unit. That one table serves the
`propose_*` methods, the pre-flight bound checks, and the plain-words reading of a proposal's
calls ("set the platform fee from 5.00% to 4.00%").

Like every state-changing method of the client, each method here first checks what the contract
would check (proposal state, an earlier vote, the signature, the rule's bounds and step, the
timelock's delay) and raises the exception class the contract would revert with, before any
transaction; then it sends through `Jeton.transact`, which simulates once more.

>>> proposal = jeton.gov.propose_fee(400, "Lower the fee to 4%")
>>> proposal.changes[0].description
'set the platform fee from 5.00% to 4.00%'
>>> jeton.gov.vote(proposal.id, "for", reason="cheaper for clients")

The access credits' services are governed too, one service at a time: `propose_service` adds
one, `propose_service_price` moves a price (checked by the contract for the time the proposal
can execute), and `service_status_change` pauses, resumes or removes one.

The package's modules:
- `rules`: the governed rules (`RULES`, `GovernedRule`, `RuleLimits`), their lookups and the
  errors of a rule out of bounds; the values read through `jeton.formatting`;
- `proposals`: what the client returns (`RuleChange`, `Proposal`, `VoteRecord`),
  `hash_proposal` and `parse_vote`;
- `ballots`: the EIP-712 ballots of votes signed for someone else to relay, and ballot files;
- `reading`, `proposing`, `voting`, `execution`, `rulebook`, `credits`: the parts of
  `Governance` (reading rules, proposals, their numbers and votes; proposing; delegating,
  voting and relaying signed ballots; queueing, executing, cancelling; the rules' values,
  bounds, steps and last changes; the access credits' services).
Every name is importable from `jeton.governance` itself.
"""

from ..formatting import (
    format_blocks,
    format_bps,
    format_duration,
    format_percent,
    format_tokens,
    format_weight,
)
from .ballots import SignedBallot
from .credits import CreditProposals
from .execution import TIMELOCK_READY_BITMAP, Execution
from .proposals import (
    GOVERNOR,
    PROPOSER_MARKER,
    ZERO_BYTES32,
    Proposal,
    RuleChange,
    Tally,
    VoteRecord,
    hash_proposal,
    parse_vote,
    restricted_proposer,
    strip_proposer,
    with_proposer,
)
from .proposing import Proposing
from .rulebook import Rulebook, RuleStatus
from .rules import (
    FORMATTERS,
    RULES,
    GovernedRule,
    RuleLimits,
    Unit,
    rule_by_id,
    rule_for_event,
    rule_for_setter,
)
from .voting import Voting


class Governance(CreditProposals, Proposing, Voting, Execution, Rulebook):
    """The DAO for one connection (`jeton.gov`): delegate, propose, vote, queue, execute, read.

    Amounts of votes are int token base units (like every amount in the client). Block numbers
    are the governor's clock; "now" for the timelock is the latest block's timestamp.
    """


__all__ = [
    "CreditProposals",
    "FORMATTERS",
    "GOVERNOR",
    "PROPOSER_MARKER",
    "RULES",
    "TIMELOCK_READY_BITMAP",
    "ZERO_BYTES32",
    "GovernedRule",
    "Governance",
    "Proposal",
    "RuleChange",
    "RuleLimits",
    "RuleStatus",
    "Rulebook",
    "SignedBallot",
    "Tally",
    "Unit",
    "VoteRecord",
    "format_blocks",
    "format_bps",
    "format_duration",
    "format_percent",
    "format_tokens",
    "format_weight",
    "hash_proposal",
    "parse_vote",
    "restricted_proposer",
    "rule_by_id",
    "rule_for_event",
    "rule_for_setter",
    "strip_proposer",
    "with_proposer",
]
