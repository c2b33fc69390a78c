// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {GovernedOwnable} from "./access/GovernedOwnable.sol";
import {IPlatformRules} from "./interfaces/IPlatformRules.sol";
import {RuleBounds} from "./libraries/RuleBounds.sol";

/**
 * @title PlatformRules
 * @notice Jeton's rulebook. Its owner is the DAO's timelock: a rule changes only by a vote, after
 * the timelock's delay, inside the hard bounds and by at most the maximum step written below.
 *
 * The escrow copies the fee, the reward rate and the review period into each task when it is
 * posted, so no change here ever touches the terms of money already in escrow.
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

    /// @notice Hard lower bound of a payment token's reputation unit.
    uint96 public constant MIN_TOKEN_UNIT = 1;
    /// @notice Hard upper bound of a payment token's reputation unit.
    uint96 public constant MAX_TOKEN_UNIT = 1e27;

    bytes32 private constant FEE_BPS = "feeBps";
    bytes32 private constant REWARD_BPS = "rewardBps";
    bytes32 private constant REVIEW_PERIOD = "reviewPeriod";
    bytes32 private constant DISPUTE_WINDOW = "disputeWindow";
    bytes32 private constant TOKEN_UNIT = "tokenUnit";

    /// @dev The scalar rules, packed into one slot: the escrow reads them with one SLOAD.
    struct Scalars {
        uint16 feeBps;
        uint16 rewardBps;
        uint32 reviewPeriod;
        uint32 disputeWindow;
        uint32[3] tiers;
    }

    struct TokenTerms {
        bool allowed;
        uint96 unit;
    }

    Scalars private _rules;
    mapping(address token => TokenTerms) private _tokens;
    mapping(address account => bool) private _arbiters;
    mapping(bytes32 rule => uint256) private _changedAt;

    /**
     * @param owner_ The timelock (the deployer only in tests).
     * @param initial Initial scalar rules; each must lie within its hard bounds.
     * @param workToken The work token, allowed as payment with a unit of 1e18.
     * @param arbiters Initially appointed arbiters.
     */
    constructor(address owner_, Scalars memory initial, address workToken, address[] memory arbiters)
        Ownable(owner_)
    {
        // Initial values must lie within the hard bounds; steps count from them.
        _checkInitial(FEE_BPS, initial.feeBps);
        _checkInitial(REWARD_BPS, initial.rewardBps);
        _checkInitial(REVIEW_PERIOD, initial.reviewPeriod);
        _checkInitial(DISPUTE_WINDOW, initial.disputeWindow);
        for (uint8 tier = 1; tier <= 3; ++tier) {
            _checkInitial(_tierRule(tier), initial.tiers[tier - 1]);
            if (tier > 1 && initial.tiers[tier - 1] <= initial.tiers[tier - 2]) {
                revert TierOrderViolated(tier, initial.tiers[tier - 1]);
            }
        }
        _rules = initial;
        _setPaymentToken(workToken, true, 1e18);
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
    function isArbiter(address account) external view returns (bool) {
        return _arbiters[account];
    }

    /// @inheritdoc IPlatformRules
    function postingTerms(address token) external view returns (uint16, uint16, uint32) {
        if (!_tokens[token].allowed) revert TokenNotAllowed(token);
        return (_rules.feeBps, _rules.rewardBps, _rules.reviewPeriod);
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
     * @notice Allows or refuses `token` as payment for new tasks. Tasks already posted in it are
     * paid out as posted.
     * @param token The ERC-20 token.
     * @param allowed Whether new tasks may be posted in it.
     * @param unit Amount of `token` worth one work token for reputation and rewards; fixed the
     * first time the token is allowed, so it must be repeated unchanged afterwards.
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
        if (terms.unit != 0 && unit != terms.unit) revert TokenUnitFixed(token, terms.unit);
        if (unit < MIN_TOKEN_UNIT || unit > MAX_TOKEN_UNIT) {
            revert RuleBounds.RuleOutOfBounds(TOKEN_UNIT, unit, MIN_TOKEN_UNIT, MAX_TOKEN_UNIT);
        }
        terms.allowed = allowed;
        terms.unit = unit;
        emit PaymentTokenSet(token, allowed, unit);
    }

    function _setArbiter(address arbiter, bool allowed) private {
        if (arbiter == address(0)) revert ZeroAddress();
        _arbiters[arbiter] = allowed;
        emit ArbiterSet(arbiter, allowed);
    }
}
