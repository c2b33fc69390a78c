"""Tasks: post paid work into the escrow, take it, deliver it, get paid.

`jeton.tasks` is a `Tasks`. Every state-changing method checks first what the escrow would
check (the task's status, who calls, the deadline and review windows, balance, reputation...)
and raises the same exception class the contract would, with the same inputs, before anything
is sent; then it sends through `Jeton.transact`, which simulates the call once more.

>>> task = jeton.tasks.post(100 * 10**18, deadline=jeton.block_timestamp() + 86400,
...                         spec="ipfs://Qm.../brief.md", bond_bps=1000)
>>> worker.tasks.claim(task.id)          # stakes the 10 JTN claim bond, with a permit
>>> worker.tasks.submit(task.id, Path("translation.txt"))
>>> jeton.tasks.approve(task.id)         # pays the worker, its bond with it

Money that moves into the escrow (a deposit, a claim bond, a dispute bond) goes with an
EIP-2612 permit when the token has one (`jeton.permits`), so each step stays one transaction.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eth_utils import keccak
from web3 import Web3
from web3.contract import Contract

from .errors import ContractError, JetonError, error_class
from .formatting import format_bps, format_time
from .history import iter_events
from .parsing import check_base_units, check_uint, parse_address
from .permits import pull_call
from .types import Event, TaskStatus, Timestamp, TxResult
from .units import TokenInfo

if TYPE_CHECKING:
    from .client import Jeton

ESCROW = "TaskEscrow"
ZERO_ADDRESS = "0x" + "00" * 20
BPS = 10_000
#: Where `getTask`'s tuple holds the task's token (see `Task.from_struct`).
_TOKEN_FIELD = 7

#: Tasks read per JSON-RPC batch request by `Tasks.page`.
PAGE_BATCH = 100

#: The error the escrow raises when a task is not in the status a call needs.
_NOT_IN_STATUS = {
    TaskStatus.OPEN: "TaskNotOpen",
    TaskStatus.CLAIMED: "TaskNotClaimed",
    TaskStatus.SUBMITTED: "TaskNotSubmitted",
    TaskStatus.DISPUTED: "TaskNotDisputed",
}


class TaskNotFound(JetonError):
    """No task has this id (the escrow reports status NONE for it)."""


# ---------------------------------------------------------------------- values


@dataclass(frozen=True)
class Task:
    """A task as the escrow stores it. Amounts are base units of `token`."""

    id: int
    client: str
    #: The worker who claimed it, or the worker the client named while it is open; else None.
    worker: str | None
    token: str
    amount: int
    status: TaskStatus
    #: Unix time after which it can no longer be claimed or delivered.
    deadline: int
    #: End of the review period while SUBMITTED, of the arbitration window while DISPUTED; else 0.
    window_ends: int
    #: Fee and work-reward rates locked when the task was posted. The reward rate applies only
    #: to a task paid in the work token (see `earns_reward`).
    fee_bps: int
    reward_bps: int
    min_reputation: int
    #: Seconds the client has to review a submission, locked when the task was posted.
    review_period: int
    #: The claim bond in basis points of the deposit, locked when the task was posted.
    bond_bps: int
    #: The symbol and decimals of `token`, for reading `amount`.
    token_symbol: str = "JTN"
    token_decimals: int = 18

    @classmethod
    def from_struct(
        cls, task_id: int, struct: tuple | list, token_info: TokenInfo | None = None
    ) -> Task:
        """A Task from `getTask`'s tuple (client, amount, worker, status, windowEnds,
        minReputation, bondBps, token, deadline, feeBps, rewardBps, reviewPeriod), with the
        token's symbol and decimals if given."""
        (
            client,
            amount,
            worker,
            status,
            window_ends,
            min_rep,
            bond_bps,
            token,
            deadline,
            fee,
            reward,
            review_period,
        ) = struct
        status = TaskStatus(status)
        in_window = status in (TaskStatus.SUBMITTED, TaskStatus.DISPUTED)
        return cls(
            id=task_id,
            client=Web3.to_checksum_address(client),
            worker=None if int(worker, 16) == 0 else Web3.to_checksum_address(worker),
            token=Web3.to_checksum_address(token),
            amount=amount,
            status=status,
            deadline=deadline,
            window_ends=window_ends if in_window else 0,
            fee_bps=fee,
            reward_bps=reward,
            min_reputation=min_rep,
            review_period=review_period,
            bond_bps=bond_bps,
            **(
                {"token_symbol": token_info.symbol, "token_decimals": token_info.decimals}
                if token_info
                else {}
            ),
        )

    def __str__(self) -> str:
        worker = f", worker {self.worker}" if self.worker else ""
        needs = f", needs {self.min_reputation:,} points" if self.min_reputation else ""
        money = TokenInfo(self.token, self.token_symbol, self.token_decimals).format
        return (
            f"task {self.id} ({self.status}): {money(self.amount)}, fee {format_bps(self.fee_bps)}"
            f", claim bond {format_bps(self.bond_bps)}, deadline {format_time(self.deadline)}, "
            f"client {self.client}{worker}{needs}"
        )

    @property
    def is_final(self) -> bool:
        """Completed, cancelled, expired or resolved: its deposit has left the escrow."""
        return self.status.is_final

    @property
    def is_reserved(self) -> bool:
        """Open and reserved for the worker the client named."""
        return self.status == TaskStatus.OPEN and self.worker is not None

    @property
    def fee(self) -> int:
        """The platform fee taken from the whole deposit when the task is approved or released."""
        return self.amount * self.fee_bps // BPS

    @property
    def worker_amount(self) -> int:
        """What the worker receives when the task is approved or released (and its bond back)."""
        return self.amount - self.fee

    @property
    def bond(self) -> int:
        """The claim bond: what the worker stakes to claim it, and a disputer to dispute it.
        It comes back with the pay, goes to the client on a reclaim, and in a dispute both
        bonds go to the side the arbiter favours (the client when nobody rules)."""
        return self.amount * self.bond_bps // BPS

    def earns_reward(self, work_token: str) -> bool:
        """Whether its payout credits a work reward (`reward_bps` of the fee, within what the
        token's cap leaves): only a task paid in the work token (`work_token`, the WorkToken's
        address) does. A task paid in another allowed token earns reputation, no reward."""
        return self.token.lower() == work_token.lower()


