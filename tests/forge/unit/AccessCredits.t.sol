// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IAccessCredits} from "../../../contracts/interfaces/IAccessCredits.sol";
import {RuleBounds} from "../../../contracts/libraries/RuleBounds.sol";
import {JetonTest} from "../utils/JetonTest.sol";

/**
 * @title AccessCreditsTest
 * @notice Every path and refusal of the access credits: services added, priced (a cut at once, a
 * rise announced a week ahead, steps and intervals held), paused, resumed and removed by the DAO;
 * credits bought (with an approval or a permit, under a price limit), used by their provider
 * only, refunded once a service stops; proceeds withdrawn and the DAO's cut swept. Net outcomes
 * in JTN for 10 units of a 2 JTN tool with the 5% cut.
 */
contract AccessCreditsTest is JetonTest {
    uint256 internal constant PRICE = 2e18;
    bytes32 internal constant PRICE_RULE = "servicePrice";

    address internal buyer;
    address internal provider;
    uint256 internal id;

    function setUp() public {
        deploySystem();
        buyer = makeActor("buyer");
        provider = makeActor("provider");
        fundJtn(buyer, 10_000e18);
        asDao();
        id = credits.addService(provider, PRICE, "AI translation aid", "ipfs://terms");
    }

    // ----------------------------------------------------------------- the DAO's services

    function test_addService() public {
        IAccessCredits.Service memory s = credits.getService(id);
        assertEq(s.provider, provider, "provider");
        assertEq(s.unitPrice, PRICE, "price");
        assertEq(uint256(s.status), uint256(IAccessCredits.Status.Active), "active");
        assertEq(s.infoHash, keccak256(abi.encode("AI translation aid", "ipfs://terms")), "info");
        assertEq(credits.serviceCount(), 1, "count");
        assertEq(address(credits.token()), address(token), "token");
        assertEq(address(credits.rules()), address(rules), "rules");
        asDao();
        vm.expectRevert(IAccessCredits.ZeroProvider.selector);
        credits.addService(address(0), PRICE, "x", "y");
        asDao();
        vm.expectRevert(outOfBounds(PRICE_RULE, 1e12 - 1, 1e12, 1e24));
        credits.addService(provider, 1e12 - 1, "x", "y");
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, buyer));
        credits.addService(provider, PRICE, "x", "y");
    }

    function test_setServicePrice_aCutAppliesAtOnceARiseAWeekLater() public {
        vm.warp(block.timestamp + 7 days);
        asDao();
        credits.setServicePrice(id, PRICE / 2);
        assertEq(credits.unitPrice(id), PRICE / 2, "a cut at once");
        vm.warp(block.timestamp + 7 days);
        (uint256 old, uint64 effectiveAt) =
            credits.checkPriceChange(id, PRICE / 2 + PRICE / 8, block.timestamp);
        assertEq(old, PRICE / 2, "replaces the price in force");
        assertEq(effectiveAt, block.timestamp + 7 days, "a rise waits a week");
        vm.expectEmit(true, false, false, true, address(credits));
        emit IAccessCredits.ServicePriceSet(
            id, PRICE / 2, PRICE / 2 + PRICE / 8, uint64(block.timestamp + 7 days)
        );
        asDao();
        credits.setServicePrice(id, PRICE / 2 + PRICE / 8);
        assertEq(credits.unitPrice(id), PRICE / 2, "the old price until then");
        IAccessCredits.Service memory s = credits.getService(id);
        assertEq(s.nextUnitPrice, PRICE / 2 + PRICE / 8, "announced");
        vm.warp(block.timestamp + 7 days);
        assertEq(credits.unitPrice(id), PRICE / 2 + PRICE / 8, "the rise applies");
        s = credits.getService(id);
        assertEq(s.unitPrice, PRICE / 2 + PRICE / 8, "shown as the price");
        assertEq(s.nextPriceAt, 0, "nothing pending");
    }

    function test_setServicePrice_refusals() public {
        asDao();
        vm.expectRevert(
            abi.encodeWithSelector(
                RuleBounds.RuleChangedTooSoon.selector, PRICE_RULE, block.timestamp + 7 days
            )
        );
        credits.setServicePrice(id, PRICE);
        vm.warp(block.timestamp + 7 days);
        asDao();
        vm.expectRevert(
            abi.encodeWithSelector(
                RuleBounds.RuleStepTooLarge.selector, PRICE_RULE, PRICE, PRICE * 2, PRICE / 4
            )
        );
        credits.setServicePrice(id, PRICE * 2);
        asDao();
        vm.expectRevert(
            abi.encodeWithSelector(
                RuleBounds.RuleStepTooLarge.selector, PRICE_RULE, PRICE, PRICE / 2 - 1, PRICE / 2
            )
        );
        credits.setServicePrice(id, PRICE / 2 - 1);
        asDao();
        vm.expectRevert(outOfBounds(PRICE_RULE, 1e24 + 1, 1e12, 1e24));
        credits.setServicePrice(id, 1e24 + 1);
        asDao();
        vm.expectRevert(abi.encodeWithSelector(IAccessCredits.UnknownService.selector, 9));
        credits.setServicePrice(9, PRICE);
        asDao();
        credits.removeService(id);
        asDao();
        vm.expectRevert(abi.encodeWithSelector(IAccessCredits.ServiceIsRemoved.selector, id));
        credits.setServicePrice(id, PRICE);
    }

    function test_status_pauseResumeRemove() public {
        asDao();
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessCredits.ServiceNotPaused.selector, id, IAccessCredits.Status.Active
            )
        );
        credits.resumeService(id);
        vm.expectEmit(true, false, false, true, address(credits));
        emit IAccessCredits.ServiceStatusSet(id, IAccessCredits.Status.Paused);
        asDao();
        credits.pauseService(id);
        asDao();
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessCredits.ServiceNotActive.selector, id, IAccessCredits.Status.Paused
            )
        );
        credits.pauseService(id);
        asDao();
        credits.resumeService(id);
        asDao();
        credits.removeService(id);
        asDao();
        vm.expectRevert(abi.encodeWithSelector(IAccessCredits.ServiceIsRemoved.selector, id));
        credits.removeService(id);
        asDao();
        vm.expectRevert(abi.encodeWithSelector(IAccessCredits.UnknownService.selector, 9));
        credits.pauseService(9);
    }

    // ----------------------------------------------------------------- buyers and providers

    function test_wholeUse_buyerMinus20_providerPlus19_treasuryPlus1() public {
        _buy(10);
        assertEq(token.balanceOf(address(credits)), 20e18, "paid in, nothing out");
        vm.expectEmit(true, true, false, true, address(credits));
        emit IAccessCredits.CreditsConsumed(id, buyer, 4, 8e18, 0.4e18, "page 1");
        vm.prank(provider);
        assertEq(credits.consume(id, buyer, 4, "page 1"), 8e18, "the price paid for 4 units");
        vm.prank(provider);
        credits.consume(id, buyer, 6, "page 2");
        IAccessCredits.Credit memory c = credits.creditOf(id, buyer);
        assertEq(c.units + c.paid + c.cut, 0, "no dust left");
        assertEq(credits.proceedsOf(provider), 19e18, "provider's proceeds");
        assertEq(credits.accruedCut(), 1e18, "the DAO's cut");
        vm.prank(provider);
        assertEq(credits.withdrawProceeds(), 19e18, "withdrawn");
        assertEq(token.balanceOf(provider), 19e18, "provider +19");
        uint256 before = token.balanceOf(address(timelock));
        assertEq(credits.sweepCut(), 1e18 - 1, "swept, less one unit");
        assertEq(token.balanceOf(address(timelock)) - before, 1e18 - 1, "treasury +1");
        assertEq(token.balanceOf(buyer), 10_000e18 - 20e18, "buyer -20");
        vm.expectRevert(IAccessCredits.NoCutToSweep.selector);
        credits.sweepCut();
        vm.prank(provider);
        vm.expectRevert(abi.encodeWithSelector(IAccessCredits.NoProceeds.selector, provider));
        credits.withdrawProceeds();
    }

    function test_buyWithPermit_andAPriceLimit() public {
        (uint256 deadline, uint8 v, bytes32 r, bytes32 s) = _permit(10 * PRICE);
        vm.prank(buyer);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessCredits.PriceAboveLimit.selector, id, PRICE, PRICE - 1)
        );
        credits.buyWithPermit(id, 10, PRICE - 1, deadline, v, r, s);
        vm.expectEmit(true, true, false, true, address(credits));
        emit IAccessCredits.CreditsBought(id, buyer, 10, PRICE, 10 * PRICE, PRICE / 2);
        vm.prank(buyer);
        assertEq(credits.buyWithPermit(id, 10, PRICE, deadline, v, r, s), 10 * PRICE, "cost");
        // The same permit again: ignored, and the allowance it set is spent.
        vm.prank(buyer);
        vm.expectRevert();
        credits.buyWithPermit(id, 10, PRICE, deadline, v, r, s);
        assertEq(credits.creditOf(id, buyer).units, 10, "ten units");
    }

    function test_buy_refusals() public {
        vm.startPrank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IAccessCredits.UnknownService.selector, 9));
        credits.buy(9, 1, PRICE);
        vm.expectRevert(IAccessCredits.ZeroUnits.selector);
        credits.buy(id, 0, PRICE);
        vm.stopPrank();
        asDao();
        credits.pauseService(id);
        vm.prank(buyer);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessCredits.ServiceNotActive.selector, id, IAccessCredits.Status.Paused
            )
        );
        credits.buy(id, 1, PRICE);
    }

    function test_consume_refusals() public {
        _buy(2);
        vm.prank(buyer);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessCredits.NotServiceProvider.selector, id, buyer)
        );
        credits.consume(id, buyer, 1, "");
        vm.startPrank(provider);
        vm.expectRevert(abi.encodeWithSelector(IAccessCredits.UnknownService.selector, 9));
        credits.consume(9, buyer, 1, "");
        vm.expectRevert(IAccessCredits.ZeroUnits.selector);
        credits.consume(id, buyer, 0, "");
        vm.expectRevert(
            abi.encodeWithSelector(IAccessCredits.InsufficientCredits.selector, id, buyer, 2, 3)
        );
        credits.consume(id, buyer, 3, "");
        vm.stopPrank();
        asDao();
        credits.pauseService(id);
        vm.prank(provider);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessCredits.ServiceNotActive.selector, id, IAccessCredits.Status.Paused
            )
        );
        credits.consume(id, buyer, 1, "");
    }

    function test_refund_onceTheServiceStops() public {
        _buy(10);
        vm.prank(provider);
        credits.consume(id, buyer, 4, "");
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IAccessCredits.ServiceStillActive.selector, id));
        credits.refund(id);
        asDao();
        credits.pauseService(id);
        uint256 before = token.balanceOf(buyer);
        vm.expectEmit(true, true, false, true, address(credits));
        emit IAccessCredits.CreditsRefunded(id, buyer, 6, 12e18);
        vm.prank(buyer);
        assertEq(credits.refund(id), 12e18, "what it paid for 6 units");
        assertEq(token.balanceOf(buyer) - before, 12e18, "buyer -8 in all");
        assertEq(credits.proceedsOf(provider), 7.6e18, "provider +7.6");
        assertEq(credits.accruedCut(), 0.4e18, "treasury +0.4");
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IAccessCredits.NoCredits.selector, id, buyer));
        credits.refund(id);
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(IAccessCredits.UnknownService.selector, 9));
        credits.refund(9);
    }

    // ----------------------------------------------------------------- helpers

    function _buy(uint64 units) private {
        vm.startPrank(buyer);
        token.approve(address(credits), units * PRICE);
        credits.buy(id, units, PRICE);
        vm.stopPrank();
    }

    function _permit(uint256 value)
        private
        view
        returns (uint256 deadline, uint8 v, bytes32 r, bytes32 s)
    {
        deadline = block.timestamp + 1 hours;
        (v, r, s) = signPermit(address(token), keyOf[buyer], address(credits), value, deadline);
    }
}
