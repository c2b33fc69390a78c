"""Helpers shared by the tests: decoded custom errors, delegation, permits, time.

Note on `ape.reverts(SomeCustomError)`: Ape 0.8 only compares the error class when the revert
was decoded as a `CustomError`; a revert it could not decode (a plain `ContractLogicError`)
passes the context manager silently, whatever error class was expected. With anvil 1.7 that
is the case for every revert of a *call* (view function), see `call_error`. `expect_error`
therefore also checks that the error was decoded, its class and, where given, its inputs.
"""

import contextlib
import json

import ape
from eth_account import Account
from eth_utils import keccak, to_hex
from hexbytes import HexBytes


def error_selector(error_cls):
    return "0x" + keccak(text=error_cls.abi.selector)[:4].hex()


@contextlib.contextmanager
def expect_error(contract, name, **inputs):
    """Expect a revert with the custom error `name` of `contract` (and these inputs)."""
    error_cls = getattr(contract, name)
    with ape.reverts(error_cls, **inputs) as info:
        yield info
    err = info.value
    assert isinstance(err, ape.exceptions.CustomError), (
        f"expected {name}, got an undecoded {type(err).__name__}: {err.revert_message!r}"
    )
    assert isinstance(err, error_cls), f"expected {name}, got {type(err).__name__}: {err}"
    for key, value in inputs.items():
        assert err.inputs[key] == value, f"{name}.{key}: {err.inputs[key]!r} != {value!r}"


def call_error(contract, method, *args):
    """eth_call `method` and decode the custom error it reverts with.

    Ape 0.8.51 can not decode custom errors of *calls* on anvil 1.7: its eth_call path keeps
    only the JSON-RPC error message ("execution reverted: custom error 0x<selector>: ...")
    and drops the error's `data`, so `ape.reverts(contract.SomeError)` sees a plain
    ContractLogicError (and would accept any revert). This reads the raw revert data.
    """
    calldata = to_hex(getattr(contract, method).encode_input(*args))
    provider = ape.chain.provider
    response = provider.web3.provider.make_request(
        "eth_call", [{"to": contract.address, "data": calldata}, "latest"]
    )
    assert "error" in response, f"{method} did not revert: {response}"
    data = response["error"].get("data")
    assert data, f"no revert data in {response['error']}"
    err = provider.network.ecosystem.decode_custom_error(HexBytes(data), contract.address)
    assert err is not None, f"could not decode revert data {data}"
    return err


def delegate(token, delegatee, sender):
    # Ape's BaseAddress.delegate (EIP-7702) hides the ERC20Votes method of the same name.
    return token.invoke_transaction("delegate", delegatee, sender=sender)


EIP712_DOMAIN_FIELDS = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]


def typed_data(contract, primary_type, fields, message):
    """EIP-712 typed data for `contract`, its domain read from `eip712Domain()` (ERC-5267)."""
    domain = contract.eip712Domain()
    return {
        "domain": {
            "name": domain.name,
            "version": domain.version,
            "chainId": domain.chainId,
            "verifyingContract": domain.verifyingContract,
        },
        "types": {"EIP712Domain": EIP712_DOMAIN_FIELDS, primary_type: fields},
        "primaryType": primary_type,
        "message": message,
    }


def sign_permit(token, signer_key, owner, spender, value, nonce, deadline):
    fields = [
        {"name": "owner", "type": "address"},
        {"name": "spender", "type": "address"},
        {"name": "value", "type": "uint256"},
        {"name": "nonce", "type": "uint256"},
        {"name": "deadline", "type": "uint256"},
    ]
    message = {
        "owner": owner,
        "spender": spender,
        "value": value,
        "nonce": nonce,
        "deadline": deadline,
    }
    typed = typed_data(token, "Permit", fields, message)
    signed = Account.sign_typed_data(signer_key, full_message=typed)
    return signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")


def later(seconds=3600):
    return ape.chain.pending_timestamp + seconds