@dataclass(frozen=True)
class TaskPage:
    """One page of tasks, newest first (`Tasks.page`)."""

    tasks: list[Task]
    #: How many tasks have been posted in all.
    total: int
    #: The `before` of the next page (None when no older task is left to read).
    next_before: int | None


def hash_content(content: str | bytes | Path) -> bytes:
    """The keccak-256 hash (32 bytes) that stands on chain for a spec or a deliverable.

    A `Path`, or a `str` naming an existing file, is hashed by the file's contents; any other
    `str` (a URI, a text) by its UTF-8 bytes; `bytes` as they are.
    """
    if isinstance(content, bytes):
        return keccak(content)
    if isinstance(content, Path) or os.path.isfile(content):
        path = Path(content).expanduser()
        try:
            return keccak(path.read_bytes())
        except OSError as exc:
            raise JetonError(f"can not read {path} to hash it: {exc.strerror}") from exc
    return keccak(text=content)


# ---------------------------------------------------------------------- the API


class Tasks:
    """The task escrow: read tasks, and post, take, deliver, pay, dispute (`jeton.tasks`)."""

    def __init__(self, jeton: Jeton):
        self._jeton = jeton

    @property
    def _escrow(self) -> Contract:
        return self._jeton.contracts.escrow

    # ------------------------------------------------------------------ reading

    def get(self, task_id: int) -> Task:
        """Task `task_id` (TaskNotFound, a JetonError, if there is none)."""
        task = self._load(task_id)
        if task.status == TaskStatus.NONE:
            raise TaskNotFound(f"no task {task_id}: ids run from 1 to {self.count()}")
        return task

    def count(self) -> int:
        """How many tasks have been posted; their ids run from 1 to this."""
        return int(self._escrow.functions.taskCount().call())

    def list(
        self,
        status: TaskStatus | int | str | None = None,
        client: str | None = None,
        worker: str | None = None,
    ) -> list[Task]:
        """Tasks in id order, optionally only those in `status` (a TaskStatus or its name),
        posted by `client`, or whose worker is `worker` (named or having claimed it).

        With `client` or `worker`, the candidates come from the indexed TaskPosted and
        TaskClaimed events; otherwise every id from 1 to `count()` is read.
        """
        wanted = _as_status(status) if status is not None else None
        client = parse_address(client, "client") if client else None
        worker = parse_address(worker, "worker") if worker else None
        tasks = [self._load(i) for i in self._candidate_ids(client, worker)]
        return [
            t
            for t in tasks
            if (wanted is None or t.status == wanted)
            and (client is None or t.client == client)
            and (worker is None or t.worker == worker)
        ]

    def page(
        self,
        limit: int = 20,
        *,
        before: int | None = None,
        status: TaskStatus | int | str | None = None,
    ) -> TaskPage:
        """The newest tasks first: up to `limit` tasks with ids below `before` (default: from
        the newest), optionally only those in `status`.

        Tasks are read in JSON-RPC batch requests (the newest `limit`, then `PAGE_BATCH` at a
        time while too few match `status`), so a page costs the same at task 10 and task
        100,000 (a rare status may take more batches).
        """
        if limit < 1:
            raise ValueError(f"a page holds at least one task, not {limit}")
        wanted = _as_status(status) if status is not None else None
        total = self.count()
        cursor = total if before is None else min(before - 1, total)
        found: list[Task] = []
        size = limit  # the newest `limit` first: often all that is needed
        while cursor >= 1 and len(found) < limit:
            ids = range(cursor, max(cursor - size, 0), -1)
            size = max(limit, PAGE_BATCH)
            for task in self._load_many(ids):
                cursor = task.id - 1
                if wanted is None or task.status == wanted:
                    found.append(task)
                    if len(found) == limit:
                        break
        return TaskPage(tasks=found, total=total, next_before=cursor + 1 if cursor >= 1 else None)

    def open_for_me(self) -> list[Task]:
        """Open tasks the wallet may claim now: deadline not passed, enough reputation, not its
        own, and either unreserved or reserved for it. The same checks as `claim` makes before
        simulating; whether the wallet holds the claim bond (`Task.bond`) is left to that."""
        me, now = self._jeton.address, self._jeton.block_timestamp()
        points = self._points(me)
        return [
            t
            for t in self.list(status=TaskStatus.OPEN)
            if self.claim_refusal(t, me, now=now, points=points) is None
        ]

    def claim_refusal(
        self, task: Task, account: str, *, now: int | None = None, points: int | None = None
    ) -> ContractError | None:
        """Why `account` may not claim `task` now (the error `claim` would raise before
        simulating), or None if it may. `now` (the chain's time) and `points` (the account's
        reputation) are read when not given."""
        account = parse_address(account, "account")
        now = self._jeton.block_timestamp() if now is None else now
        points = self._points(account) if points is None else points
        try:
            self._check_claim(task, account, now, points)
        except ContractError as exc:
            return exc
        return None

    def timeline(self, task_id: int) -> list[Event]:
        """Every escrow event of task `task_id`, oldest first, rebuilt from logs alone."""
        events = [
            event
            for name in self._task_event_names()
            for event in iter_events(self._jeton, ESCROW, name, {"taskId": task_id})
        ]
        return sorted(events, key=lambda e: (e.block, e.log_index))

    def rewards_owed(self, worker: str | None = None) -> int:
        """Work rewards (JTN base units) credited to `worker` (default: the wallet) and not
        collected yet."""
        worker = parse_address(worker, "worker") if worker else self._jeton.address
        return int(self._escrow.functions.rewardsOwed(worker).call())

    # ------------------------------------------------------------------ posting

    def post(
        self,
        amount: int,
        *,
        deadline: int,
        spec: str | bytes | Path,
        token: str | None = None,
        min_reputation: int = 0,
        worker: str | None = None,
        bond_bps: int | None = None,
    ) -> Task:
        """Post a task paying `amount` (base units of `token`, default the work token) and
        return it.

        `deadline` is an absolute unix time; `spec` the brief (a URI, a text, a file or bytes,
        see `hash_content`); `min_reputation` the points a worker needs to claim it; `worker`
        reserves it for one worker; `bond_bps` the claim bond in basis points of the deposit
        (0 to 10000; None: the DAO's default, `claimBondBps`). The deposit is moved with an
        EIP-2612 permit when the token supports it (one transaction), else after an `approve`
        when the allowance is short.
        """
        me = self._jeton.address
        token = self._token(token)
        named = parse_address(worker, "worker") if worker else ZERO_ADDRESS
        erc20 = self._jeton.erc20(token)
        if bond_bps is not None:
            check_uint(bond_bps, "bond_bps", 16)
        self._check_post(erc20, me, amount, deadline, min_reputation, named)
        args = (token, amount, deadline, min_reputation, hash_content(spec), named)
        escrow = self._escrow.functions
        if bond_bps is None:
            plain, with_permit = escrow.postTask, escrow.postTaskWithPermit
        else:
            args = (*args, bond_bps)
            plain, with_permit = escrow.postTaskWithBond, escrow.postTaskWithBondAndPermit
        call = pull_call(
            self._jeton, erc20, amount, lambda: plain(*args), lambda *sig: with_permit(*args, *sig)
        )
        result = self._jeton.transact(call, ESCROW)
        return self.get(result.event("TaskPosted").args["taskId"])

    # ------------------------------------------------------------------ working

    def claim(self, task_id: int) -> TxResult:
        """Take open task `task_id` as the wallet's worker, staking its claim bond (with a
        permit when the token has one: one transaction)."""
        me = self._jeton.address
        task = self._load(task_id)
        self._check_claim(task, me, self._jeton.block_timestamp(), self._points(me))
        return self._send(self._staking_call(task, "claim", "claimWithPermit"))

    def submit(self, task_id: int, deliverable: str | bytes | Path) -> TxResult:
        """Deliver claimed task `task_id`: `deliverable` (a URI, a file, bytes) is hashed with
        `hash_content` and its hash recorded; the client's review period starts."""
        task = self._load(task_id)
        _require_status(task, TaskStatus.CLAIMED)
        _require_worker(task, self._jeton.address)
        now = self._jeton.block_timestamp()
        _require_not_after(task, now, task.deadline, "DeadlinePassed", "deadline")
        return self._send(self._escrow.functions.submit(task_id, hash_content(deliverable)))

    # ------------------------------------------------------------------ paying

    def approve(self, task_id: int) -> TxResult:
        """As the client, accept the submission of `task_id` and pay its worker."""
        task = self._load(task_id)
        _require_status(task, TaskStatus.SUBMITTED)
        _require_client(task, self._jeton.address)
        return self._send(self._escrow.functions.approve(task_id))

    def release(self, task_id: int) -> TxResult:
        """As the worker, take the payment of `task_id` once its review period is over."""
        task = self._load(task_id)
        _require_status(task, TaskStatus.SUBMITTED)
        _require_worker(task, self._jeton.address)
        now = self._jeton.block_timestamp()
        _require_after(task, now, task.window_ends, "ReviewPeriodActive", "reviewEnds")
        return self._send(self._escrow.functions.release(task_id))

    def cancel(self, task_id: int) -> TxResult:
        """As the client, take back the deposit of `task_id` while nobody has claimed it."""
        task = self._load(task_id)
        _require_status(task, TaskStatus.OPEN)
        _require_client(task, self._jeton.address)
        return self._send(self._escrow.functions.cancel(task_id))

    def reclaim(self, task_id: int) -> TxResult:
        """As the client, take back the deposit of claimed task `task_id` whose deadline
        passed with no submission."""
        task = self._load(task_id)
        _require_status(task, TaskStatus.CLAIMED)
        _require_client(task, self._jeton.address)
        now = self._jeton.block_timestamp()
        _require_after(task, now, task.deadline, "DeadlineNotPassed", "deadline")
        return self._send(self._escrow.functions.reclaim(task_id))

    # ------------------------------------------------------------------ disputes

    def dispute(self, task_id: int) -> TxResult:
        """As the client or the worker, dispute the submission of `task_id` during its review
        period, staking a dispute bond as large as the claim bond (with a permit when the
        token has one); an arbiter may then split the deposit, within the arbitration window.
        Both bonds go to the worker if it gets half or more, else to the client."""
        task = self._load(task_id)
        _require_status(task, TaskStatus.SUBMITTED)
        _require_party(task, self._jeton.address)
        now = self._jeton.block_timestamp()
        _require_not_after(task, now, task.window_ends, "ReviewPeriodOver", "reviewEnds")
        return self._send(self._staking_call(task, "dispute", "disputeWithPermit"))

    def resolve(self, task_id: int, worker_share_bps: int) -> TxResult:
        """As an arbiter, split disputed task `task_id`: `worker_share_bps` of the deposit
        (0 to 10000) to the worker, less the fee, the rest back to the client."""
        task = self._load(task_id)
        _require_status(task, TaskStatus.DISPUTED)
        me = self._jeton.address
        if not self._jeton.contracts.rules.functions.isArbiter(me).call():
            _refuse("NotArbiter", caller=me)
        if me in (task.client, task.worker):
            _refuse("ArbiterIsParty", taskId=task.id, arbiter=me)
        if not 0 <= worker_share_bps <= BPS:
            _refuse("InvalidShare", workerShareBps=worker_share_bps)
        return self._send(self._escrow.functions.resolve(task_id, worker_share_bps))

    def settle_dispute(self, task_id: int) -> TxResult:
        """As the client or the worker, settle disputed task `task_id` once the arbitration
        window is over with no arbiter's ruling: the dispute is undone for the client, who
        takes back the deposit and both bonds (no fee, reward or reputation for anyone)."""
        task = self._load(task_id)
        _require_status(task, TaskStatus.DISPUTED)
        _require_party(task, self._jeton.address)
        now = self._jeton.block_timestamp()
        _require_after(task, now, task.window_ends, "ArbitrationWindowActive", "arbitrationEnds")
        return self._send(self._escrow.functions.settleDispute(task_id))

    # ------------------------------------------------------------------ rewards

    def collect_rewards(self, worker: str | None = None) -> TxResult:
        """Mint the work rewards `worker` (default: the wallet) has earned, in one transaction.
        Anyone may send it; the tokens always go to the worker."""
        worker = parse_address(worker, "worker") if worker else self._jeton.address
        if self.rewards_owed(worker) == 0:
            _refuse("NothingToCollect", worker=worker)
        return self._send(self._escrow.functions.collectRewards(worker))

    # ------------------------------------------------------------------ pull payments

    def owed(self, token: str | None = None, recipient: str | None = None) -> int:
        """Payouts of `token` (default: the work token) kept for `recipient` (default: the
        wallet) because it could not receive them (a frozen address): see `withdraw`."""
        token = self._token(token)
        who = parse_address(recipient, "recipient") if recipient else self._jeton.address
        return int(self._escrow.functions.owed(token, who).call())

    def withdraw(self, token: str | None = None) -> TxResult:
        """Take the payouts of `token` (default: the work token) kept for the wallet. The
        escrow refuses while the wallet still can not receive the token."""
        return self._send(self._escrow.functions.withdraw(self._token(token)))

    def accrued_fees(self, token: str | None = None) -> int:
        """Fees in `token` (default: the work token) accrued in the escrow and not swept yet."""
        return int(self._escrow.functions.accruedFees(self._token(token)).call())

    def sweep_fees(self, token: str | None = None) -> TxResult:
        """Send the fees accrued in `token` (default: the work token) to the DAO's treasury
        (the rulebook's `treasury()`); anyone may. One base unit stays in the escrow."""
        return self._send(self._escrow.functions.sweepFees(self._token(token)))

    # ------------------------------------------------------------------ internals

    def _load(self, task_id: int) -> Task:
        """Task `task_id` as stored, status NONE included (pre-flight checks name it)."""
        return self._task(task_id, self._escrow.functions.getTask(task_id).call())

    def _load_many(self, ids: Iterable[int]) -> list[Task]:
        """Tasks `ids` as stored, read in one JSON-RPC batch request."""
        ids = list(ids)
        with self._jeton.w3.batch_requests() as batch:
            for task_id in ids:
                batch.add(self._escrow.functions.getTask(task_id))
            structs = batch.execute()
        return [self._task(i, struct) for i, struct in zip(ids, structs, strict=True)]

    def _task(self, task_id: int, struct: Any) -> Task:
        """A Task from `getTask`'s tuple, with its token's symbol and decimals."""
        token = struct[_TOKEN_FIELD]
        return Task.from_struct(
            task_id, struct, self._jeton.token_info(token) if int(token, 16) else None
        )

    def _send(self, fn: Any) -> TxResult:
        return self._jeton.transact(fn, ESCROW)

    def _points(self, account: str) -> int:
        return int(self._jeton.contracts.reputation.functions.pointsOf(account).call())

    def _check_claim(self, task: Task, caller: str, now: int, points: int) -> None:
        """What `claim` checks, in the escrow's order (also the filter of `open_for_me`)."""
        _require_status(task, TaskStatus.OPEN)
        _require_not_after(task, now, task.deadline, "DeadlinePassed", "deadline")
        if caller == task.client:
            _refuse("ClientCannotWork", client=caller)
        if task.worker is not None and task.worker != caller:
            _refuse("NotNamedWorker", taskId=task.id, namedWorker=task.worker)
        if points < task.min_reputation:
            _refuse("ReputationTooLow", taskId=task.id, points=points, required=task.min_reputation)

    def _check_post(
        self,
        erc20: Contract,
        me: str,
        amount: int,
        deadline: int,
        min_reputation: int,
        named: str,
    ) -> None:
        """What `postTask` checks, in the escrow's order, then the depositor's balance."""
        check_uint(min_reputation, "min_reputation", 32)
        check_uint(deadline, "deadline", 64)
        check_base_units(amount)
        if amount == 0:
            _refuse("ZeroAmount")
        if deadline <= self._jeton.block_timestamp():
            _refuse("DeadlineInPast", deadline=deadline)
        if named == me:
            _refuse("ClientCannotWork", client=me)
        if not self._jeton.contracts.rules.functions.isPaymentToken(erc20.address).call():
            _refuse("TokenNotAllowed", token=erc20.address)
        # The balance first: a huge amount is refused for what it is, more than one holds.
        balance = int(erc20.functions.balanceOf(me).call())
        if balance < amount:
            info = self._jeton.token_info(erc20.address)
            _refuse(
                "ERC20InsufficientBalance",
                sender=me,
                balance=info.amount(balance),
                needed=info.amount(amount),
            )
        for bits, value in ((96, amount), (40, deadline)):
            if value >= 2**bits:
                _refuse("SafeCastOverflowedUintDowncast", bits=bits, value=value)

    def _staking_call(self, task: Task, plain: str, with_permit: str) -> Any:
        """The call of `plain(task.id)` that stakes the task's bond: with a permit
        (`with_permit`) when the allowance is short and the token has permits."""
        escrow = self._escrow.functions
        return pull_call(
            self._jeton,
            self._jeton.erc20(task.token),
            task.bond,
            lambda: getattr(escrow, plain)(task.id),
            lambda *sig: getattr(escrow, with_permit)(task.id, *sig),
        )

    def _token(self, token: str | None) -> str:
        return parse_address(token, "token") if token else self._jeton.contracts.token.address

    def _candidate_ids(self, client: str | None, worker: str | None) -> list[int]:
        """Task ids to read for `list`: all of them, or those the events tie to the parties."""
        if client is None and worker is None:
            return list(range(1, self.count() + 1))
        ids: set[int] | None = None
        if client is not None:
            ids = self._event_ids("TaskPosted", {"client": client})
        if worker is not None:
            mine = self._event_ids("TaskPosted", {"worker": worker})
            mine |= self._event_ids("TaskClaimed", {"worker": worker})
            ids = mine if ids is None else ids & mine
        return sorted(ids or ())

    def _event_ids(self, event_name: str, filters: dict[str, Any]) -> set[int]:
        return {e.args["taskId"] for e in iter_events(self._jeton, ESCROW, event_name, filters)}

    def _task_event_names(self) -> list[str]:
        """The escrow's events whose first argument is the indexed task id."""
        return [
            entry["name"]
            for entry in self._escrow.abi
            if entry.get("type") == "event"
            and entry["inputs"]
            and entry["inputs"][0]["name"] == "taskId"
            and entry["inputs"][0]["indexed"]
        ]


