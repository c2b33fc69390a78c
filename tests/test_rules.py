"""PlatformRules: getters, setters (bounds, steps, tier order), the claim bond, the DAO's cut of
credit sales, the treasury, payment tokens and their governed units, arbiters, owner.

Every setter is the timelock's alone (`dao` is the timelock impersonated). Errors of the
RuleBounds library are part of PlatformRules' ABI, so `expect_error(rules, ...)` decodes them.
"""

import ape
import pytest
from helpers import DAY, ZERO_ADDRESS, call_error, expect_error, expect_error_via, walk_rule

WAD = 10**18


def name32(rule):
    return rule.encode().ljust(32, b"\0")


def rule_changes(rules, receipt):
    return [
        (bytes(log.rule), log.oldValue, log.newValue)
        for log in receipt.decode_logs(rules.RuleChanged)
    ]


# --- getters -------------------------------------------------------------------------------


def test_getters_match_the_local_profile(rules, jtn, timelock, arbiter, worker):
    assert rules.owner() == timelock.address
    assert rules.treasury() == timelock.address
    assert rules.workToken() == jtn.address
    assert rules.claimBondBps() == 1000
    assert rules.creditsCutBps() == 500
    assert rules.feeBps() == 500
    assert rules.rewardBps() == 5000
    assert rules.reviewPeriod() == 3 * DAY
    assert rules.disputeWindow() == 7 * DAY
    assert [rules.tierThreshold(t) for t in (1, 2, 3)] == [100, 1000, 10000]
    assert list(rules.tierThresholds()) == [100, 1000, 10000]
    assert rules.isPaymentToken(jtn)
    assert rules.tokenUnit(jtn) == WAD
    assert rules.isArbiter(arbiter)
    assert not rules.isArbiter(worker)
    assert tuple(rules.postingTerms(jtn)) == (500, 5000, 3 * DAY, 1000)


def test_unknown_token_has_no_terms(rules, worker):
    assert not rules.isPaymentToken(worker)
    assert rules.tokenUnit(worker) == 0
    err = call_error(rules, "postingTerms", worker)
    assert type(err).__name__ == "TokenNotAllowed"
    assert err.inputs["token"] == worker.address


def test_bounds_constants(rules):
    assert (rules.MAX_FEE_BPS(), rules.MAX_FEE_STEP()) == (1000, 100)
    assert (rules.MAX_REWARD_BPS(), rules.MAX_REWARD_STEP()) == (5000, 1000)
    assert (rules.MIN_REVIEW_PERIOD(), rules.MAX_REVIEW_PERIOD(), rules.MAX_REVIEW_STEP()) == (
        DAY,
        30 * DAY,
        7 * DAY,
    )
    assert (
        rules.MIN_DISPUTE_WINDOW(),
        rules.MAX_DISPUTE_WINDOW(),
        rules.MAX_DISPUTE_STEP(),
    ) == (DAY, 60 * DAY, 7 * DAY)
    assert (rules.MIN_TIER_POINTS(), rules.MAX_TIER_POINTS(), rules.MAX_TIER_STEP()) == (
        1,
        10_000_000,
        5000,
    )
    assert (rules.MAX_CLAIM_BOND_BPS(), rules.MAX_CLAIM_BOND_STEP()) == (5000, 500)
    assert (rules.MAX_CREDITS_CUT_BPS(), rules.MAX_CREDITS_CUT_STEP()) == (1000, 100)
    assert (rules.TOKEN_UNIT_SPAN(), rules.MAX_TOKEN_DECIMALS()) == (3, 36)
    assert rules.WORK_TOKEN_UNIT() == WAD


@pytest.mark.parametrize("tier", [0, 4, 255])
def test_tier_threshold_of_unknown_tier(rules, tier):
    err = call_error(rules, "tierThreshold", tier)
    assert type(err).__name__ == "UnknownTier"
    assert err.inputs["tier"] == tier


# --- scalar setters: happy path --------------------------------------------------------------