# ---------------------------------------------------------------- governance

from dataclasses import dataclass, field  # noqa: E402

# OpenZeppelin's IGovernor.ProposalState and GovernorCountingSimple.VoteType.
PENDING, ACTIVE, CANCELED, DEFEATED, SUCCEEDED, QUEUED, EXPIRED, EXECUTED = range(8)
AGAINST, FOR, ABSTAIN = range(3)


@dataclass
class Proposal:
    """A proposal's id and the four arguments that `queue`/`execute`/`cancel` take."""

    governor: object
    targets: list
    values: list
    calldatas: list
    description: str
    id: int = 0
    receipts: dict = field(default_factory=dict)

    @property
    def description_hash(self):
        return keccak(text=self.description)

    @property
    def args(self):
        return (self.targets, self.values, self.calldatas, self.description_hash)

    def state(self):
        return self.governor.state(self.id)


def mine_past(block_number):
    """Mine until the head is past `block_number` (a snapshot or deadline is over)."""
    missing = block_number + 1 - ape.chain.blocks.height
    if missing > 0:
        ape.chain.mine(missing)


def propose(governor, calls, description, proposer):
    """Propose `calls`, a list of (target, calldata) or (target, value, calldata) tuples.

    Calldata comes from `contract.method.encode_input(...)`.
    """
    calls = [c if len(c) == 3 else (c[0], 0, c[1]) for c in calls]
    proposal = Proposal(
        governor,
        [getattr(c[0], "address", c[0]) for c in calls],
        [c[1] for c in calls],
        [HexBytes(c[2]) for c in calls],
        description,
    )
    receipt = governor.propose(
        proposal.targets, proposal.values, proposal.calldatas, description, sender=proposer
    )
    proposal.id = receipt.return_value
    assert proposal.id == governor.getProposalId(*proposal.args)
    proposal.receipts["propose"] = receipt
    return proposal


def pass_and_queue(governor, calls, description, voters, token=None, proposer=None):
    """Take `calls` through the vote and the queue, up to the timelock's ETA; returns the
    `Proposal` (QUEUED, ready to execute in the next block).

    Self-delegates each voter on `token` (the WorkToken) if given and not yet delegated,
    proposes (from `proposer`, default the first voter), votes For with every voter, mines past
    the deadline, queues and waits out the timelock delay. The voters' votes at the snapshot
    must reach the quorum. Receipts are in `proposal.receipts` (propose, queue, vote:<address>).
    """
    proposer = proposer or voters[0]
    if token is not None:
        for voter in voters:
            if token.delegates(voter) != voter.address:
                delegate(token, voter, voter)
    proposal = propose(governor, calls, description, proposer)
    mine_past(governor.proposalSnapshot(proposal.id))
    for voter in voters:
        receipt = governor.castVote(proposal.id, FOR, sender=voter)
        proposal.receipts[f"vote:{voter.address}"] = receipt
    mine_past(governor.proposalDeadline(proposal.id))
    assert proposal.state() == SUCCEEDED, f"proposal state {proposal.state()} after the vote"
    proposal.receipts["queue"] = governor.queue(*proposal.args, sender=proposer)
    assert proposal.state() == QUEUED
    wait_for_eta(governor, proposal.id)
    return proposal


def pass_proposal(governor, calls, description, voters, token=None, proposer=None):
    """Take `calls` through the whole path and execute them; returns the `Proposal`.

    As `pass_and_queue`, then executes (from the proposer); the execute receipt is in
    `proposal.receipts["execute"]`.
    """
    proposal = pass_and_queue(governor, calls, description, voters, token, proposer)
    proposer = proposer or voters[0]
    proposal.receipts["execute"] = governor.execute(*proposal.args, sender=proposer)
    assert proposal.state() == EXECUTED
    return proposal


