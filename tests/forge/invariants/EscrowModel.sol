// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ITaskEscrow} from "../../../contracts/interfaces/ITaskEscrow.sol";
import {IReputation} from "../../../contracts/interfaces/IReputation.sol";
import {PlatformRules} from "../../../contracts/PlatformRules.sol";
import {WorkToken} from "../../../contracts/WorkToken.sol";
import {WorkVotes} from "../../../contracts/WorkVotes.sol";
import {FreezableToken} from "../../../contracts/mocks/FreezableToken.sol";
import {Cheats} from "../utils/Cheats.sol";

/**
 * @title EscrowModel
 * @notice The model the escrow's invariant campaign checks the chain against: every task (its
 * deposit, bond, locked terms, status, parties, windows and each party's net outcome), the money
 * that came in and went out per token, payouts kept for recipients that could not receive,
 * accrued fees, both parts of every worker's reputation, rewards owed and the reward room, the
 * rules and when each last changed, the payment tokens and their units, the treasury, the
 * arbiters and the frozen addresses.
 *
 * The campaign's layers: this model (its state, what the invariants read, and the checks of a
 * task and of the whole against the chain), {EscrowRefusals} (how a refusal is predicted),
 * {EscrowActions} (every action, predicted and checked), {EscrowChoices} (seeds to choices) and
 * {EscrowHandler} (the actions the fuzzer calls). Only public interfaces are used (DESIGN.md
 * section 3, contracts/interfaces), so the model holds whatever the contracts do inside.
 */
