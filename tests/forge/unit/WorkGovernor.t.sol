// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {
    GovernorPreventLateQuorum
} from "@openzeppelin/contracts/governance/extensions/GovernorPreventLateQuorum.sol";
import {ERC6372Utils} from "@openzeppelin/contracts/utils/ERC6372Utils.sol";
import {RuleBounds} from "../../../contracts/libraries/RuleBounds.sol";
import {TimestampClock} from "../../../contracts/mocks/TimestampClock.sol";
import {PlatformRules} from "../../../contracts/PlatformRules.sol";
import {WorkGovernor} from "../../../contracts/WorkGovernor.sol";
import {JetonTest} from "../utils/JetonTest.sol";

/**
 * @title WorkGovernorTest
 * @notice The DAO's governor: a proposal's whole life (pending, active, succeeded, queued with
 * its expiry, executed), every voting setting changed only by a proposal, within its bounds and
 * step, once a day; the proposal threshold capped at 1% of the votes that can exist; the
 * quorum; the late-quorum extension; expiry of a proposal never executed; who may cancel when.
 */
contract WorkGovernorTest is JetonTest {
    /// @dev A proposal's calls and description.
    struct Proposal {
        address[] targets;
        uint256[] values;
        bytes[] calldatas;
        string description;
    }

    address internal stranger;

    function setUp() public {
        deploySystem();
        stranger = makeActor("stranger");
        vm.prank(holder1);
        token.delegate(holder1);
        vm.prank(holder2);
        token.delegate(holder2);
        vm.prank(holder3);
        token.delegate(holder3);
        mine(1);
    }

    // ----------------------------------------------------------------- deployment

    function test_constructor_refusesVotesThatCountInSeconds() public {
        TimestampClock seconds_ = new TimestampClock();
        vm.expectRevert(ERC6372Utils.ERC6372InconsistentClock.selector);
        new WorkGovernor(
            IVotes(address(seconds_)),
            TimelockController(payable(address(timelock))),
            initialSettings()
        );
    }

    function test_constructor_refusesSettingsOutOfBounds() public {
        WorkGovernor.Settings memory s = initialSettings();
        s.votingDelay = 0;
        _expectDeployRefused(s, outOfBounds("votingDelay", 0, 1, 50_400));
        s = initialSettings();
        s.votingPeriod = 9;
        _expectDeployRefused(s, outOfBounds("votingPeriod", 9, 10, 302_400));
        s = initialSettings();
        s.proposalThreshold = 10_000_000e18 + 1;
        _expectDeployRefused(
            s, outOfBounds("proposalThreshold", 10_000_000e18 + 1, 0, 10_000_000e18)
        );
        s = initialSettings();
        s.quorumPercent = 51;
        _expectDeployRefused(s, outOfBounds("quorumPercent", 51, 1, 50));
        s = initialSettings();
        s.lateQuorumExtension = 50_401;
        _expectDeployRefused(s, outOfBounds("lateQuorumExtension", 50_401, 0, 50_400));
    }

    function test_clock_countsBlocksAsItsVotesDo() public view {
        assertEq(governor.clock(), block.number, "block numbers");
        assertEq(governor.clock(), votes.clock(), "the votes' clock");
        assertEq(governor.CLOCK_MODE(), "mode=blocknumber&from=default", "mode");
    }

    // ----------------------------------------------------------------- a proposal's life

    function test_aProposalPassesWaitsAndExecutes() public {
        Proposal memory p = _one(address(rules), abi.encodeCall(PlatformRules.setFeeBps, (400)));
        uint256 id = _propose(holder1, p);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Pending), "pending");
        assertTrue(governor.proposalNeedsQueuing(id), "through the timelock");
        mine(VOTING_DELAY + 1);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Active), "active");
        _voteFor(id);
        mine(governor.proposalDeadline(id) + 1 - block.number);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Succeeded), "passed");

        governor.queue(p.targets, p.values, p.calldatas, keccak256(bytes(p.description)));
        uint256 eta = governor.proposalEta(id);
        assertEq(eta, block.timestamp + TIMELOCK_DELAY, "ETA after the delay");
        assertEq(governor.proposalExpiry(id), eta + GRACE_PERIOD, "expires after the grace period");
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Queued), "queued");
        vm.warp(eta);
        vm.prank(stranger); // anyone executes a ready proposal
        governor.execute(p.targets, p.values, p.calldatas, keccak256(bytes(p.description)));
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Executed), "done");
        assertEq(rules.feeBps(), 400, "the fee moved, after the delay");
    }

    function test_aProposalShortOfItsQuorumIsDefeated() public {
        assertEq(
            governor.quorum(block.number - 1),
            (token.totalSupply() - token.balanceOf(address(timelock))) * QUORUM_PERCENT / 100,
            "4% of the votes that can exist"
        );
        Proposal memory p = _one(address(rules), abi.encodeCall(PlatformRules.setFeeBps, (400)));
        uint256 id = _propose(holder1, p);
        mine(VOTING_DELAY + 1);
        // The treasury's vote counts for nothing, whatever it holds.
        vm.prank(address(timelock));
        assertEq(governor.castVote(id, 1), 0, "no weight");
        mine(VOTING_PERIOD + 1);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Defeated), "defeated");
    }

    function test_aLateQuorumExtendsTheVote() public {
        Proposal memory p = _one(address(rules), abi.encodeCall(PlatformRules.setFeeBps, (400)));
        uint256 id = _propose(holder1, p);
        uint256 deadline = governor.proposalDeadline(id);
        mine(deadline - block.number); // the vote's last block
        vm.prank(holder1);
        governor.castVote(id, 1);
        assertEq(governor.proposalDeadline(id), block.number + LATE_QUORUM_EXTENSION, "extended");
    }

    // ----------------------------------------------------------------- settings

    function test_settings_changeOnlyThroughAProposal() public {
        vm.prank(address(timelock));
        vm.expectRevert(); // the governor's queue of authorised calls is empty
        governor.setVotingDelay(2);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorOnlyExecutor.selector, stranger));
        governor.updateQuorumNumerator(5);
    }

    function test_settings_moveWithinTheirBoundsAndSteps() public {
        Proposal memory p = _calls(5);
        p.targets[0] = p.targets[1] = p.targets[2] = p.targets[3] = p.targets[4] = address(governor);
        p.calldatas[0] = abi.encodeCall(WorkGovernor.setVotingDelay, (VOTING_DELAY + 7_200));
        p.calldatas[1] = abi.encodeCall(WorkGovernor.setVotingPeriod, (VOTING_PERIOD + 7_200));
        p.calldatas[2] = abi.encodeCall(WorkGovernor.setProposalThreshold, (100_000e18));
        p.calldatas[3] = abi.encodeCall(WorkGovernor.updateQuorumNumerator, (QUORUM_PERCENT + 5));
        p.calldatas[4] = abi.encodeCall(WorkGovernor.setLateQuorumVoteExtension, (7_200));
        _pass(holder1, p);
        _execute(p, "");
        assertEq(governor.votingDelay(), VOTING_DELAY + 7_200, "voting delay");
        assertEq(governor.votingPeriod(), VOTING_PERIOD + 7_200, "voting period");
        assertEq(governor.proposalThresholdSetting(), 100_000e18, "threshold setting");
        assertEq(governor.quorumNumerator(), QUORUM_PERCENT + 5, "quorum");
        assertEq(governor.lateQuorumVoteExtension(), 7_200, "late-quorum extension");
    }

    function test_settings_pastABoundOrAStepFailAtExecution() public {
        _refusedAtExecution(
            abi.encodeCall(WorkGovernor.updateQuorumNumerator, (51)),
            outOfBounds("quorumPercent", 51, 1, 50)
        );
        _refusedAtExecution(
            abi.encodeCall(WorkGovernor.updateQuorumNumerator, (QUORUM_PERCENT + 6)),
            abi.encodeWithSelector(
                RuleBounds.RuleStepTooLarge.selector,
                bytes32("quorumPercent"),
                QUORUM_PERCENT,
                QUORUM_PERCENT + 6,
                5
            )
        );
        _refusedAtExecution(
            abi.encodeCall(WorkGovernor.setLateQuorumVoteExtension, (VOTING_PERIOD + 1)),
            abi.encodeWithSelector(
                GovernorPreventLateQuorum.GovernorPreventLateQuorumVoteExtensionTooLarge.selector,
                VOTING_PERIOD + 1,
                VOTING_PERIOD
            )
        );
        _refusedAtExecution(
            abi.encodeCall(WorkGovernor.setVotingPeriod, (9)),
            outOfBounds("votingPeriod", 9, 10, 302_400)
        );
    }

    function test_settings_oneStepADayEvenInOneProposal() public {
        Proposal memory p = _calls(2);
        p.targets[0] = p.targets[1] = address(governor);
        p.calldatas[0] = abi.encodeCall(WorkGovernor.setVotingDelay, (VOTING_DELAY + 7_200));
        p.calldatas[1] = abi.encodeCall(WorkGovernor.setVotingDelay, (VOTING_DELAY + 14_400));
        _pass(holder1, p);
        _execute(
            p,
            abi.encodeWithSelector(
                RuleBounds.RuleChangedTooSoon.selector,
                bytes32("votingDelay"),
                block.timestamp + TIMELOCK_DELAY + 1 days // executed after the timelock's delay
            )
        );
        assertEq(governor.votingDelay(), VOTING_DELAY, "no step taken");
    }

    function test_proposalThreshold_neverAboveOnePercentOfTheVotesThatCanExist() public {
        assertEq(governor.proposalThreshold(), 0, "a zero setting needs no votes");
        Proposal memory p = _one(
            address(governor), abi.encodeCall(WorkGovernor.setProposalThreshold, (100_000e18))
        );
        _pass(holder1, p);
        _execute(p, "");
        assertEq(governor.proposalThreshold(), 100_000e18, "a setting below the cap");
        skip(1 days);
        p = _one(
            address(governor), abi.encodeCall(WorkGovernor.setProposalThreshold, (1_000_000e18))
        );
        p.description = "raise the threshold";
        _pass(holder1, p);
        _execute(p, "");
        uint256 castable = votes.getPastTotalSupply(block.number - 1);
        assertEq(governor.proposalThresholdSetting(), 1_000_000e18, "the setting");
        assertEq(governor.proposalThreshold(), castable / 100, "capped at 1% of 30M JTN");
        // A holder below the cap can not propose; one above it can.
        vm.prank(holder1);
        token.transfer(stranger, 200_000e18);
        vm.prank(stranger);
        token.delegate(stranger);
        mine(1);
        Proposal memory q = _one(address(rules), abi.encodeCall(PlatformRules.setFeeBps, (400)));
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IGovernor.GovernorInsufficientProposerVotes.selector,
                stranger,
                200_000e18,
                castable / 100
            )
        );
        governor.propose(q.targets, q.values, q.calldatas, q.description);
        _propose(holder2, q);
    }

    // ----------------------------------------------------------------- expiry and cancelling

    function test_aQueuedProposalExpiresUnexecuted() public {
        Proposal memory p = _one(address(rules), abi.encodeCall(PlatformRules.setFeeBps, (400)));
        uint256 id = _pass(holder1, p);
        bytes32 descriptionHash = keccak256(bytes(p.description));
        governor.queue(p.targets, p.values, p.calldatas, descriptionHash);
        uint256 expiry = governor.proposalExpiry(id);
        vm.warp(expiry - 1);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Queued), "still due");
        vm.warp(expiry);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Expired), "expired");
        vm.expectRevert();
        governor.execute(p.targets, p.values, p.calldatas, descriptionHash);
        assertEq(rules.feeBps(), FEE_BPS, "never ran");
        assertEq(governor.proposalExpiry(12345), 0, "never queued");
    }

    function test_cancel_byTheProposerWhilePendingOrOnceStale() public {
        Proposal memory p = _one(address(rules), abi.encodeCall(PlatformRules.setFeeBps, (400)));
        bytes32 descriptionHash = keccak256(bytes(p.description));
        uint256 id = _propose(holder1, p);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IGovernor.GovernorUnableToCancel.selector, id, stranger)
        );
        governor.cancel(p.targets, p.values, p.calldatas, descriptionHash);
        vm.prank(holder1);
        governor.cancel(p.targets, p.values, p.calldatas, descriptionHash);
        assertEq(
            uint256(governor.state(id)), uint256(IGovernor.ProposalState.Canceled), "cancelled"
        );

        // A proposal refused at execution: its proposer cancels it once its ETA has passed.
        Proposal memory q = _one(address(rules), abi.encodeCall(PlatformRules.setFeeBps, (2_000)));
        bytes32 qHash = keccak256(bytes(q.description));
        uint256 qid = _propose(holder1, q);
        mine(VOTING_DELAY + 1);
        vm.prank(holder1);
        vm.expectRevert(
            abi.encodeWithSelector(IGovernor.GovernorUnableToCancel.selector, qid, holder1)
        );
        governor.cancel(q.targets, q.values, q.calldatas, qHash);
        _voteFor(qid);
        mine(governor.proposalDeadline(qid) + 1 - block.number);
        governor.queue(q.targets, q.values, q.calldatas, qHash);
        vm.prank(holder1);
        vm.expectRevert(
            abi.encodeWithSelector(IGovernor.GovernorUnableToCancel.selector, qid, holder1)
        );
        governor.cancel(q.targets, q.values, q.calldatas, qHash);
        vm.warp(governor.proposalEta(qid));
        vm.expectRevert(outOfBounds("feeBps", 2_000, 0, 1_000));
        governor.execute(q.targets, q.values, q.calldatas, qHash);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IGovernor.GovernorUnableToCancel.selector, qid, stranger)
        );
        governor.cancel(q.targets, q.values, q.calldatas, qHash);
        vm.prank(holder1);
        governor.cancel(q.targets, q.values, q.calldatas, qHash);
        assertEq(
            uint256(governor.state(qid)), uint256(IGovernor.ProposalState.Canceled), "stale, gone"
        );
    }

    // ----------------------------------------------------------------- helpers

    function _expectDeployRefused(WorkGovernor.Settings memory s, bytes memory err) private {
        vm.expectRevert(err);
        new WorkGovernor(IVotes(address(votes)), TimelockController(payable(address(timelock))), s);
    }

    function _calls(uint256 n) private view returns (Proposal memory p) {
        p.targets = new address[](n);
        p.values = new uint256[](n);
        p.calldatas = new bytes[](n);
        p.description = string.concat("proposal at block ", vm.toString(block.number));
    }

    function _one(address target, bytes memory data) private view returns (Proposal memory p) {
        p = _calls(1);
        p.targets[0] = target;
        p.calldatas[0] = data;
    }

    function _propose(address proposer, Proposal memory p) private returns (uint256 id) {
        vm.prank(proposer);
        id = governor.propose(p.targets, p.values, p.calldatas, p.description);
    }

    function _voteFor(uint256 id) private {
        vm.prank(holder1);
        governor.castVote(id, 1);
        vm.prank(holder2);
        governor.castVote(id, 1);
    }

    /// @dev Proposes, votes for, and waits out the vote.
    function _pass(address proposer, Proposal memory p) private returns (uint256 id) {
        id = _propose(proposer, p);
        mine(governor.votingDelay() + 1);
        _voteFor(id);
        mine(governor.proposalDeadline(id) + 1 - block.number);
        assertEq(uint256(governor.state(id)), uint256(IGovernor.ProposalState.Succeeded), "passed");
    }

    /// @dev Queues a passed proposal, waits out the timelock and executes it: it must succeed
    /// (`err` empty) or revert with `err`.
    function _execute(Proposal memory p, bytes memory err) private {
        bytes32 descriptionHash = keccak256(bytes(p.description));
        governor.queue(p.targets, p.values, p.calldatas, descriptionHash);
        vm.warp(block.timestamp + TIMELOCK_DELAY);
        if (err.length != 0) vm.expectRevert(err);
        governor.execute(p.targets, p.values, p.calldatas, descriptionHash);
    }

    function _refusedAtExecution(bytes memory data, bytes memory err) private {
        Proposal memory p = _one(address(governor), data);
        p.description = string.concat(p.description, vm.toString(data));
        _pass(holder1, p);
        _execute(p, err);
    }
}