def state_bitmap(*states):
    """OpenZeppelin's `_encodeStateBitmap`: the `expectedStates` of
    GovernorUnexpectedProposalState (proposal states) or TimelockUnexpectedOperationState
    (operation states: 0 Unset, 1 Waiting, 2 Ready, 3 Done)."""
    return sum(1 << s for s in states).to_bytes(32, "big")


def governor_salt(governor, proposal):
    """GovernorTimelockControl's salt: the governor's address XOR the description hash."""
    gov = int(governor.address, 16) << 96
    return (gov ^ int.from_bytes(proposal.description_hash, "big")).to_bytes(32, "big")


def timelock_operation(timelock, governor, proposal):
    """The id and the `executeBatch` arguments of a proposal's operation in the timelock."""
    args = (
        proposal.targets,
        proposal.values,
        proposal.calldatas,
        b"\x00" * 32,
        governor_salt(governor, proposal),
    )
    return timelock.hashOperationBatch(*args), args


def vote_and_queue(governor, proposals, voters, wait=False):
    """Vote For with every voter on `proposals`, which run side by side, and queue them all
    once voting is over (each must have succeeded); with `wait`, move time to the last one's
    ETA (all are then ready to execute)."""
    mine_past(max(governor.proposalSnapshot(p.id) for p in proposals))
    for proposal in proposals:
        for voter in voters:
            governor.castVote(proposal.id, FOR, sender=voter)
    mine_past(max(governor.proposalDeadline(p.id) for p in proposals))
    for proposal in proposals:
        assert proposal.state() == SUCCEEDED
        proposal.receipts["queue"] = governor.queue(*proposal.args, sender=voters[0])
        assert proposal.state() == QUEUED
    if wait:
        wait_for_eta(governor, proposals[-1].id)


def wait_for_eta(governor, proposal_id):
    """Move time so that the next block is at the queued proposal's ETA (timelock delay over)."""
    eta = governor.proposalEta(proposal_id)
    assert eta, "proposal not queued"
    if ape.chain.pending_timestamp < eta:
        ape.chain.pending_timestamp = eta


def rule_name(name):
    """A rule's name as RuleBounds' errors and events carry it (bytes32, left-aligned)."""
    return name.encode().ljust(32, b"\x00")


def sign_ballot(governor, signer_key, proposal_id, support, voter, nonce=None):
    """EIP-712 signature of a Ballot for `castVoteBySig` (OpenZeppelin 5), as 65 bytes."""
    fields = [
        {"name": "proposalId", "type": "uint256"},
        {"name": "support", "type": "uint8"},
        {"name": "voter", "type": "address"},
        {"name": "nonce", "type": "uint256"},
    ]
    message = {
        "proposalId": proposal_id,
        "support": support,
        "voter": getattr(voter, "address", voter),
        "nonce": governor.nonces(voter) if nonce is None else nonce,
    }
    typed = typed_data(governor, "Ballot", fields, message)
    return bytes(Account.sign_typed_data(signer_key, full_message=typed).signature)


# ---------------------------------------------------------------- escrow tasks, bubbled errors

ZERO_ADDRESS = "0x" + "00" * 20
DAY = 86_400


@contextlib.contextmanager
def expect_error_via(source, name, **inputs):
    """Expect a revert with the custom error `name` declared in `source`'s ABI, wherever it was
    raised, and these inputs.

    For an error raised by a callee that bubbles up through a contract whose ABI lacks it (e.g.
    PlatformRules.TokenNotAllowed or an ERC-20 error through the escrow), for RuleBounds' errors
    (declared by several contracts with the same selector, and bubbling up through the timelock
    and the governor to `governor.execute`), or a failed deploy. Matched by selector, then by
    inputs, whether Ape decoded it (with whichever contract's class) or not.
    """
    abi = next((e for e in source.contract_type.abi if e.type == "error" and e.name == name), None)
    assert abi is not None, f"{name} is not an error of {source.contract_type.name}"
    try:
        yield
    except ape.exceptions.ContractLogicError as err:
        if isinstance(err, ape.exceptions.CustomError):
            assert err.abi.selector == abi.selector, f"expected {name}, got {err!r}"
            got = err.inputs
        else:
            raw = str(err.revert_message or "")
            assert raw.startswith("0x"), f"expected {name}, got an undecoded {raw!r}"
            data = HexBytes(raw)
            assert data[:4] == keccak(text=abi.selector)[:4], f"expected {name}, got {raw}"
            got = ape.chain.provider.network.ecosystem.decode_calldata(abi, data[4:])
        for key, value in inputs.items():
            assert got[key] == value, f"{name}.{key}: {got[key]!r} != {value!r}"
    else:
        raise AssertionError(f"did not revert (expected {name})")


