// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {JetonTest} from "../utils/JetonTest.sol";
import {GovernanceHandler} from "./GovernanceHandler.sol";

/**
 * @title GovernanceInvariants
 * @notice DESIGN.md's invariants 5 and 8 on random sequences of {GovernanceHandler}'s actions:
 * transfers and delegations (the treasury's refused), reputation earned and lost through the
 * escrow, rewards minted, blocks mined, the DAO's weight moved, and whole proposals that move a
 * voting setting or the timelock's delay or grace period within or past their bounds.
 */
contract GovernanceInvariants is JetonTest {
    GovernanceHandler internal handler;

    function setUp() public {
        deploySystem();
        handler = new GovernanceHandler(
            GovernanceHandler.System({
                token: token,
                votes: votes,
                governor: governor,
                timelock: timelock,
                escrow: escrow,
                reputation: reputation,
                arbiter: arbiter
            })
        );
        bytes4[] memory selectors = new bytes4[](7);
        uint256[] memory weights = new uint256[](7);
        (selectors[0], weights[0]) = (GovernanceHandler.transfer.selector, 4);
        (selectors[1], weights[1]) = (GovernanceHandler.delegate.selector, 3);
        (selectors[2], weights[2]) = (GovernanceHandler.earn.selector, 3);
        (selectors[3], weights[3]) = (GovernanceHandler.collectRewards.selector, 1);
        (selectors[4], weights[4]) = (GovernanceHandler.mine.selector, 4);
        (selectors[5], weights[5]) = (GovernanceHandler.setWeight.selector, 2);
        (selectors[6], weights[6]) = (GovernanceHandler.govern.selector, 1);
        targetFunctions(address(handler), selectors, weights);
    }

    /**
     * @notice After every call, on the last block recorded before it:
     * 5. voting power is read at a past block exactly as it was at its end (tokens bought,
     *    borrowed, delegated or sent to the treasury after it, reputation earned or lost after
     *    it, a weight moved after it count for nothing), through WorkVotes and the governor; the
     *    treasury never votes; and every actor's votes now are its token votes plus the weight
     *    times its voting points.
     * 8. the DAO can always act: the quorum at that block is its share of the votes that can
     *    exist and never more than half of them; the votes needed to propose never exceed 1% of
     *    them; every voting setting, the timelock's delay and grace period lie within their
     *    bounds and equal the model, which moves them only by a passed proposal within bounds
     *    and steps (each proposal also checks that one past them fails at execution and can not
     *    be executed later by a stranger).
     */
    function invariant_votingPowerAndSettings() public view {
        handler.checkInvariants();
    }

    /// @notice At the end of every run, 5 and 8 on every block recorded.
    function afterInvariant() public view {
        handler.checkEveryBlock();
    }
}
