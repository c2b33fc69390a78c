// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {JetonTest} from "../utils/JetonTest.sol";

/**
 * @title EscrowTestBase
 * @notice The deployed system with a client, a worker and an outsider funded in JTN and the
 * stablecoin, and the steps of a task's lifecycle as helpers, for the escrow's unit tests.
 */
abstract contract EscrowTestBase is JetonTest {
    uint256 internal constant AMOUNT = 1_000e18;
    uint256 internal constant USD_AMOUNT = 1_000e6;
    bytes32 internal constant SPEC = keccak256("spec");
    bytes32 internal constant DELIVERY = keccak256("delivery");

    address internal client;
    address internal worker;
    address internal other;

    function setUp() public virtual {
        deploySystem();
        client = makeActor("client");
        worker = makeActor("worker");
        other = makeActor("other");
        fundJtn(client, 1_000_000e18);
        fundJtn(worker, 1_000_000e18);
        fundJtn(other, 1_000_000e18);
        usd.mint(client, 1_000_000e6);
        usd.mint(worker, 1_000_000e6);
        usd.mint(other, 1_000_000e6);
    }

    /// @dev The deadline of the tests' tasks: ten days after deployment.
    function deadline() internal pure returns (uint64) {
        return uint64(START_TIME + 10 days);
    }

    /// @dev The client posts a task in `paymentToken` with the DAO's default bond.
    function post(IERC20 paymentToken, uint256 amount, address named, uint32 minReputation)
        internal
        returns (uint256 id)
    {
        vm.startPrank(client);
        paymentToken.approve(address(escrow), amount);
        id = escrow.postTask(address(paymentToken), amount, deadline(), minReputation, SPEC, named);
        vm.stopPrank();
    }

    /// @dev The client posts a task with a bond of its own.
    function postWithBond(IERC20 paymentToken, uint256 amount, address named, uint16 bondBps)
        internal
        returns (uint256 id)
    {
        vm.startPrank(client);
        paymentToken.approve(address(escrow), amount);
        id = escrow.postTaskWithBond(
            address(paymentToken), amount, deadline(), 0, SPEC, named, bondBps
        );
        vm.stopPrank();
    }

    /// @dev `who` claims task `id`, staking its bond.
    function claim(uint256 id, address who) internal {
        vm.startPrank(who);
        escrow.getTask(id).token.approve(address(escrow), escrow.bondOf(id));
        escrow.claim(id);
        vm.stopPrank();
    }

    /// @dev The worker delivers task `id`.
    function submit(uint256 id) internal {
        vm.prank(escrow.getTask(id).worker);
        escrow.submit(id, DELIVERY);
    }

    /// @dev A task of `amount` in `paymentToken`, claimed by the worker and delivered.
    function submitted(IERC20 paymentToken, uint256 amount) internal returns (uint256 id) {
        id = post(paymentToken, amount, address(0), 0);
        claim(id, worker);
        submit(id);
    }

    /// @dev `who` claims open task `id`, delivers it, and the client approves it.
    function complete(uint256 id, address who) internal {
        claim(id, who);
        submit(id);
        vm.prank(client);
        escrow.approve(id);
    }

    /// @dev `by` (the client or the worker) disputes task `id`, staking the dispute bond.
    function dispute(uint256 id, address by) internal {
        vm.startPrank(by);
        escrow.getTask(id).token.approve(address(escrow), escrow.bondOf(id));
        escrow.dispute(id);
        vm.stopPrank();
    }

    /// @dev A task of `amount` in `paymentToken`, delivered and disputed by the client.
    function disputed(IERC20 paymentToken, uint256 amount) internal returns (uint256 id) {
        id = submitted(paymentToken, amount);
        dispute(id, client);
    }
}
