// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ERC20Capped} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Capped.sol";
import {IWorkToken} from "../../../contracts/interfaces/IWorkToken.sol";
import {WorkToken} from "../../../contracts/WorkToken.sol";
import {JetonTest} from "../utils/JetonTest.sol";

/**
 * @title WorkTokenTest
 * @notice The work token's rules: one permanent minter (the escrow), a hard cap, a treasury
 * delegated to itself for good.
 */
contract WorkTokenTest is JetonTest {
    function setUp() public {
        deploySystem();
    }

    function test_theMinterIsTheEscrowForGood() public {
        bytes32 minter = token.MINTER_ROLE();
        assertTrue(token.hasRole(minter, address(escrow)), "the escrow mints");
        assertTrue(token.minterFixed(), "granted once");
        vm.startPrank(address(timelock)); // the admin
        vm.expectRevert(WorkToken.MinterRoleFixed.selector);
        token.grantRole(minter, holder1);
        vm.expectRevert(WorkToken.MinterRoleFixed.selector);
        token.revokeRole(minter, address(escrow));
        vm.stopPrank();
        vm.prank(address(escrow));
        vm.expectRevert(WorkToken.MinterRoleFixed.selector);
        token.renounceRole(minter, address(escrow));
        vm.prank(holder1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, holder1, minter
            )
        );
        token.mint(holder1, 1);
    }

    function test_mintingStopsAtTheCap() public {
        uint256 room = token.mintable();
        assertEq(room, CAP - GENESIS_SUPPLY, "cap less supply");
        vm.startPrank(address(escrow));
        token.mint(holder1, room);
        vm.expectRevert(abi.encodeWithSelector(ERC20Capped.ERC20ExceededCap.selector, CAP + 1, CAP));
        token.mint(holder1, 1);
        vm.stopPrank();
        assertEq(token.mintable(), 0, "nothing left");
    }

    function test_theTreasuryIsDelegatedToItselfForGood() public {
        assertEq(token.delegates(address(timelock)), address(timelock), "self-delegated");
        vm.prank(address(timelock));
        vm.expectRevert(
            abi.encodeWithSelector(IWorkToken.TreasuryDelegationFixed.selector, holder1)
        );
        token.delegate(holder1);
        vm.prank(address(timelock));
        token.delegate(address(timelock)); // to itself: allowed, nothing changes
        vm.expectRevert(IWorkToken.TreasuryRequired.selector);
        new WorkToken(address(this), address(0), address(this), 0, CAP);
        WorkToken empty = new WorkToken(address(this), holder1, address(this), 0, CAP);
        assertEq(empty.totalSupply(), 0, "no genesis");
        assertEq(token.nonces(holder1), 0, "permit nonces");
    }
}
