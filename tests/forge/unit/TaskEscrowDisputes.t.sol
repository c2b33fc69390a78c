// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ITaskEscrow} from "../../../contracts/interfaces/ITaskEscrow.sol";
import {EscrowTestBase} from "./EscrowTestBase.sol";

/**
 * @title TaskEscrowDisputesTest
 * @notice Every path and refusal of a dispute: opened by either party (with an approval or a
 * permit, with or without a bond), ruled by an arbiter within the window at every kind of share,
 * settled by a party after it; each with every party's net outcome in tokens.
 */
contract TaskEscrowDisputesTest is EscrowTestBase {
    uint256 internal constant BOND = AMOUNT / 10;
    uint256 internal constant FEE = AMOUNT * FEE_BPS / BPS;

    // ----------------------------------------------------------------- opening

    function test_dispute_byTheClientStakesTheBondAndOpensTheWindow() public {
        uint256 id = submitted(token, AMOUNT);
        uint256 before = token.balanceOf(client);
        uint64 ends = uint64(block.timestamp + DISPUTE_WINDOW);
        vm.prank(client);
        token.approve(address(escrow), BOND);
        vm.expectEmit(true, true, false, true, address(escrow));
        emit ITaskEscrow.TaskDisputed(id, client, ends, BOND);
        vm.prank(client);
        escrow.dispute(id);
        ITaskEscrow.Task memory t = escrow.getTask(id);
        assertEq(uint256(t.status), uint256(ITaskEscrow.Status.Disputed), "disputed");
        assertEq(t.windowEnds, ends, "arbitration window");
        assertEq(before - token.balanceOf(client), BOND, "dispute bond staked");
        assertEq(token.balanceOf(address(escrow)), AMOUNT + 2 * BOND, "deposit and both bonds");
    }

    function test_disputeWithPermit_byTheWorker() public {
        uint256 id = submitted(token, AMOUNT);
        (uint256 permitDeadline, uint8 v, bytes32 r, bytes32 s) =
            permitForEscrow(address(token), worker, BOND);
        uint256 before = token.balanceOf(worker);
        vm.prank(worker);
        escrow.disputeWithPermit(id, permitDeadline, v, r, s);
        assertEq(before - token.balanceOf(worker), BOND, "bond staked with the permit");
    }

    function test_dispute_withNoBondStakesNothing() public {
        uint256 id = postWithBond(token, AMOUNT, address(0), 0);
        claim(id, worker);
        submit(id);
        uint256 before = token.balanceOf(client);
        vm.prank(client);
        escrow.disputeWithPermit(id, 0, 0, bytes32(0), bytes32(0));
        assertEq(token.balanceOf(client), before, "nothing staked");
        uint256 id2 = postWithBond(token, AMOUNT, address(0), 0);
        claim(id2, worker);
        submit(id2);
        vm.prank(worker);
        escrow.dispute(id2);
        assertEq(uint256(escrow.getTask(id2).status), uint256(ITaskEscrow.Status.Disputed), "open");
    }

    function test_dispute_refusals() public {
        uint256 id = post(token, AMOUNT, address(0), 0);
        vm.prank(client);
        vm.expectRevert(
            abi.encodeWithSelector(
                ITaskEscrow.TaskNotSubmitted.selector, id, ITaskEscrow.Status.Open
            )
        );
        escrow.dispute(id);
        claim(id, worker);
        submit(id);
        vm.prank(other);
        vm.expectRevert(abi.encodeWithSelector(ITaskEscrow.NotTaskParty.selector, id, other));
        escrow.dispute(id);
        uint64 reviewEnds = escrow.getTask(id).windowEnds;
        vm.warp(reviewEnds + 1);
        vm.prank(client);
        vm.expectRevert(
            abi.encodeWithSelector(ITaskEscrow.ReviewPeriodOver.selector, id, reviewEnds)
        );
        escrow.dispute(id);
    }

    function test_dispute_usesTheWindowInForceWhenItOpens() public {
        uint256 id = submitted(token, AMOUNT);
        asDao();
        rules.setDisputeWindow(DISPUTE_WINDOW + 1 days);
        dispute(id, client);
        assertEq(
            escrow.getTask(id).windowEnds, block.timestamp + DISPUTE_WINDOW + 1 days, "new window"
        );
    }

    // ----------------------------------------------------------------- rulings

    function test_resolve_allToTheWorker_bothBondsToIt() public {
        uint256 id = disputed(token, AMOUNT);
        uint256 workerBefore = token.balanceOf(worker);
        uint256 clientBefore = token.balanceOf(client);
        vm.expectEmit(true, true, false, true, address(escrow));
        emit ITaskEscrow.TaskResolved(
            id, arbiter, uint16(BPS), AMOUNT - FEE, 0, FEE, FEE / 2, 2 * BOND
        );
        vm.prank(arbiter);
        escrow.resolve(id, uint16(BPS));
        // The client disputed good work: it paid the deposit and lost its dispute bond.
        assertEq(token.balanceOf(worker) - workerBefore, AMOUNT - FEE + 2 * BOND, "worker");
        assertEq(token.balanceOf(client), clientBefore, "nothing back to the client");
        assertEq(reputation.pointsOf(worker), 500, "points for the work");
        assertEq(escrow.rewardsOwed(worker), FEE / 2, "reward");
        assertEq(uint256(escrow.getTask(id).status), uint256(ITaskEscrow.Status.Resolved), "final");
    }

    function test_resolve_half_isAWinForTheWorker() public {
        uint256 id = disputed(token, AMOUNT);
        uint256 workerBefore = token.balanceOf(worker);
        uint256 clientBefore = token.balanceOf(client);
        vm.prank(arbiter);
        escrow.resolve(id, 5_000);
        uint256 gross = AMOUNT / 2;
        uint256 fee = gross * FEE_BPS / BPS;
        assertEq(token.balanceOf(worker) - workerBefore, gross - fee + 2 * BOND, "worker");
        assertEq(token.balanceOf(client) - clientBefore, AMOUNT - gross, "client");
        assertEq(reputation.pointsOf(worker), fee / 1e17, "points for the half paid");
    }

    function test_resolve_lessThanHalf_costsTheWorkerItsReputation() public {
        complete(post(token, AMOUNT, address(0), 0), worker); // 500 points to lose
        uint256 id = disputed(token, AMOUNT);
        uint256 workerBefore = token.balanceOf(worker);
        uint256 clientBefore = token.balanceOf(client);
        vm.prank(arbiter);
        escrow.resolve(id, 4_999);
        uint256 gross = AMOUNT * 4_999 / BPS;
        uint256 fee = gross * FEE_BPS / BPS;
        assertEq(token.balanceOf(worker) - workerBefore, gross - fee, "worker: its share, no bonds");
        assertEq(
            token.balanceOf(client) - clientBefore, AMOUNT - gross + 2 * BOND, "client: both bonds"
        );
        assertEq(reputation.pointsOf(worker), 0, "the whole task's points taken");
        assertEq(reputation.votingPointsOf(worker), 0, "and its voting points");
        assertEq(escrow.rewardsOwed(worker), FEE / 2, "only the earlier task's reward");
    }

    function test_resolve_nothing_junkLosesItsClaimantTheBond() public {
        uint256 id = disputed(token, AMOUNT);
        uint256 workerBefore = token.balanceOf(worker);
        uint256 clientBefore = token.balanceOf(client);
        vm.prank(arbiter);
        escrow.resolve(id, 0);
        // Net: the worker lost its 100 JTN bond; the client got everything back and the bond.
        assertEq(token.balanceOf(worker), workerBefore, "nothing to the worker");
        assertEq(token.balanceOf(client) - clientBefore, AMOUNT + 2 * BOND, "all to the client");
        assertEq(escrow.accruedFees(address(token)), 0, "no fee on nothing paid");
    }

    function test_resolve_inAStablecoin_slashesThroughTheUnit() public {
        complete(post(usd, USD_AMOUNT, address(0), 0), worker);
        assertEq(reputation.pointsOf(worker), 500, "tier points from USD");
        uint256 id = disputed(usd, USD_AMOUNT);
        vm.prank(arbiter);
        escrow.resolve(id, 0);
        assertEq(reputation.pointsOf(worker), 0, "slashed by the task's worth in points");
    }

    function test_resolve_refusals() public {
        uint256 id = submitted(token, AMOUNT);
        vm.prank(arbiter);
        vm.expectRevert(
            abi.encodeWithSelector(
                ITaskEscrow.TaskNotDisputed.selector, id, ITaskEscrow.Status.Submitted
            )
        );
        escrow.resolve(id, 0);
        dispute(id, client);
        vm.prank(other);
        vm.expectRevert(abi.encodeWithSelector(ITaskEscrow.NotArbiter.selector, other));
        escrow.resolve(id, 0);
        vm.prank(arbiter);
        vm.expectRevert(abi.encodeWithSelector(ITaskEscrow.InvalidShare.selector, uint16(BPS + 1)));
        escrow.resolve(id, uint16(BPS + 1));
        uint64 ends = escrow.getTask(id).windowEnds;
        vm.warp(ends + 1);
        vm.prank(arbiter);
        vm.expectRevert(
            abi.encodeWithSelector(ITaskEscrow.ArbitrationWindowOver.selector, id, ends)
        );
        escrow.resolve(id, 0);
    }

    function test_resolve_refusesAnArbiterWhoIsAParty() public {
        asDao();
        rules.setArbiter(client, true);
        asDao();
        rules.setArbiter(worker, true);
        uint256 id = disputed(token, AMOUNT);
        vm.prank(client);
        vm.expectRevert(abi.encodeWithSelector(ITaskEscrow.ArbiterIsParty.selector, id, client));
        escrow.resolve(id, 0);
        vm.prank(worker);
        vm.expectRevert(abi.encodeWithSelector(ITaskEscrow.ArbiterIsParty.selector, id, worker));
        escrow.resolve(id, uint16(BPS));
    }

    // ----------------------------------------------------------------- settlements

    function test_settleDispute_afterTheWindow_undoesItForTheClient() public {
        uint256 id = disputed(token, AMOUNT);
        uint64 ends = escrow.getTask(id).windowEnds;
        vm.warp(ends);
        vm.prank(client);
        vm.expectRevert(
            abi.encodeWithSelector(ITaskEscrow.ArbitrationWindowActive.selector, id, ends)
        );
        escrow.settleDispute(id);
        vm.warp(ends + 1);
        uint256 clientBefore = token.balanceOf(client);
        uint256 workerBefore = token.balanceOf(worker);
        vm.expectEmit(true, true, false, true, address(escrow));
        emit ITaskEscrow.TaskSettled(id, worker, AMOUNT, 2 * BOND);
        vm.prank(worker);
        escrow.settleDispute(id);
        // Net: junk with no ruling still costs its claimant the bond; no fee, reward or points.
        assertEq(token.balanceOf(client) - clientBefore, AMOUNT + 2 * BOND, "client");
        assertEq(token.balanceOf(worker), workerBefore, "worker");
        assertEq(reputation.pointsOf(worker), 0, "no points");
        assertEq(escrow.rewardsOwed(worker), 0, "no reward");
        assertEq(escrow.accruedFees(address(token)), 0, "no fee");
    }

    function test_settleDispute_refusals() public {
        uint256 id = submitted(token, AMOUNT);
        vm.prank(client);
        vm.expectRevert(
            abi.encodeWithSelector(
                ITaskEscrow.TaskNotDisputed.selector, id, ITaskEscrow.Status.Submitted
            )
        );
        escrow.settleDispute(id);
        dispute(id, worker);
        vm.warp(escrow.getTask(id).windowEnds + 1);
        vm.prank(other);
        vm.expectRevert(abi.encodeWithSelector(ITaskEscrow.NotTaskParty.selector, id, other));
        escrow.settleDispute(id);
        vm.prank(client);
        escrow.settleDispute(id);
        assertEq(uint256(escrow.getTask(id).status), uint256(ITaskEscrow.Status.Resolved), "final");
    }
}
