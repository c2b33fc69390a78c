// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title IPlatformRules
 * @notice The rulebook that the task escrow and the access credits read: fees, rewards,
 * periods, reputation tiers, payment tokens, arbiters and the DAO's cut of credit sales. Changed only by its owner, the DAO's timelock.
 */
interface IPlatformRules {
    /// @notice `token` was allowed or refused as a payment token; `unit` is its reputation unit.
    event PaymentTokenSet(address indexed token, bool allowed, uint96 unit);

    /// @notice `arbiter` was appointed (`allowed`) or removed.
    event ArbiterSet(address indexed arbiter, bool allowed);

    /// @notice Fees are swept to `newTreasury` from now on (it was `previousTreasury`).
    event TreasurySet(address indexed previousTreasury, address indexed newTreasury);

    /// @notice `token` is not an allowed payment token.
    error TokenNotAllowed(address token);

    /// @notice `token` reports no decimals, or more than the rulebook supports: its unit can not
    /// be bounded, so it can not be allowed.
    error TokenDecimalsUnsupported(address token);

    /// @notice Fees need a treasury: the zero address can not be one.
    error ZeroTreasury();

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

    /// @notice Seconds an arbiter has to resolve a dispute; after them, only a settlement.
    function disputeWindow() external view returns (uint32);

    /// @notice The claim bond of a task posted without one chosen, in basis points of the deposit.
    function claimBondBps() external view returns (uint16);

    /// @notice The DAO's cut of an access-credit sale, in basis points, locked into the credits
    /// sold and taken as they are used.
    function creditsCutBps() external view returns (uint16);

    /// @notice Where the escrow's accrued fees and the access credits' cut are swept: the DAO's
    /// treasury.
    function treasury() external view returns (address);

    /// @notice Reputation points needed for `tier` (1, 2 or 3).
    function tierThreshold(uint8 tier) external view returns (uint32);

    /// @notice The points needed for tiers 1, 2 and 3.
    function tierThresholds() external view returns (uint32[3] memory);

    /// @notice Whether `token` is an allowed payment token.
    function isPaymentToken(address token) external view returns (bool);

    /// @notice Amount of `token` that counts as one work token (1e18 units) for tier points;
    /// zero if the token was never allowed.
    function tokenUnit(address token) external view returns (uint96);

    /// @notice The hard bounds of `token`'s unit, from its decimals `d`: 10^(d-3) to 10^(d+3)
    /// (1e18 exactly for the work token).
    function tokenUnitBounds(address token) external view returns (uint256 min, uint256 max);

    /// @notice Whether `account` is an appointed arbiter.
    function isArbiter(address account) external view returns (bool);

    /**
     * @notice The terms a task posted now in `token` locks in: fee and reward rates, the review
     * period its submission will get, and the default claim bond.
     * @dev Reverts with {TokenNotAllowed} if `token` is not allowed.
     */
    function postingTerms(address token)
        external
        view
        returns (uint16 feeBps_, uint16 rewardBps_, uint32 reviewPeriod_, uint16 claimBondBps_);
}
