// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title RuleBounds
 * @notice The one place where Jeton's governed rules are checked against their hard bounds and
 * their maximum step, and where a rule change is announced.
 *
 * Every governed number in Jeton (a fee, a reward rate, a period, a voting weight...) has a
 * minimum, a maximum and a maximum step per change, written as constants in the contract that
 * owns it, and changes at most once per {MIN_CHANGE_INTERVAL}. A vote can move a rule only
 * inside its bounds and only by one step at a time (a proposal that calls a setter twice does
 * not make two steps), so a fee can not double overnight whatever the vote.
 */
library RuleBounds {
    /// @notice The least time between two changes of the same rule.
    uint256 internal constant MIN_CHANGE_INTERVAL = 1 days;

    /// @notice A rule changed from `oldValue` to `newValue`. `rule` is the rule's name as bytes32.
    event RuleChanged(bytes32 indexed rule, uint256 oldValue, uint256 newValue);

    /// @notice `value` is outside the hard bounds `[min, max]` of `rule`.
    error RuleOutOfBounds(bytes32 rule, uint256 value, uint256 min, uint256 max);

    /// @notice Moving `rule` from `oldValue` to `newValue` is a larger step than `maxStep`.
    error RuleStepTooLarge(bytes32 rule, uint256 oldValue, uint256 newValue, uint256 maxStep);

    /// @notice `rule` changed less than {MIN_CHANGE_INTERVAL} ago; it may change again at `nextChangeAt`.
    error RuleChangedTooSoon(bytes32 rule, uint256 nextChangeAt);

    /// @dev Reverts with {RuleOutOfBounds} unless `value` lies in `[min, max]`.
    function checkBounds(bytes32 rule, uint256 value, uint256 min, uint256 max) internal pure {
        if (value < min || value > max) revert RuleOutOfBounds(rule, value, min, max);
    }

    /**
     * @dev Reverts unless `newValue` lies in `[min, max]`, differs from `oldValue` by at most
     * `maxStep`, and `rule` last changed at least {MIN_CHANGE_INTERVAL} ago (per `changedAt`,
     * the owner's record of each rule's last change, which this updates); emits {RuleChanged}.
     */
    function change(
        mapping(bytes32 => uint256) storage changedAt,
        bytes32 rule,
        uint256 oldValue,
        uint256 newValue,
        uint256 min,
        uint256 max,
        uint256 maxStep
    ) internal {
        uint256 last = changedAt[rule];
        if (last != 0) checkInterval(rule, last, MIN_CHANGE_INTERVAL, block.timestamp);
        checkBounds(rule, newValue, min, max);
        checkStep(rule, oldValue, newValue, maxStep);
        changedAt[rule] = block.timestamp;
        emit RuleChanged(rule, oldValue, newValue);
    }

    /// @dev Reverts with {RuleStepTooLarge} if `newValue` is more than `maxStep` from `oldValue`.
    function checkStep(bytes32 rule, uint256 oldValue, uint256 newValue, uint256 maxStep)
        internal
        pure
    {
        uint256 step = newValue > oldValue ? newValue - oldValue : oldValue - newValue;
        if (step > maxStep) revert RuleStepTooLarge(rule, oldValue, newValue, maxStep);
    }

    /// @dev Reverts with {RuleChangedTooSoon} if `when` is less than `interval` after `last`, the
    /// time `rule` last changed (for rules whose owner keeps that time itself, with its own
    /// interval of at least {MIN_CHANGE_INTERVAL}).
    function checkInterval(bytes32 rule, uint256 last, uint256 interval, uint256 when)
        internal
        pure
    {
        if (when < last + interval) revert RuleChangedTooSoon(rule, last + interval);
    }
}