SCALARS = [
    # setter (getter and rule name alike), initial, then a day apart: one full step each
    ("setFeeBps", "feeBps", 500, [600, 500, 400]),
    ("setRewardBps", "rewardBps", 5000, [4000, 5000, 4000]),
    ("setReviewPeriod", "reviewPeriod", 3 * DAY, [10 * DAY, 3 * DAY, DAY]),
    ("setDisputeWindow", "disputeWindow", 7 * DAY, [14 * DAY, 7 * DAY, DAY]),
    ("setClaimBondBps", "claimBondBps", 1000, [1500, 1000, 500]),
    ("setCreditsCutBps", "creditsCutBps", 500, [600, 500, 400]),
]


@pytest.mark.parametrize("setter,rule,initial,values", SCALARS, ids=[s[0] for s in SCALARS])
def test_scalar_setter_moves_by_full_steps(rules, dao, setter, rule, initial, values):
    old = initial
    for value in values:
        receipt = walk_rule(getattr(rules, setter), [value], dao)
        assert getattr(rules, rule)() == value
        assert rule_changes(rules, receipt) == [(name32(rule), old, value)]
        old = value


def test_fee_walks_to_its_bounds_step_by_step(rules, dao, jtn):
    walk_rule(rules.setFeeBps, [600, 700, 800, 900, 1000], dao)
    assert rules.feeBps() == 1000
    ape.chain.pending_timestamp += DAY
    with expect_error(rules, "RuleOutOfBounds", rule=name32("feeBps"), value=1001, min=0, max=1000):
        rules.setFeeBps(1001, sender=dao)
    walk_rule(rules.setFeeBps, [900, 800, 700, 600, 500, 400, 300, 200, 100, 0], dao)
    assert rules.feeBps() == 0
    assert tuple(rules.postingTerms(jtn)) == (0, 5000, 3 * DAY, 1000)
    ape.chain.pending_timestamp += DAY
    with expect_error(rules, "RuleOutOfBounds", rule=name32("feeBps"), value=65535):
        rules.setFeeBps(65535, sender=dao)


# --- at most one change a day per rule -------------------------------------------------------

ONCE_A_DAY = [
    ("setFeeBps", "feeBps", (), 600, 700),
    ("setRewardBps", "rewardBps", (), 4000, 3000),
    ("setReviewPeriod", "reviewPeriod", (), 4 * DAY, 5 * DAY),
    ("setDisputeWindow", "disputeWindow", (), 8 * DAY, 9 * DAY),
    ("setClaimBondBps", "claimBondBps", (), 1500, 2000),
    ("setCreditsCutBps", "creditsCutBps", (), 600, 700),
    ("setTierThreshold", "tier2", (2,), 1100, 1200),
]


@pytest.mark.parametrize(
    "setter,rule,prefix,first,second", ONCE_A_DAY, ids=[o[0] for o in ONCE_A_DAY]
)
def test_a_rule_changes_at_most_once_a_day(rules, dao, setter, rule, prefix, first, second):
    receipt = getattr(rules, setter)(*prefix, first, sender=dao)
    next_change = receipt.timestamp + DAY
    # Not again in the same day, not even back to the old value or to the same value.
    for value in (second, first):
        with expect_error(rules, "RuleChangedTooSoon", rule=name32(rule), nextChangeAt=next_change):
            getattr(rules, setter)(*prefix, value, sender=dao)
    ape.chain.pending_timestamp = next_change - 1
    with expect_error(rules, "RuleChangedTooSoon", rule=name32(rule), nextChangeAt=next_change):
        getattr(rules, setter)(*prefix, second, sender=dao)
    ape.chain.pending_timestamp = next_change
    receipt = getattr(rules, setter)(*prefix, second, sender=dao)
    assert rule_changes(rules, receipt) == [(name32(rule), first, second)]


