// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {RuleBounds} from "./libraries/RuleBounds.sol";

/**
 * @title Timelock
 * @notice The DAO's timelock and treasury: OpenZeppelin's TimelockController. It owns the
 * rulebook, the voting weight and the work token's admin role, and receives the fees. Every
 * rule change waits here for `minDelay`, giving everyone notice before it takes effect; the
 * only addition is a hard bound on that delay, so that no vote can take the notice away.
 */
contract Timelock is TimelockController {
    /// @notice Hard lower bound of the delay: at least a day of notice.
    uint256 public constant MIN_DELAY = 1 days;
    /// @notice Hard upper bound of the delay: thirty days.
    uint256 public constant MAX_DELAY = 30 days;

    bytes32 private constant DELAY = "timelockDelay";

    /**
     * @param minDelay Seconds between queueing and executing an operation.
     * @param proposers Who may schedule (the governor).
     * @param executors Who may execute; `address(0)` lets anyone execute.
     * @param admin Optional temporary admin for wiring, renounced at the end of deployment.
     */
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {
        RuleBounds.checkBounds(DELAY, minDelay, MIN_DELAY, MAX_DELAY);
    }

    /**
     * @notice Changes the delay of later operations; only through the timelock itself.
     * @param newDelay Seconds, within [{MIN_DELAY}, {MAX_DELAY}].
     */
    function updateDelay(uint256 newDelay) public override {
        RuleBounds.checkBounds(DELAY, newDelay, MIN_DELAY, MAX_DELAY);
        super.updateDelay(newDelay);
    }
}
