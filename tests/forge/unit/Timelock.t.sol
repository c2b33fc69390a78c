// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {RuleBounds} from "../../../contracts/libraries/RuleBounds.sol";
import {PlatformRules} from "../../../contracts/PlatformRules.sol";
import {Timelock} from "../../../contracts/Timelock.sol";
import {JetonTest} from "../utils/JetonTest.sol";

/**
 * @title TimelockTest
 * @notice The timelock's additions to OpenZeppelin's: its delay and grace period within bounds,
 * moved by steps, once a day, only by the timelock itself; an operation executable only within
 * the grace period after it is ready, on either path (one call or a batch).
 */
contract TimelockTest is JetonTest {
    Timelock internal lock;
    address internal proposer;
    PlatformRules internal owned;

    function setUp() public {
        deploySystem();
        proposer = makeActor("proposer");
        address[] memory proposers = new address[](1);
        proposers[0] = proposer;
        address[] memory anyone = new address[](1);
        lock = new Timelock(2 days, 14 days, proposers, anyone, address(0));
        address[] memory arbiters = new address[](0);
        owned = new PlatformRules(
            address(lock), initialRules(), address(token), arbiters, address(lock)
        );
    }

    function test_constructor_boundsTheDelayAndTheGracePeriod() public {
        address[] memory none = new address[](0);
        vm.expectRevert(outOfBounds(bytes32("timelockDelay"), 1 days - 1, 1 days, 30 days));
        new Timelock(1 days - 1, 14 days, none, none, address(0));
        vm.expectRevert(outOfBounds(bytes32("gracePeriod"), 31 days, 1 days, 30 days));
        new Timelock(2 days, 31 days, none, none, address(0));
        assertEq(lock.gracePeriod(), 14 days, "grace period");
        assertEq(lock.getMinDelay(), 2 days, "delay");
    }

    function test_anOperationRunsOnlyWithinItsGracePeriod() public {
        bytes memory call = abi.encodeCall(PlatformRules.setFeeBps, (400));
        bytes32 id = lock.hashOperation(address(owned), 0, call, bytes32(0), bytes32(0));
        vm.prank(proposer);
        lock.schedule(address(owned), 0, call, bytes32(0), bytes32(0), 2 days);
        uint256 expiry = block.timestamp + 2 days + 14 days;
        assertEq(lock.operationExpiry(id), expiry, "expiry fixed when scheduled");
        assertFalse(lock.isOperationExpired(id), "not expired");
        vm.warp(expiry);
        assertTrue(lock.isOperationExpired(id), "expired");
        vm.expectRevert(
            abi.encodeWithSelector(Timelock.TimelockOperationExpired.selector, id, expiry)
        );
        lock.execute(address(owned), 0, call, bytes32(0), bytes32(0));
        assertEq(lock.operationExpiry(bytes32(uint256(1))), 0, "never scheduled");

        bytes32 salt = bytes32(uint256(7));
        vm.prank(proposer);
        lock.schedule(address(owned), 0, call, bytes32(0), salt, 2 days);
        vm.warp(block.timestamp + 2 days);
        lock.execute(address(owned), 0, call, bytes32(0), salt);
        assertEq(owned.feeBps(), 400, "executed within its grace period");
    }

    function test_aBatchExpiresToo() public {
        address[] memory targets = new address[](1);
        targets[0] = address(owned);
        uint256[] memory values = new uint256[](1);
        bytes[] memory calls = new bytes[](1);
        calls[0] = abi.encodeCall(PlatformRules.setFeeBps, (400));
        bytes32 id = lock.hashOperationBatch(targets, values, calls, bytes32(0), bytes32(0));
        vm.prank(proposer);
        lock.scheduleBatch(targets, values, calls, bytes32(0), bytes32(0), 2 days);
        uint256 expiry = lock.operationExpiry(id);
        vm.warp(expiry);
        vm.expectRevert(
            abi.encodeWithSelector(Timelock.TimelockOperationExpired.selector, id, expiry)
        );
        lock.executeBatch(targets, values, calls, bytes32(0), bytes32(0));
        vm.warp(expiry - 1);
        lock.executeBatch(targets, values, calls, bytes32(0), bytes32(0));
        assertEq(owned.feeBps(), 400, "executed");
        assertFalse(lock.isOperationExpired(id), "done, not expired");
    }

    function test_delayAndGracePeriod_onlyByTheTimelockWithinSteps() public {
        vm.prank(proposer);
        vm.expectRevert(
            abi.encodeWithSelector(TimelockController.TimelockUnauthorizedCaller.selector, proposer)
        );
        lock.updateDelay(3 days);
        vm.prank(proposer);
        vm.expectRevert(
            abi.encodeWithSelector(TimelockController.TimelockUnauthorizedCaller.selector, proposer)
        );
        lock.updateGracePeriod(7 days);

        vm.startPrank(address(lock));
        lock.updateDelay(4 days);
        lock.updateGracePeriod(7 days);
        vm.expectRevert(
            abi.encodeWithSelector(
                RuleBounds.RuleChangedTooSoon.selector,
                bytes32("timelockDelay"),
                block.timestamp + 1 days
            )
        );
        lock.updateDelay(3 days);
        vm.warp(block.timestamp + 1 days);
        vm.expectRevert(
            abi.encodeWithSelector(
                RuleBounds.RuleStepTooLarge.selector,
                bytes32("timelockDelay"),
                4 days,
                7 days,
                2 days
            )
        );
        lock.updateDelay(7 days);
        vm.expectRevert(
            abi.encodeWithSelector(
                RuleBounds.RuleStepTooLarge.selector,
                bytes32("gracePeriod"),
                7 days,
                15 days,
                7 days
            )
        );
        lock.updateGracePeriod(15 days);
        vm.stopPrank();
        assertEq(lock.getMinDelay(), 4 days, "delay");
        assertEq(lock.gracePeriod(), 7 days, "grace period");
    }
}
