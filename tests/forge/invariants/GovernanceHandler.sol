// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {
    GovernorPreventLateQuorum
} from "@openzeppelin/contracts/governance/extensions/GovernorPreventLateQuorum.sol";
import {ITaskEscrow} from "../../../contracts/interfaces/ITaskEscrow.sol";
import {IReputation} from "../../../contracts/interfaces/IReputation.sol";
import {IWorkToken} from "../../../contracts/interfaces/IWorkToken.sol";
import {RuleBounds} from "../../../contracts/libraries/RuleBounds.sol";
import {Timelock} from "../../../contracts/Timelock.sol";
import {WorkGovernor} from "../../../contracts/WorkGovernor.sol";
import {WorkToken} from "../../../contracts/WorkToken.sol";
import {WorkVotes} from "../../../contracts/WorkVotes.sol";
import {Cheats} from "../utils/Cheats.sol";

/**
 * @title GovernanceHandler
 * @notice The actions of the governance invariant campaign: token transfers (to the treasury
 * too), delegations (the treasury's refused), reputation earned and lost through the escrow,
 * rewards minted, blocks mined, the DAO's reputation weight moved (within and past its bounds,
 * step and interval), and whole proposals (propose, vote, queue, execute) that move a voting
 * setting or the timelock's delay or grace period, within or past their bounds and steps.
 *
 * After every action it records, for the block it ran in, every actor's voting power and the
 * supply the quorum is reckoned on, as they are now; the invariants read them back later at
 * that block as a past timepoint (DESIGN.md invariant 5). Each proposal's outcome is predicted
 * from those records and the model of the settings (invariant 8: a proposal within the bounds
 * passes and executes, one past them fails at execution and can never be run later by a
 * stranger).
 */
