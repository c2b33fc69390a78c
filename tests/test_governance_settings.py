"""The DAO's own settings are rules: the voting delay, the voting period, the proposal
threshold, the quorum, the late-quorum extension, the timelock's delay and its grace period
each have hard bounds and a maximum step written in the contracts, and change at most once a
day (RuleBounds), through real proposals. And no vote within those rules can make the DAO
unable to act: a walk to the worst settings the rules allow still leaves a later proposal
passing.

The system is the `local` profile: voting delay 1 block, voting period 50 blocks, threshold 0,
quorum 4% of the votes that can exist (the 30M JTN outside the treasury), late-quorum
extension 10 blocks, timelock delay 2 days, grace period 14 days. Test accounts 0, 1 and 2
hold 10M JTN each (the `delegated` fixture).
"""

from dataclasses import dataclass

import pytest
from helpers import (
    EXECUTED,
    FOR,
    PENDING,
    QUEUED,
    SUCCEEDED,
    delegate,
    expect_error,
    expect_error_via,
    mine_past,
    pass_and_queue,
    pass_proposal,
    propose,
    rule_name,
    vote_and_queue,
    wait_for_eta,
)

WAD = 10**18
DAY = 86_400
ZERO = "0x" + "00" * 20


@dataclass(frozen=True)
class Setting:
    """A governed setting: its contract, setter and getter, its value in the local profile, its
    bounds and its maximum step (the contracts' constants, checked in test_deploy.py)."""

    rule: str
    target: str  # "governor" or "timelock"
    setter: str
    getter: str
    initial: int
    low: int
    high: int
    step: int

    def contract(self, governor, timelock):
        return governor if self.target == "governor" else timelock

    def value(self, governor, timelock):
        return getattr(self.contract(governor, timelock), self.getter)()

    def call(self, governor, timelock, value):
        contract = self.contract(governor, timelock)
        return (contract, getattr(contract, self.setter).encode_input(value))


SETTINGS = {
    s.rule: s
    for s in (
        Setting("votingDelay", "governor", "setVotingDelay", "votingDelay", 1, 1, 50_400, 7_200),
        Setting(
            "votingPeriod", "governor", "setVotingPeriod", "votingPeriod", 50, 10, 302_400, 7_200
        ),
        Setting(
            "proposalThreshold",
            "governor",
            "setProposalThreshold",
            "proposalThresholdSetting",
            0,
            0,
            10_000_000 * WAD,
            1_000_000 * WAD,
        ),
        Setting(
            "quorumPercent", "governor", "updateQuorumNumerator", "quorumNumerator", 4, 1, 50, 5
        ),
        Setting(
            "lateQuorumExtension",
            "governor",
            "setLateQuorumVoteExtension",
            "lateQuorumVoteExtension",
            10,
            0,
            50_400,
            7_200,
        ),
        Setting(
            "timelockDelay",
            "timelock",
            "updateDelay",
            "getMinDelay",
            2 * DAY,
            DAY,
            30 * DAY,
            2 * DAY,
        ),
        Setting(
            "gracePeriod",
            "timelock",
            "updateGracePeriod",
            "gracePeriod",
            14 * DAY,
            DAY,
            30 * DAY,
            7 * DAY,
        ),
    )
}

#: One step up from the local profile, for each setting (the late-quorum extension stays at
#: most the voting period, 50 blocks: OpenZeppelin's own bound).
ONE_STEP = {rule: s.initial + s.step for rule, s in SETTINGS.items()}
ONE_STEP["lateQuorumExtension"] = 50


def settings_now(governor, timelock):
    return {rule: s.value(governor, timelock) for rule, s in SETTINGS.items()}


def block_time(chain, receipt):
    return chain.provider.get_block(receipt.block_number).timestamp


