// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/**
 * @title Timelock
 * @notice The DAO's timelock and treasury: OpenZeppelin's TimelockController, unchanged. It owns
 * the rulebook, the voting weight and the work token's admin role, and receives the fees.
 * Every rule change waits here for `minDelay`, giving everyone notice before it takes effect.
 */
contract Timelock is TimelockController {
    /**
     * @param minDelay Seconds between queueing and executing an operation.
     * @param proposers Who may schedule (the governor).
     * @param executors Who may execute; `address(0)` lets anyone execute.
     * @param admin Optional temporary admin for wiring, renounced at the end of deployment.
     */
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
