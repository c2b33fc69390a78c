// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ITaskEscrow} from "../../../contracts/interfaces/ITaskEscrow.sol";
import {PlatformRules} from "../../../contracts/PlatformRules.sol";
import {TaskEscrow} from "../../../contracts/TaskEscrow.sol";
import {WorkToken} from "../../../contracts/WorkToken.sol";
import {FreezableToken} from "../../../contracts/mocks/FreezableToken.sol";
import {ReentrantToken} from "../../../contracts/mocks/ReentrantToken.sol";
import {EscrowTestBase} from "./EscrowTestBase.sol";

/**
 * @title TaskEscrowPaymentsTest
 * @notice The pull payments and their refusals: payouts kept for a frozen recipient and withdrawn
 * later, work rewards collected (and capped by the token's cap), fees swept to the treasury the
 * rulebook names; and a hostile token that re-enters the escrow from every transfer.
 */
contract TaskEscrowPaymentsTest is EscrowTestBase {
    uint256 internal constant USD_FEE = USD_AMOUNT * FEE_BPS / BPS;
    uint256 internal constant USD_BOND = USD_AMOUNT / 10;

    // ----------------------------------------------------------------- kept payouts

    function test_approve_keepsAFrozenWorkersPayForIt() public {
        uint256 id = submitted(usd, USD_AMOUNT);
        usd.freeze(worker, true);
        uint256 pay = USD_AMOUNT - USD_FEE + USD_BOND;
        vm.expectEmit(true, true, true, true, address(escrow));
        emit ITaskEscrow.PaymentOwed(id, address(usd), worker, pay);
        vm.prank(client);
        escrow.approve(id);
        assertEq(escrow.owed(address(usd), worker), pay, "kept for the worker");

        vm.prank(worker);
        vm.expectRevert(abi.encodeWithSelector(FreezableToken.AccountFrozen.selector, worker));
        escrow.withdraw(address(usd));
        assertEq(escrow.owed(address(usd), worker), pay, "still kept");

        usd.freeze(worker, false);
        uint256 before = usd.balanceOf(worker);
        vm.expectEmit(true, true, false, true, address(escrow));
        emit ITaskEscrow.Withdrawn(address(usd), worker, pay);
        vm.prank(worker);
        assertEq(escrow.withdraw(address(usd)), pay, "withdrawn");
        assertEq(usd.balanceOf(worker) - before, pay, "received");
        assertEq(escrow.owed(address(usd), worker), 0, "nothing kept");
    }

    function test_resolve_paysTheWorkerWhileTheClientIsFrozen() public {
        uint256 id = disputed(usd, USD_AMOUNT);
        usd.freeze(client, true);
        uint256 workerBefore = usd.balanceOf(worker);
        vm.prank(arbiter);
        escrow.resolve(id, 2_500);
        uint256 gross = USD_AMOUNT / 4;
        uint256 fee = gross * FEE_BPS / BPS;
        assertEq(usd.balanceOf(worker) - workerBefore, gross - fee, "the worker is paid");
        assertEq(
            escrow.owed(address(usd), client), USD_AMOUNT - gross + 2 * USD_BOND, "client's kept"
        );
    }

    function test_withdraw_refusesWhenNothingIsKept() public {
        vm.prank(worker);
        vm.expectRevert(
            abi.encodeWithSelector(ITaskEscrow.NothingToWithdraw.selector, address(usd), worker)
        );
        escrow.withdraw(address(usd));
    }

    // ----------------------------------------------------------------- rewards

    function test_collectRewards_mintsWhatTheWorkerEarned() public {
        complete(post(token, AMOUNT, address(0), 0), worker);
        complete(post(token, AMOUNT, address(0), 0), worker);
        uint256 owed = escrow.rewardsOwed(worker);
        assertEq(owed, 2 * (AMOUNT * FEE_BPS / BPS) / 2, "two rewards");
        uint256 before = token.balanceOf(worker);
        uint256 supply = token.totalSupply();
        vm.expectEmit(true, false, false, true, address(escrow));
        emit ITaskEscrow.RewardsCollected(worker, owed);
        vm.prank(other); // anyone may collect for the worker: it only ever goes to the worker
        assertEq(escrow.collectRewards(worker), owed, "collected");
        assertEq(token.balanceOf(worker) - before, owed, "minted to the worker");
        assertEq(token.totalSupply() - supply, owed, "supply grew by the reward");
        assertEq(escrow.rewardsOwed(worker), 0, "nothing owed");
        vm.expectRevert(abi.encodeWithSelector(ITaskEscrow.NothingToCollect.selector, worker));
        escrow.collectRewards(worker);
    }

    function test_rewards_stopAtTheTokensCap() public {
        // A token 6 JTN below its cap; each 100 JTN task pays a 5 JTN fee and earns a 2.5 JTN
        // reward: two full rewards fit, the third gets the 1 JTN left, the fourth nothing, and
        // every payout still completes.
        WorkToken capped =
            new WorkToken(address(this), address(timelock), client, 1_000e18, 1_006e18);
        address[] memory arbiters = new address[](1);
        arbiters[0] = arbiter;
        PlatformRules cappedRules = new PlatformRules(
            address(this), initialRules(), address(capped), arbiters, address(timelock)
        );
        TaskEscrow cappedEscrow = new TaskEscrow(capped, cappedRules);
        capped.grantRole(capped.MINTER_ROLE(), address(cappedEscrow));
        assertEq(cappedEscrow.rewardRoom(), 6e18, "room under the cap");
        uint256[4] memory expected = [uint256(2.5e18), 2.5e18, 1e18, 0];
        for (uint256 i = 0; i < 4; ++i) {
            vm.startPrank(client);
            capped.approve(address(cappedEscrow), 100e18);
            uint256 id = cappedEscrow.postTaskWithBond(
                address(capped), 100e18, deadline(), 0, SPEC, address(0), 0
            );
            vm.stopPrank();
            uint256 owedBefore = cappedEscrow.rewardsOwed(worker);
            vm.startPrank(worker);
            cappedEscrow.claim(id);
            cappedEscrow.submit(id, DELIVERY);
            vm.stopPrank();
            vm.prank(client);
            cappedEscrow.approve(id);
            assertEq(cappedEscrow.rewardsOwed(worker) - owedBefore, expected[i], "reward");
        }
        assertEq(cappedEscrow.rewardRoom(), 0, "the cap is reserved");
        cappedEscrow.collectRewards(worker);
        assertEq(capped.totalSupply(), capped.cap(), "minted up to the cap, never past it");
    }

    // ----------------------------------------------------------------- fees

    function test_sweepFees_sendsAllButOneUnitToTheTreasury() public {
        vm.expectRevert(abi.encodeWithSelector(ITaskEscrow.NothingToSweep.selector, address(token)));
        escrow.sweepFees(address(token));
        complete(post(token, AMOUNT, address(0), 0), worker);
        uint256 fee = AMOUNT * FEE_BPS / BPS;
        uint256 before = token.balanceOf(address(timelock));
        vm.expectEmit(true, true, false, true, address(escrow));
        emit ITaskEscrow.FeesSwept(address(token), address(timelock), fee - 1);
        vm.prank(other);
        assertEq(escrow.sweepFees(address(token)), fee - 1, "swept");
        assertEq(token.balanceOf(address(timelock)) - before, fee - 1, "to the treasury");
        assertEq(escrow.accruedFees(address(token)), 1, "one unit stays");
        vm.expectRevert(abi.encodeWithSelector(ITaskEscrow.NothingToSweep.selector, address(token)));
        escrow.sweepFees(address(token));
    }

    function test_sweepFees_followsTheTreasuryTheDaoNames() public {
        complete(post(usd, USD_AMOUNT, address(0), 0), worker);
        asDao();
        rules.setTreasury(other);
        uint256 before = usd.balanceOf(other);
        escrow.sweepFees(address(usd));
        assertEq(usd.balanceOf(other) - before, USD_FEE - 1, "to the new treasury");
    }

    function test_sweepFees_toAFrozenTreasuryRevertsAndKeepsTheFees() public {
        complete(post(usd, USD_AMOUNT, address(0), 0), worker);
        usd.freeze(address(timelock), true);
        vm.expectRevert(
            abi.encodeWithSelector(FreezableToken.AccountFrozen.selector, address(timelock))
        );
        escrow.sweepFees(address(usd));
        assertEq(escrow.accruedFees(address(usd)), USD_FEE, "fees kept");
    }

    // ----------------------------------------------------------------- a hostile token

    function test_reentry_fromATokenTransferIsRefused() public {
        ReentrantToken host = new ReentrantToken();
        asDao();
        rules.setPaymentToken(address(host), true, 1e18);
        host.mint(client, 10 * AMOUNT);
        host.mint(worker, 10 * AMOUNT);
        vm.prank(client);
        host.approve(address(escrow), 2 * AMOUNT);
        uint256 first = 1;
        // Posting: the token tries to claim the task being posted.
        host.arm(address(escrow), abi.encodeCall(ITaskEscrow.claim, (first)));
        vm.prank(client);
        uint256 id = escrow.postTask(address(host), AMOUNT, deadline(), 0, SPEC, address(0));
        _blocked(host, 1);
        // Cancelling: the token tries to cancel again from the refund.
        host.arm(address(escrow), abi.encodeCall(ITaskEscrow.cancel, (id)));
        vm.prank(client);
        escrow.cancel(id);
        _blocked(host, 2);
        assertEq(host.balanceOf(address(escrow)), 0, "refunded once");
        assertEq(host.balanceOf(client), 10 * AMOUNT, "the client has its deposit back, once");
    }

    function _blocked(ReentrantToken host, uint256 attempts) private view {
        assertEq(host.attempts(), attempts, "the token re-entered");
        assertEq(host.successes(), 0, "no re-entry got through");
        assertEq(
            host.lastRevert(),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector),
            "stopped by the guard"
        );
    }

    function test_views_ofATaskNeverPosted() public view {
        ITaskEscrow.Task memory t = escrow.getTask(42);
        assertEq(uint256(t.status), uint256(ITaskEscrow.Status.None), "no status");
        assertEq(escrow.bondOf(42), 0, "no bond");
        assertEq(escrow.owed(address(usd), worker), 0, "nothing kept");
        assertEq(escrow.accruedFees(address(usd)), 0, "no fees");
        assertEq(escrow.rewardsOwed(worker), 0, "no rewards");
        assertEq(address(escrow.workToken()), address(token), "work token");
        assertEq(address(escrow.rules()), address(rules), "rules");
        assertEq(escrow.FEE_PER_POINT(), 1e17, "0.1 JTN of fee a point");
    }
}