abstract contract EscrowModel is Cheats {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant HALF = 5_000;
    uint256 internal constant WAD = 1e18;
    /// @dev Fee, in work-token units, that earns one reputation point (TaskEscrow.FEE_PER_POINT).
    uint256 internal constant FEE_PER_POINT = 1e17;
    uint256 internal constant DEFAULT_BOND = type(uint256).max;
    uint256 internal constant RULE_COUNT = 9;
    uint256 internal constant CLAIM_BOND_RULE = 4;
    uint256 internal constant DISPUTE_WINDOW_RULE = 3;

    /// @notice The deployed system the campaign drives.
    struct System {
        ITaskEscrow escrow;
        PlatformRules rules;
        IReputation reputation;
        WorkToken jtn;
        FreezableToken usd;
        WorkVotes votes;
        address timelock;
        address arbiter;
        uint256 arbiterKey;
    }

    /// @notice A task as the model knows it.
    struct TaskModel {
        address client;
        address worker;
        IERC20 token;
        uint256 amount;
        uint64 deadline;
        uint32 minReputation;
        uint16 bondBps;
        uint16 feeBps;
        uint16 rewardBps;
        uint32 reviewPeriod;
        ITaskEscrow.Status status;
        uint64 windowEnds;
        address disputer;
        int256 workerNet;
        int256 clientNet;
    }

    /// @notice How a dispute ended, for DESIGN.md invariant 6 (junk never pays).
    struct DisputeOutcome {
        uint256 taskId;
        bool settled;
        uint16 share;
        uint256 bond;
        uint256 gross;
        bool clientDisputed;
        int256 workerNet;
        int256 clientNet;
        uint256 pointsGained;
        uint256 rewardGained;
        uint256 feeAccrued;
    }

    /// @dev The refusals the model expects of one call.
    struct Refusals {
        bytes[8] list;
        uint256 count;
    }

    /// @dev A post's arguments.
    struct Posting {
        address client;
        IERC20 token;
        uint256 amount;
        uint64 deadline;
        uint32 minReputation;
        address named;
        uint256 bondBps;
    }

    /// @dev A permit's deadline and signature.
    struct Pay {
        uint256 deadline;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    /// @dev What a final transition must do: the shares paid (or kept) and the worker's gains.
    struct Final {
        uint256 toWorker;
        uint256 toClient;
        uint256 fee;
        uint256 points;
        uint256 votingPoints;
        bool slash;
        uint256 reward;
        ITaskEscrow.Status status;
    }

    /// @dev Balances and standings read around a final transition.
    struct Snap {
        uint256 escrowBalance;
        uint256 workerBalance;
        uint256 clientBalance;
        uint256 workerOwed;
        uint256 clientOwed;
        uint256 fees;
        uint256 points;
        uint256 votingPoints;
        uint256 rewardsOwed;
    }

    ITaskEscrow internal escrow;
    PlatformRules internal rules;
    IReputation internal reputation;
    WorkToken internal jtn;
    FreezableToken internal usd;
    WorkVotes internal votes;
    address internal timelock;
    IERC20[2] internal tokens;

    address[] internal clients;
    address[] internal workers;
    /// @dev Who may be appointed arbiter: two arbiters, a worker and a client.
    address[] internal candidates;
    /// @dev Who may claim: the workers, the outsider and the clients (of others' tasks).
    address[] internal claimants;
    /// @dev Every actor, the DAO's timelock included (it must not move a task's money either).
    address[] internal everyone;
    /// @dev Whom the stablecoin may freeze: the parties, the treasury and the outsider.
    address[] internal freezable;
    address internal outsider;
    mapping(address account => uint256) internal keyOf;

    /// @notice The model's clock: every action runs at exactly this time and block.
    uint256 public now_;
    uint256 public block_;

    mapping(uint256 taskId => TaskModel) internal _model;
    uint256 public taskCount;
    uint256[] internal _live;

    /// @notice Per token: all that came into the escrow (deposits, bonds) and all that left it.
    mapping(address token => uint256) public ghostIn;
    mapping(address token => uint256) public ghostOut;
    mapping(address token => mapping(address recipient => uint256)) public ghostOwed;
    mapping(address token => uint256) public ghostFees;
    /// @notice Per token: the deposits of the tasks not final and the bonds they hold.
    mapping(address token => uint256) public ghostHeld;
    /// @notice Per token: all the payouts kept for recipients that could not receive them.
    mapping(address token => uint256) public ghostKept;

    mapping(address worker => uint256) public ghostPoints;
    mapping(address worker => uint256) public ghostVotingPoints;
    mapping(address worker => uint256) public ghostRewardsOwed;
    /// @notice Fees paid in the work token by the tasks that earned `worker` anything.
    mapping(address worker => uint256) public jtnFeesEarned;
    mapping(address worker => uint256) public rewardsCredited;
    uint256 public ghostRewardRoom;
    uint256 public ghostTotalRewardsOwed;

    uint256[RULE_COUNT] internal _ruleValue;
    uint256[RULE_COUNT] internal _ruleChangedAt;
    uint256[RULE_COUNT] internal _ruleMin;
    uint256[RULE_COUNT] internal _ruleMax;
    uint256[RULE_COUNT] internal _ruleStep;
    bytes32[RULE_COUNT] internal _ruleName;
    mapping(address token => bool) public ghostAllowed;
    mapping(address token => uint96) public ghostUnit;
    mapping(address token => uint256) internal _unitChangedAt;
    address public ghostTreasury;
    mapping(address account => bool) public ghostArbiter;

    DisputeOutcome[] internal _outcomes;

    /// @notice How many calls the chain refused as the model predicted, and how many succeeded.
    uint256 public refusals;
    uint256 public successes;

    modifier timed() {
        vm.warp(now_);
        vm.roll(block_);
        _;
    }

    constructor(System memory s) {
        escrow = s.escrow;
        rules = s.rules;
        reputation = s.reputation;
        jtn = s.jtn;
        usd = s.usd;
        votes = s.votes;
        timelock = s.timelock;
        tokens = [IERC20(address(s.jtn)), IERC20(address(s.usd))];
        now_ = vm.getBlockTimestamp();
        block_ = vm.getBlockNumber();

        outsider = _actor("outsider");
        address arbiter2 = _actor("arbiter2");
        for (uint256 i = 1; i <= 3; ++i) {
            clients.push(_actor(string.concat("client", vm.toString(i))));
            workers.push(_actor(string.concat("worker", vm.toString(i))));
        }
        keyOf[s.arbiter] = s.arbiterKey;
        candidates.push(s.arbiter);
        candidates.push(arbiter2);
        candidates.push(workers[2]);
        candidates.push(clients[2]);
        everyone.push(outsider);
        everyone.push(timelock);
        everyone.push(s.arbiter);
        everyone.push(arbiter2);
        for (uint256 i = 0; i < 3; ++i) {
            claimants.push(workers[i]);
            everyone.push(workers[i]);
            freezable.push(workers[i]);
        }
        claimants.push(outsider);
        for (uint256 i = 0; i < 3; ++i) {
            claimants.push(clients[i]);
            everyone.push(clients[i]);
            freezable.push(clients[i]);
        }
        freezable.push(timelock);
        freezable.push(outsider);
        for (uint256 i = 0; i < everyone.length; ++i) {
            address who = everyone[i];
            if (who == timelock) continue;
            vm.prank(timelock);
            jtn.transfer(who, 2_000_000e18);
            usd.mint(who, 1e15);
        }

        _readRules();
        ghostAllowed[address(jtn)] = true;
        ghostUnit[address(jtn)] = 1e18;
        ghostAllowed[address(usd)] = rules.isPaymentToken(address(usd));
        ghostUnit[address(usd)] = rules.tokenUnit(address(usd));
        ghostTreasury = rules.treasury();
        ghostArbiter[s.arbiter] = true;
        ghostRewardRoom = jtn.mintable();
    }

    function _actor(string memory name) internal returns (address account) {
        uint256 key = uint256(keccak256(bytes(name)));
        account = vm.addr(key);
        keyOf[account] = key;
        vm.label(account, name);
    }

    function _readRules() internal {
        _ruleName = [
            bytes32("feeBps"),
            "rewardBps",
            "reviewPeriod",
            "disputeWindow",
            "claimBondBps",
            "creditsCutBps",
            "tier1",
            "tier2",
            "tier3"
        ];
        uint32[3] memory tiers = rules.tierThresholds();
        _ruleValue = [
            uint256(rules.feeBps()),
            rules.rewardBps(),
            rules.reviewPeriod(),
            rules.disputeWindow(),
            rules.claimBondBps(),
            rules.creditsCutBps(),
            tiers[0],
            tiers[1],
            tiers[2]
        ];
        _ruleMin = [
            uint256(0),
            0,
            rules.MIN_REVIEW_PERIOD(),
            rules.MIN_DISPUTE_WINDOW(),
            0,
            0,
            rules.MIN_TIER_POINTS(),
            rules.MIN_TIER_POINTS(),
            rules.MIN_TIER_POINTS()
        ];
        _ruleMax = [
            uint256(rules.MAX_FEE_BPS()),
            rules.MAX_REWARD_BPS(),
            rules.MAX_REVIEW_PERIOD(),
            rules.MAX_DISPUTE_WINDOW(),
            rules.MAX_CLAIM_BOND_BPS(),
            rules.MAX_CREDITS_CUT_BPS(),
            rules.MAX_TIER_POINTS(),
            rules.MAX_TIER_POINTS(),
            rules.MAX_TIER_POINTS()
        ];
        _ruleStep = [
            uint256(rules.MAX_FEE_STEP()),
            rules.MAX_REWARD_STEP(),
            rules.MAX_REVIEW_STEP(),
            rules.MAX_DISPUTE_STEP(),
            rules.MAX_CLAIM_BOND_STEP(),
            rules.MAX_CREDITS_CUT_STEP(),
            rules.MAX_TIER_STEP(),
            rules.MAX_TIER_STEP(),
            rules.MAX_TIER_STEP()
        ];
    }

    // ================================================================= views for the invariants

    /// @notice The model of task `taskId`.
    function modelOf(uint256 taskId) external view returns (TaskModel memory) {
        return _model[taskId];
    }

    /// @notice The ids of the tasks not final yet.
    function liveTasks() external view returns (uint256[] memory) {
        return _live;
    }

    /// @notice Every dispute's outcome so far.
    function disputeOutcomes() external view returns (DisputeOutcome[] memory) {
        return _outcomes;
    }

    /// @notice Every actor (the treasury included).
    function actors() external view returns (address[] memory) {
        return everyone;
    }

    /// @notice Rule `rule`'s value in the model, its hard bounds and name.
    function ruleOf(uint256 rule)
        external
        view
        returns (uint256 value, uint256 min, uint256 max, bytes32 name)
    {
        return (_ruleValue[rule], _ruleMin[rule], _ruleMax[rule], _ruleName[rule]);
    }

    /// @notice The two payment tokens: the work token and the stablecoin.
    function paymentTokens() external view returns (IERC20, IERC20) {
        return (tokens[0], tokens[1]);
    }

    /// @dev Task `id` on chain is exactly the model's (DESIGN.md invariants 2 and 3: only its
    /// parties, an arbiter or time moved it, and its terms are those locked at posting).
    function _checkTask(uint256 id) internal view {
        ITaskEscrow.Task memory c = escrow.getTask(id);
        TaskModel storage m = _model[id];
        assertEq(uint256(c.status), uint256(m.status), "2 task status");
        assertEq(c.client, m.client, "2 task client");
        assertEq(c.worker, m.worker, "2 task worker");
        assertEq(c.amount, m.amount, "2 task deposit");
        assertEq(address(c.token), address(m.token), "2 task token");
        assertEq(c.deadline, m.deadline, "2 task deadline");
        assertEq(c.minReputation, m.minReputation, "2 task minimum reputation");
        assertEq(c.feeBps, m.feeBps, "3 locked fee");
        assertEq(c.rewardBps, m.rewardBps, "3 locked reward rate");
        assertEq(c.reviewPeriod, m.reviewPeriod, "3 locked review period");
        assertEq(c.bondBps, m.bondBps, "3 locked bond");
        assertEq(escrow.bondOf(id), _bondOf(m), "3 claim bond");
        if (m.status == ITaskEscrow.Status.Submitted || m.status == ITaskEscrow.Status.Disputed) {
            assertEq(c.windowEnds, m.windowEnds, "2 task window");
        }
    }

    /**
     * @notice The checks after every call of a campaign, on a fixed number of reads:
     * 1. per payment token, the escrow's balance is what came in less what went out, and the
     *    model's deposits and bonds of the tasks not final plus the payouts kept plus the fees
     *    accrued (the chain's figure); the token's supply plus the rewards owed stays within its
     *    cap; 3. every rule equals the model and lies within its hard bounds, the tiers increase,
     *    the stablecoin's unit lies within its bounds, the treasury is the model's.
     * Each action has checked, besides, what it touched: the task (2, 3), the shares paid and
     * kept (1, 9), the worker's reputation and reward (7), the rule it changed (3), a dispute's
     * outcome (6); {checkEverything} checks it all again at the end of a run.
     */
    function checkInvariants() external view {
        for (uint256 k = 0; k < 2; ++k) {
            address token = address(tokens[k]);
            uint256 balance = tokens[k].balanceOf(address(escrow));
            uint256 fees = escrow.accruedFees(token);
            assertEq(fees, ghostFees[token], "1 accrued fees");
            assertEq(balance, ghostIn[token] - ghostOut[token], "1 balance != in - out");
            assertEq(
                balance,
                ghostHeld[token] + ghostKept[token] + fees,
                "1 balance != held + kept + fees"
            );
        }
        assertLe(
            jtn.totalSupply() + ghostTotalRewardsOwed, jtn.cap(), "1 rewards owed exceed the cap"
        );
        assertEq(escrow.taskCount(), taskCount, "2 task count");
        _checkRules();
    }

    /**
     * @notice Everything, at the end of a run: {checkInvariants}; every task against the model
     * (2, 3); conservation on the chain's own figures (1): per token, the escrow's balance is the
     * deposits of the tasks not final, the bonds they hold (the claim bond once claimed, twice
     * once disputed), every recipient's kept payouts and the accrued fees; every actor's kept
     * payouts (9), rewards owed, both parts of reputation, and 7: voting points only from
     * work-token fees (one per 0.1 JTN), and at the DAO's weight a worker's reputation votes
     * never worth more than the fees its tasks paid less the rewards it got back.
     */
    function checkEverything() external view {
        this.checkInvariants();
        uint256[2] memory held;
        for (uint256 id = 1; id <= taskCount; ++id) {
            _checkTask(id);
            ITaskEscrow.Task memory c = escrow.getTask(id);
            uint256 k = address(c.token) == address(jtn) ? 0 : 1;
            if (c.status != ITaskEscrow.Status.None && !_isFinal(c.status)) {
                held[k] += c.amount + escrow.bondOf(id) * _bondsHeld(c.status);
            }
        }
        for (uint256 k = 0; k < 2; ++k) {
            address token = address(tokens[k]);
            uint256 kept;
            for (uint256 i = 0; i < everyone.length; ++i) {
                uint256 owed = escrow.owed(token, everyone[i]);
                assertEq(owed, ghostOwed[token][everyone[i]], "9 a kept payout");
                kept += owed;
            }
            assertEq(
                tokens[k].balanceOf(address(escrow)),
                held[k] + kept + escrow.accruedFees(token),
                "1 balance != deposits + bonds + kept + fees"
            );
        }
        uint256 weight = votes.reputationWeight();
        assertLe(weight, votes.MAX_REPUTATION_WEIGHT(), "7 weight above its cap");
        for (uint256 i = 0; i < everyone.length; ++i) {
            address who = everyone[i];
            uint256 voting = reputation.votingPointsOf(who);
            assertEq(reputation.pointsOf(who), ghostPoints[who], "7 tier points");
            assertEq(voting, ghostVotingPoints[who], "7 voting points");
            assertEq(escrow.rewardsOwed(who), ghostRewardsOwed[who], "rewards owed");
            assertLe(voting * FEE_PER_POINT, jtnFeesEarned[who], "7 voting points without fees");
            assertLe(weight * voting, jtnFeesEarned[who] - rewardsCredited[who], "7 cheap votes");
        }
    }

    function _checkRules() internal view {
        uint32[3] memory tiers = rules.tierThresholds();
        uint256[RULE_COUNT] memory onChain = [
            uint256(rules.feeBps()),
            rules.rewardBps(),
            rules.reviewPeriod(),
            rules.disputeWindow(),
            rules.claimBondBps(),
            rules.creditsCutBps(),
            tiers[0],
            tiers[1],
            tiers[2]
        ];
        for (uint256 rule = 0; rule < RULE_COUNT; ++rule) {
            uint256 value = _ruleValue[rule];
            assertEq(onChain[rule], value, "3 a rule differs from the model");
            assertGe(value, _ruleMin[rule], "3 a rule below its bound");
            assertLe(value, _ruleMax[rule], "3 a rule above its bound");
        }
        assertLt(tiers[0], tiers[1], "3 tiers 1 < 2");
        assertLt(tiers[1], tiers[2], "3 tiers 2 < 3");
        assertEq(rules.treasury(), ghostTreasury, "3 treasury");
        uint256 unit = rules.tokenUnit(address(usd));
        (uint256 min, uint256 max) = _unitBounds(address(usd));
        assertEq(unit, ghostUnit[address(usd)], "3 the stablecoin's unit");
        assertGe(unit, min, "3 a unit below its bound");
        assertLe(unit, max, "3 a unit above its bound");
    }

    function _ruleOnChain(uint256 rule) internal view returns (uint256) {
        if (rule == 0) return rules.feeBps();
        if (rule == 1) return rules.rewardBps();
        if (rule == 2) return rules.reviewPeriod();
        if (rule == 3) return rules.disputeWindow();
        if (rule == 4) return rules.claimBondBps();
        if (rule == 5) return rules.creditsCutBps();
        return rules.tierThreshold(uint8(rule - 5));
    }

    /// @dev Checks that exactly `amount` came in since `before`, and counts it.
    function _received(IERC20 token, uint256 before, uint256 amount, string memory what) internal {
        assertEq(
            token.balanceOf(address(escrow)), before + amount, string.concat(what, ": received")
        );
        ghostIn[address(token)] += amount;
    }

    // ================================================================= helpers

    /// @dev A token's unit bounds: 1e18 exactly for the work token, 10^(d-3) to 10^(d+3) else.
    function _unitBounds(address token) internal view returns (uint256 min, uint256 max) {
        if (token == address(jtn)) return (1e18, 1e18);
        uint8 decimals = usd.decimals();
        return (10 ** (decimals - 3), 10 ** (uint256(decimals) + 3));
    }

    function _bondOf(TaskModel storage t) internal view returns (uint256) {
        return t.amount * t.bondBps / BPS;
    }

    /// @dev Bonds the escrow holds for a task in `status`: the claim bond once claimed, twice
    /// once disputed, none before or after.
    function _bondsHeld(ITaskEscrow.Status status) internal pure returns (uint256) {
        if (status == ITaskEscrow.Status.Disputed) return 2;
        if (status == ITaskEscrow.Status.Claimed || status == ITaskEscrow.Status.Submitted) {
            return 1;
        }
        return 0;
    }

    function _isFinal(ITaskEscrow.Status status) internal pure returns (bool) {
        return status >= ITaskEscrow.Status.Completed;
    }

    /// @dev `who`'s balance of `token`; zero for the token of a task never posted.
    function _balance(IERC20 token, address who) internal view returns (uint256) {
        return address(token) == address(0) ? 0 : token.balanceOf(who);
    }

    function _frozen(IERC20 token, address who) internal view returns (bool) {
        return address(token) == address(usd) && usd.frozen(who);
    }

    /// @dev An appointed arbiter who is not a party to `t`, or zero.
    function _freeArbiter(TaskModel storage t) internal view returns (address) {
        for (uint256 i = 0; i < candidates.length; ++i) {
            address c = candidates[i];
            if (ghostArbiter[c] && c != t.client && c != t.worker) return c;
        }
        return address(0);
    }

    function _removeLive(uint256 id) internal {
        uint256 n = _live.length;
        for (uint256 i = 0; i < n; ++i) {
            if (_live[i] == id) {
                _live[i] = _live[n - 1];
                _live.pop();
                return;
            }
        }
    }

    function _advance(uint256 seconds_) internal {
        now_ += seconds_;
        block_ += seconds_ / 12 == 0 ? 1 : seconds_ / 12;
        vm.warp(now_);
        vm.roll(block_);
    }
}
