// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {GovernorSettings} from "@openzeppelin/contracts/governance/extensions/GovernorSettings.sol";
import {
    GovernorCountingSimple
} from "@openzeppelin/contracts/governance/extensions/GovernorCountingSimple.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
import {
    GovernorVotesQuorumFraction
} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {
    GovernorTimelockControl
} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {
    GovernorPreventLateQuorum
} from "@openzeppelin/contracts/governance/extensions/GovernorPreventLateQuorum.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {ERC6372Utils} from "@openzeppelin/contracts/utils/ERC6372Utils.sol";
import {RuleBounds} from "./libraries/RuleBounds.sol";
import {Timelock} from "./Timelock.sol";

/**
 * @title WorkGovernor
 * @notice The DAO: OpenZeppelin's Governor, composed of its standard extensions. Voting power
 * comes from {WorkVotes} (token votes plus weighted reputation) read at the proposal's snapshot;
 * passed proposals are queued in and executed by the {Timelock}.
 *
 * The voting settings are rules like the platform's (see {RuleBounds}): each has hard bounds
 * and a maximum step written below, and changes at most once a day, so that no vote can make
 * voting itself meaningless or impossible, and none can move a setting in one jump. The bounds
 * are in blocks of the chain this runs on; the figures in words assume 12-second blocks.
 *
 * Three more rules keep the DAO able to act:
 * - the quorum is a share of the votes that can exist: {WorkVotes} reckons the supply outside
 *   the treasury, which never votes, so no quorum within the bounds is out of reach;
 * - the votes needed to propose never exceed {PROPOSAL_THRESHOLD_CAP_PERCENT} of those votes,
 *   so raising the threshold can not lock every holder out;
 * - a queued proposal expires when its timelock operation does (see {Timelock-gracePeriod}),
 *   and its proposer may cancel it once its ETA has passed without execution, so a proposal
 *   refused at execution can not come back weeks later.
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
    /// @notice Largest change of the voting delay at once: about a day of 12-second blocks.
    uint256 public constant MAX_VOTING_DELAY_STEP = 7_200;
    /// @notice Hard lower bound of the voting period, in blocks.
    uint256 public constant MIN_VOTING_PERIOD = 10;
    /// @notice Hard upper bound of the voting period: about six weeks of 12-second blocks.
    uint256 public constant MAX_VOTING_PERIOD = 302_400;
    /// @notice Largest change of the voting period at once: about a day of 12-second blocks.
    uint256 public constant MAX_VOTING_PERIOD_STEP = 7_200;
    /// @notice Hard upper bound of the proposal threshold setting, in votes (1% of a 1e9 JTN cap).
    uint256 public constant MAX_PROPOSAL_THRESHOLD = 10_000_000e18;
    /// @notice Largest change of the proposal threshold setting at once, in votes.
    uint256 public constant MAX_PROPOSAL_THRESHOLD_STEP = 1_000_000e18;
    /// @notice The votes needed to propose never exceed this percentage of the votes that can
    /// exist (the supply outside the treasury), whatever the setting.
    uint256 public constant PROPOSAL_THRESHOLD_CAP_PERCENT = 1;
    /// @notice Hard lower bound of the quorum, in percent of the votes that can exist.
    uint256 public constant MIN_QUORUM_PERCENT = 1;
    /// @notice Hard upper bound of the quorum, in percent of the votes that can exist.
    uint256 public constant MAX_QUORUM_PERCENT = 50;
    /// @notice Largest change of the quorum at once, in percentage points.
    uint256 public constant MAX_QUORUM_STEP = 5;
    /// @notice Hard upper bound of the late-quorum extension, in blocks (OpenZeppelin also keeps
    /// it at most the voting period when it is set).
    uint256 public constant MAX_LATE_QUORUM_EXTENSION = 50_400;
    /// @notice Largest change of the late-quorum extension at once: about a day of blocks.
    uint256 public constant MAX_LATE_QUORUM_EXTENSION_STEP = 7_200;

    bytes32 private constant VOTING_DELAY = "votingDelay";
    bytes32 private constant VOTING_PERIOD = "votingPeriod";
    bytes32 private constant PROPOSAL_THRESHOLD = "proposalThreshold";
    bytes32 private constant QUORUM = "quorumPercent";
    bytes32 private constant LATE_QUORUM = "lateQuorumExtension";

    /// @dev How many snapshots' quorums are kept at once (proposals voted side by side).
    uint256 private constant KEPT_QUORUMS = 8;

    /// @dev A past snapshot's quorum, which never changes (see {quorum}).
    struct KeptQuorum {
        uint48 timepoint;
        uint208 quorum;
    }

    mapping(bytes32 rule => uint256) private _changedAt;
    mapping(uint256 proposalId => uint256) private _expiresAt;
    /// @dev Snapshots' quorums kept by votes, in a ring of {KEPT_QUORUMS} slots by timepoint.
    KeptQuorum[KEPT_QUORUMS] private _keptQuorums;

    /// @notice Queued proposal `proposalId` can be executed until (excluded) `expiresAt`.
    event ProposalExpires(uint256 indexed proposalId, uint256 expiresAt);

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
     * @param timelock The {Timelock} that executes passed proposals.
     * @param settings Voting delay, period, proposal threshold, quorum and late-quorum extension.
     */
    constructor(IVotes votes, TimelockController timelock, Settings memory settings)
        Governor("Jeton DAO")
        GovernorSettings(settings.votingDelay, settings.votingPeriod, settings.proposalThreshold)
        GovernorVotes(votes)
        GovernorVotesQuorumFraction(settings.quorumPercent)
        GovernorTimelockControl(timelock)
        GovernorPreventLateQuorum(settings.lateQuorumExtension)
    {
        // {clock} reads the block number itself: the votes must count in blocks too.
        if (IERC6372(address(votes)).clock() != Time.blockNumber()) {
            revert ERC6372Utils.ERC6372InconsistentClock();
        }
        // The deployer fills the ring of kept quorums once (as Uniswap's oracle fills its
        // observations), so that keeping a quorum rewrites a slot and no voter pays for a new
        // one; timepoint 0 marks a slot that keeps nothing.
        for (uint256 i = 0; i < KEPT_QUORUMS; ++i) {
            _keptQuorums[i].quorum = 1;
        }
    }

    // ----------------------------------------------------------------- clock

    /// @notice The governor's clock: block numbers, as its votes count them (checked at
    /// deployment), read without a call to the votes.
    function clock() public view override(Governor, GovernorVotes) returns (uint48) {
        return Time.blockNumber();
    }

    /// @notice The clock's mode (ERC-6372): block numbers.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public view override(Governor, GovernorVotes) returns (string memory) {
        return ERC6372Utils.blockNumberClockMode(clock);
    }

    // ----------------------------------------------------------------- settings (proposals only)

    /**
     * @notice Sets the voting delay of later proposals; only through a proposal.
     * @param newVotingDelay Blocks, within [{MIN_VOTING_DELAY}, {MAX_VOTING_DELAY}], at most
     * {MAX_VOTING_DELAY_STEP} away from the current delay, at most once a day.
     */
    function setVotingDelay(uint48 newVotingDelay) public override onlyGovernance {
        _change(VOTING_DELAY, votingDelay(), newVotingDelay);
        _setVotingDelay(newVotingDelay);
    }

    /**
     * @notice Sets the voting period of later proposals; only through a proposal.
     * @param newVotingPeriod Blocks, within [{MIN_VOTING_PERIOD}, {MAX_VOTING_PERIOD}], at most
     * {MAX_VOTING_PERIOD_STEP} away from the current period, at most once a day.
     */
    function setVotingPeriod(uint32 newVotingPeriod) public override onlyGovernance {
        _change(VOTING_PERIOD, votingPeriod(), newVotingPeriod);
        _setVotingPeriod(newVotingPeriod);
    }

    /**
     * @notice Sets the proposal threshold setting; only through a proposal. The votes needed to
     * propose are this setting, capped by {PROPOSAL_THRESHOLD_CAP_PERCENT} (see
     * {proposalThreshold}).
     * @param newProposalThreshold Votes, within [0, {MAX_PROPOSAL_THRESHOLD}], at most
     * {MAX_PROPOSAL_THRESHOLD_STEP} away from the current setting, at most once a day.
     */
    function setProposalThreshold(uint256 newProposalThreshold) public override onlyGovernance {
        _change(PROPOSAL_THRESHOLD, proposalThresholdSetting(), newProposalThreshold);
        _setProposalThreshold(newProposalThreshold);
    }

    /**
     * @notice Sets the quorum of proposals whose snapshot comes later; only through a proposal.
     * @param newQuorumNumerator Percent of the votes that can exist, within
     * [{MIN_QUORUM_PERCENT}, {MAX_QUORUM_PERCENT}], at most {MAX_QUORUM_STEP} points away from
     * the current quorum, at most once a day.
     */
    function updateQuorumNumerator(uint256 newQuorumNumerator) public override onlyGovernance {
        _change(QUORUM, quorumNumerator(), newQuorumNumerator);
        _updateQuorumNumerator(newQuorumNumerator);
    }

    /**
     * @notice Sets the late-quorum extension; only through a proposal.
     * @param newVoteExtension Blocks, within [0, {MAX_LATE_QUORUM_EXTENSION}] and at most the
     * voting period, at most {MAX_LATE_QUORUM_EXTENSION_STEP} away from the current extension,
     * at most once a day.
     */
    function setLateQuorumVoteExtension(uint48 newVoteExtension) public override onlyGovernance {
        _change(LATE_QUORUM, lateQuorumVoteExtension(), newVoteExtension);
        _setLateQuorumVoteExtension(newVoteExtension);
    }

    /**
     * @notice The votes needed to propose: the threshold setting, but never more than
     * {PROPOSAL_THRESHOLD_CAP_PERCENT} of the votes that can exist a block ago (the supply
     * outside the treasury), so that holders can always pool enough votes by delegation.
     */
    function proposalThreshold()
        public
        view
        override(Governor, GovernorSettings)
        returns (uint256)
    {
        uint256 setting = super.proposalThreshold();
        if (setting == 0) return 0;
        uint256 cap = Math.mulDiv(
            token().getPastTotalSupply(clock() - 1), PROPOSAL_THRESHOLD_CAP_PERCENT, 100
        );
        return Math.min(setting, cap);
    }

    /// @notice The proposal threshold as the DAO set it, before the cap of {proposalThreshold}.
    function proposalThresholdSetting() public view returns (uint256) {
        return GovernorSettings.proposalThreshold();
    }

    // ----------------------------------------------------------------- expiry and stale proposals

    /**
     * @notice When a queued proposal expires: from then on it can never be executed.
     * @param proposalId The proposal.
     * @return A unix time (its ETA plus the timelock's grace period when queued); 0 if never
     * queued.
     */
    function proposalExpiry(uint256 proposalId) public view returns (uint256) {
        return _expiresAt[proposalId];
    }

    /**
     * @notice The proposal's state; a queued proposal not executed before {proposalExpiry} is
     * Expired.
     */
    function state(uint256 proposalId)
        public
        view
        override(Governor, GovernorTimelockControl)
        returns (ProposalState)
    {
        ProposalState current = super.state(proposalId);
        if (current == ProposalState.Queued && block.timestamp >= _expiresAt[proposalId]) {
            return ProposalState.Expired;
        }
        return current;
    }

    /// @dev The proposer may cancel while the proposal is Pending (OpenZeppelin's rule), and
    /// also once it is stale: queued, its ETA passed, not executed (typically a proposal
    /// refused at execution, which would otherwise wait for a moment where it succeeds).
    function _validateCancel(uint256 proposalId, address caller)
        internal
        view
        override
        returns (bool)
    {
        ProposalState current = state(proposalId);
        if (caller != proposalProposer(proposalId)) return false;
        return current == ProposalState.Pending
            || (current == ProposalState.Queued && block.timestamp >= proposalEta(proposalId));
    }

    // ----------------------------------------------------------------- bounds of the settings

    // The internal setters check the hard bounds, at deployment and at every change.

    function _setVotingDelay(uint48 newVotingDelay) internal override {
        _checkBounds(VOTING_DELAY, newVotingDelay);
        super._setVotingDelay(newVotingDelay);
    }

    function _setVotingPeriod(uint32 newVotingPeriod) internal override {
        _checkBounds(VOTING_PERIOD, newVotingPeriod);
        super._setVotingPeriod(newVotingPeriod);
    }

    function _setProposalThreshold(uint256 newProposalThreshold) internal override {
        _checkBounds(PROPOSAL_THRESHOLD, newProposalThreshold);
        super._setProposalThreshold(newProposalThreshold);
    }

    function _updateQuorumNumerator(uint256 newQuorumNumerator) internal override {
        _checkBounds(QUORUM, newQuorumNumerator);
        super._updateQuorumNumerator(newQuorumNumerator);
    }

    function _setLateQuorumVoteExtension(uint48 newVoteExtension) internal override {
        _checkBounds(LATE_QUORUM, newVoteExtension);
        super._setLateQuorumVoteExtension(newVoteExtension);
    }

    /// @dev The hard bounds and maximum step of each setting: the one table of them.
    function _limits(bytes32 rule) private pure returns (uint256 min, uint256 max, uint256 step) {
        if (rule == VOTING_DELAY) {
            return (MIN_VOTING_DELAY, MAX_VOTING_DELAY, MAX_VOTING_DELAY_STEP);
        }
        if (rule == VOTING_PERIOD) {
            return (MIN_VOTING_PERIOD, MAX_VOTING_PERIOD, MAX_VOTING_PERIOD_STEP);
        }
        if (rule == PROPOSAL_THRESHOLD) {
            return (0, MAX_PROPOSAL_THRESHOLD, MAX_PROPOSAL_THRESHOLD_STEP);
        }
        if (rule == QUORUM) return (MIN_QUORUM_PERCENT, MAX_QUORUM_PERCENT, MAX_QUORUM_STEP);
        return (0, MAX_LATE_QUORUM_EXTENSION, MAX_LATE_QUORUM_EXTENSION_STEP);
    }

    function _change(bytes32 rule, uint256 oldValue, uint256 newValue) private {
        (uint256 min, uint256 max, uint256 step) = _limits(rule);
        RuleBounds.change(_changedAt, rule, oldValue, newValue, min, max, step);
    }

    function _checkBounds(bytes32 rule, uint256 value) private pure {
        (uint256 min, uint256 max,) = _limits(rule);
        RuleBounds.checkBounds(rule, value, min, max);
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

    /**
     * @notice The votes a proposal whose snapshot is `timepoint` needs (For and Abstain): the
     * quorum fraction of the votes that can exist at `timepoint` (see {WorkVotes}).
     * @dev A past timepoint's quorum never changes, so a proposal's first vote keeps it (see
     * {_tallyUpdated}) and later votes read it from one slot instead of the votes' supply, the
     * treasury's votes and the fraction's history. The slots are reused in a ring (the slot of
     * `timepoint` is `timepoint % KEPT_QUORUMS`, filled at deployment), so keeping a quorum
     * rewrites a slot rather than filling a new one; two proposals voted side by side whose
     * snapshots share a slot each read their quorum afresh.
     */
    function quorum(uint256 timepoint)
        public
        view
        override(Governor, GovernorVotesQuorumFraction)
        returns (uint256)
    {
        KeptQuorum memory kept = _keptQuorums[timepoint % KEPT_QUORUMS];
        if (kept.timepoint == timepoint && timepoint != 0) return kept.quorum;
        return super.quorum(timepoint);
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

    function _executor()
        internal
        view
        override(Governor, GovernorTimelockControl)
        returns (address)
    {
        return super._executor();
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        uint48 eta = super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
        // The timelock fixed the same expiry for the operation, from the same grace period.
        uint256 expiresAt = eta + Timelock(payable(timelock())).gracePeriod();
        _expiresAt[proposalId] = expiresAt;
        emit ProposalExpires(proposalId, expiresAt);
        return eta;
    }

    /// @dev Keeps the quorum of the proposal's snapshot at its first vote (the snapshot is past
    /// while votes are cast, so it is final), then lets OpenZeppelin check it for the late-quorum
    /// extension.
    function _tallyUpdated(uint256 proposalId)
        internal
        override(Governor, GovernorPreventLateQuorum)
    {
        uint256 snapshot = proposalSnapshot(proposalId);
        KeptQuorum storage kept = _keptQuorums[snapshot % KEPT_QUORUMS];
        if (kept.timepoint != snapshot) {
            uint256 value = super.quorum(snapshot);
            // A quorum too large for the slot (never with a cap below 2^208) is not kept.
            if (value <= type(uint208).max) {
                (kept.timepoint, kept.quorum) = (uint48(snapshot), uint208(value));
            }
        }
        super._tallyUpdated(proposalId);
    }
}
