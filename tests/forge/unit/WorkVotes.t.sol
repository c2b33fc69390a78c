// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";
import {IReputation} from "../../../contracts/interfaces/IReputation.sol";
import {GovernedOwnable} from "../../../contracts/access/GovernedOwnable.sol";
import {RuleBounds} from "../../../contracts/libraries/RuleBounds.sol";
import {WorkVotes} from "../../../contracts/WorkVotes.sol";
import {TimestampClock} from "../../../contracts/mocks/TimestampClock.sol";
import {JetonTest} from "../utils/JetonTest.sol";

/**
 * @title WorkVotesTest
 * @notice Voting power: delegated token votes plus the DAO's weight times voting points, read at
 * one past block (tokens and points gained after it count for nothing); none for the treasury;
 * the quorum's supply leaves the treasury's votes out; the weight within its cap and step, once
 * a day, by the timelock only.
 */
contract WorkVotesTest is JetonTest {
    address internal ada;

    function setUp() public {
        deploySystem();
        ada = makeActor("ada");
        vm.prank(holder1);
        token.delegate(holder1);
    }

    function test_constructor_refusesAMismatchedClockOrAWeightPastItsCap() public {
        TimestampClock other = new TimestampClock();
        vm.expectRevert(WorkVotes.ClockMismatch.selector);
        new WorkVotes(IERC5805(address(token)), IReputation(address(other)), address(timelock), 0);
        uint256 tooHeavy = 0.05e18 + 1;
        vm.expectRevert(outOfBounds(bytes32("reputationWeight"), tooHeavy, 0, 0.05e18));
        new WorkVotes(IERC5805(address(token)), reputation, address(timelock), tooHeavy);
    }

    function test_getVotes_addsWeightedVotingPoints() public {
        _earn(ada, 400, 300);
        vm.prank(holder2);
        token.transfer(ada, 1_000e18);
        vm.prank(ada);
        token.delegate(ada);
        assertEq(votes.getVotes(ada), 1_000e18 + 300 * REPUTATION_WEIGHT, "tokens + 0.05 x 300");
        assertEq(votes.getVotes(holder1), HOLDER_GRANT, "tokens alone");
        assertEq(votes.getVotes(address(timelock)), 0, "the treasury never votes");
        assertEq(address(votes.token()), address(token), "token");
        assertEq(address(votes.reputation()), address(reputation), "reputation");
        assertEq(votes.treasury(), address(timelock), "treasury");
    }

    function test_getPastVotes_readsOneBlockForEverything() public {
        _earn(ada, 100, 100);
        vm.prank(ada);
        token.delegate(ada);
        mine(1);
        uint256 snapshot = block.number - 1;
        // After the snapshot: tokens bought, points earned, the weight moved.
        vm.prank(holder2);
        token.transfer(ada, 5_000e18);
        _earn(ada, 900, 900);
        asDao();
        votes.setReputationWeight(REPUTATION_WEIGHT - 0.01e18);
        mine(1);
        assertEq(votes.getPastVotes(ada, snapshot), 100 * REPUTATION_WEIGHT, "as at the snapshot");
        assertEq(
            votes.getPastVotes(ada, block.number - 1),
            5_000e18 + 1_000 * (REPUTATION_WEIGHT - 0.01e18),
            "as now"
        );
        assertEq(votes.getPastVotes(address(timelock), snapshot), 0, "the treasury never votes");
    }

    function test_getPastTotalSupply_leavesTheTreasurysVotesOut() public {
        mine(1);
        uint256 supply = token.totalSupply();
        assertEq(
            votes.getPastTotalSupply(block.number - 1),
            supply - (GENESIS_SUPPLY - 3 * HOLDER_GRANT),
            "the supply less what the treasury holds"
        );
        // A holder retires its votes by delegating them to the treasury.
        vm.prank(holder1);
        token.delegate(address(timelock));
        mine(1);
        assertEq(
            votes.getPastTotalSupply(block.number - 1),
            supply - (GENESIS_SUPPLY - 2 * HOLDER_GRANT),
            "and what was delegated to it"
        );
    }

    function test_setReputationWeight_withinItsCapAndStepOnceADay() public {
        asDao();
        votes.setReputationWeight(REPUTATION_WEIGHT - 0.01e18);
        assertEq(votes.reputationWeight(), REPUTATION_WEIGHT - 0.01e18, "a step down");
        asDao();
        vm.expectRevert(
            abi.encodeWithSelector(
                RuleBounds.RuleChangedTooSoon.selector,
                bytes32("reputationWeight"),
                block.timestamp + 1 days
            )
        );
        votes.setReputationWeight(REPUTATION_WEIGHT);
        skip(1 days);
        asDao();
        vm.expectRevert(
            abi.encodeWithSelector(
                RuleBounds.RuleStepTooLarge.selector,
                bytes32("reputationWeight"),
                REPUTATION_WEIGHT - 0.01e18,
                0.02e18,
                0.01e18
            )
        );
        votes.setReputationWeight(0.02e18);
        asDao();
        vm.expectRevert(outOfBounds(bytes32("reputationWeight"), 0.05e18 + 1, 0, 0.05e18));
        votes.setReputationWeight(0.05e18 + 1);
        vm.prank(ada);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, ada));
        votes.setReputationWeight(0);
    }

    function test_ownership_isNeverRenounced() public {
        asDao();
        vm.expectRevert(GovernedOwnable.OwnershipNotRenounceable.selector);
        votes.renounceOwnership();
        asDao();
        votes.transferOwnership(ada);
        vm.prank(ada);
        votes.acceptOwnership();
        assertEq(votes.owner(), ada, "handed on in two steps");
    }

    function test_clock_isTheTokens() public view {
        assertEq(votes.clock(), token.clock(), "clock");
        assertEq(votes.CLOCK_MODE(), token.CLOCK_MODE(), "mode");
    }

    /// @dev The escrow credits `who` with reputation (as a paid task would).
    function _earn(address who, uint256 points, uint256 votingPoints) private {
        vm.prank(address(escrow));
        reputation.add(who, 1, points, votingPoints);
    }
}
