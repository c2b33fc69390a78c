// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";
import {IReputation} from "./interfaces/IReputation.sol";
import {IPlatformRules} from "./interfaces/IPlatformRules.sol";

/**
 * @title Reputation
 * @notice Earned, non-transferable reputation. There is no transfer, no approval and no
 * delegation: points belong to the worker who earned them. The task escrow that deploys this
 * contract is its only writer, and it is fixed forever, so no role can mint reputation.
 *
 * The escrow's formula (see {TaskEscrow}):
 * - a completed task gives its worker one point per 0.1 work token of fee the task actually
 *   paid to the DAO's treasury (other payment tokens are valued through their unit in the
 *   rulebook). A task that pays no fee gives nothing. Points thus measure the value the
 *   worker's paid work brought the platform, and farming them with one's own tasks costs
 *   0.1 JTN of fee per point, at most half of which comes back as work reward;
 * - a dispute resolved with less than half the deposit to the worker removes as many points
 *   as the whole task would have earned (never below zero).
 *
 * Each worker's history is kept with OpenZeppelin's {Checkpoints} on the block-number clock
 * shared with the work token, so the governor reads reputation at a proposal's snapshot like
 * token votes. The total is kept as a plain number, not a history: a checkpoint of it would
 * add a storage slot to every payout, and the quorum is reckoned on the token supply alone.
 */
contract Reputation is IReputation {
    using Checkpoints for Checkpoints.Trace208;

    /// @notice The escrow that created this contract, its only writer.
    address public immutable escrow;

    /// @notice The rulebook that holds the tier thresholds.
    IPlatformRules public immutable rules;

    mapping(address worker => Checkpoints.Trace208) private _points;
    uint256 private _total;

    /// @param rules_ The rulebook; the deployer (`msg.sender`) becomes the escrow.
    constructor(IPlatformRules rules_) {
        escrow = msg.sender;
        rules = rules_;
    }

    modifier onlyEscrow() {
        if (msg.sender != escrow) revert NotEscrow(msg.sender);
        _;
    }

    /// @inheritdoc IERC6372
    function clock() public view returns (uint48) {
        return Time.blockNumber();
    }

    /// @inheritdoc IERC6372
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() external pure returns (string memory) {
        return "mode=blocknumber&from=default";
    }

    /// @inheritdoc IReputation
    function pointsOf(address worker) public view returns (uint256) {
        return _points[worker].latest();
    }

    /// @inheritdoc IReputation
    function getPastPoints(address worker, uint256 timepoint) external view returns (uint256) {
        return _points[worker].upperLookupRecent(_pastTimepoint(timepoint));
    }

    /// @inheritdoc IReputation
    function totalPoints() external view returns (uint256) {
        return _total;
    }

    /// @inheritdoc IReputation
    function tierOf(address worker) external view returns (uint8 tier) {
        uint256 points = pointsOf(worker);
        uint32[3] memory thresholds = rules.tierThresholds();
        while (tier < 3 && points >= thresholds[tier]) ++tier;
    }

    /// @inheritdoc IReputation
    function add(address worker, uint256 taskId, uint256 points) external onlyEscrow {
        _total += points;
        _change(worker, taskId, pointsOf(worker) + points);
    }

    /// @inheritdoc IReputation
    function slash(address worker, uint256 taskId, uint256 points) external onlyEscrow {
        uint256 current = pointsOf(worker);
        uint256 removed = points < current ? points : current;
        _total -= removed;
        _change(worker, taskId, current - removed);
    }

    function _change(address worker, uint256 taskId, uint256 newPoints) private {
        (uint256 oldPoints,) = _points[worker].push(clock(), SafeCast.toUint208(newPoints));
        emit ReputationChanged(worker, taskId, oldPoints, newPoints);
    }

    function _pastTimepoint(uint256 timepoint) private view returns (uint48) {
        uint48 now_ = clock();
        if (timepoint >= now_) revert FutureLookup(timepoint, now_);
        return SafeCast.toUint48(timepoint);
    }
}