# ---------------------------------------------------------------------- pre-flight checks


def _refuse(error_name: str, **inputs: Any) -> None:
    """Raise the escrow's custom error `error_name` with `inputs`, as its revert would."""
    raise error_class(error_name)(inputs, contract=ESCROW)


def _require_status(task: Task, status: TaskStatus) -> None:
    if task.status != status:
        _refuse(_NOT_IN_STATUS[status], taskId=task.id, status=task.status)


def _require_client(task: Task, caller: str) -> None:
    if caller != task.client:
        _refuse("NotTaskClient", taskId=task.id, caller=caller)


def _require_worker(task: Task, caller: str) -> None:
    if caller != task.worker:
        _refuse("NotTaskWorker", taskId=task.id, caller=caller)


def _require_party(task: Task, caller: str) -> None:
    if caller not in (task.client, task.worker):
        _refuse("NotTaskParty", taskId=task.id, caller=caller)


def _require_not_after(task: Task, now: int, moment: int, error_name: str, field: str) -> None:
    """A window that must still be open: refuse once `now` is past `moment`."""
    if now > moment:
        _refuse(error_name, taskId=task.id, **{field: Timestamp(moment, now)})


def _require_after(task: Task, now: int, moment: int, error_name: str, field: str) -> None:
    """A wait that must be over: refuse until `now` is past `moment`."""
    if now <= moment:
        _refuse(error_name, taskId=task.id, **{field: Timestamp(moment, now)})


# ---------------------------------------------------------------------- helpers


def _as_status(status: TaskStatus | int | str) -> TaskStatus:
    if isinstance(status, str):
        try:
            return TaskStatus[status.upper()]
        except KeyError:
            names = ", ".join(str(s) for s in TaskStatus)
            raise JetonError(f"no task status {status!r}; one of {names}") from None
    return TaskStatus(status)
