// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title IPlatformRules
 * @notice The rulebook that the task escrow reads: fees, rewards, periods, reputation tiers,
 * payment tokens and arbiters. Changed only by its owner, the DAO's timelock.
 */
interface IPlatformRules {
    /// @notice `token` was allowed or refused as a payment token; `unit` is its reputation unit.
    event PaymentTokenSet(address indexed token, bool allowed, uint96 unit);

    /// @notice `arbiter` was appointed (`allowed`) or removed.
    event ArbiterSet(address indexed arbiter, bool allowed);

    /// @notice `token` is not an allowed payment token.
    error TokenNotAllowed(address token);

    /// @notice A token's reputation unit is fixed the first time it is allowed.
    error TokenUnitFixed(address token, uint96 unit);

    /// @notice Tier thresholds must stay strictly increasing (tier 1 < tier 2 < tier 3).
    error TierOrderViolated(uint8 tier, uint32 points);

    /// @notice `tier` is not one of 1, 2 or 3.
    error UnknownTier(uint8 tier);

    /// @notice The zero address can not be a payment token or an arbiter.
    error ZeroAddress();

    /// @notice Fee taken from a worker's pay, in basis points.
    function feeBps() external view returns (uint16);

    /// @notice Work reward minted to the worker, in basis points of the fee the task paid.
    function rewardBps() external view returns (uint16);

    /// @notice Seconds a client has to approve or dispute a submission.
    function reviewPeriod() external view returns (uint32);

    /// @notice Seconds an arbiter has to resolve a dispute before either party may split evenly.
    function disputeWindow() external view returns (uint32);

    /// @notice Reputation points needed for `tier` (1, 2 or 3).
    function tierThreshold(uint8 tier) external view returns (uint32);

    /// @notice The points needed for tiers 1, 2 and 3.
    function tierThresholds() external view returns (uint32[3] memory);

    /// @notice Whether `token` is an allowed payment token.
    function isPaymentToken(address token) external view returns (bool);

    /// @notice Amount of `token` that counts as one work-token unit (1e18) for reputation and
    /// rewards; zero if the token was never allowed.
    function tokenUnit(address token) external view returns (uint96);

    /// @notice Whether `account` is an appointed arbiter.
    function isArbiter(address account) external view returns (bool);

    /**
     * @notice The terms a task posted now in `token` locks in: fee and reward rates, and the
     * review period its submission will get.
     * @dev Reverts with {TokenNotAllowed} if `token` is not allowed.
     */
    function postingTerms(address token)
        external
        view
        returns (uint16 feeBps_, uint16 rewardBps_, uint32 reviewPeriod_);
}
