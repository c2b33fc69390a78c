// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";

/**
 * @title IReputation
 * @notice Non-transferable, checkpointed reputation per worker, earned through paid work in the
 * task escrow and readable at past timepoints (like ERC20Votes). Two parts: tier points (from the
 * fees of every paid task) open gated tasks and tiers; voting points (from fees paid in the work
 * token alone) carry votes.
 */
interface IReputation is IERC6372 {
    /// @notice `worker`'s tier points changed from `oldPoints` to `newPoints`, and its voting
    /// points from `oldVotingPoints` to `newVotingPoints`, because of task `taskId`.
    event ReputationChanged(
        address indexed worker,
        uint256 indexed taskId,
        uint256 oldPoints,
        uint256 newPoints,
        uint256 oldVotingPoints,
        uint256 newVotingPoints
    );

    /// @notice Only the escrow that created this contract can add or slash points.
    error NotEscrow(address caller);

    /// @notice Past values can only be read for timepoints before the current clock.
    error FutureLookup(uint256 timepoint, uint48 clock);

    /// @notice `worker`'s current tier points.
    function pointsOf(address worker) external view returns (uint256);

    /// @notice `worker`'s current voting points.
    function votingPointsOf(address worker) external view returns (uint256);

    /// @notice `worker`'s tier points at the end of `timepoint` (a past block).
    function getPastPoints(address worker, uint256 timepoint) external view returns (uint256);

    /// @notice `worker`'s voting points at the end of `timepoint` (a past block).
    function getPastVotingPoints(address worker, uint256 timepoint) external view returns (uint256);

    /// @notice `worker`'s tier now: 0 (newcomer) to 3, from its tier points and the thresholds
    /// in the rulebook.
    function tierOf(address worker) external view returns (uint8);

    /// @notice Adds `points` tier points and `votingPoints` voting points to `worker` for task
    /// `taskId`. Escrow only.
    function add(address worker, uint256 taskId, uint256 points, uint256 votingPoints) external;

    /// @notice Removes up to `points` tier points and up to `votingPoints` voting points from
    /// `worker` for task `taskId`. Escrow only.
    function slash(address worker, uint256 taskId, uint256 points, uint256 votingPoints) external;
}