class Balances:
    """Balances of named parties in `token`, and the fees `vault` (the escrow) has accrued in it
    ("fees"), to compare before and after: `Balances(jtn, escrow, client=c, escrow=escrow)`."""

    def __init__(self, token, vault, **parties):
        self.token = token
        self.vault = vault
        self.parties = parties
        self.start = self.now()

    def now(self):
        now = {name: self.token.balanceOf(who) for name, who in self.parties.items()}
        now["fees"] = self.vault.accruedFees(self.token)
        return now

    def delta(self):
        now = self.now()
        return {name: now[name] - self.start[name] for name in now}


def post_task(
    escrow, token, client, amount, deadline=None, named=ZERO_ADDRESS, min_rep=0, bond_bps=0
):
    """Approve and post a task from `client` (deadline: a week from now, `named` worker or
    none); returns its id. `bond_bps`: the claim bond (none by default, so that tests about
    anything else need not fund their workers); None posts with the DAO's default bond."""
    token.approve(escrow, amount, sender=client)
    deadline = deadline or ape.chain.pending_timestamp + 7 * DAY
    args = (token, amount, deadline, min_rep, b"\x5e" * 32, named)
    if bond_bps is None:
        escrow.postTask(*args, sender=client)
    else:
        escrow.postTaskWithBond(*args, bond_bps, sender=client)
    return escrow.taskCount()


def make_task(escrow, token, client, worker, amount, stage="submitted", **post_kwargs):
    """A task taken to `stage` (open, claimed, submitted or disputed, by the client). With a
    bond, the worker (and the client, to dispute) must hold it: they approve it here."""
    task_id = post_task(escrow, token, client, amount, **post_kwargs)
    bond = escrow.bondOf(task_id)
    stages = ["open", "claimed", "submitted", "disputed"]
    if stages.index(stage) >= 1:
        if bond:
            token.approve(escrow, bond, sender=worker)
        escrow.claim(task_id, sender=worker)
    if stages.index(stage) >= 2:
        escrow.submit(task_id, b"\xde" * 32, sender=worker)
    if stages.index(stage) >= 3:
        if bond:
            token.approve(escrow, bond, sender=client)
        escrow.dispute(task_id, sender=client)
    return task_id


def walk_rule(setter, values, sender):
    """Set a rule to each of `values` in turn, a day apart (a rule changes at most once a
    day), e.g. `walk_rule(rules.setFeeBps, [400, 300], dao)`; returns the last receipt."""
    receipt = None
    for value in values:
        ape.chain.pending_timestamp += DAY
        receipt = setter(value, sender=sender)
    return receipt


# ---------------------------------------------------------------- the command

#: The environment variable the `run` fixture (conftest) passes a signer's key in.
KEY_VAR = "JETON_TEST_KEY"


def run_json(run, *args, **kwargs):
    """The `jeton --json` output of `args`, through the `run` fixture (conftest)."""
    return json.loads(run("--json", *args, **kwargs).stdout)


# ---------------------------------------------------------------- access credits

AI_AID = ("AI translation aid", "ipfs://bafy-ai-aid-terms")


def add_service(credits, dao, provider, price, info=AI_AID):
    """The DAO adds a service provided by `provider` at `price` a unit; returns its id."""
    credits.addService(provider, price, *info, sender=dao)
    return credits.serviceCount()