# --- bounds --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rule, value",
    [
        ("quorumPercent", 0),
        ("quorumPercent", 51),
        ("votingPeriod", 9),
        ("votingPeriod", 302_401),
        ("votingDelay", 0),
        ("proposalThreshold", 10_000_000 * WAD + 1),
        ("lateQuorumExtension", 50_401),
        ("timelockDelay", DAY - 1),
        ("timelockDelay", 30 * DAY + 1),
        ("gracePeriod", DAY - 1),
        ("gracePeriod", 30 * DAY + 1),
    ],
)
def test_a_passed_proposal_past_a_bound_fails_at_execution(
    governor, timelock, delegated, worker, rule, value
):
    setting = SETTINGS[rule]
    before = settings_now(governor, timelock)
    calls = [setting.call(governor, timelock, value)]
    proposal = pass_and_queue(governor, calls, f"{rule} = {value}", delegated)
    with expect_error_via(
        setting.contract(governor, timelock),
        "RuleOutOfBounds",
        rule=rule_name(rule),
        value=value,
        min=setting.low,
        max=setting.high,
    ):
        governor.execute(*proposal.args, sender=worker)
    assert settings_now(governor, timelock) == before
    assert proposal.state() == QUEUED


def test_the_timelock_settings_change_only_through_the_timelock(timelock, worker, dao, chain):
    """The timelock's delay and grace period are its own to change (an executed proposal is the
    timelock calling itself); anyone else is refused before the value is even looked at."""
    for method, value in (("updateDelay", 3 * DAY), ("updateGracePeriod", 0)):
        with expect_error(timelock, "TimelockUnauthorizedCaller", caller=worker.address):
            getattr(timelock, method)(value, sender=worker)
    receipt = timelock.updateGracePeriod(7 * DAY, sender=dao)
    [log] = receipt.decode_logs(timelock.RuleChanged)
    assert (log.rule, log.oldValue, log.newValue) == (rule_name("gracePeriod"), 14 * DAY, 7 * DAY)
    assert timelock.gracePeriod() == 7 * DAY


@pytest.mark.parametrize(
    "rule, value, low, high",
    [
        ("timelockDelay", 0, DAY, 30 * DAY),
        ("timelockDelay", DAY - 1, DAY, 30 * DAY),
        ("timelockDelay", 30 * DAY + 1, DAY, 30 * DAY),
        ("gracePeriod", DAY - 1, DAY, 30 * DAY),
        ("gracePeriod", 30 * DAY + 1, DAY, 30 * DAY),
    ],
)
def test_the_timelock_is_bounded_at_deployment(
    project, fresh_deployer, governor, rule, value, low, high
):
    args = {"timelockDelay": 2 * DAY, "gracePeriod": 14 * DAY, rule: value}
    with expect_error_via(
        project.Timelock, "RuleOutOfBounds", rule=rule_name(rule), value=value, min=low, max=high
    ):
        fresh_deployer.deploy(
            project.Timelock, args["timelockDelay"], args["gracePeriod"], [governor], [ZERO], ZERO
        )


def test_the_timelock_bounds_themselves_deploy(project, deployer, governor):
    for delay, grace in ((DAY, DAY), (30 * DAY, 30 * DAY)):
        timelock = deployer.deploy(project.Timelock, delay, grace, [governor], [ZERO], ZERO)
        assert (timelock.getMinDelay(), timelock.gracePeriod()) == (delay, grace)


@pytest.mark.parametrize(
    "index, value, rule, low, high",
    [
        (0, 0, "votingDelay", 1, 50_400),
        (1, 9, "votingPeriod", 10, 302_400),
        (2, 10**7 * WAD + 1, "proposalThreshold", 0, 10**7 * WAD),
        (3, 0, "quorumPercent", 1, 50),
        (3, 51, "quorumPercent", 1, 50),
        (4, 50_401, "lateQuorumExtension", 0, 50_400),
    ],
)
def test_governor_settings_are_bounded_at_deployment(
    project, fresh_deployer, votes, timelock, index, value, rule, low, high
):
    settings = [1, 50, 0, 4, 10]
    settings[index] = value
    with expect_error_via(
        project.WorkGovernor,
        "RuleOutOfBounds",
        rule=rule_name(rule),
        value=value,
        min=low,
        max=high,
    ):
        fresh_deployer.deploy(project.WorkGovernor, votes, timelock, tuple(settings))


