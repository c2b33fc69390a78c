// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {JetonTest} from "../utils/JetonTest.sol";
import {EscrowHandler} from "./EscrowHandler.sol";
import {EscrowModel} from "./EscrowModel.sol";

/**
 * @title EscrowInvariants
 * @notice DESIGN.md's invariants of the escrow, the rulebook and reputation, on random
 * sequences of every action {EscrowHandler} offers (posts with and without a bond or a permit,
 * claims, submissions, approvals, releases, cancellations, reclaims, disputes, rulings,
 * settlements, reward collections, withdrawals, fee sweeps, freezes, time jumps and the DAO's
 * rule, token, treasury and arbiter changes).
 *
 * One campaign checks them all: forge 1.7 runs each `invariant_*` function as a campaign of its
 * own (FOUNDRY_INVARIANT_RUNS runs of FOUNDRY_INVARIANT_DEPTH calls; foundry.toml's defaults are
 * 256 and 100), so one function per invariant would repeat the same random search once per
 * invariant. Here every invariant is checked in every run instead, each failure message starting
 * with the number of the invariant it breaks. Every action also checks its own transition
 * (predicted refusals, amounts moved, reputation and rewards), and `afterInvariant` ends every
 * run by taking every live task to its exit under the worst conditions (invariant 4). These add
 * to the Hypothesis machine on anvil (tests/test_escrow_invariants.py), which checks the same
 * on a real node and its receipts.
 */
contract EscrowInvariants is JetonTest {
    EscrowHandler internal handler;

    function setUp() public {
        deploySystem();
        handler = new EscrowHandler(
            EscrowModel.System({
                escrow: escrow,
                rules: rules,
                reputation: reputation,
                jtn: token,
                usd: usd,
                votes: votes,
                timelock: address(timelock),
                arbiter: arbiter,
                arbiterKey: keyOf[arbiter]
            })
        );
        // Each action and its weight: how often the fuzzer draws it.
        (bytes4[] memory selectors, uint256[] memory weights) = _actions(
            [
                abi.encode(EscrowHandler.advance.selector, 8),
                abi.encode(EscrowHandler.post.selector, 4),
                abi.encode(EscrowHandler.claim.selector, 3),
                abi.encode(EscrowHandler.submit.selector, 2),
                abi.encode(EscrowHandler.approve.selector, 2),
                abi.encode(EscrowHandler.release.selector, 2),
                abi.encode(EscrowHandler.cancel.selector, 1),
                abi.encode(EscrowHandler.reclaim.selector, 2),
                abi.encode(EscrowHandler.dispute.selector, 2),
                abi.encode(EscrowHandler.resolve.selector, 2),
                abi.encode(EscrowHandler.settleDispute.selector, 2),
                abi.encode(EscrowHandler.collectRewards.selector, 1),
                abi.encode(EscrowHandler.withdraw.selector, 2),
                abi.encode(EscrowHandler.sweepFees.selector, 1),
                abi.encode(EscrowHandler.freeze.selector, 2),
                abi.encode(EscrowHandler.warp.selector, 3),
                abi.encode(EscrowHandler.changeRule.selector, 2),
                abi.encode(EscrowHandler.setPaymentToken.selector, 1),
                abi.encode(EscrowHandler.setTreasury.selector, 1),
                abi.encode(EscrowHandler.setArbiter.selector, 1),
                abi.encode(EscrowHandler.exitUnderDuress.selector, 1)
            ]
        );
        targetFunctions(address(handler), selectors, weights);
    }

    function _actions(bytes[21] memory pairs)
        private
        pure
        returns (bytes4[] memory selectors, uint256[] memory weights)
    {
        selectors = new bytes4[](pairs.length);
        weights = new uint256[](pairs.length);
        for (uint256 i = 0; i < pairs.length; ++i) {
            (selectors[i], weights[i]) = abi.decode(pairs[i], (bytes4, uint256));
        }
    }

    /**
     * @notice DESIGN.md's invariants 1 and 3 after every call, on a fixed number of reads so that
     * the campaign stays fast ({EscrowModel-checkInvariants}); every action checks 1, 2, 3, 6, 7
     * and 9 on what it touched as it happens ({EscrowActions}); every run ends with
     * {afterInvariant}, which checks everything on every task and actor, then 4.
     */
    function invariant_escrowDesign() public view {
        handler.checkInvariants();
    }

    /**
     * @notice The end of every run: everything against the model and the chain's own figures
     * (1, 2, 3, 7, 9: {EscrowModel-checkEverything}); then 4: with the DAO at its worst and
     * every party and the treasury frozen, every live task exits; once unfrozen, every kept
     * payout, fee and reward leaves, and the escrow holds only the one base unit of fees a sweep
     * leaves.
     */
    function afterInvariant() public {
        handler.checkEverything();
        handler.exitEverything();
        handler.checkEverything();
        (IERC20 jtn, IERC20 stable) = handler.paymentTokens();
        assertEq(handler.liveTasks().length, 0, "4 a task did not exit");
        assertEq(jtn.balanceOf(address(escrow)), escrow.accruedFees(address(jtn)), "4 JTN left");
        assertEq(
            stable.balanceOf(address(escrow)), escrow.accruedFees(address(stable)), "4 USD left"
        );
        assertLe(escrow.accruedFees(address(jtn)), 1, "4 JTN fees left");
        assertLe(escrow.accruedFees(address(stable)), 1, "4 USD fees left");
    }
}
