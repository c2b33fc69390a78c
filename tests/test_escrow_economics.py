"""Incentives (DESIGN.md 6): who ends with what, in tokens, on every path of a task.

The attacks of the escrow's security review (issue 10, section 1), replayed on the numbers it
measured: a 100 JTN task that names no worker and asks no reputation, local profile (fee 5%,
work reward half the fee, the DAO's default claim bond 10%: 10 JTN a side). Before the fix, a
stranger who delivered junk took 95 JTN if the client stayed silent, and 47.5 JTN plus 1.25 JTN
of reward and 25 points if the client disputed and no arbiter acted; a client could dispute
good work at no cost and take half.

Each party's net outcome is its JTN balance change, the work reward credited to it (JTN it can
collect) and its reputation change. For the junk claimant:
| path                                        | claimant          | client  |
| client silent: the claimant releases        | +95 +2.5 rwd +50p | -100    |  (the one gap:
| client disputes, the arbiter rules 0%       | -10               | +10     |   a client must
| client disputes, nobody rules (settled)     | -10               | +10     |   review in time)
| the claimant sits past the deadline         | -10               | +10     |
For an honest worker:
| client approves, or stays silent            | +95 +2.5 rwd +50p | -100    |
| client disputes, the arbiter rules 100%     | +105 +2.5 +50p    | -110    |
| client disputes, the arbiter rules 50%      | +57.5 +1.25 +25p  | -60     |
| client disputes, nobody rules (settled)     | -10               | +10     |  (no arbiter: the
                                                                            worker's risk)
So junk loses its claimant the bond whenever the client disputes, arbiter or not; a split nobody
decided earns no reputation and no reward; and disputing good work costs the client its dispute
bond at every ruling of half or more, on top of what the arbiter says the work is worth. The
late arbiter's front-run (section 2) is test_escrow_disputes'
`test_resolve_and_settle_are_exclusive_in_time`.
"""

from dataclasses import dataclass
from decimal import Decimal

import ape
import pytest
from helpers import DAY, ZERO_ADDRESS

WAD = 10**18
AMOUNT = 100 * WAD
BOND = 10 * WAD
JUNK = b"\x00" * 32
WORK = b"\x0c" * 32


@dataclass(frozen=True)
class Net:
    """A party's net outcome: tokens (balance change), reward credited, reputation points."""

    tokens: int
    reward: int = 0
    points: int = 0


def units(value):
    """Whole or fractional JTN (e.g. "47.5") in base units, exactly."""
    return int(Decimal(value) * WAD)


@pytest.fixture
def claimants(jtn, deployer, worker, outsider):
    """The honest worker and the junk stranger, each holding 1,000 JTN for bonds."""
    for who in (worker, outsider):
        jtn.transfer(who, 1000 * WAD, sender=deployer)
    return {"honest": worker, "junk": outsider}


@pytest.fixture
def play(escrow, jtn, reputation, client, arbiter, claimants):
    """`play(kind, path)`: the task's whole life on `path` with a `kind` claimant; returns the
    (claimant, client) net outcomes."""

    def state(who):
        return (jtn.balanceOf(who), escrow.rewardsOwed(who), reputation.pointsOf(who))

    def _play(kind, path):
        claimant = claimants[kind]
        before = {who: state(who) for who in (claimant, client)}
        jtn.approve(escrow, AMOUNT, sender=client)
        deadline = ape.chain.pending_timestamp + 7 * DAY
        escrow.postTask(jtn, AMOUNT, deadline, 0, b"\x5e" * 32, ZERO_ADDRESS, sender=client)
        task_id = escrow.taskCount()
        assert escrow.bondOf(task_id) == BOND  # the DAO's default: 10% of the deposit
        jtn.approve(escrow, BOND, sender=claimant)
        escrow.claim(task_id, sender=claimant)
        if path == "sit":
            ape.chain.pending_timestamp = deadline + 1
            escrow.reclaim(task_id, sender=client)
        else:
            escrow.submit(task_id, JUNK if kind == "junk" else WORK, sender=claimant)
            if path == "approve":
                escrow.approve(task_id, sender=client)
            elif path == "silent":
                ape.chain.pending_timestamp = escrow.getTask(task_id).windowEnds + 1
                escrow.release(task_id, sender=claimant)
            else:
                jtn.approve(escrow, BOND, sender=client)
                escrow.dispute(task_id, sender=client)
                if path == "nobody rules":
                    ape.chain.pending_timestamp = escrow.getTask(task_id).windowEnds + 1
                    escrow.settleDispute(task_id, sender=client)
                else:
                    share = int(path.removeprefix("arbiter ").removesuffix("%")) * 100
                    escrow.resolve(task_id, share, sender=arbiter)
        assert escrow.getTask(task_id).status in (5, 7, 8)  # final
        nets = []
        for who in (claimant, client):
            tokens, reward, points = (a - b for a, b in zip(state(who), before[who], strict=True))
            nets.append(Net(tokens, reward, points))
        return tuple(nets)

    return _play


