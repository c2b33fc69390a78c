// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IPlatformRules} from "../../../contracts/interfaces/IPlatformRules.sol";
import {GovernedOwnable} from "../../../contracts/access/GovernedOwnable.sol";
import {RuleBounds} from "../../../contracts/libraries/RuleBounds.sol";
import {PlatformRules} from "../../../contracts/PlatformRules.sol";
import {MockERC20} from "../../../contracts/mocks/MockERC20.sol";
import {JetonTest} from "../utils/JetonTest.sol";

/**
 * @title PlatformRulesTest
 * @notice Every rule of the rulebook: its bounds at deployment, its setter only for the timelock,
 * within its hard bounds, by at most its step and at most once a day; the tiers' order; payment
 * tokens and their units (bounded by their decimals, moved by at most a factor of two a day);
 * the treasury; the arbiters; the two-step ownership that can not be renounced.
 */
contract PlatformRulesTest is JetonTest {
    address internal stranger;
    address[] internal noArbiters;

    function setUp() public {
        deploySystem();
        stranger = makeActor("stranger");
    }

    // ----------------------------------------------------------------- deployment

    function test_constructor_readsTheInitialRules() public view {
        assertEq(rules.feeBps(), FEE_BPS, "fee");
        assertEq(rules.rewardBps(), REWARD_BPS, "reward");
        assertEq(rules.reviewPeriod(), REVIEW_PERIOD, "review period");
        assertEq(rules.disputeWindow(), DISPUTE_WINDOW, "dispute window");
        assertEq(rules.claimBondBps(), CLAIM_BOND_BPS, "claim bond");
        assertEq(rules.creditsCutBps(), CREDITS_CUT_BPS, "credits cut");
        assertEq(rules.treasury(), address(timelock), "treasury");
        assertEq(rules.owner(), address(timelock), "owned by the timelock");
        assertEq(rules.workToken(), address(token), "work token");
        uint32[3] memory tiers = rules.tierThresholds();
        assertEq(tiers[0], TIER1, "tier 1");
        assertEq(rules.tierThreshold(2), TIER2, "tier 2");
        assertEq(rules.tierThreshold(3), TIER3, "tier 3");
        assertTrue(rules.isArbiter(arbiter), "arbiter");
        assertTrue(rules.isPaymentToken(address(token)), "JTN allowed");
        assertEq(rules.tokenUnit(address(token)), 1e18, "JTN's unit");
        (uint16 fee, uint16 reward, uint32 review, uint16 bond) = rules.postingTerms(address(token));
        assertEq(fee, FEE_BPS, "posting fee");
        assertEq(reward, REWARD_BPS, "posting reward");
        assertEq(review, REVIEW_PERIOD, "posting review");
        assertEq(bond, CLAIM_BOND_BPS, "posting bond");
    }

    function test_constructor_refusesRulesOutOfBounds() public {
        PlatformRules.Scalars memory s = initialRules();
        s.feeBps = 1_001;
        _expectDeployRefused(s, outOfBounds("feeBps", 1_001, 0, 1_000));
        s = initialRules();
        s.rewardBps = 5_001;
        _expectDeployRefused(s, outOfBounds("rewardBps", 5_001, 0, 5_000));
        s = initialRules();
        s.reviewPeriod = 1 days - 1;
        _expectDeployRefused(s, outOfBounds("reviewPeriod", 1 days - 1, 1 days, 30 days));
        s = initialRules();
        s.disputeWindow = 61 days;
        _expectDeployRefused(s, outOfBounds("disputeWindow", 61 days, 1 days, 60 days));
        s = initialRules();
        s.claimBondBps = 5_001;
        _expectDeployRefused(s, outOfBounds("claimBondBps", 5_001, 0, 5_000));
        s = initialRules();
        s.creditsCutBps = 1_001;
        _expectDeployRefused(s, outOfBounds("creditsCutBps", 1_001, 0, 1_000));
        s = initialRules();
        s.tiers[0] = 0;
        _expectDeployRefused(s, outOfBounds("tier1", 0, 1, 10_000_000));
        s = initialRules();
        s.tiers[1] = TIER1;
        _expectDeployRefused(
            s, abi.encodeWithSelector(IPlatformRules.TierOrderViolated.selector, 2, TIER1)
        );
        s = initialRules();
        s.tiers[2] = TIER2 - 1;
        _expectDeployRefused(
            s, abi.encodeWithSelector(IPlatformRules.TierOrderViolated.selector, 3, TIER2 - 1)
        );
    }

    function test_constructor_refusesAZeroTreasuryOrArbiter() public {
        vm.expectRevert(IPlatformRules.ZeroTreasury.selector);
        new PlatformRules(address(timelock), initialRules(), address(token), noArbiters, address(0));
        address[] memory arbiters = new address[](1);
        vm.expectRevert(IPlatformRules.ZeroAddress.selector);
        new PlatformRules(
            address(timelock), initialRules(), address(token), arbiters, address(timelock)
        );
    }

    // ----------------------------------------------------------------- the scalar rules

    function test_setFeeBps_withinItsStepAndBoundsOnceADay() public {
        vm.expectEmit(true, false, false, true, address(rules));
        emit RuleBounds.RuleChanged("feeBps", FEE_BPS, FEE_BPS + 100);
        asDao();
        rules.setFeeBps(FEE_BPS + 100);
        assertEq(rules.feeBps(), FEE_BPS + 100, "raised one point");
        _expectSoon(abi.encodeCall(PlatformRules.setFeeBps, (FEE_BPS)), "feeBps");
        skip(1 days);
        _expectStep(
            abi.encodeCall(PlatformRules.setFeeBps, (FEE_BPS - 1)),
            "feeBps",
            FEE_BPS + 100,
            FEE_BPS - 1,
            100
        );
        _walk(
            abi.encodeCall(PlatformRules.setFeeBps, (1_000)),
            4,
            100,
            PlatformRules.setFeeBps.selector
        );
        assertEq(rules.feeBps(), 1_000, "at its bound");
        skip(1 days);
        _expectBounds(
            abi.encodeCall(PlatformRules.setFeeBps, (1_001)), outOfBounds("feeBps", 1_001, 0, 1_000)
        );
    }

    function test_setRewardBps() public {
        asDao();
        rules.setRewardBps(REWARD_BPS - 1_000);
        assertEq(rules.rewardBps(), REWARD_BPS - 1_000, "lowered a step");
        skip(1 days);
        _expectStep(
            abi.encodeCall(PlatformRules.setRewardBps, (REWARD_BPS - 2_001)),
            "rewardBps",
            REWARD_BPS - 1_000,
            REWARD_BPS - 2_001,
            1_000
        );
        _expectBounds(
            abi.encodeCall(PlatformRules.setRewardBps, (5_001)),
            outOfBounds("rewardBps", 5_001, 0, 5_000)
        );
        _expectOwnerOnly(abi.encodeCall(PlatformRules.setRewardBps, (REWARD_BPS)));
    }

    function test_setReviewPeriod() public {
        asDao();
        rules.setReviewPeriod(REVIEW_PERIOD + 7 days);
        assertEq(rules.reviewPeriod(), REVIEW_PERIOD + 7 days, "a week longer");
        skip(1 days);
        _expectStep(
            abi.encodeCall(PlatformRules.setReviewPeriod, (1 days)),
            "reviewPeriod",
            REVIEW_PERIOD + 7 days,
            1 days,
            7 days
        );
        _expectBounds(
            abi.encodeCall(PlatformRules.setReviewPeriod, (1 days - 1)),
            outOfBounds("reviewPeriod", 1 days - 1, 1 days, 30 days)
        );
        _expectOwnerOnly(abi.encodeCall(PlatformRules.setReviewPeriod, (REVIEW_PERIOD)));
    }

    function test_setDisputeWindow() public {
        asDao();
        rules.setDisputeWindow(1 days);
        assertEq(rules.disputeWindow(), 1 days, "shortest");
        skip(1 days);
        _expectBounds(
            abi.encodeCall(PlatformRules.setDisputeWindow, (1 days - 1)),
            outOfBounds("disputeWindow", 1 days - 1, 1 days, 60 days)
        );
        _expectStep(
            abi.encodeCall(PlatformRules.setDisputeWindow, (9 days)),
            "disputeWindow",
            1 days,
            9 days,
            7 days
        );
        _expectOwnerOnly(abi.encodeCall(PlatformRules.setDisputeWindow, (DISPUTE_WINDOW)));
    }

    function test_setClaimBondBps() public {
        asDao();
        rules.setClaimBondBps(CLAIM_BOND_BPS + 500);
        assertEq(rules.claimBondBps(), CLAIM_BOND_BPS + 500, "five points more");
        skip(1 days);
        _expectStep(
            abi.encodeCall(PlatformRules.setClaimBondBps, (0)),
            "claimBondBps",
            CLAIM_BOND_BPS + 500,
            0,
            500
        );
        _expectBounds(
            abi.encodeCall(PlatformRules.setClaimBondBps, (5_001)),
            outOfBounds("claimBondBps", 5_001, 0, 5_000)
        );
        _expectOwnerOnly(abi.encodeCall(PlatformRules.setClaimBondBps, (0)));
    }

    function test_setCreditsCutBps() public {
        asDao();
        rules.setCreditsCutBps(CREDITS_CUT_BPS - 100);
        assertEq(rules.creditsCutBps(), CREDITS_CUT_BPS - 100, "a point less");
        skip(1 days);
        _expectStep(
            abi.encodeCall(PlatformRules.setCreditsCutBps, (CREDITS_CUT_BPS + 1)),
            "creditsCutBps",
            CREDITS_CUT_BPS - 100,
            CREDITS_CUT_BPS + 1,
            100
        );
        _expectBounds(
            abi.encodeCall(PlatformRules.setCreditsCutBps, (1_001)),
            outOfBounds("creditsCutBps", 1_001, 0, 1_000)
        );
        _expectOwnerOnly(abi.encodeCall(PlatformRules.setCreditsCutBps, (0)));
    }

    function test_setTierThreshold_keepsTheTiersInOrder() public {
        asDao();
        rules.setTierThreshold(1, TIER1 + 500);
        assertEq(rules.tierThreshold(1), TIER1 + 500, "tier 1 raised");
        _expectRefused(
            abi.encodeCall(PlatformRules.setTierThreshold, (1, TIER2)),
            abi.encodeWithSelector(IPlatformRules.TierOrderViolated.selector, 1, TIER2)
        );
        _expectRefused(
            abi.encodeCall(PlatformRules.setTierThreshold, (2, TIER1 + 500)),
            abi.encodeWithSelector(IPlatformRules.TierOrderViolated.selector, 2, TIER1 + 500)
        );
        _expectRefused(
            abi.encodeCall(PlatformRules.setTierThreshold, (3, TIER2)),
            abi.encodeWithSelector(IPlatformRules.TierOrderViolated.selector, 3, TIER2)
        );
        _expectSoon(abi.encodeCall(PlatformRules.setTierThreshold, (1, TIER1)), "tier1");
        _expectStep(
            abi.encodeCall(PlatformRules.setTierThreshold, (3, TIER3 + 5_001)),
            "tier3",
            TIER3,
            TIER3 + 5_001,
            5_000
        );
        asDao();
        rules.setTierThreshold(3, TIER3 + 5_000);
        asDao();
        rules.setTierThreshold(2, TIER2 + 1);
        uint32[3] memory tiers = rules.tierThresholds();
        assertEq(tiers[1], TIER2 + 1, "tier 2");
        assertEq(tiers[2], TIER3 + 5_000, "tier 3");
        _expectRefused(
            abi.encodeCall(PlatformRules.setTierThreshold, (0, 1)),
            abi.encodeWithSelector(IPlatformRules.UnknownTier.selector, 0)
        );
        _expectOwnerOnly(abi.encodeCall(PlatformRules.setTierThreshold, (2, TIER2)));
    }

    function test_tierThreshold_refusesAnUnknownTier() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRules.UnknownTier.selector, 0));
        rules.tierThreshold(0);
        vm.expectRevert(abi.encodeWithSelector(IPlatformRules.UnknownTier.selector, 4));
        rules.tierThreshold(4);
    }

    // ----------------------------------------------------------------- payment tokens

    function test_setPaymentToken_firstUnitWithinTheDecimalsBounds() public {
        MockERC20 coin = new MockERC20("Coin", "C", 8);
        (uint256 min, uint256 max) = rules.tokenUnitBounds(address(coin));
        assertEq(min, 1e5, "10^(8-3)");
        assertEq(max, 1e11, "10^(8+3)");
        _expectRefused(
            abi.encodeCall(PlatformRules.setPaymentToken, (address(coin), true, 1)),
            outOfBounds("tokenUnit", 1, 1e5, 1e11)
        );
        vm.expectEmit(true, false, false, true, address(rules));
        emit IPlatformRules.PaymentTokenSet(address(coin), true, 1e8);
        asDao();
        rules.setPaymentToken(address(coin), true, 1e8);
        assertTrue(rules.isPaymentToken(address(coin)), "allowed");
        assertEq(rules.tokenUnit(address(coin)), 1e8, "unit");
        (uint16 fee,,,) = rules.postingTerms(address(coin));
        assertEq(fee, FEE_BPS, "posting terms");
    }

    function test_setPaymentToken_movesAUnitByAtMostAFactorOfTwoADay() public {
        _expectStep(
            abi.encodeCall(PlatformRules.setPaymentToken, (address(usd), true, 2e6 + 1)),
            "tokenUnit",
            1e6,
            2e6 + 1,
            1e6
        );
        asDao();
        rules.setPaymentToken(address(usd), true, 2e6);
        assertEq(rules.tokenUnit(address(usd)), 2e6, "doubled");
        _expectSoon(
            abi.encodeCall(PlatformRules.setPaymentToken, (address(usd), true, 1e6)), "tokenUnit"
        );
        // Refusing and allowing again at the same unit is no change of the unit.
        asDao();
        rules.setPaymentToken(address(usd), false, 2e6);
        assertFalse(rules.isPaymentToken(address(usd)), "refused");
        vm.expectRevert(
            abi.encodeWithSelector(IPlatformRules.TokenNotAllowed.selector, address(usd))
        );
        rules.postingTerms(address(usd));
        asDao();
        rules.setPaymentToken(address(usd), true, 2e6);
        skip(1 days);
        _expectStep(
            abi.encodeCall(PlatformRules.setPaymentToken, (address(usd), true, 1e6 - 1)),
            "tokenUnit",
            2e6,
            1e6 - 1,
            1e6
        );
        asDao();
        rules.setPaymentToken(address(usd), true, 1e6);
        assertEq(rules.tokenUnit(address(usd)), 1e6, "halved");
    }

    function test_setPaymentToken_theWorkTokensUnitIsFixed() public {
        (uint256 min, uint256 max) = rules.tokenUnitBounds(address(token));
        assertEq(min, 1e18, "min");
        assertEq(max, 1e18, "max");
        _expectRefused(
            abi.encodeCall(PlatformRules.setPaymentToken, (address(token), true, 2e18)),
            outOfBounds("tokenUnit", 2e18, 1e18, 1e18)
        );
    }

    function test_setPaymentToken_refusesTokensWithoutBoundableDecimals() public {
        MockERC20 tiny = new MockERC20("Tiny", "T", 2);
        (uint256 min, uint256 max) = rules.tokenUnitBounds(address(tiny));
        assertEq(min, 1, "a unit of at least one base unit");
        assertEq(max, 1e5, "10^(2+3)");
        MockERC20 huge = new MockERC20("Huge", "H", 37);
        vm.expectRevert(
            abi.encodeWithSelector(IPlatformRules.TokenDecimalsUnsupported.selector, address(huge))
        );
        rules.tokenUnitBounds(address(huge));
        // A contract with no decimals() at all.
        _expectRefused(
            abi.encodeCall(PlatformRules.setPaymentToken, (address(escrow), true, 1e18)),
            abi.encodeWithSelector(
                IPlatformRules.TokenDecimalsUnsupported.selector, address(escrow)
            )
        );
        _expectRefused(
            abi.encodeCall(PlatformRules.setPaymentToken, (address(0), true, 1e18)),
            abi.encodeWithSelector(IPlatformRules.ZeroAddress.selector)
        );
        _expectOwnerOnly(abi.encodeCall(PlatformRules.setPaymentToken, (address(tiny), true, 100)));
    }

    // ----------------------------------------------------------------- treasury, arbiters, owner

    function test_setTreasury() public {
        vm.expectEmit(true, true, false, false, address(rules));
        emit IPlatformRules.TreasurySet(address(timelock), stranger);
        asDao();
        rules.setTreasury(stranger);
        assertEq(rules.treasury(), stranger, "moved");
        _expectRefused(
            abi.encodeCall(PlatformRules.setTreasury, (address(0))),
            abi.encodeWithSelector(IPlatformRules.ZeroTreasury.selector)
        );
        _expectOwnerOnly(abi.encodeCall(PlatformRules.setTreasury, (stranger)));
    }

    function test_setArbiter() public {
        vm.expectEmit(true, false, false, true, address(rules));
        emit IPlatformRules.ArbiterSet(stranger, true);
        asDao();
        rules.setArbiter(stranger, true);
        assertTrue(rules.isArbiter(stranger), "appointed");
        asDao();
        rules.setArbiter(arbiter, false);
        assertFalse(rules.isArbiter(arbiter), "dismissed");
        _expectRefused(
            abi.encodeCall(PlatformRules.setArbiter, (address(0), true)),
            abi.encodeWithSelector(IPlatformRules.ZeroAddress.selector)
        );
        _expectOwnerOnly(abi.encodeCall(PlatformRules.setArbiter, (stranger, false)));
    }

    function test_ownership_movesInTwoStepsAndIsNeverRenounced() public {
        asDao();
        rules.transferOwnership(stranger);
        assertEq(rules.owner(), address(timelock), "still the timelock's");
        assertEq(rules.pendingOwner(), stranger, "pending");
        vm.prank(stranger);
        rules.acceptOwnership();
        assertEq(rules.owner(), stranger, "accepted");
        vm.prank(stranger);
        vm.expectRevert(GovernedOwnable.OwnershipNotRenounceable.selector);
        rules.renounceOwnership();
    }

    // ----------------------------------------------------------------- helpers

    function _expectDeployRefused(PlatformRules.Scalars memory s, bytes memory err) private {
        vm.expectRevert(err);
        new PlatformRules(address(timelock), s, address(token), noArbiters, address(timelock));
    }

    /// @dev The timelock's call `data` is refused with `err`.
    function _expectRefused(bytes memory data, bytes memory err) private {
        asDao();
        (bool ok, bytes memory ret) = address(rules).call(data);
        assertFalse(ok, "refused");
        assertEq(ret, err, "with the error");
    }

    function _expectBounds(bytes memory data, bytes memory err) private {
        _expectRefused(data, err);
    }

    function _expectSoon(bytes memory data, bytes32 rule) private {
        _expectRefused(
            data,
            abi.encodeWithSelector(
                RuleBounds.RuleChangedTooSoon.selector, rule, block.timestamp + 1 days
            )
        );
    }

    function _expectStep(bytes memory data, bytes32 rule, uint256 from, uint256 to, uint256 step)
        private
    {
        _expectRefused(
            data, abi.encodeWithSelector(RuleBounds.RuleStepTooLarge.selector, rule, from, to, step)
        );
    }

    /// @dev Anyone but the timelock is refused `data`.
    function _expectOwnerOnly(bytes memory data) private {
        vm.prank(stranger);
        (bool ok, bytes memory ret) = address(rules).call(data);
        assertFalse(ok, "refused");
        assertEq(
            ret,
            abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, stranger),
            "owner only"
        );
    }

    /// @dev Walks a uint16 rule to the value in `data` by `steps` changes of `step`, a day apart.
    function _walk(bytes memory data, uint256 steps, uint256 step, bytes4 selector) private {
        uint256 target;
        assembly {
            target := mload(add(data, 36))
        }
        uint256 value = target - steps * step;
        for (uint256 i = 1; i <= steps; ++i) {
            skip(1 days);
            asDao();
            (bool ok,) =
                address(rules).call(abi.encodeWithSelector(selector, uint16(value + i * step)));
            assertTrue(ok, "a step within the rules");
        }
    }
}
