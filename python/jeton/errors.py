"""Exceptions. Every failure the contracts can name has a class of the same name here.

`ContractError` subclasses are made from the custom errors in the shipped ABIs, so that
`except jeton.errors.TaskNotOpen` works both for a check the client makes before sending and
for a revert found by simulating the transaction. Each carries the error's arguments, and its
message says what went wrong and what to do.
"""

import json
from importlib import resources
from typing import Any

from eth_abi import decode as abi_decode
from eth_utils import keccak, to_checksum_address

from .types import ServiceStatus, TaskStatus, Timestamp
from .units import TokenAmount, format_eth, format_gwei


class JetonError(Exception):
    """Base class of every error the client raises."""


class DeploymentError(JetonError):
    """The deployments file is missing or wrong, or the chain does not match it."""


class WalletError(JetonError):
    """A wallet could not be loaded (missing file, wrong password, bad key)."""


class InputError(JetonError, ValueError):
    """An input the client refuses before going near the chain (also a ValueError)."""


class InvalidAddress(InputError):
    """Not an address, or a mixed-case address whose EIP-55 checksum fails."""


class InvalidAmount(InputError):
    """Not a valid token amount: not a number, negative, too precise or too large."""


class NodeUnreachable(JetonError, ConnectionError):
    """No Ethereum node answers at the RPC URL, or it stopped answering (also a
    ConnectionError, so code that catches connection failures catches it)."""


class InsufficientGasFunds(JetonError):
    """The wallet lacks the ETH to pay for a transaction's gas; found before sending.

    `address` holds `balance` wei and the transaction may cost up to `needed` wei (its gas
    limit at its maximum fee per gas, plus any value sent).
    """

    def __init__(
        self,
        address: str,
        balance: int,
        needed: int,
        gas: int,
        fee_per_gas: int,
        development_chain: bool,
    ):
        self.address, self.balance, self.needed = address, balance, needed
        self.gas, self.fee_per_gas = gas, fee_per_gas
        how = (
            f"on this development chain, `jeton chain fund {address} 1` gives it 1 ETH"
            if development_chain
            else "send it ETH on this chain from an exchange, a bridge or another wallet "
            "(a testnet's faucet on a testnet)"
        )
        super().__init__(
            f"{address} has {format_eth(balance)} and this transaction needs up to "
            f"{format_eth(needed)} for gas ({gas:,} gas at up to {format_gwei(fee_per_gas)}): "
            f"{how}"
        )


class DevChainError(JetonError):
    """A development chain could not be started or used, or the deploy script failed."""


class NotDevelopmentChain(DevChainError):
    """Mining, moving time or minting ETH was asked of a node that is not a development
    chain (only anvil, Hardhat and Ganache have these powers)."""


class TransactionTimeout(JetonError):
    """A sent transaction was not mined in time; it may still be mined later."""


class TransactionFailed(JetonError):
    """A sent transaction was mined but reverted (its simulation had passed)."""


class ContractError(JetonError):
    """A contract refused the call, or would: the custom error `name` with its `inputs`."""

    name: str = "ContractError"
    hint: str = ""

    def __init__(
        self,
        inputs: dict[str, Any] | None = None,
        *,
        contract: str | None = None,
        detail: str | None = None,
    ):
        self.inputs = _named(self.name, dict(inputs or {}))
        self.contract = contract
        args = ", ".join(f"{k}={_show(v)}" for k, v in self.inputs.items())
        where = f"{contract}: " if contract else ""
        explanation = detail or self.hint.format(**{k: _show(v) for k, v in self.inputs.items()})
        #: What went wrong and what to do, in words ("" when the error has no explanation).
        self.explanation = explanation
        message = f"{where}{self.name}({args})"
        super().__init__(f"{message}: {explanation}" if explanation else message)

    def plain(self) -> str:
        """The error for people: its contract, name and explanation, without the raw inputs
        (ids, bitmaps) the full message lists: "Timelock: TimelockUnexpectedOperationState:
        proposal #1 can be executed from ..."."""
        if not self.explanation:
            return str(self)
        where = f"{self.contract}: " if self.contract else ""
        return f"{where}{self.name}: {self.explanation}"


class UnknownRevert(ContractError):
    """A revert whose reason is not one of the contracts' custom errors."""

    name = "UnknownRevert"