def buy_credits(credits, token, buyer, service_id, units, max_price=None):
    """Approve the cost and buy `units` (the price now, or `max_price` as the limit);
    returns the receipt."""
    price = credits.unitPrice(service_id)
    token.approve(credits, price * units, sender=buyer)
    limit = price if max_price is None else max_price
    return credits.buy(service_id, units, limit, sender=buyer)


# ---------------------------------------------------------------- stateful property tests

import collections  # noqa: E402
import time  # noqa: E402

from hypothesis import HealthCheck, settings  # noqa: E402
from hypothesis.stateful import run_state_machine_as_test  # noqa: E402


def web3_contract(w3, contract):
    """A web3.py contract for an Ape contract instance (same address and ABI): its reads are
    much cheaper than Ape's, and batch into one JSON-RPC request."""
    abi = [item.model_dump(mode="json", by_alias=True) for item in contract.contract_type.abi]
    return w3.eth.contract(address=contract.address, abi=abi)


def run_machine(machine, examples, steps):
    """Run a Hypothesis state machine on the chain (each example snapshots and restores it):
    `examples` examples of `steps` steps, no deadline, the failing blob printed. Returns the
    seconds it took."""
    started = time.monotonic()
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=examples,
            stateful_step_count=steps,
            deadline=None,
            derandomize=False,
            print_blob=True,
            suppress_health_check=list(HealthCheck),
        ),
    )
    return time.monotonic() - started


def outcome_lines(stats):
    """A machine's counts of (action, outcome) as lines: "  claim: ok 12, TaskNotOpen 3"."""
    outcomes = collections.defaultdict(list)
    for (what, outcome), count in sorted(stats.items()):
        if what != "examples":
            outcomes[what].append(f"{outcome} {count}")
    return [f"  {what}: " + ", ".join(items) for what, items in sorted(outcomes.items())]


def weighted(*pairs):
    """weighted((3, a), (1, b)) draws from strategy `a` about 3 times in 4. (st.one_of would
    not do: it merges repeated branches, so every distinct branch gets the same share.)"""
    from hypothesis import strategies as st

    branches = [strategy for weight, strategy in pairs for _ in range(weight)]
    return st.integers(0, len(branches) - 1).flatmap(lambda i: branches[i])


def batch_read(w3, *calls):
    """The results of web3.py contract calls, in one JSON-RPC batch."""
    if not calls:
        return []
    if len(calls) == 1:
        return [calls[0].call()]
    with w3.batch_requests() as batch:
        for call in calls:
            batch.add(call)
        return batch.execute()


from hypothesis.stateful import RuleBasedStateMachine  # noqa: E402


class ChainMachine(RuleBasedStateMachine):
    """A Hypothesis state machine on the chain, each example from the same chain: the
    subclass's @initialize rule calls `take_snapshot()`, and `teardown()` restores it. `ctx`
    (a class attribute the test sets) holds `chain`, `w3` and `actors` (name -> account)."""

    ctx = None

    def __init__(self):
        super().__init__()
        self.snapshot = None

    def take_snapshot(self):
        self.snapshot = self.ctx.chain.snapshot()

    def teardown(self):
        if self.snapshot is not None:
            self.ctx.chain.restore(self.snapshot)
            self.snapshot = None

    def addr(self, name):
        """The address of actor `name`."""
        return self.ctx.actors[name].address

    def _read(self, *calls):
        """The results of web3.py contract calls, in one JSON-RPC batch."""
        return batch_read(self.ctx.w3, *calls)


def record_batches(jeton, monkeypatch):
    """A list that gets, for each round trip the `jeton` client makes from now on, the JSON-RPC
    methods it sent in it (in order)."""
    sent = []
    batch = jeton.rpc.batch

    def recorded(requests):
        sent.append([method for method, _ in requests])
        return batch(requests)

    monkeypatch.setattr(jeton.rpc, "batch", recorded)
    return sent