def test_the_governor_refuses_votes_that_count_in_seconds(project, fresh_deployer, timelock):
    """The governor reads its clock (block numbers) itself: a votes source on another clock
    would put snapshots and deadlines in the wrong unit, so it is refused at deployment."""
    seconds = fresh_deployer.deploy(project.TimestampClock)
    with expect_error_via(project.WorkGovernor, "ERC6372InconsistentClock"):
        fresh_deployer.deploy(project.WorkGovernor, seconds, timelock, (1, 50, 0, 4, 10))


# --- steps and the once-a-day interval ---------------------------------------------------------


@pytest.mark.parametrize("rule", list(SETTINGS))
def test_a_setting_moves_at_most_one_step_per_change(
    governor, timelock, delegated, worker, chain, rule
):
    """Two proposals voted together: one step and a bit more is refused at execution with the
    rule's maximum step; exactly one step executes."""
    setting = SETTINGS[rule]
    start = settings_now(governor, timelock)
    too_far = setting.initial + setting.step + 1
    one_step = ONE_STEP[rule]
    far = propose(
        governor, [setting.call(governor, timelock, too_far)], f"{rule} far", delegated[0]
    )
    near = propose(governor, [setting.call(governor, timelock, one_step)], f"{rule}", delegated[0])
    vote_and_queue(governor, [far, near], delegated, wait=True)

    with expect_error_via(
        setting.contract(governor, timelock),
        "RuleStepTooLarge",
        rule=rule_name(rule),
        oldValue=setting.initial,
        newValue=too_far,
        maxStep=setting.step,
    ):
        governor.execute(*far.args, sender=worker)
    assert settings_now(governor, timelock) == start

    execute = governor.execute(*near.args, sender=worker)
    [log] = execute.decode_logs(setting.contract(governor, timelock).RuleChanged)
    assert (log.rule, log.oldValue, log.newValue) == (rule_name(rule), setting.initial, one_step)
    assert settings_now(governor, timelock) == {**start, rule: one_step}
    assert near.state() == EXECUTED


@pytest.mark.parametrize("rule", list(SETTINGS))
def test_a_setting_changes_at_most_once_a_day(governor, timelock, delegated, worker, chain, rule):
    """A proposal that moves a setting twice never executes (the second call comes too soon
    after the first); two proposals voted together execute a day apart."""
    setting = SETTINGS[rule]
    first = ONE_STEP[rule]
    second = setting.initial  # back where it was: a step, but not on the same day
    twice = propose(
        governor,
        [setting.call(governor, timelock, first), setting.call(governor, timelock, second)],
        f"{rule} twice",
        delegated[0],
    )
    one = propose(governor, [setting.call(governor, timelock, first)], f"{rule} 1", delegated[0])
    back = propose(governor, [setting.call(governor, timelock, second)], f"{rule} 2", delegated[0])
    vote_and_queue(governor, [twice, one, back], delegated, wait=True)
    eta = governor.proposalEta(twice.id)
    contract = setting.contract(governor, timelock)
    name = rule_name(rule)

    with expect_error_via(contract, "RuleChangedTooSoon", rule=name):
        governor.execute(*twice.args, sender=worker)
    assert setting.value(governor, timelock) == setting.initial

    changed_at = block_time(chain, governor.execute(*one.args, sender=worker))
    assert changed_at >= eta and setting.value(governor, timelock) == first
    chain.pending_timestamp = changed_at + DAY - 1
    with expect_error_via(contract, "RuleChangedTooSoon", rule=name, nextChangeAt=changed_at + DAY):
        governor.execute(*back.args, sender=worker)
    chain.pending_timestamp = changed_at + DAY
    governor.execute(*back.args, sender=worker)
    assert setting.value(governor, timelock) == second
    assert back.state() == EXECUTED and twice.state() == QUEUED


# --- the votes needed to propose ----------------------------------------------------------------


