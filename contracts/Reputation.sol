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
 * Reputation has two parts, both earned by fees that paid work actually paid (see {TaskEscrow}):
 * - tier points: one per 0.1 work token of fee value, whatever the payment token (another
 *   token is valued through its unit in the rulebook). They open tasks that ask for a minimum
 *   reputation, and the tiers;
 * - voting points: one per 0.1 work token of fee paid in the work token itself. Only these carry
 *   votes (WorkVotes), so what a vote costs never depends on a unit the DAO sets: farming one
 *   point costs 0.1 JTN of fee, at most half of which comes back as work reward.
 * A dispute resolved with less than half the deposit to the worker removes from each part as
 * much as the whole task would have earned it (never below zero).
 *
 * Both parts of a worker share one history, kept with OpenZeppelin's {Checkpoints} on the
 * block-number clock of the work token (tier points in the high 104 bits of each checkpoint,
 * voting points in the low 104), so a payout writes one checkpoint and the governor reads
 * either part at a proposal's snapshot, like token votes. No totals are kept: nothing on chain
 * needs them (the quorum is a share of the tokens, see WorkVotes), and keeping them would cost
 * every payout a storage write; {ReputationChanged} gives every change, to sum off chain.
 */
contract Reputation is IReputation {
    using Checkpoints for Checkpoints.Trace208;

    uint256 private constant PART_BITS = 104;
    uint256 private constant PART_MASK = (1 << PART_BITS) - 1;

    /// @notice The escrow that created this contract, its only writer.
    address public immutable escrow;

    /// @notice The rulebook that holds the tier thresholds.
    IPlatformRules public immutable rules;

    /// @dev Per worker: (tier points << 104) | voting points, checkpointed.
    mapping(address worker => Checkpoints.Trace208) private _points;

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
        return _points[worker].latest() >> PART_BITS;
    }

    /// @inheritdoc IReputation
    function votingPointsOf(address worker) external view returns (uint256) {
        return _points[worker].latest() & PART_MASK;
    }

    /// @inheritdoc IReputation
    function getPastPoints(address worker, uint256 timepoint) external view returns (uint256) {
        return _past(worker, timepoint) >> PART_BITS;
    }

    /// @inheritdoc IReputation
    function getPastVotingPoints(address worker, uint256 timepoint)
        external
        view
        returns (uint256)
    {
        return _past(worker, timepoint) & PART_MASK;
    }

    /// @inheritdoc IReputation
    function tierOf(address worker) external view returns (uint8 tier) {
        uint256 points = pointsOf(worker);
        uint32[3] memory thresholds = rules.tierThresholds();
        while (tier < 3 && points >= thresholds[tier]) ++tier;
    }

    /// @inheritdoc IReputation
    function add(address worker, uint256 taskId, uint256 points, uint256 votingPoints)
        external
        onlyEscrow
    {
        uint256 packed = _points[worker].latest();
        _change(
            worker,
            taskId,
            packed,
            (packed >> PART_BITS) + points,
            (packed & PART_MASK) + votingPoints
        );
    }

    /// @inheritdoc IReputation
    function slash(address worker, uint256 taskId, uint256 points, uint256 votingPoints)
        external
        onlyEscrow
    {
        uint256 packed = _points[worker].latest();
        uint256 tier = packed >> PART_BITS;
        uint256 voting = packed & PART_MASK;
        if (points > tier) points = tier;
        if (votingPoints > voting) votingPoints = voting;
        _change(worker, taskId, packed, tier - points, voting - votingPoints);
    }

    function _change(
        address worker,
        uint256 taskId,
        uint256 oldPacked,
        uint256 newPoints,
        uint256 newVotingPoints
    ) private {
        uint256 packed = (uint256(SafeCast.toUint104(newPoints)) << PART_BITS)
            | SafeCast.toUint104(newVotingPoints);
        _points[worker].push(clock(), uint208(packed));
        emit ReputationChanged(
            worker,
            taskId,
            oldPacked >> PART_BITS,
            newPoints,
            oldPacked & PART_MASK,
            newVotingPoints
        );
    }

    function _past(address worker, uint256 timepoint) private view returns (uint256) {
        uint48 now_ = clock();
        if (timepoint >= now_) revert FutureLookup(timepoint, now_);
        return _points[worker].upperLookupRecent(SafeCast.toUint48(timepoint));
    }
}
