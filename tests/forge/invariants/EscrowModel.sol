// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ITaskEscrow} from "../../../contracts/interfaces/ITaskEscrow.sol";
import {IPlatformRules} from "../../../contracts/interfaces/IPlatformRules.sol";
import {IReputation} from "../../../contracts/interfaces/IReputation.sol";
import {RuleBounds} from "../../../contracts/libraries/RuleBounds.sol";
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
 * Each action below first lists the refusals the model expects (all the checks that fail, as
 * the custom errors with their arguments: the escrow may check them in any order, but a task in
 * the wrong state is refused for its state), then sends the transaction and either matches the
 * revert against that list or, on success, checks every amount moved and updates the model.
 * Only public interfaces are used (DESIGN.md section 3, contracts/interfaces), so the model holds
 * whatever the contracts do inside.
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
    uint256 public ghostTotalPoints;
    uint256 public ghostTotalVotingPoints;
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

    function _actor(string memory name) private returns (address account) {
        uint256 key = uint256(keccak256(bytes(name)));
        account = vm.addr(key);
        keyOf[account] = key;
        vm.label(account, name);
    }

    function _readRules() private {
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

    // ================================================================= actions

    function _post(Posting memory p, uint8 payMode) internal returns (bool) {
        Refusals memory r;
        address token = address(p.token);
        _refuse(r, p.amount == 0, abi.encodeWithSelector(ITaskEscrow.ZeroAmount.selector));
        _refuse(
            r,
            p.deadline <= now_,
            abi.encodeWithSelector(ITaskEscrow.DeadlineInPast.selector, p.deadline)
        );
        _refuse(
            r,
            p.named == p.client,
            abi.encodeWithSelector(ITaskEscrow.ClientCannotWork.selector, p.client)
        );
        bool custom = p.bondBps != DEFAULT_BOND;
        _refuse(
            r,
            custom && p.bondBps > BPS,
            abi.encodeWithSelector(ITaskEscrow.InvalidBond.selector, uint16(p.bondBps))
        );
        _refuse(
            r,
            !ghostAllowed[token],
            abi.encodeWithSelector(IPlatformRules.TokenNotAllowed.selector, token)
        );
        _refuse(
            r,
            p.amount > type(uint96).max,
            abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 96, p.amount)
        );
        _refuse(
            r,
            p.deadline > type(uint40).max,
            abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 40, p.deadline)
        );
        Pay memory pay;
        if (r.count == 0) pay = _preparePull(r, p.token, p.client, p.amount, payMode);
        uint256 before = p.token.balanceOf(address(escrow));
        (bool ok, bytes memory ret) = _call(address(escrow), p.client, _postCall(p, payMode, pay));
        if (!_expect(r, ok, ret, "post")) return false;

        uint256 id = ++taskCount;
        assertEq(abi.decode(ret, (uint256)), id, "post: task id");
        TaskModel storage t = _model[id];
        t.client = p.client;
        t.worker = p.named;
        t.token = p.token;
        t.amount = p.amount;
        t.deadline = p.deadline;
        t.minReputation = p.minReputation;
        t.bondBps = uint16(custom ? p.bondBps : _ruleValue[CLAIM_BOND_RULE]);
        t.feeBps = uint16(_ruleValue[0]);
        t.rewardBps = uint16(_ruleValue[1]);
        t.reviewPeriod = uint32(_ruleValue[2]);
        t.status = ITaskEscrow.Status.Open;
        t.clientNet = -int256(p.amount);
        _live.push(id);
        _received(p.token, before, p.amount, "post");
        ghostHeld[token] += p.amount;
        _checkTask(id);
        return true;
    }

    function _claim(uint256 id, address who, uint8 payMode) internal returns (bool) {
        TaskModel storage t = _model[id];
        Refusals memory r;
        if (!_gate(r, t.status != ITaskEscrow.Status.Open, _notOpen(id, t.status))) {
            _refuse(
                r,
                now_ > t.deadline,
                abi.encodeWithSelector(ITaskEscrow.DeadlinePassed.selector, id, t.deadline)
            );
            _refuse(
                r,
                who == t.client,
                abi.encodeWithSelector(ITaskEscrow.ClientCannotWork.selector, who)
            );
            _refuse(
                r,
                t.worker != address(0) && t.worker != who,
                abi.encodeWithSelector(ITaskEscrow.NotNamedWorker.selector, id, t.worker)
            );
            uint256 points = ghostPoints[who];
            _refuse(
                r,
                t.minReputation != 0 && points < t.minReputation,
                abi.encodeWithSelector(
                    ITaskEscrow.ReputationTooLow.selector, id, points, t.minReputation
                )
            );
        }
        uint256 bond = _bondOf(t);
        Pay memory pay;
        if (r.count == 0) pay = _preparePull(r, t.token, who, bond, payMode);
        bytes memory data = payMode == 0
            ? abi.encodeCall(ITaskEscrow.claim, (id))
            : abi.encodeCall(ITaskEscrow.claimWithPermit, (id, pay.deadline, pay.v, pay.r, pay.s));
        uint256 before = _balance(t.token, address(escrow));
        (bool ok, bytes memory ret) = _call(address(escrow), who, data);
        if (!_expect(r, ok, ret, "claim")) return false;
        t.status = ITaskEscrow.Status.Claimed;
        t.worker = who;
        t.workerNet = -int256(bond);
        _received(t.token, before, bond, "claim");
        ghostHeld[address(t.token)] += bond;
        _checkTask(id);
        return true;
    }

    function _submit(uint256 id, address who) internal returns (bool) {
        TaskModel storage t = _model[id];
        Refusals memory r;
        if (!_gate(r, t.status != ITaskEscrow.Status.Claimed, _notClaimed(id, t.status))) {
            _refuse(
                r,
                who != t.worker,
                abi.encodeWithSelector(ITaskEscrow.NotTaskWorker.selector, id, who)
            );
            _refuse(
                r,
                now_ > t.deadline,
                abi.encodeWithSelector(ITaskEscrow.DeadlinePassed.selector, id, t.deadline)
            );
        }
        (bool ok, bytes memory ret) = _call(
            address(escrow), who, abi.encodeCall(ITaskEscrow.submit, (id, keccak256("delivery")))
        );
        if (!_expect(r, ok, ret, "submit")) return false;
        t.status = ITaskEscrow.Status.Submitted;
        t.windowEnds = uint64(now_ + t.reviewPeriod);
        _checkTask(id);
        return true;
    }

    function _approve(uint256 id, address who) internal returns (bool) {
        TaskModel storage t = _model[id];
        Refusals memory r;
        if (!_gate(r, t.status != ITaskEscrow.Status.Submitted, _notSubmitted(id, t.status))) {
            _refuse(
                r,
                who != t.client,
                abi.encodeWithSelector(ITaskEscrow.NotTaskClient.selector, id, who)
            );
        }
        return
            _final(id, who, abi.encodeCall(ITaskEscrow.approve, (id)), r, _completion(t), "approve");
    }

    function _release(uint256 id, address who) internal returns (bool) {
        TaskModel storage t = _model[id];
        Refusals memory r;
        if (!_gate(r, t.status != ITaskEscrow.Status.Submitted, _notSubmitted(id, t.status))) {
            _refuse(
                r,
                who != t.worker,
                abi.encodeWithSelector(ITaskEscrow.NotTaskWorker.selector, id, who)
            );
            _refuse(
                r,
                now_ <= t.windowEnds,
                abi.encodeWithSelector(ITaskEscrow.ReviewPeriodActive.selector, id, t.windowEnds)
            );
        }
        return
            _final(id, who, abi.encodeCall(ITaskEscrow.release, (id)), r, _completion(t), "release");
    }

    function _cancel(uint256 id, address who) internal returns (bool) {
        TaskModel storage t = _model[id];
        Refusals memory r;
        if (!_gate(r, t.status != ITaskEscrow.Status.Open, _notOpen(id, t.status))) {
            _refuse(
                r,
                who != t.client,
                abi.encodeWithSelector(ITaskEscrow.NotTaskClient.selector, id, who)
            );
        }
        Final memory f;
        f.toClient = t.amount;
        f.status = ITaskEscrow.Status.Cancelled;
        return _final(id, who, abi.encodeCall(ITaskEscrow.cancel, (id)), r, f, "cancel");
    }

    function _reclaim(uint256 id, address who) internal returns (bool) {
        TaskModel storage t = _model[id];
        Refusals memory r;
        if (!_gate(r, t.status != ITaskEscrow.Status.Claimed, _notClaimed(id, t.status))) {
            _refuse(
                r,
                who != t.client,
                abi.encodeWithSelector(ITaskEscrow.NotTaskClient.selector, id, who)
            );
            _refuse(
                r,
                now_ <= t.deadline,
                abi.encodeWithSelector(ITaskEscrow.DeadlineNotPassed.selector, id, t.deadline)
            );
        }
        Final memory f;
        f.toClient = t.amount + _bondOf(t);
        f.status = ITaskEscrow.Status.Expired;
        return _final(id, who, abi.encodeCall(ITaskEscrow.reclaim, (id)), r, f, "reclaim");
    }

    function _dispute(uint256 id, address who, uint8 payMode) internal returns (bool) {
        TaskModel storage t = _model[id];
        Refusals memory r;
        if (!_gate(r, t.status != ITaskEscrow.Status.Submitted, _notSubmitted(id, t.status))) {
            _refuse(
                r,
                who != t.client && who != t.worker,
                abi.encodeWithSelector(ITaskEscrow.NotTaskParty.selector, id, who)
            );
            _refuse(
                r,
                now_ > t.windowEnds,
                abi.encodeWithSelector(ITaskEscrow.ReviewPeriodOver.selector, id, t.windowEnds)
            );
        }
        uint256 bond = _bondOf(t);
        Pay memory pay;
        if (r.count == 0) pay = _preparePull(r, t.token, who, bond, payMode);
        bytes memory data = payMode == 0
            ? abi.encodeCall(ITaskEscrow.dispute, (id))
            : abi.encodeCall(ITaskEscrow.disputeWithPermit, (id, pay.deadline, pay.v, pay.r, pay.s));
        uint256 before = _balance(t.token, address(escrow));
        (bool ok, bytes memory ret) = _call(address(escrow), who, data);
        if (!_expect(r, ok, ret, "dispute")) return false;
        t.status = ITaskEscrow.Status.Disputed;
        t.windowEnds = uint64(now_ + _ruleValue[DISPUTE_WINDOW_RULE]);
        t.disputer = who;
        if (who == t.client) t.clientNet -= int256(bond);
        else t.workerNet -= int256(bond);
        _received(t.token, before, bond, "dispute");
        ghostHeld[address(t.token)] += bond;
        _checkTask(id);
        return true;
    }

    function _resolve(uint256 id, address who, uint16 share) internal returns (bool) {
        TaskModel storage t = _model[id];
        Refusals memory r;
        if (!_gate(r, t.status != ITaskEscrow.Status.Disputed, _notDisputed(id, t.status))) {
            _refuse(
                r, !ghostArbiter[who], abi.encodeWithSelector(ITaskEscrow.NotArbiter.selector, who)
            );
            _refuse(
                r,
                who == t.client || who == t.worker,
                abi.encodeWithSelector(ITaskEscrow.ArbiterIsParty.selector, id, who)
            );
            _refuse(
                r,
                now_ > t.windowEnds,
                abi.encodeWithSelector(ITaskEscrow.ArbitrationWindowOver.selector, id, t.windowEnds)
            );
            _refuse(
                r, share > BPS, abi.encodeWithSelector(ITaskEscrow.InvalidShare.selector, share)
            );
        }
        Final memory f;
        if (r.count == 0) f = _split(t, share);
        uint256 gross = t.amount * share / BPS;
        if (!_final(id, who, abi.encodeCall(ITaskEscrow.resolve, (id, share)), r, f, "resolve")) {
            return false;
        }
        _outcome(id, false, share, gross, f);
        return true;
    }

    function _settle(uint256 id, address who) internal returns (bool) {
        TaskModel storage t = _model[id];
        Refusals memory r;
        if (!_gate(r, t.status != ITaskEscrow.Status.Disputed, _notDisputed(id, t.status))) {
            _refuse(
                r,
                who != t.client && who != t.worker,
                abi.encodeWithSelector(ITaskEscrow.NotTaskParty.selector, id, who)
            );
            _refuse(
                r,
                now_ <= t.windowEnds,
                abi.encodeWithSelector(
                    ITaskEscrow.ArbitrationWindowActive.selector, id, t.windowEnds
                )
            );
        }
        Final memory f;
        f.toClient = t.amount + 2 * _bondOf(t);
        f.status = ITaskEscrow.Status.Resolved;
        if (!_final(id, who, abi.encodeCall(ITaskEscrow.settleDispute, (id)), r, f, "settle")) {
            return false;
        }
        _outcome(id, true, 0, 0, f);
        return true;
    }

    function _collect(address worker, address caller) internal returns (bool) {
        Refusals memory r;
        uint256 owed = ghostRewardsOwed[worker];
        _refuse(r, owed == 0, abi.encodeWithSelector(ITaskEscrow.NothingToCollect.selector, worker));
        uint256 balance = jtn.balanceOf(worker);
        uint256 supply = jtn.totalSupply();
        (bool ok, bytes memory ret) =
            _call(address(escrow), caller, abi.encodeCall(ITaskEscrow.collectRewards, (worker)));
        if (!_expect(r, ok, ret, "collectRewards")) return false;
        assertEq(abi.decode(ret, (uint256)), owed, "collectRewards: amount");
        assertEq(jtn.balanceOf(worker), balance + owed, "collectRewards: minted to the worker");
        assertEq(jtn.totalSupply(), supply + owed, "collectRewards: supply");
        ghostRewardsOwed[worker] = 0;
        ghostTotalRewardsOwed -= owed;
        return true;
    }

    function _withdraw(IERC20 token, address who) internal returns (bool) {
        Refusals memory r;
        uint256 owed = ghostOwed[address(token)][who];
        _refuse(
            r,
            owed == 0,
            abi.encodeWithSelector(ITaskEscrow.NothingToWithdraw.selector, address(token), who)
        );
        if (r.count == 0) _refuseFrozen(r, token, who);
        uint256 balance = token.balanceOf(who);
        (bool ok, bytes memory ret) =
            _call(address(escrow), who, abi.encodeCall(ITaskEscrow.withdraw, (address(token))));
        if (!_expect(r, ok, ret, "withdraw")) return false;
        assertEq(abi.decode(ret, (uint256)), owed, "withdraw: amount");
        assertEq(token.balanceOf(who), balance + owed, "withdraw: received");
        ghostOwed[address(token)][who] = 0;
        ghostKept[address(token)] -= owed;
        ghostOut[address(token)] += owed;
        return true;
    }

    function _sweep(IERC20 token, address caller) internal returns (bool) {
        Refusals memory r;
        uint256 accrued = ghostFees[address(token)];
        _refuse(
            r,
            accrued <= 1,
            abi.encodeWithSelector(ITaskEscrow.NothingToSweep.selector, address(token))
        );
        address treasury = ghostTreasury;
        if (r.count == 0) _refuseFrozen(r, token, treasury);
        uint256 balance = token.balanceOf(treasury);
        (bool ok, bytes memory ret) =
            _call(address(escrow), caller, abi.encodeCall(ITaskEscrow.sweepFees, (address(token))));
        if (!_expect(r, ok, ret, "sweepFees")) return false;
        assertEq(abi.decode(ret, (uint256)), accrued - 1, "sweepFees: amount");
        assertEq(token.balanceOf(treasury), balance + accrued - 1, "sweepFees: to the treasury");
        ghostFees[address(token)] = 1;
        ghostOut[address(token)] += accrued - 1;
        return true;
    }

    // ----------------------------------------------------------------- the DAO's actions

    function _changeRule(uint256 rule, uint256 value, address caller) internal returns (bool) {
        Refusals memory r;
        if (!_gateOwner(r, caller)) {
            bool orderViolated;
            if (rule >= 6) {
                uint8 tier = uint8(rule - 5);
                bytes memory err =
                    abi.encodeWithSelector(IPlatformRules.TierOrderViolated.selector, tier, value);
                orderViolated = (tier > 1 && value <= _ruleValue[rule - 1])
                    || (tier < 3 && value >= _ruleValue[rule + 1]);
                _refuse(r, orderViolated, err);
            }
            if (!orderViolated) {
                _refuseChange(
                    r,
                    _ruleName[rule],
                    _ruleValue[rule],
                    value,
                    _ruleChangedAt[rule],
                    [_ruleMin[rule], _ruleMax[rule], _ruleStep[rule]]
                );
            }
        }
        (bool ok, bytes memory ret) = _call(address(rules), caller, _setterCall(rule, value));
        if (!_expect(r, ok, ret, "rule change")) return false;
        _ruleValue[rule] = value;
        _ruleChangedAt[rule] = now_;
        assertEq(_ruleOnChain(rule), value, "3 rule change read back");
        return true;
    }

    function _setPaymentToken(address token, bool allowed, uint96 unit, address caller)
        internal
        returns (bool)
    {
        Refusals memory r;
        uint96 current = ghostUnit[token];
        if (!_gateOwner(r, caller) && unit != current) _refuseUnit(r, token, current, unit);
        (bool ok, bytes memory ret) = _call(
            address(rules),
            caller,
            abi.encodeCall(PlatformRules.setPaymentToken, (token, allowed, unit))
        );
        if (!_expect(r, ok, ret, "setPaymentToken")) return false;
        if (unit != current) _unitChangedAt[token] = now_;
        ghostAllowed[token] = allowed;
        ghostUnit[token] = unit;
        return true;
    }

    /// @dev A unit moves at most to twice or half the current one, within its bounds, a day apart.
    function _refuseUnit(Refusals memory r, address token, uint256 current, uint256 unit)
        private
        view
    {
        (uint256 min, uint256 max) = _unitBounds(token);
        uint256 step = unit > current ? current : current / 2;
        _refuseChange(r, "tokenUnit", current, unit, _unitChangedAt[token], [min, max, step]);
    }

    function _setTreasury(address to, address caller) internal returns (bool) {
        Refusals memory r;
        if (!_gateOwner(r, caller)) {
            _refuse(
                r, to == address(0), abi.encodeWithSelector(IPlatformRules.ZeroTreasury.selector)
            );
        }
        (bool ok, bytes memory ret) =
            _call(address(rules), caller, abi.encodeCall(PlatformRules.setTreasury, (to)));
        if (!_expect(r, ok, ret, "setTreasury")) return false;
        ghostTreasury = to;
        return true;
    }

    function _setArbiter(address who, bool allowed, address caller) internal returns (bool) {
        Refusals memory r;
        if (!_gateOwner(r, caller)) {
            _refuse(
                r, who == address(0), abi.encodeWithSelector(IPlatformRules.ZeroAddress.selector)
            );
        }
        (bool ok, bytes memory ret) =
            _call(address(rules), caller, abi.encodeCall(PlatformRules.setArbiter, (who, allowed)));
        if (!_expect(r, ok, ret, "setArbiter")) return false;
        ghostArbiter[who] = allowed;
        return true;
    }

    // ----------------------------------------------------------------- exits (invariant 4)

    /// @dev Takes live task `id` to a final state by its legitimate path, waiting out a
    /// deadline or a window when it must; fails if the chain refuses.
    function _exit(uint256 id) internal {
        TaskModel storage t = _model[id];
        ITaskEscrow.Status status = t.status;
        bool done;
        if (status == ITaskEscrow.Status.Open) {
            done = _cancel(id, t.client);
        } else if (status == ITaskEscrow.Status.Claimed) {
            if (now_ <= t.deadline) _advance(t.deadline + 1 - now_);
            done = _reclaim(id, t.client);
        } else if (status == ITaskEscrow.Status.Submitted) {
            if (id % 2 == 0) {
                done = _approve(id, t.client);
            } else {
                if (now_ <= t.windowEnds) _advance(t.windowEnds + 1 - now_);
                done = _release(id, t.worker);
            }
        } else if (status == ITaskEscrow.Status.Disputed) {
            address judge = _freeArbiter(t);
            if (judge != address(0) && now_ <= t.windowEnds) {
                done = _resolve(id, judge, uint16(id * 2_477 % (BPS + 1)));
            } else {
                if (now_ <= t.windowEnds) _advance(t.windowEnds + 1 - now_);
                done = _settle(id, id % 2 == 0 ? t.client : t.worker);
            }
        }
        assertTrue(done, string.concat("exit refused for task ", vm.toString(id)));
    }

    /// @dev The DAO at its worst: it refuses both payment tokens, dismisses every arbiter and
    /// moves every rule a step up (each may be refused as too soon: the DAO can do no more).
    function _daoDoesItsWorst() internal {
        for (uint256 i = 0; i < 2; ++i) {
            address token = address(tokens[i]);
            _setPaymentToken(token, false, ghostUnit[token], timelock);
        }
        for (uint256 i = 0; i < candidates.length; ++i) {
            _setArbiter(candidates[i], false, timelock);
        }
        for (uint256 rule = 0; rule < RULE_COUNT; ++rule) {
            uint256 value = _ruleValue[rule] + _ruleStep[rule];
            if (value > _ruleMax[rule]) value = _ruleMax[rule];
            if (rule >= 6 && rule < 8 && value >= _ruleValue[rule + 1]) continue;
            _changeRule(rule, value, timelock);
        }
    }

    /// @dev The stablecoin freezes every party and the treasury.
    function _freezeEverybody() internal {
        for (uint256 i = 0; i < freezable.length; ++i) {
            usd.freeze(freezable[i], true);
        }
    }

    // ================================================================= checks of a transition

    /// @dev Sends a final transition and, if the model expects it to succeed, checks each share:
    /// paid to a recipient that can receive, kept for one that can not; the fee accrued; the
    /// worker's reputation and reward; and that the shares add up to the deposit and bonds held.
    function _final(
        uint256 id,
        address who,
        bytes memory data,
        Refusals memory r,
        Final memory f,
        string memory what
    ) internal returns (bool) {
        TaskModel storage t = _model[id];
        Snap memory before = _snap(t);
        (bool ok, bytes memory ret) = _call(address(escrow), who, data);
        if (!_expect(r, ok, ret, what)) return false;
        Snap memory after_ = _snap(t);
        address token = address(t.token);

        uint256 held = t.amount + _bondOf(t) * _bondsHeld(t.status);
        assertEq(f.toWorker + f.toClient + f.fee, held, string.concat(what, ": shares"));
        uint256 paid = _receipt(
            t.token,
            t.worker,
            f.toWorker,
            [before.workerBalance, after_.workerBalance, before.workerOwed, after_.workerOwed],
            what
        );
        paid += _receipt(
            t.token,
            t.client,
            f.toClient,
            [before.clientBalance, after_.clientBalance, before.clientOwed, after_.clientOwed],
            what
        );
        assertEq(after_.fees, before.fees + f.fee, string.concat(what, ": fee accrued"));
        assertEq(
            before.escrowBalance - after_.escrowBalance, paid, string.concat(what, ": paid out")
        );
        ghostFees[token] += f.fee;
        ghostOut[token] += paid;
        t.workerNet += int256(f.toWorker);
        t.clientNet += int256(f.toClient);
        if (!f.slash && token == address(jtn)) jtnFeesEarned[t.worker] += f.fee;

        _checkEarnings(t.worker, f, before, after_, what);
        ghostHeld[token] -= held;
        t.status = f.status;
        _removeLive(id);
        _checkTask(id);
        return true;
    }

    function _checkEarnings(
        address worker,
        Final memory f,
        Snap memory before,
        Snap memory after_,
        string memory what
    ) private {
        uint256 points = before.points;
        uint256 votingPoints = before.votingPoints;
        if (f.slash) {
            points -= f.points < points ? f.points : points;
            votingPoints -= f.votingPoints < votingPoints ? f.votingPoints : votingPoints;
        } else {
            points += f.points;
            votingPoints += f.votingPoints;
        }
        assertEq(after_.points, points, string.concat(what, ": tier points"));
        assertEq(after_.votingPoints, votingPoints, string.concat(what, ": voting points"));
        assertEq(after_.rewardsOwed, before.rewardsOwed + f.reward, string.concat(what, ": reward"));
        if (worker != address(0)) {
            ghostTotalPoints = ghostTotalPoints + points - before.points;
            ghostTotalVotingPoints = ghostTotalVotingPoints + votingPoints - before.votingPoints;
            ghostPoints[worker] = points;
            ghostVotingPoints[worker] = votingPoints;
            ghostRewardsOwed[worker] += f.reward;
            ghostTotalRewardsOwed += f.reward;
            rewardsCredited[worker] += f.reward;
        }
        ghostRewardRoom -= f.reward;
    }

    /// @dev Checks that `share` reached `to` (balance) or was kept for it (owed, when it can
    /// not receive); returns what left the escrow.
    function _receipt(
        IERC20 token,
        address to,
        uint256 share,
        uint256[4] memory seen, // balance before, after; owed before, after
        string memory what
    ) private returns (uint256 paid) {
        if (share == 0) {
            assertEq(seen[1], seen[0], string.concat(what, ": nothing to a recipient"));
            return 0;
        }
        if (_frozen(token, to)) {
            assertEq(seen[3], seen[2] + share, string.concat(what, ": share kept"));
            assertEq(seen[1], seen[0], string.concat(what, ": nothing reaches a frozen account"));
            ghostOwed[address(token)][to] += share;
            ghostKept[address(token)] += share;
            return 0;
        }
        assertEq(seen[1], seen[0] + share, string.concat(what, ": share paid"));
        assertEq(seen[3], seen[2], string.concat(what, ": nothing kept"));
        return share;
    }

    function _snap(TaskModel storage t) private view returns (Snap memory s) {
        IERC20 token = t.token;
        address worker = t.worker;
        s.escrowBalance = _balance(token, address(escrow));
        s.workerBalance = _balance(token, worker);
        s.clientBalance = _balance(token, t.client);
        s.workerOwed = escrow.owed(address(token), worker);
        s.clientOwed = escrow.owed(address(token), t.client);
        s.fees = escrow.accruedFees(address(token));
        s.points = reputation.pointsOf(worker);
        s.votingPoints = reputation.votingPointsOf(worker);
        s.rewardsOwed = escrow.rewardsOwed(worker);
    }

    /// @dev Approve or release: the deposit less the locked fee, and the bond, to the worker.
    function _completion(TaskModel storage t) private view returns (Final memory f) {
        f.fee = t.amount * t.feeBps / BPS;
        f.toWorker = t.amount - f.fee + _bondOf(t);
        (f.points, f.votingPoints, f.reward) = _earn(t, f.fee);
        f.status = ITaskEscrow.Status.Completed;
    }

    /// @dev An arbiter's split: the share (less the fee on it) to the worker, the rest to the
    /// client; both bonds to the worker at half or more, else to the client, who also sees the
    /// worker lose the points the whole task would have earned.
    function _split(TaskModel storage t, uint16 share) private view returns (Final memory f) {
        uint256 gross = t.amount * share / BPS;
        uint256 bonds = 2 * _bondOf(t);
        f.fee = gross * t.feeBps / BPS;
        bool won = share >= HALF;
        f.toWorker = gross - f.fee + (won ? bonds : 0);
        f.toClient = t.amount - gross + (won ? 0 : bonds);
        if (won) {
            (f.points, f.votingPoints, f.reward) = _earn(t, f.fee);
        } else {
            f.slash = true;
            (f.points, f.votingPoints) = _points(t.token, t.amount * t.feeBps / BPS);
        }
        f.status = ITaskEscrow.Status.Resolved;
    }

    function _earn(TaskModel storage t, uint256 fee)
        private
        view
        returns (uint256 points, uint256 votingPoints, uint256 reward)
    {
        if (fee == 0) return (0, 0, 0);
        (points, votingPoints) = _points(t.token, fee);
        if (address(t.token) != address(jtn)) return (points, 0, 0);
        reward = fee * t.rewardBps / BPS;
        if (reward > ghostRewardRoom) reward = ghostRewardRoom;
    }

    function _points(IERC20 token, uint256 fee)
        private
        view
        returns (uint256 points, uint256 votingPoints)
    {
        if (address(token) == address(jtn)) return (fee / FEE_PER_POINT, fee / FEE_PER_POINT);
        points = fee * WAD / ghostUnit[address(token)] / FEE_PER_POINT;
    }

    /// @dev Records how a dispute ended and checks DESIGN.md invariant 6 on it: junk never pays
    /// (a claimant settled against, or ruled worth nothing, loses at least its bond), and a
    /// client who disputed work found worth half or more pays that worth plus its dispute bond.
    /// ({_final} has checked the chain: a settlement moved no fee, reward or reputation, and a
    /// share under half took the task's points away.)
    function _outcome(uint256 id, bool settled, uint16 share, uint256 gross, Final memory f)
        private
    {
        TaskModel storage t = _model[id];
        int256 bond = int256(_bondOf(t));
        if (settled || share == 0) {
            assertTrue(
                t.workerNet <= -bond, "6 junk never pays: the claimant did not lose its bond"
            );
        }
        if (!settled && share >= HALF && t.disputer == t.client) {
            assertTrue(
                t.clientNet == -int256(gross) - bond, "6 a false dispute did not cost its worth"
            );
        }
        _outcomes.push(
            DisputeOutcome({
                taskId: id,
                settled: settled,
                share: share,
                bond: _bondOf(t),
                gross: gross,
                clientDisputed: t.disputer == t.client,
                workerNet: t.workerNet,
                clientNet: t.clientNet,
                pointsGained: f.slash ? 0 : f.points,
                rewardGained: f.reward,
                feeAccrued: f.fee
            })
        );
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
     *    the stablecoin's unit lies within its bounds, the treasury is the model's; 7. the totals
     *    of both parts of reputation are the model's.
     * Each action has checked, besides, what it touched: the task, the shares paid and kept,
     * the worker's reputation and reward, and the rule it changed.
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
        assertEq(reputation.totalPoints(), ghostTotalPoints, "7 total tier points");
        assertEq(reputation.totalVotingPoints(), ghostTotalVotingPoints, "7 total voting points");
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

    function _checkRules() private view {
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

    function _ruleOnChain(uint256 rule) private view returns (uint256) {
        if (rule == 0) return rules.feeBps();
        if (rule == 1) return rules.rewardBps();
        if (rule == 2) return rules.reviewPeriod();
        if (rule == 3) return rules.disputeWindow();
        if (rule == 4) return rules.claimBondBps();
        if (rule == 5) return rules.creditsCutBps();
        return rules.tierThreshold(uint8(rule - 5));
    }

    /// @dev Checks that exactly `amount` came in since `before`, and counts it.
    function _received(IERC20 token, uint256 before, uint256 amount, string memory what) private {
        assertEq(
            token.balanceOf(address(escrow)), before + amount, string.concat(what, ": received")
        );
        ghostIn[address(token)] += amount;
    }

    // ================================================================= refusals

    function _refuse(Refusals memory r, bool violated, bytes memory err) internal pure {
        if (violated) r.list[r.count++] = err;
    }

    /// @dev A task in the wrong state is refused for its state, whatever else is wrong.
    function _gate(Refusals memory r, bool violated, bytes memory err) private pure returns (bool) {
        _refuse(r, violated, err);
        return violated;
    }

    /// @dev Only the owner (the timelock) may change a rule.
    function _gateOwner(Refusals memory r, address caller) private view returns (bool) {
        return _gate(
            r,
            caller != timelock,
            abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, caller)
        );
    }

    /// @dev RuleBounds' three checks of a change: the interval, the bounds and the step.
    function _refuseChange(
        Refusals memory r,
        bytes32 name,
        uint256 current,
        uint256 value,
        uint256 changedAt,
        uint256[3] memory limits // min, max, step
    ) private view {
        _refuse(
            r,
            changedAt != 0 && now_ < changedAt + 1 days,
            abi.encodeWithSelector(RuleBounds.RuleChangedTooSoon.selector, name, changedAt + 1 days)
        );
        _refuse(
            r,
            value < limits[0] || value > limits[1],
            abi.encodeWithSelector(
                RuleBounds.RuleOutOfBounds.selector, name, value, limits[0], limits[1]
            )
        );
        uint256 step = value > current ? value - current : current - value;
        _refuse(
            r,
            step > limits[2],
            abi.encodeWithSelector(
                RuleBounds.RuleStepTooLarge.selector, name, current, value, limits[2]
            )
        );
    }

    function _refuseFrozen(Refusals memory r, IERC20 token, address who) private view {
        _refuse(
            r,
            _frozen(token, who),
            abi.encodeWithSelector(FreezableToken.AccountFrozen.selector, who)
        );
    }

    /// @dev Sets up the allowance (or the permit) for the escrow to pull `value` from `from`,
    /// and lists what the token itself would refuse. Modes: 0 an approval, 1 a permit, 2 a bad
    /// permit with an approval (the escrow ignores a failed permit), 3 a bad permit alone.
    function _preparePull(Refusals memory r, IERC20 token, address from, uint256 value, uint8 mode)
        private
        returns (Pay memory pay)
    {
        if (value == 0) return pay;
        _fund(token, from, value);
        vm.prank(from);
        token.approve(address(escrow), mode == 0 || mode == 2 ? value : 0);
        if (mode != 0) {
            pay.deadline = now_ + 1 hours;
            // A bad permit is signed for another value, so it recovers another signer.
            (pay.v, pay.r, pay.s) = signPermit(
                address(token),
                keyOf[from],
                address(escrow),
                mode == 1 ? value : value + 1,
                pay.deadline
            );
        }
        _refuse(
            r,
            mode == 3,
            abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientAllowance.selector, address(escrow), 0, value
            )
        );
        if (mode != 3) _refuseFrozen(r, token, from);
    }

    /// @dev Tops `who` up so that it holds `value` (never needed with the initial grants, but a
    /// long campaign may spend them).
    function _fund(IERC20 token, address who, uint256 value) private {
        uint256 balance = token.balanceOf(who);
        if (balance >= value) return;
        if (address(token) == address(usd)) {
            if (!usd.frozen(who)) usd.mint(who, value - balance);
        } else {
            vm.prank(timelock);
            jtn.transfer(who, value - balance);
        }
    }

    /// @dev Matches an outcome with the model: a success it expected, or one of its refusals.
    function _expect(Refusals memory r, bool ok, bytes memory ret, string memory what)
        internal
        returns (bool)
    {
        if (ok) {
            if (r.count != 0) {
                fail(
                    string.concat(what, ": succeeded; the model expected ", vm.toString(r.list[0]))
                );
            }
            ++successes;
            return true;
        }
        bytes32 got = keccak256(ret);
        for (uint256 i = 0; i < r.count; ++i) {
            if (keccak256(r.list[i]) == got) {
                ++refusals;
                return false;
            }
        }
        fail(
            string.concat(
                what,
                ": refused with ",
                vm.toString(ret),
                r.count == 0 ? "; the model expected success" : "; the model expected ",
                r.count == 0 ? "" : vm.toString(r.list[0])
            )
        );
        return false;
    }

    // ================================================================= helpers

    function _call(address target, address who, bytes memory data)
        internal
        returns (bool ok, bytes memory ret)
    {
        vm.prank(who);
        (ok, ret) = target.call(data);
    }

    function _postCall(Posting memory p, uint8 payMode, Pay memory pay)
        private
        pure
        returns (bytes memory)
    {
        address token = address(p.token);
        uint64 deadline = p.deadline;
        bytes32 spec = keccak256("spec");
        if (p.bondBps == DEFAULT_BOND) {
            if (payMode == 0) {
                return abi.encodeCall(
                    ITaskEscrow.postTask,
                    (token, p.amount, deadline, p.minReputation, spec, p.named)
                );
            }
            return abi.encodeCall(
                ITaskEscrow.postTaskWithPermit,
                (
                    token,
                    p.amount,
                    deadline,
                    p.minReputation,
                    spec,
                    p.named,
                    pay.deadline,
                    pay.v,
                    pay.r,
                    pay.s
                )
            );
        }
        uint16 bond = uint16(p.bondBps);
        if (payMode == 0) {
            return abi.encodeCall(
                ITaskEscrow.postTaskWithBond,
                (token, p.amount, deadline, p.minReputation, spec, p.named, bond)
            );
        }
        return abi.encodeCall(
            ITaskEscrow.postTaskWithBondAndPermit,
            (
                token,
                p.amount,
                deadline,
                p.minReputation,
                spec,
                p.named,
                bond,
                pay.deadline,
                pay.v,
                pay.r,
                pay.s
            )
        );
    }

    function _setterCall(uint256 rule, uint256 value) private pure returns (bytes memory) {
        if (rule == 0) return abi.encodeCall(PlatformRules.setFeeBps, (uint16(value)));
        if (rule == 1) return abi.encodeCall(PlatformRules.setRewardBps, (uint16(value)));
        if (rule == 2) return abi.encodeCall(PlatformRules.setReviewPeriod, (uint32(value)));
        if (rule == 3) return abi.encodeCall(PlatformRules.setDisputeWindow, (uint32(value)));
        if (rule == 4) return abi.encodeCall(PlatformRules.setClaimBondBps, (uint16(value)));
        if (rule == 5) return abi.encodeCall(PlatformRules.setCreditsCutBps, (uint16(value)));
        return abi.encodeCall(PlatformRules.setTierThreshold, (uint8(rule - 5), uint32(value)));
    }

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

    function _removeLive(uint256 id) private {
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

    function _notOpen(uint256 id, ITaskEscrow.Status s) private pure returns (bytes memory) {
        return abi.encodeWithSelector(ITaskEscrow.TaskNotOpen.selector, id, s);
    }

    function _notClaimed(uint256 id, ITaskEscrow.Status s) private pure returns (bytes memory) {
        return abi.encodeWithSelector(ITaskEscrow.TaskNotClaimed.selector, id, s);
    }

    function _notSubmitted(uint256 id, ITaskEscrow.Status s) private pure returns (bytes memory) {
        return abi.encodeWithSelector(ITaskEscrow.TaskNotSubmitted.selector, id, s);
    }

    function _notDisputed(uint256 id, ITaskEscrow.Status s) private pure returns (bytes memory) {
        return abi.encodeWithSelector(ITaskEscrow.TaskNotDisputed.selector, id, s);
    }

    // ----------------------------------------------------------------- choosing

    function _pick(uint256 seed, uint256 n) internal pure returns (uint256) {
        return seed % n;
    }

    function _pickFrom(address[] storage list, uint256 seed) internal view returns (address) {
        return list[seed % list.length];
    }

    function _anyone(uint256 seed) internal view returns (address) {
        return everyone[seed % everyone.length];
    }

    /// @dev Mostly `party` (when there is one), else anyone.
    function _partyOr(uint256 seed, address party) internal view returns (address) {
        if (party != address(0) && seed % 4 != 0) return party;
        return _anyone(seed >> 2);
    }

    /// @dev Mostly the right caller for the DAO's setters (its timelock), else anyone.
    function _daoOr(uint256 seed) internal view returns (address) {
        return seed % 8 == 0 ? _anyone(seed >> 3) : timelock;
    }

    /// @dev The named worker half the time, else any claimant.
    function _claimant(uint256 id, uint256 seed) internal view returns (address) {
        address named = _model[id].worker;
        if (named != address(0) && seed % 2 == 0) return named;
        return _pickFrom(claimants, seed >> 1);
    }

    /// @dev Mostly a live task in `status`, else any live task, else any id (one past the last
    /// included, and 0, which never exists).
    function _task(uint256 seed, ITaskEscrow.Status status) internal view returns (uint256) {
        if (seed % 5 != 0) {
            uint256 n = _live.length;
            uint256[] memory matching = new uint256[](n);
            uint256 count;
            for (uint256 i = 0; i < n; ++i) {
                if (_model[_live[i]].status == status) matching[count++] = _live[i];
            }
            if (count != 0) return matching[(seed >> 8) % count];
            if (n != 0) return _live[(seed >> 8) % n];
        }
        return (seed >> 8) % (taskCount + 2);
    }

    function _amount(IERC20 token, uint256 seed) internal view returns (uint256) {
        uint256 kind = seed % 16;
        seed >>= 8;
        uint256 one = address(token) == address(jtn) ? 1e18 : 1e6;
        if (kind == 0) return 0;
        if (kind == 1 && address(token) == address(jtn)) return uint256(type(uint96).max) + 1;
        if (kind <= 4) return bound(seed, 1, 10_000); // dust: fees and bonds round to zero
        return bound(seed, 1, 5_000) * one;
    }

    function _deadline(uint256 seed) internal view returns (uint64) {
        uint256 kind = seed % 16;
        seed >>= 8;
        if (kind == 0) return uint64(now_ - bound(seed, 0, 1 days)); // refused: not in the future
        if (kind == 1) return uint64(bound(seed, 2 ** 40, 2 ** 41)); // refused: overflows
        if (kind <= 3) return uint64(now_ + bound(seed, 1, 120));
        return uint64(now_ + bound(seed, 1 hours, 30 days));
    }

    function _bondBps(uint256 seed) internal pure returns (uint256) {
        uint256 kind = seed % 8;
        seed >>= 8;
        if (kind == 0) return 0;
        if (kind == 1) return BPS;
        if (kind == 2) return bound(seed, BPS + 1, type(uint16).max); // refused
        return bound(seed, 1, BPS);
    }

    function _share(uint256 seed) internal pure returns (uint16) {
        uint256 kind = seed % 8;
        seed >>= 8;
        if (kind == 0) return 0;
        if (kind == 1) return uint16(BPS);
        if (kind == 2) return uint16(HALF);
        if (kind == 3) return uint16(HALF - 1);
        if (kind == 4) return uint16(bound(seed, BPS + 1, type(uint16).max)); // refused
        return uint16(bound(seed, 0, BPS));
    }

    /// @dev A time on the edge of a live task's deadline or window: one second before, at, or after.
    function _boundary(uint256 seed) internal view returns (uint256) {
        if (_live.length == 0) return now_ + 1;
        TaskModel storage t = _model[_live[seed % _live.length]];
        uint256 edge = t.status == ITaskEscrow.Status.Submitted
            || t.status == ITaskEscrow.Status.Disputed
            ? t.windowEnds
            : t.deadline;
        return edge + ((seed >> 8) % 3) - 1;
    }

    /// @dev A value for `rule`: 0 within its bounds and step, 1 past a bound, 2 past the step,
    /// 3 the same value.
    function _ruleChoice(uint256 rule, uint256 seed, uint8 mode) internal view returns (uint256) {
        uint256 current = _ruleValue[rule];
        uint256 min = _ruleMin[rule];
        uint256 max = _ruleMax[rule];
        uint256 step = _ruleStep[rule];
        uint256 typeMax = rule == 2 || rule == 3 || rule >= 6 ? type(uint32).max : type(uint16).max;
        if (mode == 0) {
            uint256 lo = current > min + step ? current - step : min;
            uint256 hi = current + step < max ? current + step : max;
            return bound(seed, lo, hi);
        }
        if (mode == 1) {
            if (min > 0 && seed % 2 == 0) return bound(seed >> 1, 0, min - 1);
            return bound(seed >> 1, max + 1, typeMax);
        }
        if (mode == 2) {
            if (current > step && seed % 2 == 0) return bound(seed >> 1, 0, current - step - 1);
            return bound(seed >> 1, current + step + 1, typeMax);
        }
        return current;
    }

    /// @dev A unit for `token`: 0 the same, 1 within a factor of two, 2 double, 3 half, 4 past
    /// the step, 5 out of the bounds.
    function _unitValue(address token, uint8 mode, uint256 seed) internal view returns (uint96) {
        uint256 current = ghostUnit[token];
        (uint256 min, uint256 max) = _unitBounds(token);
        if (mode == 1) return uint96(bound(seed, current / 2, current * 2));
        if (mode == 2) return uint96(current * 2);
        if (mode == 3) return uint96(current / 2);
        if (mode == 4) return uint96(seed % 2 == 0 ? current * 2 + 1 : current / 2 - 1);
        if (mode == 5) return uint96(seed % 2 == 0 ? min - 1 : max + 1);
        return uint96(current);
    }
}