def test_the_threshold_never_exceeds_one_percent_of_the_votes_that_can_exist(
    governor, jtn, delegated, accounts, chain
):
    """A threshold setting above 1% of the supply outside the treasury is capped there, so
    holders can always pool enough votes by delegation to propose."""
    deployer = delegated[0]
    calls = [(governor, governor.setProposalThreshold.encode_input(1_000_000 * WAD))]
    pass_proposal(governor, calls, "Threshold 1M", delegated)
    assert governor.proposalThresholdSetting() == 1_000_000 * WAD
    cap = 30_000_000 * WAD // 100  # 1% of the 30M outside the treasury: 300k
    assert governor.proposalThreshold() == cap

    small, pooled = accounts[6], accounts[7]
    jtn.transfer(small, cap - 1, sender=deployer)
    jtn.transfer(pooled, cap, sender=deployer)
    delegate(jtn, small, small)
    delegate(jtn, pooled, pooled)
    chain.mine(1)
    calls = [(governor, governor.setVotingDelay.encode_input(2))]
    with expect_error(
        governor,
        "GovernorInsufficientProposerVotes",
        proposer=small.address,
        votes=cap - 1,
        threshold=cap,
    ):
        propose(governor, calls, "Delay 2", small)
    assert propose(governor, calls, "Delay 2", pooled).state() == PENDING


# --- no vote within the rules makes the DAO unable to act ----------------------------------------

#: The worst settings the rules let a majority reach for a later proposal (the voting delay's
#: maximum, a week of 12-second blocks, only delays a proposal, and is too many blocks to mine
#: on anvil: its bound and step are tested above).
WORST = {
    "lateQuorumExtension": 50,  # its maximum while the voting period is 50 (OpenZeppelin's bound)
    "votingPeriod": 10,
    "proposalThreshold": 10_000_000 * WAD,
    "quorumPercent": 50,
    "timelockDelay": 30 * DAY,
    "gracePeriod": DAY,
}


def toward(value, target, step):
    return min(value + step, target) if target > value else max(value - step, target)


def test_no_vote_within_the_rules_can_make_later_proposals_impossible(
    governor, timelock, rules, jtn, votes, delegated, worker, chain
):
    """The review's attack, and every other setting with it: a majority steps the quorum to its
    maximum (50%, where the old quorum of the total supply needed 50M votes and only 30M exist
    outside the treasury), the threshold to its maximum, the voting period to its minimum, the
    late-quorum extension, the timelock's delay and grace period to their worst, one step per
    setting per proposal, as fast as the rules allow. Then a later proposal still passes, with
    the same three holders."""
    rounds = 0
    while (now := settings_now(governor, timelock)) != {**now, **WORST}:
        calls = [
            SETTINGS[rule].call(governor, timelock, toward(now[rule], target, SETTINGS[rule].step))
            for rule, target in WORST.items()
            if now[rule] != target
        ]
        pass_proposal(governor, calls, f"Round {rounds}", delegated)
        rounds += 1
    assert rounds == 14  # the timelock delay: 2 days to 30, two days a step
    assert settings_now(governor, timelock) == {**now, **WORST}

    fee = [(rules, rules.setFeeBps.encode_input(400))]
    proposal = propose(governor, fee, "Fee 4%", delegated[0])
    snapshot = governor.proposalSnapshot(proposal.id)
    mine_past(snapshot)
    outside = votes.getPastTotalSupply(snapshot)
    assert outside == 30_000_000 * WAD
    assert jtn.getPastTotalSupply(snapshot) // 2 > outside  # the old quorum: out of reach
    assert governor.quorum(snapshot) == outside // 2
    assert governor.proposalThreshold() == outside // 100
    for voter in delegated:
        governor.castVote(proposal.id, FOR, sender=voter)  # three blocks of the ten
    mine_past(governor.proposalDeadline(proposal.id))
    assert proposal.state() == SUCCEEDED
    governor.queue(*proposal.args, sender=worker)
    assert governor.proposalEta(proposal.id) - chain.blocks.head.timestamp == 30 * DAY
    wait_for_eta(governor, proposal.id)
    governor.execute(*proposal.args, sender=worker)
    assert rules.feeBps() == 400
