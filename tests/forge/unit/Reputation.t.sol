// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IReputation} from "../../../contracts/interfaces/IReputation.sol";
import {JetonTest} from "../utils/JetonTest.sol";

/**
 * @title ReputationTest
 * @notice Reputation as its interface promises: written by the escrow alone, two parts (tier
 * points and voting points) that rise and fall together or apart, never below zero, values readable at past blocks and never at the current one, and tiers from the
 * rulebook's thresholds.
 */
contract ReputationTest is JetonTest {
    address internal ada;
    address internal bao;

    function setUp() public {
        deploySystem();
        ada = makeActor("ada");
        bao = makeActor("bao");
    }

    function test_onlyTheEscrowWrites() public {
        vm.prank(ada);
        vm.expectRevert(abi.encodeWithSelector(IReputation.NotEscrow.selector, ada));
        reputation.add(ada, 1, 100, 100);
        vm.prank(address(timelock));
        vm.expectRevert(abi.encodeWithSelector(IReputation.NotEscrow.selector, address(timelock)));
        reputation.slash(ada, 1, 100, 100);
    }

    function test_add_raisesBothParts() public {
        vm.expectEmit(true, true, false, true, address(reputation));
        emit IReputation.ReputationChanged(ada, 7, 0, 300, 0, 200);
        _add(ada, 7, 300, 200);
        _add(bao, 8, 50, 0);
        assertEq(reputation.pointsOf(ada), 300, "tier points");
        assertEq(reputation.votingPointsOf(ada), 200, "voting points");
        assertEq(reputation.pointsOf(bao), 50, "another worker");
        assertEq(reputation.votingPointsOf(bao), 0, "no votes from other tokens");
    }

    function test_slash_neverBelowZero() public {
        _add(ada, 1, 300, 200);
        vm.expectEmit(true, true, false, true, address(reputation));
        emit IReputation.ReputationChanged(ada, 2, 300, 200, 200, 0);
        _slash(ada, 2, 100, 500); // more voting points than it has
        assertEq(reputation.pointsOf(ada), 200, "tier points less 100");
        assertEq(reputation.votingPointsOf(ada), 0, "voting points floored at zero");
        _slash(ada, 3, 1_000, 0);
        assertEq(reputation.pointsOf(ada), 0, "tier points floored at zero");
    }

    function test_pastValues_areReadAtTheirBlock() public {
        uint256 first = block.number;
        _add(ada, 1, 100, 100);
        mine(1);
        uint256 second = block.number;
        _add(ada, 2, 50, 40);
        _slash(ada, 3, 20, 10); // same block: one checkpoint, the last value
        mine(1);
        assertEq(reputation.getPastPoints(ada, first - 1), 0, "before any");
        assertEq(reputation.getPastPoints(ada, first), 100, "first block");
        assertEq(reputation.getPastVotingPoints(ada, first), 100, "first block, votes");
        assertEq(reputation.getPastPoints(ada, second), 130, "end of the second block");
        assertEq(reputation.getPastVotingPoints(ada, second), 130, "votes, end of the block");
        uint48 now_ = reputation.clock();
        vm.expectRevert(abi.encodeWithSelector(IReputation.FutureLookup.selector, now_, now_));
        reputation.getPastPoints(ada, now_);
        vm.expectRevert(abi.encodeWithSelector(IReputation.FutureLookup.selector, now_ + 1, now_));
        reputation.getPastVotingPoints(ada, now_ + 1);
    }

    function test_tierOf_followsTheThresholds() public {
        assertEq(reputation.tierOf(ada), 0, "newcomer");
        _add(ada, 1, TIER1, 0);
        assertEq(reputation.tierOf(ada), 1, "tier 1 at its threshold");
        _add(ada, 2, TIER2 - TIER1, 0);
        assertEq(reputation.tierOf(ada), 2, "tier 2");
        _add(ada, 3, TIER3, 0);
        assertEq(reputation.tierOf(ada), 3, "tier 3, and no further");
        asDao();
        rules.setTierThreshold(3, TIER3 + 5_000);
        _add(bao, 4, TIER3, 0);
        assertEq(reputation.tierOf(bao), 2, "a raised threshold");
    }

    function test_pointsPastTheirStorageRevert() public {
        uint256 tooMany = uint256(1) << 104;
        vm.prank(address(escrow));
        vm.expectRevert(
            abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 104, tooMany)
        );
        reputation.add(ada, 1, tooMany, 0);
    }

    function test_clock_isTheBlockNumber() public view {
        assertEq(reputation.clock(), block.number, "block number");
        assertEq(reputation.CLOCK_MODE(), "mode=blocknumber&from=default", "mode");
    }

    function _add(address who, uint256 taskId, uint256 points, uint256 votingPoints) private {
        vm.prank(address(escrow));
        reputation.add(who, taskId, points, votingPoints);
    }

    function _slash(address who, uint256 taskId, uint256 points, uint256 votingPoints) private {
        vm.prank(address(escrow));
        reputation.slash(who, taskId, points, votingPoints);
    }
}