def test_each_rule_has_its_own_day(rules, dao):
    rules.setFeeBps(600, sender=dao)
    rules.setRewardBps(4000, sender=dao)
    rules.setReviewPeriod(4 * DAY, sender=dao)
    rules.setDisputeWindow(8 * DAY, sender=dao)
    rules.setClaimBondBps(500, sender=dao)
    rules.setCreditsCutBps(400, sender=dao)
    rules.setTierThreshold(1, 200, sender=dao)
    rules.setTierThreshold(2, 1100, sender=dao)
    rules.setTierThreshold(3, 11000, sender=dao)
    assert (rules.feeBps(), rules.rewardBps()) == (600, 4000)
    assert (rules.reviewPeriod(), rules.disputeWindow()) == (4 * DAY, 8 * DAY)
    assert rules.claimBondBps() == 500 and rules.creditsCutBps() == 400
    assert list(rules.tierThresholds()) == [200, 1100, 11000]


def test_a_refused_change_does_not_start_the_day(rules, dao):
    with expect_error(rules, "RuleStepTooLarge", rule=name32("feeBps")):
        rules.setFeeBps(700, sender=dao)
    rules.setFeeBps(600, sender=dao)
    assert rules.feeBps() == 600


def test_setting_the_same_value_is_a_change_of_zero(rules, dao):
    receipt = rules.setFeeBps(500, sender=dao)
    assert rule_changes(rules, receipt) == [(name32("feeBps"), 500, 500)]
    assert rules.feeBps() == 500


# --- scalar setters: bounds and steps --------------------------------------------------------

OUT_OF_BOUNDS = [
    ("setFeeBps", "feeBps", 1001, 0, 1000),
    ("setFeeBps", "feeBps", 65535, 0, 1000),
    ("setRewardBps", "rewardBps", 5001, 0, 5000),
    ("setReviewPeriod", "reviewPeriod", DAY - 1, DAY, 30 * DAY),
    ("setReviewPeriod", "reviewPeriod", 0, DAY, 30 * DAY),
    ("setReviewPeriod", "reviewPeriod", 30 * DAY + 1, DAY, 30 * DAY),
    ("setDisputeWindow", "disputeWindow", DAY - 1, DAY, 60 * DAY),
    ("setDisputeWindow", "disputeWindow", 60 * DAY + 1, DAY, 60 * DAY),
    ("setClaimBondBps", "claimBondBps", 5001, 0, 5000),
    ("setClaimBondBps", "claimBondBps", 65535, 0, 5000),
    ("setCreditsCutBps", "creditsCutBps", 1001, 0, 1000),
    ("setCreditsCutBps", "creditsCutBps", 65535, 0, 1000),
]


@pytest.mark.parametrize("setter,rule,value,low,high", OUT_OF_BOUNDS)
def test_scalar_out_of_bounds(rules, dao, setter, rule, value, low, high):
    getter = rule
    before = getattr(rules, getter)()
    with expect_error(rules, "RuleOutOfBounds", rule=name32(rule), value=value, min=low, max=high):
        getattr(rules, setter)(value, sender=dao)
    assert getattr(rules, getter)() == before


STEP_TOO_LARGE = [
    ("setFeeBps", "feeBps", 500, 601, 100),
    ("setFeeBps", "feeBps", 500, 399, 100),
    ("setFeeBps", "feeBps", 500, 0, 100),
    ("setRewardBps", "rewardBps", 5000, 3999, 1000),
    ("setRewardBps", "rewardBps", 5000, 0, 1000),
    ("setReviewPeriod", "reviewPeriod", 3 * DAY, 10 * DAY + 1, 7 * DAY),
    ("setReviewPeriod", "reviewPeriod", 3 * DAY, 30 * DAY, 7 * DAY),
    ("setDisputeWindow", "disputeWindow", 7 * DAY, 14 * DAY + 1, 7 * DAY),
    ("setDisputeWindow", "disputeWindow", 7 * DAY, 60 * DAY, 7 * DAY),
    ("setClaimBondBps", "claimBondBps", 1000, 1501, 500),
    ("setClaimBondBps", "claimBondBps", 1000, 0, 500),
    ("setCreditsCutBps", "creditsCutBps", 500, 601, 100),
    ("setCreditsCutBps", "creditsCutBps", 500, 0, 100),
]