def _show(value: Any) -> str:
    if isinstance(value, bytes):
        return bytes32_text(value) or "0x" + value.hex()
    return str(value)


def bytes32_text(value: bytes) -> str | None:
    """A bytes32 that holds a short name (a rule's: `feeBps`), as that text; else None."""
    text = bytes(value).rstrip(b"\x00")
    if len(value) != 32 or not text or not all(0x20 < c < 0x7F for c in text):
        return None
    return text.decode()


#: Error inputs that hold a unix time, shown as dates.
TIME_INPUTS = frozenset(
    {"deadline", "reviewEnds", "arbitrationEnds", "nextChangeAt", "expiredAt", "expiresAt"}
)
#: Errors whose `status` is an access-credit service's (any other `status` is a task's).
SERVICE_STATUS_ERRORS = frozenset({"ServiceNotActive", "ServiceNotPaused"})
#: Error inputs of the access credits that hold work-token amounts, shown in JTN.
JTN_INPUTS = frozenset({"unitPrice", "maxUnitPrice"})


def _named(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """Inputs with status numbers as `TaskStatus` (or `ServiceStatus`), times as `Timestamp`
    and the credits' prices as `TokenAmount` (all still ints)."""
    named = dict(inputs)
    if isinstance(named.get("status"), int):
        kind = ServiceStatus if name in SERVICE_STATUS_ERRORS else TaskStatus
        named["status"] = kind(named["status"])
    for key in JTN_INPUTS & named.keys():
        if isinstance(named[key], int) and not isinstance(named[key], TokenAmount):
            named[key] = TokenAmount(named[key], 18, "JTN")
    for key in TIME_INPUTS & named.keys():
        if isinstance(named[key], int) and not isinstance(named[key], Timestamp):
            named[key] = Timestamp(named[key])
    return named


# What each error means, and what to do about it. `{name}` fields are the error's inputs.
HINTS: dict[str, str] = {
    # escrow
    "ZeroAmount": "a task must pay something; give an amount above zero",
    "DeadlineInPast": "the deadline {deadline} has already passed; give a later one",
    "ClientCannotWork": "{client} is the task's client, and a client can not work on its own task",
    "InvalidBond": (
        "a claim bond is a share of the deposit in basis points, 0 to 10000, not {bondBps}"
    ),
    "TransferAmountMismatch": (
        "{token} delivered {received} instead of {expected}: tokens that take a fee on "
        "transfer can not pay for tasks"
    ),
    "TaskNotOpen": (
        "task {taskId} is not open (status {status}): it was taken or closed, or does not exist"
    ),
    "TaskNotClaimed": "task {taskId} is not claimed (status {status})",
    "TaskNotSubmitted": "task {taskId} has no submission waiting for review (status {status})",
    "TaskNotDisputed": "task {taskId} is not disputed (status {status})",
    "NotTaskClient": "only the client of task {taskId} may do this, not {caller}",
    "NotTaskWorker": "only the worker of task {taskId} may do this, not {caller}",
    "NotTaskParty": "only the client or the worker of task {taskId} may do this, not {caller}",
    "NotNamedWorker": "task {taskId} is reserved for {namedWorker}",
    "NotArbiter": "{caller} is not an arbiter appointed by the DAO",
    "ArbiterIsParty": (
        "{arbiter} is the client or the worker of task {taskId}: another arbiter must resolve it"
    ),
    "ReputationTooLow": (
        "task {taskId} needs {required} reputation points and you have {points}: "
        "complete smaller tasks first"
    ),
    "DeadlinePassed": "the deadline of task {taskId} ({deadline}) has passed",
    "DeadlineNotPassed": (
        "the deadline of task {taskId} ({deadline}) has not passed yet: the worker may still "
        "deliver"
    ),
    "ReviewPeriodActive": (
        "the client may review task {taskId} until {reviewEnds}; release after that"
    ),
    "ReviewPeriodOver": (
        "the review period of task {taskId} ended at {reviewEnds}: it can no longer be "
        "disputed, and the worker may release the payment"
    ),
    "ArbitrationWindowActive": (
        "an arbiter may resolve task {taskId} until {arbitrationEnds}; only after that may "
        "the client or the worker settle it"
    ),
    "ArbitrationWindowOver": (
        "the arbitration window of task {taskId} closed at {arbitrationEnds}: an arbiter can "
        "no longer rule; the client or the worker settles it (deposit and bonds to the client)"
    ),
    "InvalidShare": "a worker share is in basis points, 0 to 10000, not {workerShareBps}",
    "NothingToCollect": "{worker} has no work rewards to collect",
    "NothingToWithdraw": "no payout of {token} is kept for {recipient}: nothing to withdraw",
    "NothingToSweep": "no fees in {token} have accrued since the last sweep",
    "SafeERC20FailedOperation": "{token} refused the transfer",
    "ReentrancyGuardReentrantCall": "the escrow refused a re-entrant call",
    # rules
    "TokenNotAllowed": "{token} is not a payment token the DAO allows",
    "TokenDecimalsUnsupported": (
        "{token} reports no decimals, or more than 36: its unit can not be bounded, so the DAO "
        "can not allow it"
    ),
    "ZeroTreasury": "the treasury can not be the zero address",
    "TierOrderViolated": "tier thresholds must increase: tier {tier} can not be {points}",
    "UnknownTier": "tiers are 1, 2 and 3, not {tier}",
    "ZeroAddress": "the zero address is not allowed here",
    "RuleOutOfBounds": "{value} is outside the hard bounds [{min}, {max}] of this rule",
    "RuleChangedTooSoon": (
        "this rule changed less than a day ago; it may change again from {nextChangeAt}"
    ),
    "RuleStepTooLarge": (
        "moving the rule from {oldValue} to {newValue} is more than its maximum step "
        "{maxStep}: propose a smaller change"
    ),
    # access credits
    "UnknownService": "there is no service {serviceId}: `jeton services list` shows them",
    "ServiceNotActive": (
        "service {serviceId} is {status}: it sells and is used only while active (the credits "
        "of a paused or removed service refund at the price paid: `jeton services refund`)"
    ),
    "ServiceNotPaused": "service {serviceId} is {status}: only a paused service can resume",
    "ServiceIsRemoved": (
        "service {serviceId} was removed: its price and status can not change any more"
    ),
    "ServiceStillActive": (
        "service {serviceId} is active: its credits are used, not refunded; refunds open if "
        "the DAO pauses or removes it"
    ),
    "ZeroProvider": "a service needs a provider, not the zero address",
    "ZeroUnits": "buy or use at least one unit",
    "NotServiceProvider": "only the provider of service {serviceId} records its use, not {caller}",
    "InsufficientCredits": (
        "{buyer} holds {held} units of service {serviceId}, fewer than the {wanted} asked"
    ),
    "PriceAboveLimit": (
        "a unit of service {serviceId} costs {unitPrice}, above the limit {maxUnitPrice}: its "
        "price changed; check it (`jeton services show`) and buy again"
    ),
    "NoCredits": "{buyer} holds no credits of service {serviceId}",
    "NoProceeds": "{provider} has no proceeds from used credits to withdraw",
    "NoCutToSweep": "no cut of credit sales has accrued since the last sweep",
    # reputation and votes
    "NotEscrow": "only the escrow changes reputation, not {caller}",
    "FutureLookup": "timepoint {timepoint} is not in the past (clock is {clock})",
    "ERC5805FutureLookup": "timepoint {timepoint} is not in the past (clock is {clock})",
    # token
    "ERC20InsufficientBalance": (
        "{sender} holds {balance} and needs {needed}: get more tokens first"
    ),
    "ERC20InsufficientAllowance": (
        "{spender} may spend {allowance} of your tokens and needs {needed}: approve more, "
        "or sign a permit"
    ),
    "SafeCastOverflowedUintDowncast": "{value} does not fit in {bits} bits: it is too large",
    "ERC20ExceededCap": "minting would pass the supply cap {cap}",
    "ERC2612ExpiredSignature": "the permit expired at {deadline}; sign a new one",
    "ERC2612InvalidSigner": "the permit was signed by {signer}, not by {owner}",
    "MinterRoleFixed": "the minter role is fixed: it is granted once, to the escrow",
    "TreasuryRequired": "the work token needs a treasury (the DAO's timelock), not address zero",
    "TreasuryDelegationFixed": (
        "the treasury stays delegated to itself, so its tokens never vote: it can not delegate "
        "to {delegatee}"
    ),
    "AccessControlUnauthorizedAccount": "{account} lacks the role {neededRole}",
    "OwnableUnauthorizedAccount": (
        "{account} is not the owner (or the pending owner, to accept): rules change only "
        "through a DAO vote and the timelock"
    ),
    "OwnershipNotRenounceable": "a governed contract keeps an owner: it can not be renounced",
    # governance
    "GovernorNonexistentProposal": "there is no proposal {proposalId}",
    "GovernorUnexpectedProposalState": (
        "proposal {proposalId} is in state {current}; this needs one of the states in "
        "bitmap {expectedStates}"
    ),
    "GovernorAlreadyCastVote": "{voter} has already voted on this proposal",
    "GovernorInsufficientProposerVotes": (
        "{proposer} has {votes} votes and proposing needs {threshold}: delegate to yourself "
        "and wait a block"
    ),
    "GovernorInvalidSignature": "the vote signature of {voter} is not valid",
    "GovernorOnlyExecutor": "only the timelock may call this",
    "GovernorUnableToCancel": (
        "proposal {proposalId} can only be cancelled by its proposer, before voting starts or "
        "once it is queued and past its ETA without execution"
    ),
    "GovernorRestrictedProposer": (
        "the description ends with #proposer=<address> naming another account: only that "
        "account may submit it, not {proposer}"
    ),
    "GovernorPreventLateQuorumVoteExtensionTooLarge": (
        "the late-quorum extension {newVoteExtension} is longer than the voting period "
        "{maxVoteExtension}"
    ),
    "TimelockUnexpectedOperationState": (
        "the timelock operation is not ready: wait until the delay is over"
    ),
    "TimelockOperationExpired": (
        "the timelock operation expired at {expiredAt}, unexecuted: it can never run; propose "
        "it again"
    ),
    "TimelockUnauthorizedCaller": "only the timelock itself (an executed proposal) may do this",
    "TimelockUnderlyingTransactionReverted": "the proposal's call reverted when executed",
    "TimelockInsufficientDelay": "the delay {delay} is below the minimum {minDelay}",
}


def _abi_errors() -> dict[bytes, dict[str, Any]]:
    """Every custom error in the shipped ABIs, by its 4-byte selector."""
    errors: dict[bytes, dict[str, Any]] = {}
    for item in resources.files("jeton.abi").iterdir():
        if not item.name.endswith(".json"):
            continue
        for entry in json.loads(item.read_text()):
            if entry.get("type") != "error":
                continue
            types = ",".join(_abi_type(i) for i in entry["inputs"])
            errors[keccak(text=f"{entry['name']}({types})")[:4]] = entry
    return errors


def _abi_type(param: dict[str, Any]) -> str:
    if param["type"].startswith("tuple"):
        inner = ",".join(_abi_type(c) for c in param["components"])
        return f"({inner}){param['type'][5:]}"
    return param["type"]


_ERRORS_BY_SELECTOR = _abi_errors()
_CLASSES: dict[str, type[ContractError]] = {}


def error_class(name: str) -> type[ContractError]:
    """The exception class of custom error `name` (made on first use)."""
    if name not in _CLASSES:
        _CLASSES[name] = type(name, (ContractError,), {"name": name, "hint": HINTS.get(name, "")})
    return _CLASSES[name]


for _entry in _ERRORS_BY_SELECTOR.values():
    globals()[_entry["name"]] = error_class(_entry["name"])


def decode_revert(data: bytes, contract: str | None = None) -> ContractError:
    """The exception for revert `data` (a custom error, Error(string) or Panic(uint256))."""
    selector, body = data[:4], data[4:]
    if selector == keccak(text="Error(string)")[:4]:
        (reason,) = abi_decode(["string"], body)
        return UnknownRevert(contract=contract, detail=reason)
    if selector == keccak(text="Panic(uint256)")[:4]:
        (code,) = abi_decode(["uint256"], body)
        return UnknownRevert(contract=contract, detail=f"panic code {code:#x}")
    entry = _ERRORS_BY_SELECTOR.get(selector)
    if entry is None:
        detail = f"unrecognised revert data 0x{data.hex()}" if data else "reverted without a reason"
        return UnknownRevert(contract=contract, detail=detail)
    values = abi_decode([_abi_type(i) for i in entry["inputs"]], body)
    inputs = {
        i["name"]: to_checksum_address(v) if i["type"] == "address" else v
        for i, v in zip(entry["inputs"], values, strict=True)
    }
    return error_class(entry["name"])(inputs, contract=contract)
