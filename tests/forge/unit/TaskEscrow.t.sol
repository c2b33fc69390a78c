// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ITaskEscrow} from "../../../contracts/interfaces/ITaskEscrow.sol";
import {IPlatformRules} from "../../../contracts/interfaces/IPlatformRules.sol";
import {FeeOnTransferToken} from "../../../contracts/mocks/FeeOnTransferToken.sol";
import {MockERC20} from "../../../contracts/mocks/MockERC20.sol";
import {EscrowTestBase} from "./EscrowTestBase.sol";

/**
 * @title TaskEscrowTest
 * @notice Every path and every refusal of the escrow's lifecycle: posting (with and without a
 * permit or a bond of the client's), claiming, submitting, approving, releasing, cancelling and
 * reclaiming, each with each party's net outcome in tokens. Disputes, pull payments and attacks
 * are in TaskEscrowDisputes.t.sol and TaskEscrowPayments.t.sol.
 */
contract TaskEscrowTest is EscrowTestBase {
    // ----------------------------------------------------------------- posting

    function test_postTask_locksTheTermsAndTakesTheDeposit() public {
        uint256 before = token.balanceOf(client);
        vm.prank(client);
        token.approve(address(escrow), AMOUNT);
        vm.expectEmit(true, true, true, true, address(escrow));
        emit ITaskEscrow.TaskPosted(
            1,
            client,
            address(0),
            address(token),
            AMOUNT,
            deadline(),
            0,
            FEE_BPS,
            REWARD_BPS,
            REVIEW_PERIOD,
            CLAIM_BOND_BPS,
            SPEC
        );
        vm.prank(client);
        uint256 id = escrow.postTask(address(token), AMOUNT, deadline(), 0, SPEC, address(0));

        assertEq(id, 1, "first id");
        assertEq(escrow.taskCount(), 1, "count");
        ITaskEscrow.Task memory t = escrow.getTask(id);
        assertEq(t.client, client, "client");
        assertEq(t.worker, address(0), "no worker yet");
        assertEq(uint256(t.status), uint256(ITaskEscrow.Status.Open), "open");
        assertEq(t.amount, AMOUNT, "amount");
        assertEq(t.feeBps, FEE_BPS, "fee locked");
        assertEq(t.rewardBps, REWARD_BPS, "reward locked");
        assertEq(t.reviewPeriod, REVIEW_PERIOD, "review period locked");
        assertEq(t.bondBps, CLAIM_BOND_BPS, "the DAO's default bond");
        assertEq(escrow.bondOf(id), AMOUNT / 10, "bond");
        assertEq(before - token.balanceOf(client), AMOUNT, "client paid the deposit");
        assertEq(token.balanceOf(address(escrow)), AMOUNT, "escrow holds it");
    }

    function test_postTaskWithPermit_needsNoApproval() public {
        (uint256 permitDeadline, uint8 v, bytes32 r, bytes32 s) =
            permitForEscrow(address(token), client, AMOUNT);
        vm.prank(client);
        uint256 id = escrow.postTaskWithPermit(
            address(token), AMOUNT, deadline(), 0, SPEC, address(0), permitDeadline, v, r, s
        );
        assertEq(escrow.getTask(id).amount, AMOUNT, "posted");
        assertEq(token.balanceOf(address(escrow)), AMOUNT, "deposit moved by the permit");
    }

    function test_postTaskWithPermit_survivesAFrontRunPermit() public {
        (uint256 permitDeadline, uint8 v, bytes32 r, bytes32 s) =
            permitForEscrow(address(token), client, AMOUNT);
        // Someone submits the permit first: the post ignores its failure and uses the allowance.
        token.permit(client, address(escrow), AMOUNT, permitDeadline, v, r, s);
        vm.prank(client);
        uint256 id = escrow.postTaskWithPermit(
            address(token), AMOUNT, deadline(), 0, SPEC, address(0), permitDeadline, v, r, s
        );
        assertEq(escrow.getTask(id).amount, AMOUNT, "posted");
    }

    function test_postTaskWithPermit_withoutAllowanceFailsAtTheTransfer() public {
        (uint256 permitDeadline, uint8 v, bytes32 r, bytes32 s) =
            permitForEscrow(address(token), client, AMOUNT - 1); // signed for another value
        vm.prank(client);
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientAllowance.selector, address(escrow), 0, AMOUNT
            )
        );
        escrow.postTaskWithPermit(
            address(token), AMOUNT, deadline(), 0, SPEC, address(0), permitDeadline, v, r, s
        );
    }

    function test_postTaskWithBond_takesTheClientsBond() public {
        vm.prank(client);
        token.approve(address(escrow), AMOUNT);
        vm.prank(client);
        uint256 id = escrow.postTaskWithBond(
            address(token), AMOUNT, deadline(), 0, SPEC, address(0), uint16(BPS)
        );
        assertEq(escrow.getTask(id).bondBps, BPS, "a 100% bond");
        assertEq(escrow.bondOf(id), AMOUNT, "bond is the whole deposit");
    }

    function test_postTaskWithBondAndPermit_zeroBond() public {
        (uint256 permitDeadline, uint8 v, bytes32 r, bytes32 s) =
            permitForEscrow(address(token), client, AMOUNT);
        vm.prank(client);
        uint256 id = escrow.postTaskWithBondAndPermit(
            address(token), AMOUNT, deadline(), 0, SPEC, worker, 0, permitDeadline, v, r, s
        );
        assertEq(escrow.getTask(id).bondBps, 0, "no bond");
        assertEq(escrow.getTask(id).worker, worker, "named worker");
        assertEq(escrow.bondOf(id), 0, "nothing to stake");
    }

    function test_post_inAStablecoinMeasuresWhatArrived() public {
        uint256 id = post(usd, USD_AMOUNT, address(0), 0);
        assertEq(usd.balanceOf(address(escrow)), USD_AMOUNT, "stablecoin deposit");
        assertEq(address(escrow.getTask(id).token), address(usd), "token");
    }

    function test_post_refusesAZeroDeposit() public {
        vm.prank(client);
        vm.expectRevert(ITaskEscrow.ZeroAmount.selector);
        escrow.postTask(address(token), 0, deadline(), 0, SPEC, address(0));
    }

    function test_post_refusesADeadlineNotInTheFuture() public {
        uint64 now_ = uint64(block.timestamp);
        vm.prank(client);
        vm.expectRevert(abi.encodeWithSelector(ITaskEscrow.DeadlineInPast.selector, now_));
        escrow.postTask(address(token), AMOUNT, now_, 0, SPEC, address(0));
    }

    function test_post_refusesAClientNamingItself() public {
        vm.prank(client);
        vm.expectRevert(abi.encodeWithSelector(ITaskEscrow.ClientCannotWork.selector, client));
        escrow.postTask(address(token), AMOUNT, deadline(), 0, SPEC, client);
    }

    function test_post_refusesABondOverTheDeposit() public {
        vm.prank(client);
        vm.expectRevert(abi.encodeWithSelector(ITaskEscrow.InvalidBond.selector, uint16(BPS + 1)));
        escrow.postTaskWithBond(
            address(token), AMOUNT, deadline(), 0, SPEC, address(0), uint16(BPS + 1)
        );
    }

    function test_post_refusesATokenTheDaoDidNotAllow() public {
        MockERC20 other = new MockERC20("Other", "OTH", 18);
        vm.prank(client);
        vm.expectRevert(
            abi.encodeWithSelector(IPlatformRules.TokenNotAllowed.selector, address(other))
        );
        escrow.postTask(address(other), AMOUNT, deadline(), 0, SPEC, address(0));
    }

    function test_post_refusesAFeeOnTransferToken() public {
        FeeOnTransferToken leaky = new FeeOnTransferToken();
        asDao();
        rules.setPaymentToken(address(leaky), true, 1e18);
        leaky.mint(client, AMOUNT);
        vm.startPrank(client);
        leaky.approve(address(escrow), AMOUNT);
        vm.expectRevert(
            abi.encodeWithSelector(
                ITaskEscrow.TransferAmountMismatch.selector,
                address(leaky),
                AMOUNT,
                AMOUNT - AMOUNT / 100
            )
        );
        escrow.postTask(address(leaky), AMOUNT, deadline(), 0, SPEC, address(0));
        vm.stopPrank();
    }

    function test_post_refusesAnAmountOrDeadlinePastItsStorage() public {
        uint256 tooMuch = uint256(type(uint96).max) + 1;
        vm.prank(client);
        vm.expectRevert(
            abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 96, tooMuch)
        );
        escrow.postTask(address(token), tooMuch, deadline(), 0, SPEC, address(0));
        uint64 tooLate = uint64(type(uint40).max) + 1;
        vm.prank(client);
        vm.expectRevert(
            abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 40, tooLate)
        );
        escrow.postTask(address(token), AMOUNT, tooLate, 0, SPEC, address(0));
    }

    function test_post_keepsTheTermsWhenTheRulesChangeLater() public {
        uint256 id = post(token, AMOUNT, address(0), 0);
        asDao();
        rules.setFeeBps(FEE_BPS + 100);
        asDao();
        rules.setClaimBondBps(CLAIM_BOND_BPS + 500);
        ITaskEscrow.Task memory t = escrow.getTask(id);
        assertEq(t.feeBps, FEE_BPS, "fee unchanged");
        assertEq(t.bondBps, CLAIM_BOND_BPS, "bond unchanged");
        uint256 later = post(token, AMOUNT, address(0), 0);
        assertEq(escrow.getTask(later).feeBps, FEE_BPS + 100, "a later task takes the new fee");
    }

    // ----------------------------------------------------------------- claiming

    function test_claim_stakesTheBond() public {
        uint256 id = post(token, AMOUNT, address(0), 0);
        uint256 before = token.balanceOf(worker);
        vm.prank(worker);
        token.approve(address(escrow), AMOUNT / 10);
        vm.expectEmit(true, true, false, true, address(escrow));
        emit ITaskEscrow.TaskClaimed(id, worker, AMOUNT / 10);
        vm.prank(worker);
        escrow.claim(id);
        ITaskEscrow.Task memory t = escrow.getTask(id);
        assertEq(uint256(t.status), uint256(ITaskEscrow.Status.Claimed), "claimed");
        assertEq(t.worker, worker, "worker");
        assertEq(before - token.balanceOf(worker), AMOUNT / 10, "bond staked");
    }

    function test_claimWithPermit_stakesTheBondInOneTransaction() public {
        uint256 id = post(token, AMOUNT, address(0), 0);
        (uint256 permitDeadline, uint8 v, bytes32 r, bytes32 s) =
            permitForEscrow(address(token), worker, AMOUNT / 10);
        uint256 before = token.balanceOf(worker);
        vm.prank(worker);
        escrow.claimWithPermit(id, permitDeadline, v, r, s);
        assertEq(before - token.balanceOf(worker), AMOUNT / 10, "bond staked");
    }

    function test_claimWithPermit_withNoBondUsesNoPermit() public {
        uint256 id = postWithBond(token, AMOUNT, address(0), 0);
        vm.prank(worker);
        escrow.claimWithPermit(id, 0, 0, bytes32(0), bytes32(0));
        assertEq(escrow.getTask(id).worker, worker, "claimed with nothing staked");
    }

    function test_claim_withNoBondMovesNothing() public {
        uint256 id = postWithBond(token, AMOUNT, address(0), 0);
        uint256 before = token.balanceOf(worker);
        vm.prank(worker);
        escrow.claim(id);
        assertEq(token.balanceOf(worker), before, "nothing staked");
    }

    function test_claim_byTheNamedWorkerOnly() public {
        uint256 id = post(token, AMOUNT, worker, 0);
        vm.prank(other);
        vm.expectRevert(abi.encodeWithSelector(ITaskEscrow.NotNamedWorker.selector, id, worker));
        escrow.claim(id);
        claim(id, worker);
        assertEq(escrow.getTask(id).worker, worker, "the named worker");
    }

    function test_claim_needsTheReputationAsked() public {
        uint256 id = post(token, AMOUNT, address(0), 50);
        vm.prank(worker);
        vm.expectRevert(abi.encodeWithSelector(ITaskEscrow.ReputationTooLow.selector, id, 0, 50));
        escrow.claim(id);
        // 1,000 JTN at 5% pays 50 JTN of fee: 500 points.
        complete(post(token, AMOUNT, address(0), 0), worker);
        assertEq(reputation.pointsOf(worker), 500, "earned");
        claim(id, worker);
        assertEq(escrow.getTask(id).worker, worker, "now it qualifies");
    }

    function test_claim_refusesATaskNotOpen() public {
        uint256 id = post(token, AMOUNT, address(0), 0);
        claim(id, worker);
        vm.prank(other);
        vm.expectRevert(
            abi.encodeWithSelector(ITaskEscrow.TaskNotOpen.selector, id, ITaskEscrow.Status.Claimed)
        );
        escrow.claim(id);
        vm.prank(other);
        vm.expectRevert(
            abi.encodeWithSelector(ITaskEscrow.TaskNotOpen.selector, 99, ITaskEscrow.Status.None)
        );
        escrow.claim(99);
    }

    function test_claim_refusesAfterTheDeadline() public {
        uint256 id = post(token, AMOUNT, address(0), 0);
        vm.warp(deadline() + 1);
        vm.prank(worker);
        vm.expectRevert(abi.encodeWithSelector(ITaskEscrow.DeadlinePassed.selector, id, deadline()));
        escrow.claim(id);
    }

    function test_claim_refusesTheClient() public {
        uint256 id = post(token, AMOUNT, address(0), 0);
        vm.prank(client);
        vm.expectRevert(abi.encodeWithSelector(ITaskEscrow.ClientCannotWork.selector, client));
        escrow.claim(id);
    }

    // ----------------------------------------------------------------- submitting

    function test_submit_opensTheReviewPeriod() public {
        uint256 id = post(token, AMOUNT, address(0), 0);
        claim(id, worker);
        uint64 reviewEnds = uint64(block.timestamp + REVIEW_PERIOD);
        vm.expectEmit(true, true, false, true, address(escrow));
        emit ITaskEscrow.TaskSubmitted(id, worker, DELIVERY, reviewEnds);
        vm.prank(worker);
        escrow.submit(id, DELIVERY);
        ITaskEscrow.Task memory t = escrow.getTask(id);
        assertEq(uint256(t.status), uint256(ITaskEscrow.Status.Submitted), "submitted");
        assertEq(t.windowEnds, reviewEnds, "review ends");
    }

    function test_submit_refusals() public {
        uint256 id = post(token, AMOUNT, address(0), 0);
        vm.prank(worker);
        vm.expectRevert(
            abi.encodeWithSelector(ITaskEscrow.TaskNotClaimed.selector, id, ITaskEscrow.Status.Open)
        );
        escrow.submit(id, DELIVERY);
        claim(id, worker);
        vm.prank(other);
        vm.expectRevert(abi.encodeWithSelector(ITaskEscrow.NotTaskWorker.selector, id, other));
        escrow.submit(id, DELIVERY);
        vm.warp(deadline() + 1);
        vm.prank(worker);
        vm.expectRevert(abi.encodeWithSelector(ITaskEscrow.DeadlinePassed.selector, id, deadline()));
        escrow.submit(id, DELIVERY);
    }

    // ----------------------------------------------------------------- approving and releasing

    function test_approve_paysTheWorkerAndCreditsTheReward() public {
        uint256 id = submitted(token, AMOUNT);
        uint256 workerBefore = token.balanceOf(worker);
        uint256 fee = AMOUNT * FEE_BPS / BPS; // 50 JTN
        vm.expectEmit(true, true, false, true, address(escrow));
        emit ITaskEscrow.TaskCompleted(
            id, worker, false, AMOUNT - fee, fee, fee / 2, 500, AMOUNT / 10
        );
        vm.prank(client);
        escrow.approve(id);

        assertEq(uint256(escrow.getTask(id).status), uint256(ITaskEscrow.Status.Completed), "done");
        assertEq(token.balanceOf(worker) - workerBefore, AMOUNT - fee + AMOUNT / 10, "pay and bond");
        assertEq(escrow.accruedFees(address(token)), fee, "fee accrued for the treasury");
        assertEq(escrow.rewardsOwed(worker), fee / 2, "half the fee as reward");
        assertEq(reputation.pointsOf(worker), 500, "tier points");
        assertEq(reputation.votingPointsOf(worker), 500, "voting points");
        assertEq(token.balanceOf(address(escrow)), fee, "only the fee stays");
        // Net: the client paid 1,000 JTN; the worker earned 950 JTN plus a 25 JTN reward.
    }

    function test_approve_inAStablecoinEarnsTierPointsOnly() public {
        uint256 id = submitted(usd, USD_AMOUNT);
        uint256 workerBefore = usd.balanceOf(worker);
        vm.prank(client);
        escrow.approve(id);
        uint256 fee = USD_AMOUNT * FEE_BPS / BPS; // 50 USD
        assertEq(usd.balanceOf(worker) - workerBefore, USD_AMOUNT - fee + USD_AMOUNT / 10, "paid");
        assertEq(reputation.pointsOf(worker), 500, "50 USD at 1 USD a JTN: 500 tier points");
        assertEq(reputation.votingPointsOf(worker), 0, "no votes from another token");
        assertEq(escrow.rewardsOwed(worker), 0, "no reward in another token");
    }

    function test_approve_aTaskTooSmallForAFeeEarnsNothing() public {
        uint256 id = submitted(token, 19); // 19 * 5% rounds to zero
        uint256 before = token.balanceOf(worker);
        vm.prank(client);
        escrow.approve(id);
        assertEq(token.balanceOf(worker) - before, 19 + 1, "the whole deposit, and the bond");
        assertEq(reputation.pointsOf(worker), 0, "no fee, no points");
        assertEq(escrow.rewardsOwed(worker), 0, "no fee, no reward");
        assertEq(escrow.accruedFees(address(token)), 0, "no fee");
    }

    function test_approve_refusals() public {
        uint256 id = post(token, AMOUNT, address(0), 0);
        claim(id, worker);
        vm.prank(client);
        vm.expectRevert(
            abi.encodeWithSelector(
                ITaskEscrow.TaskNotSubmitted.selector, id, ITaskEscrow.Status.Claimed
            )
        );
        escrow.approve(id);
        submit(id);
        vm.prank(worker);
        vm.expectRevert(abi.encodeWithSelector(ITaskEscrow.NotTaskClient.selector, id, worker));
        escrow.approve(id);
    }

    function test_release_paysTheWorkerAfterTheReviewPeriod() public {
        uint256 id = submitted(token, AMOUNT);
        uint64 reviewEnds = escrow.getTask(id).windowEnds;
        vm.warp(reviewEnds);
        vm.prank(worker);
        vm.expectRevert(
            abi.encodeWithSelector(ITaskEscrow.ReviewPeriodActive.selector, id, reviewEnds)
        );
        escrow.release(id);
        vm.warp(reviewEnds + 1);
        vm.prank(client);
        vm.expectRevert(abi.encodeWithSelector(ITaskEscrow.NotTaskWorker.selector, id, client));
        escrow.release(id);
        uint256 before = token.balanceOf(worker);
        uint256 fee = AMOUNT * FEE_BPS / BPS;
        vm.expectEmit(true, true, false, true, address(escrow));
        emit ITaskEscrow.TaskCompleted(
            id, worker, true, AMOUNT - fee, fee, fee / 2, 500, AMOUNT / 10
        );
        vm.prank(worker);
        escrow.release(id);
        assertEq(token.balanceOf(worker) - before, AMOUNT - fee + AMOUNT / 10, "released");
    }

    function test_release_refusesATaskNotSubmitted() public {
        uint256 id = post(token, AMOUNT, address(0), 0);
        vm.prank(worker);
        vm.expectRevert(
            abi.encodeWithSelector(
                ITaskEscrow.TaskNotSubmitted.selector, id, ITaskEscrow.Status.Open
            )
        );
        escrow.release(id);
    }

    // ----------------------------------------------------------------- cancelling and reclaiming

    function test_cancel_returnsTheDeposit() public {
        uint256 id = post(token, AMOUNT, address(0), 0);
        uint256 before = token.balanceOf(client);
        vm.prank(other);
        vm.expectRevert(abi.encodeWithSelector(ITaskEscrow.NotTaskClient.selector, id, other));
        escrow.cancel(id);
        vm.expectEmit(true, false, false, true, address(escrow));
        emit ITaskEscrow.TaskCancelled(id, AMOUNT);
        vm.prank(client);
        escrow.cancel(id);
        assertEq(token.balanceOf(client) - before, AMOUNT, "deposit back");
        assertEq(uint256(escrow.getTask(id).status), uint256(ITaskEscrow.Status.Cancelled), "final");
        vm.prank(client);
        vm.expectRevert(
            abi.encodeWithSelector(
                ITaskEscrow.TaskNotOpen.selector, id, ITaskEscrow.Status.Cancelled
            )
        );
        escrow.cancel(id);
    }

    function test_reclaim_forfeitsTheBondToTheClient() public {
        uint256 id = post(token, AMOUNT, address(0), 0);
        vm.prank(client);
        vm.expectRevert(
            abi.encodeWithSelector(ITaskEscrow.TaskNotClaimed.selector, id, ITaskEscrow.Status.Open)
        );
        escrow.reclaim(id);
        claim(id, worker);
        vm.warp(deadline());
        vm.prank(client);
        vm.expectRevert(
            abi.encodeWithSelector(ITaskEscrow.DeadlineNotPassed.selector, id, deadline())
        );
        escrow.reclaim(id);
        vm.warp(deadline() + 1);
        vm.prank(worker);
        vm.expectRevert(abi.encodeWithSelector(ITaskEscrow.NotTaskClient.selector, id, worker));
        escrow.reclaim(id);
        uint256 before = token.balanceOf(client);
        vm.expectEmit(true, false, false, true, address(escrow));
        emit ITaskEscrow.TaskReclaimed(id, AMOUNT, AMOUNT / 10);
        vm.prank(client);
        escrow.reclaim(id);
        // Net: the client +100 JTN (the bond), the worker -100 JTN for sitting on the task.
        assertEq(token.balanceOf(client) - before, AMOUNT + AMOUNT / 10, "deposit and bond");
        assertEq(uint256(escrow.getTask(id).status), uint256(ITaskEscrow.Status.Expired), "final");
    }
}