contract GovernanceHandler is Cheats {
    struct System {
        WorkToken token;
        WorkVotes votes;
        WorkGovernor governor;
        Timelock timelock;
        ITaskEscrow escrow;
        IReputation reputation;
        address arbiter;
    }

    /// @dev A proposal's calls and description.
    struct Proposal {
        address[] targets;
        uint256[] values;
        bytes[] calldatas;
        bytes32 descriptionHash;
        uint256 id;
    }

    uint256 private constant SETTINGS = 7; // 5 of the governor, 2 of the timelock
    uint256 private constant WEIGHT = 7; // index of the reputation weight's change time

    WorkToken internal token;
    WorkVotes internal votes;
    WorkGovernor internal governor;
    Timelock internal timelock;
    ITaskEscrow internal escrow;
    IReputation internal reputation;
    address internal arbiter;
    address internal treasury;

    address[] internal holders;
    address[] internal workers;
    /// @dev Every actor whose votes are recorded: holders, workers, the outsider, the treasury.
    address[] internal everyone;
    address internal outsider;

    uint256 public now_;
    uint256 public block_;

    /// @notice The blocks recorded, in order, and what each actor's votes and the quorum's
    /// supply were at the end of each.
    uint256[] internal _blocks;
    mapping(uint256 blockNumber => mapping(address account => uint256)) public votesAt;
    mapping(uint256 blockNumber => uint256) public supplyAt;
    mapping(uint256 blockNumber => uint256) public quorumPercentAt;

    /// @notice The model of the settings: value, when last changed, bounds and step.
    uint256[SETTINGS] internal _value;
    uint256[SETTINGS + 1] internal _changedAt;
    uint256[SETTINGS] internal _min;
    uint256[SETTINGS] internal _max;
    uint256[SETTINGS] internal _step;
    bytes32[SETTINGS] internal _name;
    uint256 public ghostWeight;
    uint256 internal _proposals;
    uint256 internal _records;

    /// @notice Proposals executed, proposals refused at execution, and stale ones that a
    /// stranger could not run later.
    uint256 public executed;
    uint256 public refusedAtExecution;
    uint256 public staleRefused;

    modifier recorded() {
        vm.warp(now_);
        vm.roll(block_);
        _;
        _record();
    }

    constructor(System memory s) {
        token = s.token;
        votes = s.votes;
        governor = s.governor;
        timelock = s.timelock;
        escrow = s.escrow;
        reputation = s.reputation;
        arbiter = s.arbiter;
        treasury = address(s.timelock);
        now_ = vm.getBlockTimestamp();
        block_ = vm.getBlockNumber();

        outsider = vm.addr(uint256(keccak256("gov-outsider")));
        for (uint256 i = 1; i <= 3; ++i) {
            address holder = vm.addr(uint256(keccak256(abi.encode("gov-holder", i))));
            address worker = vm.addr(uint256(keccak256(abi.encode("gov-worker", i))));
            holders.push(holder);
            workers.push(worker);
            vm.startPrank(treasury);
            token.transfer(holder, 10_000_000e18);
            token.transfer(worker, 10_000e18);
            vm.stopPrank();
            vm.prank(holder);
            token.delegate(holder);
            vm.prank(worker);
            token.delegate(worker);
        }
        vm.prank(treasury);
        token.transfer(outsider, 1_000_000e18);
        everyone = [holders[0], holders[1], holders[2], workers[0], workers[1], workers[2]];
        everyone.push(outsider);
        everyone.push(treasury);

        _name = [
            bytes32("votingDelay"),
            "votingPeriod",
            "proposalThreshold",
            "quorumPercent",
            "lateQuorumExtension",
            "timelockDelay",
            "gracePeriod"
        ];
        _value = [
            governor.votingDelay(),
            governor.votingPeriod(),
            governor.proposalThresholdSetting(),
            governor.quorumNumerator(),
            governor.lateQuorumVoteExtension(),
            timelock.getMinDelay(),
            timelock.gracePeriod()
        ];
        _min = [
            governor.MIN_VOTING_DELAY(),
            governor.MIN_VOTING_PERIOD(),
            0,
            governor.MIN_QUORUM_PERCENT(),
            0,
            timelock.MIN_DELAY(),
            timelock.MIN_GRACE_PERIOD()
        ];
        _max = [
            governor.MAX_VOTING_DELAY(),
            governor.MAX_VOTING_PERIOD(),
            governor.MAX_PROPOSAL_THRESHOLD(),
            governor.MAX_QUORUM_PERCENT(),
            governor.MAX_LATE_QUORUM_EXTENSION(),
            timelock.MAX_DELAY(),
            timelock.MAX_GRACE_PERIOD()
        ];
        _step = [
            governor.MAX_VOTING_DELAY_STEP(),
            governor.MAX_VOTING_PERIOD_STEP(),
            governor.MAX_PROPOSAL_THRESHOLD_STEP(),
            governor.MAX_QUORUM_STEP(),
            governor.MAX_LATE_QUORUM_EXTENSION_STEP(),
            timelock.MAX_DELAY_STEP(),
            timelock.MAX_GRACE_PERIOD_STEP()
        ];
        ghostWeight = votes.reputationWeight();
        _mine(1);
        _record();
    }

    // ================================================================= actions

    /// @notice An actor sends tokens to another, the treasury included.
    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amountSeed) external recorded {
        address from = everyone[fromSeed % (everyone.length - 1)]; // never the treasury
        address to = everyone[toSeed % everyone.length];
        uint256 amount = bound(amountSeed, 0, token.balanceOf(from) / 4);
        vm.prank(from);
        token.transfer(to, amount);
    }

    /// @notice An actor delegates its votes (to itself, another, the treasury or nobody); the
    /// treasury can not delegate away from itself.
    function delegate(uint256 whoSeed, uint256 toSeed) external recorded {
        address who = everyone[whoSeed % everyone.length];
        address to = toSeed % 9 == 0 ? address(0) : everyone[toSeed % everyone.length];
        vm.prank(who);
        (bool ok, bytes memory ret) = address(token).call(abi.encodeCall(token.delegate, (to)));
        if (who == treasury && to != treasury) {
            assertFalse(ok, "5 the treasury delegated away");
            assertEq(
                ret,
                abi.encodeWithSelector(IWorkToken.TreasuryDelegationFixed.selector, to),
                "5 the treasury's refusal"
            );
        } else {
            assertTrue(ok, "5 a delegation was refused");
        }
    }

    /**
     * @notice A worker earns reputation for a paid task in the work token (approved), or loses
     * it in a dispute an arbiter rules against it (less than half).
     */
    function earn(uint256 workerSeed, uint256 amountSeed, bool lose) external recorded {
        address worker = workers[workerSeed % workers.length];
        address client = holders[amountSeed % holders.length];
        uint256 amount = bound(amountSeed >> 8, 1, 2_000) * 1e18;
        if (token.balanceOf(client) < amount) {
            vm.prank(treasury);
            token.transfer(client, amount);
        }
        uint256 before = reputation.votingPointsOf(worker);
        vm.startPrank(client);
        token.approve(address(escrow), amount);
        uint256 id = escrow.postTaskWithBond(
            address(token), amount, uint64(now_ + 1 days), 0, bytes32("gov"), worker, 0
        );
        vm.stopPrank();
        vm.startPrank(worker);
        escrow.claim(id);
        escrow.submit(id, bytes32("work"));
        vm.stopPrank();
        uint256 points = amount * escrow.getTask(id).feeBps / 10_000 / 1e17;
        if (lose) {
            vm.prank(client);
            escrow.dispute(id);
            vm.prank(arbiter);
            escrow.resolve(id, uint16(bound(amountSeed >> 16, 0, 4_999)));
            uint256 expected = before > points ? before - points : 0;
            assertEq(reputation.votingPointsOf(worker), expected, "5 reputation slashed");
        } else {
            vm.prank(client);
            escrow.approve(id);
            assertEq(reputation.votingPointsOf(worker), before + points, "5 reputation earned");
        }
    }

    /// @notice Anyone mints a worker's rewards (the supply, and so the quorum, grows).
    function collectRewards(uint256 workerSeed) external recorded {
        address worker = workers[workerSeed % workers.length];
        if (escrow.rewardsOwed(worker) != 0) escrow.collectRewards(worker);
    }

    /// @notice Blocks go by (12 seconds each).
    function mine(uint256 blocksSeed) external recorded {
        _mine(bound(blocksSeed, 1, 50));
    }

    /// @notice The DAO (or someone else) sets the reputation weight: within its bound and step,
    /// past them, or within a day of the last change.
    function setWeight(uint256 seed, uint8 mode, uint256 callerSeed) external recorded {
        uint256 max = votes.MAX_REPUTATION_WEIGHT();
        uint256 step = votes.MAX_REPUTATION_WEIGHT_STEP();
        uint256 value =
            ruleValue(ghostWeight, [uint256(0), max, step], type(uint208).max, seed, mode % 3);
        address caller = callerSeed % 8 == 0 ? everyone[callerSeed % everyone.length] : treasury;
        bytes[] memory refusals = new bytes[](4);
        uint256 n;
        if (caller != treasury) {
            refusals[n++] =
                abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, caller);
        } else {
            n = _ruleRefusals(
                refusals,
                "reputationWeight",
                ghostWeight,
                value,
                _changedAt[WEIGHT],
                [uint256(0), max, step]
            );
        }
        vm.prank(caller);
        (bool ok, bytes memory ret) =
            address(votes).call(abi.encodeCall(WorkVotes.setReputationWeight, (value)));
        if (matchOutcome(ok, ret, refusals, n, "setReputationWeight")) {
            ghostWeight = value;
            _changedAt[WEIGHT] = now_;
        }
    }

    /**
     * @notice A holder proposes to move a voting setting (or the timelock's delay or grace
     * period) within its bounds and step, past them, or too soon after the last change; the
     * holders vote for it, it is queued and, after the delay, executed by a stranger. Within
     * the rules it executes; past them it fails at execution, and then either its proposer
     * cancels it once its ETA has passed, or it expires and a stranger can never run it.
     */
    function govern(uint256 settingSeed, uint8 mode, uint256 seed) external recorded {
        uint256 setting = settingSeed % SETTINGS;
        uint256 value = _settingValue(setting, seed, mode % 4);
        Proposal memory p = _proposalCall(setting, value);
        string memory description = string.concat("setting change #", vm.toString(++_proposals));
        p.descriptionHash = keccak256(bytes(description));

        address proposer = _proposer();
        if (proposer == address(0)) {
            // Nobody holds the threshold alone: the holders pool their votes by delegation,
            // which (8) must always be enough, whatever the settings.
            for (uint256 i = 0; i < everyone.length - 1; ++i) {
                vm.prank(everyone[i]);
                token.delegate(holders[0]);
            }
            _record();
            _mine(1);
            _record();
            proposer = _proposer();
            assertEq(proposer, holders[0], "8 pooled votes can not propose");
        }
        vm.prank(proposer);
        uint256 id = governor.propose(p.targets, p.values, p.calldatas, description);
        p.id = id;
        uint256 proposedAt = block_;
        _mine(governor.votingDelay() + 1);
        uint256 forVotes;
        for (uint256 i = 0; i < everyone.length - 1; ++i) {
            address voter = everyone[i];
            vm.prank(voter);
            governor.castVote(id, 1);
            forVotes += votesAt[proposedAt][voter];
        }
        _mine(governor.proposalDeadline(id) + 1 - block_);
        uint256 quorum = supplyAt[proposedAt] * quorumPercentAt[proposedAt] / 100;
        if (forVotes < quorum || forVotes == 0) {
            assertEq(
                uint256(governor.state(id)),
                uint256(IGovernor.ProposalState.Defeated),
                "8 a proposal short of its quorum"
            );
            return;
        }
        assertEq(
            uint256(governor.state(id)),
            uint256(IGovernor.ProposalState.Succeeded),
            "8 a proposal with its quorum did not pass"
        );
        governor.queue(p.targets, p.values, p.calldatas, p.descriptionHash);
        _advance(timelock.getMinDelay());
        _execute(setting, value, p, seed);
    }

    // ================================================================= checks

    /**
     * @notice DESIGN.md invariants 5 and 8, checked after every call on the block recorded last
     * before this one (and on every recorded block by {checkEveryBlock}): see the test.
     */
    function checkInvariants() external view {
        uint256 n = _blocks.length;
        for (uint256 i = n; i > 0; --i) {
            uint256 b = _blocks[i - 1];
            if (b < block_) {
                _checkBlock(b, false);
                break;
            }
        }
        _checkSettings();
    }

    /// @notice {checkInvariants} on every block recorded before this one.
    function checkEveryBlock() external view {
        for (uint256 i = 0; i < _blocks.length; ++i) {
            if (_blocks[i] < block_) _checkBlock(_blocks[i], true);
        }
        _checkSettings();
    }

    /// @notice How many blocks were recorded.
    function recordedBlocks() external view returns (uint256) {
        return _blocks.length;
    }

    /// @dev 5: voting power and the quorum's supply are read at a past block exactly as they
    /// were at its end, whatever happened since (tokens bought, borrowed, delegated or sent to
    /// the treasury, reputation earned or lost, the weight moved); the treasury never votes;
    /// 8: the quorum at that block is its share of the votes that can exist, never above half.
    /// Every actor when `all`, else three in turn (after every call, to keep a campaign fast).
    function _checkBlock(uint256 b, bool all) private view {
        uint256 n = everyone.length;
        for (uint256 i = 0; i < (all ? n : 3); ++i) {
            address who = everyone[all ? i : (block_ + i) % n];
            assertEq(votes.getPastVotes(who, b), votesAt[b][who], "5 past votes changed");
        }
        assertEq(votes.getPastVotes(treasury, b), 0, "5 the treasury voted");
        assertEq(votes.getPastTotalSupply(b), supplyAt[b], "5 past supply changed");
        assertEq(governor.getVotes(holders[0], b), votesAt[b][holders[0]], "5 the governor's read");
        uint256 quorum = governor.quorum(b);
        assertEq(quorum, supplyAt[b] * quorumPercentAt[b] / 100, "8 quorum");
        assertLe(quorum, supplyAt[b] / 2, "8 a quorum out of reach");
    }

    /// @dev 8: every setting equals the model and lies within its bounds; the votes needed to
    /// propose never exceed 1% of the votes that can exist; the weight stays within its cap.
    function _checkSettings() private view {
        uint256[SETTINGS] memory onChain = [
            governor.votingDelay(),
            governor.votingPeriod(),
            governor.proposalThresholdSetting(),
            governor.quorumNumerator(),
            governor.lateQuorumVoteExtension(),
            timelock.getMinDelay(),
            timelock.gracePeriod()
        ];
        for (uint256 i = 0; i < SETTINGS; ++i) {
            assertEq(onChain[i], _value[i], "8 a setting differs from the model");
            assertGe(onChain[i], _min[i], "8 a setting below its bound");
            assertLe(onChain[i], _max[i], "8 a setting above its bound");
        }
        uint256 castable = votes.getPastTotalSupply(block_ - 1);
        assertLe(governor.proposalThreshold(), castable / 100, "8 the threshold out of reach");
        assertEq(votes.reputationWeight(), ghostWeight, "7 weight");
        assertLe(ghostWeight, votes.MAX_REPUTATION_WEIGHT(), "7 weight above its cap");
    }

    // ================================================================= internals

    /// @dev Records every actor's votes and the quorum's supply as they are now, at the end of
    /// this block so far; checks one actor's votes (in turn) against their parts.
    function _record() private {
        if (_blocks.length == 0 || _blocks[_blocks.length - 1] != block_) _blocks.push(block_);
        address checked = everyone[++_records % everyone.length];
        for (uint256 i = 0; i < everyone.length; ++i) {
            address who = everyone[i];
            uint256 power = votes.getVotes(who);
            if (who == treasury) {
                assertEq(power, 0, "5 the treasury has votes");
            } else if (who == checked) {
                assertEq(
                    power,
                    token.getVotes(who) + ghostWeight * reputation.votingPointsOf(who),
                    "5 votes != token votes + weight x voting points"
                );
            }
            votesAt[block_][who] = power;
        }
        supplyAt[block_] = token.totalSupply() - token.getVotes(treasury);
        quorumPercentAt[block_] = _value[3];
    }

    function _execute(uint256 setting, uint256 value, Proposal memory p, uint256 seed) private {
        bytes[] memory refusals = new bytes[](4);
        uint256 n = _settingRefusals(refusals, setting, value);
        bytes memory execute =
            abi.encodeCall(governor.execute, (p.targets, p.values, p.calldatas, p.descriptionHash));
        vm.prank(outsider);
        (bool ok, bytes memory ret) = address(governor).call(execute);
        if (matchOutcome(ok, ret, refusals, n, "execute")) {
            _value[setting] = value;
            _changedAt[setting] = now_;
            ++executed;
            return;
        }
        ++refusedAtExecution;
        assertEq(
            uint256(governor.state(p.id)),
            uint256(IGovernor.ProposalState.Queued),
            "8 a refused proposal left the queue"
        );
        if (seed % 2 == 0) {
            // Its proposer cancels it: its ETA has passed.
            vm.prank(governor.proposalProposer(p.id));
            governor.cancel(p.targets, p.values, p.calldatas, p.descriptionHash);
            assertEq(
                uint256(governor.state(p.id)),
                uint256(IGovernor.ProposalState.Canceled),
                "8 a stale proposal not cancelled"
            );
        } else {
            // It expires: a stranger can never run it, even once it would succeed.
            _advance(governor.proposalExpiry(p.id) - now_);
            assertEq(
                uint256(governor.state(p.id)),
                uint256(IGovernor.ProposalState.Expired),
                "8 a stale proposal did not expire"
            );
            vm.prank(outsider);
            (ok,) = address(governor).call(execute);
            assertFalse(ok, "8 an expired proposal was executed");
        }
        ++staleRefused;
    }

    /// @dev The holder with the most votes a block ago, if it holds the threshold, else zero.
    function _proposer() private view returns (address) {
        address best = holders[0];
        uint256 most = governor.getVotes(best, block_ - 1);
        for (uint256 i = 1; i < holders.length; ++i) {
            uint256 v = governor.getVotes(holders[i], block_ - 1);
            if (v > most) (best, most) = (holders[i], v);
        }
        return most < governor.proposalThreshold() ? address(0) : best;
    }

    function _proposalCall(uint256 setting, uint256 value)
        private
        view
        returns (Proposal memory p)
    {
        p.targets = new address[](1);
        p.values = new uint256[](1);
        p.calldatas = new bytes[](1);
        p.targets[0] = setting < 5 ? address(governor) : address(timelock);
        bytes[] memory calldatas = p.calldatas;
        if (setting == 0) {
            calldatas[0] = abi.encodeCall(WorkGovernor.setVotingDelay, (uint48(value)));
        } else if (setting == 1) {
            calldatas[0] = abi.encodeCall(WorkGovernor.setVotingPeriod, (uint32(value)));
        } else if (setting == 2) {
            calldatas[0] = abi.encodeCall(WorkGovernor.setProposalThreshold, (value));
        } else if (setting == 3) {
            calldatas[0] = abi.encodeCall(WorkGovernor.updateQuorumNumerator, (value));
        } else if (setting == 4) {
            calldatas[0] = abi.encodeCall(WorkGovernor.setLateQuorumVoteExtension, (uint48(value)));
        } else if (setting == 5) {
            calldatas[0] = abi.encodeCall(Timelock.updateDelay, (value));
        } else {
            calldatas[0] = abi.encodeCall(Timelock.updateGracePeriod, (value));
        }
    }

    /// @dev What executing a change of `setting` to `value` must be refused with, if anything.
    function _settingRefusals(bytes[] memory refusals, uint256 setting, uint256 value)
        private
        view
        returns (uint256 n)
    {
        n = _ruleRefusals(
            refusals,
            _name[setting],
            _value[setting],
            value,
            _changedAt[setting],
            [_min[setting], _max[setting], _step[setting]]
        );
        if (n == 0 && setting == 4 && value > _value[1]) {
            refusals[n++] = abi.encodeWithSelector(
                GovernorPreventLateQuorum.GovernorPreventLateQuorumVoteExtensionTooLarge.selector,
                value,
                _value[1]
            );
        }
    }

    function _ruleRefusals(
        bytes[] memory refusals,
        bytes32 name,
        uint256 current,
        uint256 value,
        uint256 changedAt,
        uint256[3] memory limits
    ) private view returns (uint256 n) {
        if (changedAt != 0 && now_ < changedAt + 1 days) {
            refusals[n++] = abi.encodeWithSelector(
                RuleBounds.RuleChangedTooSoon.selector, name, changedAt + 1 days
            );
        }
        if (value < limits[0] || value > limits[1]) {
            refusals[n++] = abi.encodeWithSelector(
                RuleBounds.RuleOutOfBounds.selector, name, value, limits[0], limits[1]
            );
        }
        uint256 step = value > current ? value - current : current - value;
        if (step > limits[2]) {
            refusals[n++] = abi.encodeWithSelector(
                RuleBounds.RuleStepTooLarge.selector, name, current, value, limits[2]
            );
        }
    }

    function _settingValue(uint256 setting, uint256 seed, uint8 mode)
        private
        view
        returns (uint256)
    {
        uint256 typeMax = setting == 1
            ? type(uint32).max
            : setting == 0 || setting == 4 ? type(uint48).max : type(uint128).max;
        return ruleValue(
            _value[setting], [_min[setting], _max[setting], _step[setting]], typeMax, seed, mode
        );
    }

    function _mine(uint256 blocks) private {
        block_ += blocks;
        now_ += 12 * blocks;
        vm.roll(block_);
        vm.warp(now_);
    }

    function _advance(uint256 seconds_) private {
        _mine(seconds_ / 12 + 1);
    }
}