@pytest.mark.parametrize("setter,rule,old,new,step", STEP_TOO_LARGE)
def test_scalar_step_too_large(rules, dao, setter, rule, old, new, step):
    with expect_error(
        rules, "RuleStepTooLarge", rule=name32(rule), oldValue=old, newValue=new, maxStep=step
    ):
        getattr(rules, setter)(new, sender=dao)
    assert getattr(rules, rule)() == old


def test_initial_rules_must_lie_within_bounds(project, fresh_deployer, timelock, jtn, rules):
    good = (500, 5000, 3 * DAY, 7 * DAY, 1000, 500, [100, 1000, 10000])

    def deploy(initial, arbiters=(), treasury=timelock):
        return fresh_deployer.deploy(
            project.PlatformRules, timelock, initial, jtn, list(arbiters), treasury
        )

    with expect_error_via(rules, "RuleOutOfBounds", rule=name32("feeBps"), value=1001):
        deploy((1001,) + good[1:])
    with expect_error_via(rules, "RuleOutOfBounds", rule=name32("reviewPeriod"), value=DAY - 1):
        deploy(good[:2] + (DAY - 1,) + good[3:])
    with expect_error_via(rules, "RuleOutOfBounds", rule=name32("claimBondBps"), value=5001):
        deploy(good[:4] + (5001,) + good[5:])
    with expect_error_via(rules, "RuleOutOfBounds", rule=name32("creditsCutBps"), value=1001):
        deploy(good[:5] + (1001,) + good[6:])
    with expect_error_via(rules, "TierOrderViolated", tier=2, points=100):
        deploy(good[:6] + ([100, 100, 10000],))
    with expect_error_via(rules, "ZeroAddress"):
        deploy(good, arbiters=[ZERO_ADDRESS])
    with expect_error_via(rules, "ZeroTreasury"):
        deploy(good, treasury=ZERO_ADDRESS)
    # The same deployment with a treasury goes through, and announces it.
    deployed = deploy(good)
    assert deployed.treasury() == timelock.address and deployed.claimBondBps() == 1000


# --- tier thresholds -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tier,new,thresholds",
    [
        (1, 999, [999, 1000, 10000]),
        (1, 1, [1, 1000, 10000]),
        (2, 101, [100, 101, 10000]),
        (2, 6000, [100, 6000, 10000]),
        (3, 15000, [100, 1000, 15000]),
        (3, 5000, [100, 1000, 5000]),
    ],
)
def test_set_tier_threshold(rules, dao, tier, new, thresholds):
    old = rules.tierThreshold(tier)
    receipt = rules.setTierThreshold(tier, new, sender=dao)
    assert rule_changes(rules, receipt) == [(name32(f"tier{tier}"), old, new)]
    assert rules.tierThreshold(tier) == new
    assert list(rules.tierThresholds()) == thresholds


@pytest.mark.parametrize(
    "tier,points",
    [
        (1, 1000),  # equal to tier 2
        (1, 1001),
        (2, 100),  # equal to tier 1
        (2, 99),
        (2, 10000),  # equal to tier 3
        (3, 1000),  # equal to tier 2
    ],
)
def test_tier_order_violated(rules, dao, tier, points):
    with expect_error(rules, "TierOrderViolated", tier=tier, points=points):
        rules.setTierThreshold(tier, points, sender=dao)
    assert list(rules.tierThresholds()) == [100, 1000, 10000]


def test_tier_out_of_bounds(rules, dao):
    with expect_error(rules, "RuleOutOfBounds", rule=name32("tier1"), value=0, min=1):
        rules.setTierThreshold(1, 0, sender=dao)
    # Walk tier 3 to the top, 5,000 points at a time would take 2,000 votes; check the bound.
    with expect_error(
        rules, "RuleOutOfBounds", rule=name32("tier3"), value=10_000_001, min=1, max=10_000_000
    ):
        rules.setTierThreshold(3, 10_000_001, sender=dao)


