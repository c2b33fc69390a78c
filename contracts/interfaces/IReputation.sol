// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";

/**
 * @title IReputation
 * @notice Non-transferable, checkpointed reputation points per worker, earned through paid work
 * in the task escrow and readable at past timepoints (like ERC20Votes).
 */
interface IReputation is IERC6372 {
    /// @notice `worker`'s points changed from `oldPoints` to `newPoints` because of task `taskId`.
    event ReputationChanged(
        address indexed worker, uint256 indexed taskId, uint256 oldPoints, uint256 newPoints
    );

    /// @notice Only the escrow that created this contract can add or slash points.
    error NotEscrow(address caller);

    /// @notice Past values can only be read for timepoints before the current clock.
    error FutureLookup(uint256 timepoint, uint48 clock);

    /// @notice `worker`'s current points.
    function pointsOf(address worker) external view returns (uint256);

    /// @notice `worker`'s points at the end of `timepoint` (a past block).
    function getPastPoints(address worker, uint256 timepoint) external view returns (uint256);

    /// @notice The sum of all workers' points now.
    function totalPoints() external view returns (uint256);

    /// @notice `worker`'s tier now: 0 (newcomer) to 3, from the thresholds in the rulebook.
    function tierOf(address worker) external view returns (uint8);

    /// @notice Adds `points` to `worker` for task `taskId`. Escrow only.
    function add(address worker, uint256 taskId, uint256 points) external;

    /// @notice Removes up to `points` from `worker` for task `taskId`. Escrow only.
    function slash(address worker, uint256 taskId, uint256 points) external;
}
