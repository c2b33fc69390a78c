// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {GovernorCountingSimple} from
    "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {GovernorVotesQuorumFraction} from
    "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {GovernorTimelockControl} from
    "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {GovernorPreventLateQuorum} from
    "@openzeppelin/contracts/governance/extensions/GovernorPreventLateQuorum.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {RuleBounds} from "./libraries/RuleBounds.sol";

/**
 * @title WorkGovernor
 * @notice The DAO: OpenZeppelin's Governor, composed of its standard extensions. Voting power
 * comes from {WorkVotes} (token votes plus weighted reputation) read at the proposal's snapshot;
 * passed proposals are queued in and executed by the {Timelock}.
 *
 * The voting settings are rules too: each has hard bounds here, checked at deployment and at
 * every change a vote makes, so that no vote can make voting itself meaningless (a quorum of
 * zero, a voting period of one block).
 */
contract WorkGovernor is
    Governor,
    GovernorSettings,
    GovernorCountingSimple,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorTimelockControl,
    GovernorPreventLateQuorum
{
    /// @notice Hard lower bound of the voting delay, in blocks.
    uint256 public constant MIN_VOTING_DELAY = 1;
    /// @notice Hard upper bound of the voting delay: about a week of 12-second blocks.
    uint256 public constant MAX_VOTING_DELAY = 50_400;
    /// @notice Hard lower bound of the voting period, in blocks.
    uint256 public constant MIN_VOTING_PERIOD = 10;
    /// @notice Hard upper bound of the voting period: about six weeks of 12-second blocks.
    uint256 public constant MAX_VOTING_PERIOD = 302_400;
    /// @notice Hard upper bound of the votes needed to propose.
    uint256 public constant MAX_PROPOSAL_THRESHOLD = 10_000_000e18;
    /// @notice Hard lower bound of the quorum, in percent of the token supply.
    uint256 public constant MIN_QUORUM_PERCENT = 1;
    /// @notice Hard upper bound of the quorum, in percent of the token supply.
    uint256 public constant MAX_QUORUM_PERCENT = 50;
    /// @notice Hard upper bound of the late-quorum extension, in blocks.
    uint256 public constant MAX_LATE_QUORUM_EXTENSION = 50_400;

    /// @notice Voting settings, all in the clock's units (blocks) except the quorum.
    struct Settings {
        uint48 votingDelay;
        uint32 votingPeriod;
        uint256 proposalThreshold;
        uint256 quorumPercent;
        uint48 lateQuorumExtension;
    }

    /**
     * @param votes The voting-power source ({WorkVotes}; only its IERC5805 read side is used).
     * @param timelock The timelock that executes passed proposals.
     * @param settings Voting delay, period, proposal threshold, quorum and late-quorum extension.
     */
    constructor(IVotes votes, TimelockController timelock, Settings memory settings)
        Governor("Jeton DAO")
        GovernorSettings(settings.votingDelay, settings.votingPeriod, settings.proposalThreshold)
        GovernorVotes(votes)
        GovernorVotesQuorumFraction(settings.quorumPercent)
        GovernorTimelockControl(timelock)
        GovernorPreventLateQuorum(settings.lateQuorumExtension)
    {}

    // The setters below add the hard bounds to OpenZeppelin's settings.

    function _setVotingDelay(uint48 newVotingDelay) internal override {
        RuleBounds.checkBounds("votingDelay", newVotingDelay, MIN_VOTING_DELAY, MAX_VOTING_DELAY);
        super._setVotingDelay(newVotingDelay);
    }

    function _setVotingPeriod(uint32 newVotingPeriod) internal override {
        RuleBounds.checkBounds(
            "votingPeriod", newVotingPeriod, MIN_VOTING_PERIOD, MAX_VOTING_PERIOD
        );
        super._setVotingPeriod(newVotingPeriod);
    }

    function _setProposalThreshold(uint256 newProposalThreshold) internal override {
        RuleBounds.checkBounds("proposalThreshold", newProposalThreshold, 0, MAX_PROPOSAL_THRESHOLD);
        super._setProposalThreshold(newProposalThreshold);
    }

    function _updateQuorumNumerator(uint256 newQuorumNumerator) internal override {
        RuleBounds.checkBounds(
            "quorumPercent", newQuorumNumerator, MIN_QUORUM_PERCENT, MAX_QUORUM_PERCENT
        );
        super._updateQuorumNumerator(newQuorumNumerator);
    }

    function _setLateQuorumVoteExtension(uint48 newVoteExtension) internal override {
        RuleBounds.checkBounds("lateQuorumExtension", newVoteExtension, 0, MAX_LATE_QUORUM_EXTENSION);
        super._setLateQuorumVoteExtension(newVoteExtension);
    }

    // The functions below are overrides required by Solidity to join the extensions.

    /// @inheritdoc Governor
    function proposalDeadline(uint256 proposalId)
        public
        view
        override(Governor, GovernorPreventLateQuorum)
        returns (uint256)
    {
        return super.proposalDeadline(proposalId);
    }

    /// @inheritdoc Governor
    function proposalNeedsQueuing(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl)
        returns (bool)
    {
        return super.proposalNeedsQueuing(proposalId);
    }

    /// @inheritdoc Governor
    function proposalThreshold() public view override(Governor, GovernorSettings) returns (uint256) {
        return super.proposalThreshold();
    }

    /// @inheritdoc Governor
    function quorum(uint256 timepoint)
        public
        view
        override(Governor, GovernorVotesQuorumFraction)
        returns (uint256)
    {
        return super.quorum(timepoint);
    }

    /// @inheritdoc Governor
    function state(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl)
        returns (ProposalState)
    {
        return super.state(proposalId);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _tallyUpdated(uint256 proposalId)
        internal
        override(Governor, GovernorPreventLateQuorum)
    {
        super._tallyUpdated(proposalId);
    }
}