def test_tier_step_too_large(rules, dao):
    with expect_error(
        rules,
        "RuleStepTooLarge",
        rule=name32("tier3"),
        oldValue=10000,
        newValue=15001,
        maxStep=5000,
    ):
        rules.setTierThreshold(3, 15001, sender=dao)
    with expect_error(
        rules, "RuleStepTooLarge", rule=name32("tier2"), oldValue=1000, newValue=6001
    ):
        rules.setTierThreshold(2, 6001, sender=dao)


@pytest.mark.parametrize("tier", [0, 4])
def test_set_unknown_tier(rules, dao, tier):
    with expect_error(rules, "UnknownTier", tier=tier):
        rules.setTierThreshold(tier, 500, sender=dao)


# --- payment tokens --------------------------------------------------------------------------


@pytest.fixture
def coin(project, deployer):
    return deployer.deploy(project.MockERC20, "Coin", "COIN", 6)


def test_allow_and_disallow_a_payment_token(rules, dao, coin):
    receipt = rules.setPaymentToken(coin, True, 10**6, sender=dao)
    logs = list(receipt.decode_logs(rules.PaymentTokenSet))
    assert [(log.token, log.allowed, log.unit) for log in logs] == [(coin.address, True, 10**6)]
    assert rules.isPaymentToken(coin)
    assert rules.tokenUnit(coin) == 10**6
    assert tuple(rules.postingTerms(coin)) == (500, 5000, 3 * DAY, 1000)

    receipt = rules.setPaymentToken(coin, False, 10**6, sender=dao)
    logs = list(receipt.decode_logs(rules.PaymentTokenSet))
    assert [(log.token, log.allowed, log.unit) for log in logs] == [(coin.address, False, 10**6)]
    assert not rules.isPaymentToken(coin)
    assert rules.tokenUnit(coin) == 10**6  # the unit stays: posted tasks are still valued
    err = call_error(rules, "postingTerms", coin)
    assert type(err).__name__ == "TokenNotAllowed" and err.inputs["token"] == coin.address

    rules.setPaymentToken(coin, True, 10**6, sender=dao)
    assert rules.isPaymentToken(coin)


# --- token units: bounded by decimals, moved by at most x2 or /2, once a day per token -------


@pytest.mark.parametrize(
    "decimals,low,high", [(6, 10**3, 10**9), (18, 10**15, 10**21), (2, 1, 10**5), (0, 1, 10**3)]
)
def test_token_unit_bounds_follow_the_decimals(project, deployer, rules, decimals, low, high):
    token = deployer.deploy(project.MockERC20, "T", "T", decimals)
    assert tuple(rules.tokenUnitBounds(token)) == (low, high)


def test_the_work_tokens_unit_never_changes(rules, dao, jtn):
    assert tuple(rules.tokenUnitBounds(jtn)) == (WAD, WAD)
    with expect_error(
        rules, "RuleOutOfBounds", rule=name32("tokenUnit"), value=2 * WAD, min=WAD, max=WAD
    ):
        rules.setPaymentToken(jtn, True, 2 * WAD, sender=dao)
    assert rules.tokenUnit(jtn) == WAD


@pytest.mark.parametrize("unit", [1, 999, 10**9 + 1, 10**18])
def test_a_typo_in_a_unit_is_refused(rules, dao, coin, unit):
    """For a 6-decimal token, one JTN must be worth 0.001 to 1,000 tokens: 1 (for 1e6) and
    1e18 (for 1e6) are refused."""
    with expect_error(
        rules, "RuleOutOfBounds", rule=name32("tokenUnit"), value=unit, min=10**3, max=10**9
    ):
        rules.setPaymentToken(coin, True, unit, sender=dao)
    assert not rules.isPaymentToken(coin) and rules.tokenUnit(coin) == 0


@pytest.mark.parametrize("unit", [10**3, 10**9])
def test_token_unit_at_its_bounds(rules, dao, coin, unit):
    rules.setPaymentToken(coin, True, unit, sender=dao)
    assert rules.tokenUnit(coin) == unit


