"""Jeton: earn work tokens for tasks and vote on the platform's rules.

A worker, in five lines::

    from jeton import Jeton, Wallet
    jeton = Jeton.connect("http://127.0.0.1:8545", account=Wallet.from_keystore("me.json"))
    task = jeton.tasks.open_for_me()[0]
    jeton.tasks.claim(task.id)
    jeton.tasks.submit(task.id, "translation.txt")
"""

from .client import Jeton
from .contracts import Deployment
from .errors import ContractError, JetonError
from .governance import Proposal, RuleChange, VoteRecord
from .types import Event, ProposalState, TaskStatus, TxResult, Vote
from .wallet import Wallet

__version__ = "0.1.0"

__all__ = [
    "ContractError",
    "Deployment",
    "Event",
    "Jeton",
    "JetonError",
    "Proposal",
    "ProposalState",
    "RuleChange",
    "TaskStatus",
    "TxResult",
    "Vote",
    "VoteRecord",
    "Wallet",
    "__version__",
]
