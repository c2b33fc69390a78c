// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {GovernedOwnable} from "./access/GovernedOwnable.sol";
import {IPlatformRules} from "./interfaces/IPlatformRules.sol";
import {RuleBounds} from "./libraries/RuleBounds.sol";

/**
 * @title PlatformRules
 * @notice Jeton's rulebook. Its owner is the DAO's timelock: a rule changes only by a vote, after
 * the timelock's delay, inside the hard bounds and by at most the maximum step written below.
 *
 * The escrow copies the fee, the reward rate, the review period and the claim bond into each
 * task when it is posted, so no change here ever touches the terms of money already in escrow.
 * The access credits lock the DAO's cut on a sale ({creditsCutBps}) into the credits sold, in
 * the same way.
 *
 * A payment token's unit (how much of it counts as one work token for tier points) is a rule
 * too: its hard bounds follow from the token's decimals, so a typo (1 for 1e6) is refused, and
 * it moves like the other rules, at most once a day and by at most a factor of two, so a wrong
 * unit can be corrected but never jump.
 */
contract PlatformRules is IPlatformRules, GovernedOwnable {
    /// @notice Hard upper bound of {feeBps}: 10%.
    uint16 public constant MAX_FEE_BPS = 1_000;
    /// @notice Largest change of {feeBps} at once: one percentage point.
    uint16 public constant MAX_FEE_STEP = 100;

    /// @notice Hard upper bound of {rewardBps}: at most half the fee comes back as reward, so a
    /// client and worker who trade tasks with each other always lose more than they mint.
    uint16 public constant MAX_REWARD_BPS = 5_000;
    /// @notice Largest change of {rewardBps} at once.
    uint16 public constant MAX_REWARD_STEP = 1_000;

    /// @notice Hard lower bound of {reviewPeriod}: one day.
    uint32 public constant MIN_REVIEW_PERIOD = 1 days;
    /// @notice Hard upper bound of {reviewPeriod}: thirty days.
    uint32 public constant MAX_REVIEW_PERIOD = 30 days;
    /// @notice Largest change of {reviewPeriod} at once: a week.
    uint32 public constant MAX_REVIEW_STEP = 7 days;

    /// @notice Hard lower bound of {disputeWindow}: one day.
    uint32 public constant MIN_DISPUTE_WINDOW = 1 days;
    /// @notice Hard upper bound of {disputeWindow}: sixty days.
    uint32 public constant MAX_DISPUTE_WINDOW = 60 days;
    /// @notice Largest change of {disputeWindow} at once: a week.
    uint32 public constant MAX_DISPUTE_STEP = 7 days;

    /// @notice Hard lower bound of a tier threshold, in reputation points.
    uint32 public constant MIN_TIER_POINTS = 1;
    /// @notice Hard upper bound of a tier threshold, in reputation points.
    uint32 public constant MAX_TIER_POINTS = 10_000_000;
    /// @notice Largest change of a tier threshold at once, in reputation points.
    uint32 public constant MAX_TIER_STEP = 5_000;

    /// @notice Hard upper bound of {claimBondBps}: half the deposit.
    uint16 public constant MAX_CLAIM_BOND_BPS = 5_000;
    /// @notice Largest change of {claimBondBps} at once: five percentage points.
    uint16 public constant MAX_CLAIM_BOND_STEP = 500;

    /// @notice Hard upper bound of {creditsCutBps}: 10% of a credit sale.
    uint16 public constant MAX_CREDITS_CUT_BPS = 1_000;
    /// @notice Largest change of {creditsCutBps} at once: one percentage point.
    uint16 public constant MAX_CREDITS_CUT_STEP = 100;

    /// @notice A token's unit lies within this many orders of magnitude of 10^decimals, either way.
    uint8 public constant TOKEN_UNIT_SPAN = 3;
    /// @notice Tokens with more decimals than this can not be allowed.
    uint8 public constant MAX_TOKEN_DECIMALS = 36;
    /// @notice The work token's unit, which never changes: one work token is one work token.
    uint96 public constant WORK_TOKEN_UNIT = 1e18;

    bytes32 private constant FEE_BPS = "feeBps";
    bytes32 private constant REWARD_BPS = "rewardBps";
    bytes32 private constant REVIEW_PERIOD = "reviewPeriod";
    bytes32 private constant DISPUTE_WINDOW = "disputeWindow";
    bytes32 private constant CLAIM_BOND_BPS = "claimBondBps";
    bytes32 private constant TOKEN_UNIT = "tokenUnit";
    bytes32 private constant CREDITS_CUT_BPS = "creditsCutBps";

    /// @dev The scalar rules, packed into one slot (the tiers into the next): the escrow reads
    /// its terms with one SLOAD, the access credits their cut with one.
    struct Scalars {
        uint16 feeBps;
        uint16 rewardBps;
        uint32 reviewPeriod;
        uint32 disputeWindow;
        uint16 claimBondBps;
        uint16 creditsCutBps;
        uint32[3] tiers;
    }

    struct TokenTerms {
        bool allowed;
        uint96 unit;
    }

    /// @notice The work token, always valued at {WORK_TOKEN_UNIT}.
    address public immutable workToken;

    Scalars private _rules;
    address private _treasury;
    mapping(address token => TokenTerms) private _tokens;
    mapping(address account => bool) private _arbiters;
    mapping(bytes32 rule => uint256) private _changedAt;
    /// @dev When each token's unit last changed, by rule name (only "tokenUnit"): a day apart
    /// per token, through the same RuleBounds check as the other rules.
    mapping(address token => mapping(bytes32 rule => uint256)) private _unitChangedAt;

    /**
     * @param owner_ The timelock (the deployer only in tests).
     * @param initial Initial scalar rules; each must lie within its hard bounds.
     * @param workToken_ The work token, allowed as payment with a unit of 1e18.
     * @param arbiters Initially appointed arbiters.
     * @param treasury_ Where the escrow's fees are swept (the timelock).
     */
    constructor(
        address owner_,
        Scalars memory initial,
        address workToken_,
        address[] memory arbiters,
        address treasury_
    ) Ownable(owner_) {
        // Initial values must lie within the hard bounds; steps count from them.
        _checkInitial(FEE_BPS, initial.feeBps);
        _checkInitial(REWARD_BPS, initial.rewardBps);
        _checkInitial(REVIEW_PERIOD, initial.reviewPeriod);
        _checkInitial(DISPUTE_WINDOW, initial.disputeWindow);
        _checkInitial(CLAIM_BOND_BPS, initial.claimBondBps);
        _checkInitial(CREDITS_CUT_BPS, initial.creditsCutBps);
        for (uint8 tier = 1; tier <= 3; ++tier) {
            _checkInitial(_tierRule(tier), initial.tiers[tier - 1]);
            if (tier > 1 && initial.tiers[tier - 1] <= initial.tiers[tier - 2]) {
                revert TierOrderViolated(tier, initial.tiers[tier - 1]);
            }
        }
        _rules = initial;
        _setTreasury(treasury_);
        workToken = workToken_;
        _setPaymentToken(workToken_, true, WORK_TOKEN_UNIT);
        for (uint256 i = 0; i < arbiters.length; ++i) {
            _setArbiter(arbiters[i], true);
        }
    }

    // ----------------------------------------------------------------- getters

    /// @inheritdoc IPlatformRules
    function feeBps() external view returns (uint16) {
        return _rules.feeBps;
    }

    /// @inheritdoc IPlatformRules
    function rewardBps() external view returns (uint16) {
        return _rules.rewardBps;
    }

    /// @inheritdoc IPlatformRules
    function reviewPeriod() external view returns (uint32) {
        return _rules.reviewPeriod;
    }

    /// @inheritdoc IPlatformRules
    function disputeWindow() external view returns (uint32) {
        return _rules.disputeWindow;
    }

    /// @inheritdoc IPlatformRules
    function claimBondBps() external view returns (uint16) {
        return _rules.claimBondBps;
    }

    /// @inheritdoc IPlatformRules
    function creditsCutBps() external view returns (uint16) {
        return _rules.creditsCutBps;
    }

    /// @inheritdoc IPlatformRules
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @inheritdoc IPlatformRules
    function tierThreshold(uint8 tier) public view returns (uint32) {
        if (tier == 0 || tier > 3) revert UnknownTier(tier);
        return _rules.tiers[tier - 1];
    }

    /// @inheritdoc IPlatformRules
    function tierThresholds() external view returns (uint32[3] memory) {
        return _rules.tiers;
    }

    /// @inheritdoc IPlatformRules
    function isPaymentToken(address token) external view returns (bool) {
        return _tokens[token].allowed;
    }

    /// @inheritdoc IPlatformRules
    function tokenUnit(address token) external view returns (uint96) {
        return _tokens[token].unit;
    }

    /// @inheritdoc IPlatformRules
    function tokenUnitBounds(address token) public view returns (uint256 min, uint256 max) {
        if (token == workToken) return (WORK_TOKEN_UNIT, WORK_TOKEN_UNIT);
        (bool ok, uint8 decimals) = SafeERC20.tryGetDecimals(IERC20(token));
        if (!ok || decimals > MAX_TOKEN_DECIMALS) revert TokenDecimalsUnsupported(token);
        min = decimals > TOKEN_UNIT_SPAN ? 10 ** (decimals - TOKEN_UNIT_SPAN) : 1;
        max = 10 ** (uint256(decimals) + TOKEN_UNIT_SPAN);
    }

    /// @inheritdoc IPlatformRules
    function isArbiter(address account) external view returns (bool) {
        return _arbiters[account];
    }

    /// @inheritdoc IPlatformRules
    function postingTerms(address token) external view returns (uint16, uint16, uint32, uint16) {
        if (!_tokens[token].allowed) revert TokenNotAllowed(token);
        Scalars storage rules = _rules;
        return (rules.feeBps, rules.rewardBps, rules.reviewPeriod, rules.claimBondBps);
    }

    // ----------------------------------------------------------------- setters (timelock only)

    /**
     * @notice Sets the fee for tasks posted from now on.
     * @param value New fee in basis points, within [0, {MAX_FEE_BPS}], at most {MAX_FEE_STEP} away.
     */
    function setFeeBps(uint16 value) external onlyOwner {
        _change(FEE_BPS, _rules.feeBps, value);
        _rules.feeBps = value;
    }

    /**
     * @notice Sets the work reward rate for tasks posted from now on.
     * @param value New rate in basis points of the fee, within [0, {MAX_REWARD_BPS}].
     */
    function setRewardBps(uint16 value) external onlyOwner {
        _change(REWARD_BPS, _rules.rewardBps, value);
        _rules.rewardBps = value;
    }

    /**
     * @notice Sets the review period of tasks posted from now on.
     * @param value Seconds, within [{MIN_REVIEW_PERIOD}, {MAX_REVIEW_PERIOD}].
     */
    function setReviewPeriod(uint32 value) external onlyOwner {
        _change(REVIEW_PERIOD, _rules.reviewPeriod, value);
        _rules.reviewPeriod = value;
    }

    /**
     * @notice Sets the arbitration window that starts with each later dispute.
     * @param value Seconds, within [{MIN_DISPUTE_WINDOW}, {MAX_DISPUTE_WINDOW}].
     */
    function setDisputeWindow(uint32 value) external onlyOwner {
        _change(DISPUTE_WINDOW, _rules.disputeWindow, value);
        _rules.disputeWindow = value;
    }

    /**
     * @notice Sets the claim bond of tasks posted from now on without a bond of their own.
     * @param value Basis points of the deposit, within [0, {MAX_CLAIM_BOND_BPS}], at most
     * {MAX_CLAIM_BOND_STEP} away.
     */
    function setClaimBondBps(uint16 value) external onlyOwner {
        _change(CLAIM_BOND_BPS, _rules.claimBondBps, value);
        _rules.claimBondBps = value;
    }

    /**
     * @notice Sets the DAO's cut of access-credit sales made from now on; credits sold before
     * keep the cut locked when they were bought.
     * @param value Basis points of a sale, within [0, {MAX_CREDITS_CUT_BPS}], at most
     * {MAX_CREDITS_CUT_STEP} away.
     */
    function setCreditsCutBps(uint16 value) external onlyOwner {
        _change(CREDITS_CUT_BPS, _rules.creditsCutBps, value);
        _rules.creditsCutBps = value;
    }

    /**
     * @notice Names the treasury the escrow sweeps fees to (say, a new timelock).
     * @param newTreasury Any address but zero.
     */
    function setTreasury(address newTreasury) external onlyOwner {
        _setTreasury(newTreasury);
    }

    /**
     * @notice Sets the points needed for `tier`; thresholds stay strictly increasing.
     * @param tier 1, 2 or 3.
     * @param points New threshold, within bounds and at most {MAX_TIER_STEP} away.
     */
    function setTierThreshold(uint8 tier, uint32 points) external onlyOwner {
        uint32 current = tierThreshold(tier);
        if (tier > 1 && points <= _rules.tiers[tier - 2]) revert TierOrderViolated(tier, points);
        if (tier < 3 && points >= _rules.tiers[tier]) revert TierOrderViolated(tier, points);
        _change(_tierRule(tier), current, points);
        _rules.tiers[tier - 1] = points;
    }

    /**
     * @notice Allows or refuses `token` as payment for new tasks, and sets its unit. Tasks
     * already posted in it are paid out as posted.
     * @param token The ERC-20 token.
     * @param allowed Whether new tasks may be posted in it.
     * @param unit Amount of `token` worth one work token for tier points, within
     * {tokenUnitBounds}. The first unit is free within them; a later different unit is a rule
     * change: at most once a day per token, at most twice or half the current unit.
     */
    function setPaymentToken(address token, bool allowed, uint96 unit) external onlyOwner {
        _setPaymentToken(token, allowed, unit);
    }

    /**
     * @notice Appoints or removes an arbiter.
     * @param arbiter The arbiter's address.
     * @param allowed True to appoint, false to remove.
     */
    function setArbiter(address arbiter, bool allowed) external onlyOwner {
        _setArbiter(arbiter, allowed);
    }

    // ----------------------------------------------------------------- internals

    /// @dev The hard bounds and maximum step of each scalar rule: the one table of them.
    function _limits(bytes32 rule) private pure returns (uint256 min, uint256 max, uint256 step) {
        if (rule == FEE_BPS) return (0, MAX_FEE_BPS, MAX_FEE_STEP);
        if (rule == CLAIM_BOND_BPS) return (0, MAX_CLAIM_BOND_BPS, MAX_CLAIM_BOND_STEP);
        if (rule == CREDITS_CUT_BPS) return (0, MAX_CREDITS_CUT_BPS, MAX_CREDITS_CUT_STEP);
        if (rule == REWARD_BPS) return (0, MAX_REWARD_BPS, MAX_REWARD_STEP);
        if (rule == REVIEW_PERIOD) return (MIN_REVIEW_PERIOD, MAX_REVIEW_PERIOD, MAX_REVIEW_STEP);
        if (rule == DISPUTE_WINDOW) {
            return (MIN_DISPUTE_WINDOW, MAX_DISPUTE_WINDOW, MAX_DISPUTE_STEP);
        }
        return (MIN_TIER_POINTS, MAX_TIER_POINTS, MAX_TIER_STEP);
    }

    function _change(bytes32 rule, uint256 oldValue, uint256 newValue) private {
        (uint256 min, uint256 max, uint256 step) = _limits(rule);
        RuleBounds.change(_changedAt, rule, oldValue, newValue, min, max, step);
    }

    function _checkInitial(bytes32 rule, uint256 value) private pure {
        (uint256 min, uint256 max,) = _limits(rule);
        RuleBounds.checkBounds(rule, value, min, max);
    }

    /// @dev "tier1", "tier2", "tier3": the rule names of the thresholds.
    function _tierRule(uint8 tier) private pure returns (bytes32) {
        return bytes32(bytes.concat("tier", bytes1(uint8(48) + tier)));
    }

    function _setPaymentToken(address token, bool allowed, uint96 unit) private {
        if (token == address(0)) revert ZeroAddress();
        TokenTerms storage terms = _tokens[token];
        uint96 current = terms.unit;
        if (current == 0 || unit != current) {
            (uint256 min, uint256 max) = tokenUnitBounds(token);
            if (current == 0) {
                RuleBounds.checkBounds(TOKEN_UNIT, unit, min, max);
            } else {
                // At most twice the current unit, or half of it.
                uint256 step = unit > current ? current : current / 2;
                RuleBounds.change(_unitChangedAt[token], TOKEN_UNIT, current, unit, min, max, step);
            }
        }
        terms.allowed = allowed;
        terms.unit = unit;
        emit PaymentTokenSet(token, allowed, unit);
    }

    function _setTreasury(address newTreasury) private {
        if (newTreasury == address(0)) revert ZeroTreasury();
        emit TreasurySet(_treasury, newTreasury);
        _treasury = newTreasury;
    }

    function _setArbiter(address arbiter, bool allowed) private {
        if (arbiter == address(0)) revert ZeroAddress();
        _arbiters[arbiter] = allowed;
        emit ArbiterSet(arbiter, allowed);
    }
}