def test_a_wrong_unit_is_corrected_step_by_step(rules, dao, coin):
    """Allowed at 4e6 by mistake (one JTN counted as 4 tokens instead of 1): the DAO brings it
    back to 1e6 in two votes a day apart, halving each time; never faster."""
    rules.setPaymentToken(coin, True, 4 * 10**6, sender=dao)
    with expect_error(
        rules,
        "RuleStepTooLarge",
        rule=name32("tokenUnit"),
        oldValue=4 * 10**6,
        newValue=10**6,
        maxStep=2 * 10**6,
    ):
        rules.setPaymentToken(coin, True, 10**6, sender=dao)
    receipt = rules.setPaymentToken(coin, True, 2 * 10**6, sender=dao)
    assert rule_changes(rules, receipt) == [(name32("tokenUnit"), 4 * 10**6, 2 * 10**6)]
    logs = list(receipt.decode_logs(rules.PaymentTokenSet))
    assert [(log.token, log.allowed, log.unit) for log in logs] == [(coin.address, True, 2 * 10**6)]
    with expect_error(rules, "RuleChangedTooSoon", rule=name32("tokenUnit")):
        rules.setPaymentToken(coin, True, 10**6, sender=dao)
    ape.chain.pending_timestamp += DAY
    rules.setPaymentToken(coin, True, 10**6, sender=dao)
    assert rules.tokenUnit(coin) == 10**6


def test_a_unit_doubles_at_most(rules, dao, coin):
    rules.setPaymentToken(coin, True, 10**6, sender=dao)
    with expect_error(
        rules, "RuleStepTooLarge", oldValue=10**6, newValue=2 * 10**6 + 1, maxStep=10**6
    ):
        rules.setPaymentToken(coin, False, 2 * 10**6 + 1, sender=dao)
    rules.setPaymentToken(coin, False, 2 * 10**6, sender=dao)
    assert (rules.tokenUnit(coin), rules.isPaymentToken(coin)) == (2 * 10**6, False)
    # Repeating the same unit is no change: allowing again needs no day to pass.
    rules.setPaymentToken(coin, True, 2 * 10**6, sender=dao)
    assert rules.isPaymentToken(coin)


def test_each_token_has_its_own_day(project, deployer, rules, dao, coin):
    other = deployer.deploy(project.MockERC20, "Other", "OTH", 6)
    for token in (coin, other):
        rules.setPaymentToken(token, True, 10**6, sender=dao)
    for token in (coin, other):
        rules.setPaymentToken(token, True, 2 * 10**6, sender=dao)
    assert rules.tokenUnit(coin) == rules.tokenUnit(other) == 2 * 10**6


def test_a_token_without_usable_decimals_can_not_be_allowed(
    project, deployer, rules, dao, outsider
):
    many = deployer.deploy(project.MockERC20, "Many", "MANY", 37)
    for token in (many, outsider):  # 37 decimals; an address with no decimals() at all
        with expect_error(rules, "TokenDecimalsUnsupported", token=token.address):
            rules.setPaymentToken(token, True, 10**6, sender=dao)
        assert not rules.isPaymentToken(token)


# --- the treasury ----------------------------------------------------------------------------


def test_the_dao_names_its_treasury(rules, dao, timelock, outsider):
    receipt = rules.setTreasury(outsider, sender=dao)
    logs = list(receipt.decode_logs(rules.TreasurySet))
    assert [(log.previousTreasury, log.newTreasury) for log in logs] == [
        (timelock.address, outsider.address)
    ]
    assert rules.treasury() == outsider.address
    with expect_error(rules, "ZeroTreasury"):
        rules.setTreasury(ZERO_ADDRESS, sender=dao)
    assert rules.treasury() == outsider.address


def test_work_token_can_be_disallowed_with_its_unit(rules, dao, jtn):
    rules.setPaymentToken(jtn, False, WAD, sender=dao)
    assert not rules.isPaymentToken(jtn)
    assert call_error(rules, "postingTerms", jtn).inputs["token"] == jtn.address