JUNK_PATHS = {
    # path: (junk claimant, client)
    "silent": (Net(units("95"), units("2.5"), 50), Net(-AMOUNT)),
    "arbiter 0%": (Net(-BOND), Net(BOND)),
    "nobody rules": (Net(-BOND), Net(BOND)),
    "sit": (Net(-BOND), Net(BOND)),
}


@pytest.mark.parametrize("path", list(JUNK_PATHS))
def test_junk_loses_its_claimant_the_bond_whenever_the_client_disputes(play, path):
    """Junk pays only if the client stays silent through the review period (the client's one
    duty, README "Known limits"); as soon as the client disputes, the claimant loses its bond,
    whether an arbiter rules against it or nobody rules at all, and earns nothing."""
    claimant, client = play("junk", path)
    assert (claimant, client) == JUNK_PATHS[path]
    if path != "silent":
        assert claimant.tokens < 0 and claimant.reward == 0 and claimant.points == 0


HONEST_PATHS = {
    # path: (honest worker, client)
    "approve": (Net(units("95"), units("2.5"), 50), Net(-AMOUNT)),
    "silent": (Net(units("95"), units("2.5"), 50), Net(-AMOUNT)),
    "arbiter 100%": (Net(units("105"), units("2.5"), 50), Net(-AMOUNT - BOND)),
    "arbiter 50%": (Net(units("57.5"), units("1.25"), 25), Net(-units("60"))),
    "nobody rules": (Net(-BOND), Net(BOND)),
}


@pytest.mark.parametrize("path", list(HONEST_PATHS))
def test_an_honest_worker_on_every_path(play, path):
    """Good work approved, or released after a silent review, pays 95 JTN, a 2.5 JTN reward and
    50 points. A client who disputes it pays what the arbiter says the work is worth, plus its
    10 JTN dispute bond, which goes to the worker. If no arbiter rules, the dispute is undone
    for the client and the worker loses its bond: workers rely on the DAO's arbiters (README
    "Known limits")."""
    assert play("honest", path) == HONEST_PATHS[path]


@pytest.mark.parametrize("share", [50, 60, 75, 90, 100])
def test_disputing_good_work_costs_the_client_at_every_ruling_of_half_or_more(play, share):
    """At every ruling that gives the worker half or more, the disputing client pays the share
    the arbiter awarded and loses its dispute bond to the worker: a dispute never buys the work
    for less than its ruled worth."""
    worker, client = play("honest", f"arbiter {share}%")
    ruled_worth = AMOUNT * share // 100
    assert client.tokens == -ruled_worth - BOND
    fee = ruled_worth * 5 // 100
    assert worker.tokens == ruled_worth - fee + BOND


def test_a_split_nobody_decided_earns_nothing(play, escrow, jtn, reputation):
    """The issue's measurement: settling a dispute no arbiter ruled on used to pay the junk
    claimant 47.5 JTN, 1.25 JTN of reward and 25 points. Now: minus its bond, nothing else, and
    no fee either (the dispute is undone)."""
    fees, supply_room = escrow.accruedFees(jtn), escrow.rewardRoom()
    claimant, client = play("junk", "nobody rules")
    assert claimant == Net(-BOND, 0, 0) and client == Net(BOND)
    assert escrow.accruedFees(jtn) == fees
    assert escrow.rewardRoom() == supply_room
