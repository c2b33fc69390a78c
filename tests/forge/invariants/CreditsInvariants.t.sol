// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {JetonTest} from "../utils/JetonTest.sol";
import {CreditsHandler} from "./CreditsHandler.sol";

/**
 * @title CreditsInvariants
 * @notice The access credits' invariants on random sequences of {CreditsHandler}'s actions
 * (services added, priced, paused, resumed and removed by the DAO, the DAO's cut moved, buys
 * with approvals and permits, uses, refunds, withdrawals, sweeps, time). They add to the
 * Hypothesis machine on anvil (tests/test_credits_invariants.py).
 */
contract CreditsInvariants is JetonTest {
    CreditsHandler internal handler;

    function setUp() public {
        deploySystem();
        handler = new CreditsHandler(credits, rules, address(timelock));
        bytes4[] memory selectors = new bytes4[](10);
        uint256[] memory weights = new uint256[](10);
        (selectors[0], weights[0]) = (CreditsHandler.addService.selector, 2);
        (selectors[1], weights[1]) = (CreditsHandler.setPrice.selector, 2);
        (selectors[2], weights[2]) = (CreditsHandler.setStatus.selector, 2);
        (selectors[3], weights[3]) = (CreditsHandler.setCut.selector, 1);
        (selectors[4], weights[4]) = (CreditsHandler.buy.selector, 6);
        (selectors[5], weights[5]) = (CreditsHandler.consume.selector, 5);
        (selectors[6], weights[6]) = (CreditsHandler.refund.selector, 2);
        (selectors[7], weights[7]) = (CreditsHandler.withdrawProceeds.selector, 2);
        (selectors[8], weights[8]) = (CreditsHandler.sweepCut.selector, 1);
        (selectors[9], weights[9]) = (CreditsHandler.warp.selector, 3);
        targetFunctions(address(handler), selectors, weights);
    }

    /**
     * @notice After every call: the contract's balance is what unused credits paid, plus the
     * providers' proceeds, plus the DAO's accrued cut, and exactly what came in less what went
     * out; every price in force and status is the model's (prices move only within their step,
     * a week apart, a rise a week after it is set; every action checked its own effects).
     */
    function invariant_creditsConservedAndPricesStepped() public view {
        handler.checkInvariants();
    }

    /// @notice The end of every run: every credit and proceeds equal the model, no unit made up,
    /// and every token can leave (refunds once the DAO pauses, withdrawals, the sweep).
    function afterInvariant() public {
        handler.exitEverything();
    }
}