def test_zero_address_refused(rules, dao):
    with expect_error(rules, "ZeroAddress"):
        rules.setPaymentToken(ZERO_ADDRESS, True, WAD, sender=dao)
    with expect_error(rules, "ZeroAddress"):
        rules.setArbiter(ZERO_ADDRESS, True, sender=dao)


# --- arbiters --------------------------------------------------------------------------------


def test_appoint_and_remove_arbiters(rules, dao, worker2, arbiter):
    receipt = rules.setArbiter(worker2, True, sender=dao)
    logs = list(receipt.decode_logs(rules.ArbiterSet))
    assert [(log.arbiter, log.allowed) for log in logs] == [(worker2.address, True)]
    assert rules.isArbiter(worker2)
    receipt = rules.setArbiter(arbiter, False, sender=dao)
    logs = list(receipt.decode_logs(rules.ArbiterSet))
    assert [(log.arbiter, log.allowed) for log in logs] == [(arbiter.address, False)]
    assert not rules.isArbiter(arbiter)
    assert rules.isArbiter(worker2)


# --- only the timelock -----------------------------------------------------------------------

SETTERS = [
    ("setFeeBps", (600,)),
    ("setRewardBps", (4000,)),
    ("setReviewPeriod", (4 * DAY,)),
    ("setDisputeWindow", (8 * DAY,)),
    ("setClaimBondBps", (1500,)),
    ("setCreditsCutBps", (600,)),
    ("setTreasury", ("0x000000000000000000000000000000000000c0de",)),
    ("setTierThreshold", (1, 200)),
    ("setPaymentToken", ("0x000000000000000000000000000000000000c0de", True, 10**6)),
    ("setArbiter", ("0x000000000000000000000000000000000000c0de", True)),
    ("transferOwnership", ("0x000000000000000000000000000000000000c0de",)),
]


@pytest.mark.parametrize("setter,args", SETTERS, ids=[s[0] for s in SETTERS])
def test_only_the_timelock_sets_rules(rules, timelock, deployer, worker, outsider, setter, args):
    for caller in (deployer, worker, outsider):
        with expect_error(rules, "OwnableUnauthorizedAccount", account=caller.address):
            getattr(rules, setter)(*args, sender=caller)
    assert rules.owner() == timelock.address
    assert rules.feeBps() == 500 and rules.rewardBps() == 5000
    assert rules.reviewPeriod() == 3 * DAY and rules.disputeWindow() == 7 * DAY
    assert rules.claimBondBps() == 1000 and rules.treasury() == timelock.address
    assert rules.creditsCutBps() == 500
    assert list(rules.tierThresholds()) == [100, 1000, 10000]
    assert not rules.isPaymentToken("0x000000000000000000000000000000000000c0de")
    assert not rules.isArbiter("0x000000000000000000000000000000000000c0de")


def test_the_timelock_can_hand_over_ownership(rules, dao, worker):
    rules.transferOwnership(worker, sender=dao)  # two steps: the new owner accepts
    rules.acceptOwnership(sender=worker)
    assert rules.owner() == worker.address
    with expect_error(rules, "OwnableUnauthorizedAccount", account=dao.address):
        rules.setFeeBps(600, sender=dao)


def test_nobody_can_renounce_ownership(rules, timelock, dao, deployer, worker, outsider):
    """Not the owner (the timelock) either: the rulebook always keeps an owner. It is `pure`,
    so Ape would only eth_call it: the calls below are sent as real transactions."""
    assert type(call_error(rules, "renounceOwnership")).__name__ == "OwnershipNotRenounceable"
    for caller in (dao, deployer, worker, outsider):
        with expect_error(rules, "OwnershipNotRenounceable"):
            rules.renounceOwnership.transact(sender=caller)
    assert rules.owner() == timelock.address
    # Nor can a new owner, once the timelock hands ownership on.
    rules.transferOwnership(worker, sender=dao)
    rules.acceptOwnership(sender=worker)
    with expect_error(rules, "OwnershipNotRenounceable"):
        rules.renounceOwnership.transact(sender=worker)
    assert rules.owner() == worker.address
