// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ITaskEscrow} from "./interfaces/ITaskEscrow.sol";
import {IPlatformRules} from "./interfaces/IPlatformRules.sol";
import {IReputation} from "./interfaces/IReputation.sol";
import {IWorkToken} from "./interfaces/IWorkToken.sol";
import {Reputation} from "./Reputation.sol";
import {EscrowPayments} from "./escrow/EscrowPayments.sol";

/**
 * @title TaskEscrow
 * @notice Holds clients' payments for tasks and pays workers for delivered work.
 *
 * Lifecycle: post -> Open -> claim -> Claimed -> submit -> Submitted -> approve (client) or
 * release (worker, after the review period) -> Completed. An open task can be cancelled, a
 * claimed one reclaimed after its deadline, a submitted one disputed and then resolved by an
 * arbiter within the arbitration window, or settled by either party after it.
 *
 * Bonds: each task carries a claim bond, a share of the deposit in the task's token that the
 * client sets at posting (or the DAO's default). The worker stakes it at claim, and whoever
 * disputes a submission stakes as much again. Approval and release return the worker's bond
 * with the pay; a reclaim (the claimant sat on the task past its deadline) forfeits it to the
 * client. In a dispute both bonds go to the side the arbiter favours: the worker when it gets
 * at least half, else the client. A dispute no arbiter decided is undone for the client, who
 * takes back the deposit and both bonds, with no fee, reward or reputation for anyone. So junk
 * loses its claimant the bond whenever the client disputes, and a client who disputes good work
 * loses its dispute bond to the worker when an arbiter says so.
 *
 * Money rules:
 * - the fee, the reward rate, the review period and the bond in force at posting are stored
 *   with the task and used at submission and payout;
 * - every final transition moves the whole deposit and every bond exactly once: to the worker,
 *   the client, and the fees accrued for the DAO;
 * - payouts never push to the treasury: fees accrue here per token and anyone sweeps them to
 *   the treasury the rulebook names ({sweepFees}). Every other share goes out with a transfer
 *   that may fail: a recipient that can not receive (a frozen address) has its share kept for
 *   it to {withdraw}, and the others are paid in the same transaction;
 * - nothing but the client, the worker, an arbiter or the passing of time moves a task's money,
 *   and no rule change, role, token disallowance or frozen recipient can block a payout.
 *
 * Work reward: for a task paid in the work token, `rewardBps` of the fee it paid is credited
 * to the worker on payout and minted when the worker collects it ({collectRewards}: one mint for many
 * tasks, which keeps the costly mint and its checkpoints out of every payout). Credits are
 * reserved against the token's cap as they are made, and this escrow is the token's only and
 * permanent minter, so a credit can always be collected: it is the worker's from approval on.
 * Once the cap is reached, payouts complete with no reward. Tasks paid in other tokens earn no
 * reward. Reputation: see {Reputation} (tier points from every paid fee, voting points only from
 * fees paid in the work token).
 *
 * The money that waits to go out by pull (fees, rewards, payments kept for a recipient that
 * could not receive) and the pulling in of deposits and bonds live in {EscrowPayments}.
 *
 * Every operation touches a fixed number of storage slots: it costs the same at task 1 and
 * task 100,000.
 */
contract TaskEscrow is EscrowPayments {
    uint256 private constant BPS = 10_000;
    uint256 private constant HALF = 5_000;
    uint256 private constant WAD = 1e18;
    /// @dev Passed as the bond of a posting that takes the DAO's default.
    uint256 private constant DEFAULT_BOND = type(uint256).max;

    /// @notice Fee, in work-token units, that earns one reputation point (0.1 JTN).
    uint256 public constant FEE_PER_POINT = 1e17;

    /// @notice Workers' reputation, created by and written only by this escrow.
    IReputation public immutable reputation;

    /// @inheritdoc ITaskEscrow
    uint256 public taskCount;

    mapping(uint256 taskId => Task) private _tasks;

    /**
     * @param workToken_ The work token (this escrow must hold its minter role for rewards).
     * @param rules_ The rulebook.
     */
    constructor(IWorkToken workToken_, IPlatformRules rules_) EscrowPayments(workToken_, rules_) {
        reputation = new Reputation(rules_);
    }

    // ----------------------------------------------------------------- posting

    /// @inheritdoc ITaskEscrow
    function postTask(
        address token,
        uint256 amount,
        uint64 deadline,
        uint32 minReputation,
        bytes32 specHash,
        address worker
    ) external nonReentrant returns (uint256 taskId) {
        taskId = _post(token, amount, deadline, minReputation, specHash, worker, DEFAULT_BOND);
        _pull(IERC20(token), amount);
    }

    /// @inheritdoc ITaskEscrow
    /// @dev The permit is used only once every check of the posting has passed. A failed permit
    /// is ignored (someone may have front-run it with the same signature); the transfer then
    /// needs the allowance that permit would have set.
    function postTaskWithPermit(
        address token,
        uint256 amount,
        uint64 deadline,
        uint32 minReputation,
        bytes32 specHash,
        address worker,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (uint256 taskId) {
        taskId = _post(token, amount, deadline, minReputation, specHash, worker, DEFAULT_BOND);
        _permit(IERC20(token), amount, permitDeadline, v, r, s);
        _pull(IERC20(token), amount);
    }

    /// @inheritdoc ITaskEscrow
    function postTaskWithBond(
        address token,
        uint256 amount,
        uint64 deadline,
        uint32 minReputation,
        bytes32 specHash,
        address worker,
        uint16 bondBps
    ) external nonReentrant returns (uint256 taskId) {
        taskId = _post(token, amount, deadline, minReputation, specHash, worker, bondBps);
        _pull(IERC20(token), amount);
    }

    /// @inheritdoc ITaskEscrow
    /// @dev As {postTaskWithPermit}.
    function postTaskWithBondAndPermit(
        address token,
        uint256 amount,
        uint64 deadline,
        uint32 minReputation,
        bytes32 specHash,
        address worker,
        uint16 bondBps,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (uint256 taskId) {
        taskId = _post(token, amount, deadline, minReputation, specHash, worker, bondBps);
        _permit(IERC20(token), amount, permitDeadline, v, r, s);
        _pull(IERC20(token), amount);
    }

    // ----------------------------------------------------------------- working

    /// @inheritdoc ITaskEscrow
    function claim(uint256 taskId) external nonReentrant {
        (IERC20 token, uint256 bond) = _claim(taskId);
        if (bond != 0) _pull(token, bond);
    }

    /// @inheritdoc ITaskEscrow
    /// @dev As {postTaskWithPermit}: the permit, for the bond, comes after the checks.
    function claimWithPermit(uint256 taskId, uint256 permitDeadline, uint8 v, bytes32 r, bytes32 s)
        external
        nonReentrant
    {
        (IERC20 token, uint256 bond) = _claim(taskId);
        if (bond != 0) {
            _permit(token, bond, permitDeadline, v, r, s);
            _pull(token, bond);
        }
    }

    /// @inheritdoc ITaskEscrow
    function submit(uint256 taskId, bytes32 deliverableHash) external nonReentrant {
        Task storage task = _tasks[taskId];
        if (task.status != Status.Claimed) revert TaskNotClaimed(taskId, task.status);
        if (msg.sender != task.worker) revert NotTaskWorker(taskId, msg.sender);
        if (block.timestamp > task.deadline) revert DeadlinePassed(taskId, task.deadline);
        uint40 reviewEnds = uint40(block.timestamp) + task.reviewPeriod;
        task.status = Status.Submitted;
        task.windowEnds = reviewEnds;
        emit TaskSubmitted(taskId, msg.sender, deliverableHash, reviewEnds);
    }

    // ----------------------------------------------------------------- paying

    /// @inheritdoc ITaskEscrow
    function approve(uint256 taskId) external nonReentrant {
        Task storage task = _tasks[taskId];
        if (task.status != Status.Submitted) revert TaskNotSubmitted(taskId, task.status);
        if (msg.sender != task.client) revert NotTaskClient(taskId, msg.sender);
        _complete(taskId, task, false);
    }

    /// @inheritdoc ITaskEscrow
    function release(uint256 taskId) external nonReentrant {
        Task storage task = _tasks[taskId];
        if (task.status != Status.Submitted) revert TaskNotSubmitted(taskId, task.status);
        if (msg.sender != task.worker) revert NotTaskWorker(taskId, msg.sender);
        if (block.timestamp <= task.windowEnds) revert ReviewPeriodActive(taskId, task.windowEnds);
        _complete(taskId, task, true);
    }

    /// @inheritdoc ITaskEscrow
    function cancel(uint256 taskId) external nonReentrant {
        Task storage task = _tasks[taskId];
        if (task.status != Status.Open) revert TaskNotOpen(taskId, task.status);
        if (msg.sender != task.client) revert NotTaskClient(taskId, msg.sender);
        task.status = Status.Cancelled;
        uint256 amount = task.amount;
        emit TaskCancelled(taskId, amount);
        _send(taskId, task.token, msg.sender, amount);
    }

    /// @inheritdoc ITaskEscrow
    function reclaim(uint256 taskId) external nonReentrant {
        Task storage task = _tasks[taskId];
        if (task.status != Status.Claimed) revert TaskNotClaimed(taskId, task.status);
        if (msg.sender != task.client) revert NotTaskClient(taskId, msg.sender);
        if (block.timestamp <= task.deadline) revert DeadlineNotPassed(taskId, task.deadline);
        task.status = Status.Expired;
        uint256 amount = task.amount;
        uint256 bond = _bond(task);
        emit TaskReclaimed(taskId, amount, bond);
        _send(taskId, task.token, msg.sender, amount + bond);
    }

    // ----------------------------------------------------------------- disputes

    /// @inheritdoc ITaskEscrow
    function dispute(uint256 taskId) external nonReentrant {
        (IERC20 token, uint256 bond) = _dispute(taskId);
        if (bond != 0) _pull(token, bond);
    }

    /// @inheritdoc ITaskEscrow
    /// @dev As {postTaskWithPermit}: the permit, for the dispute bond, comes after the checks.
    function disputeWithPermit(
        uint256 taskId,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant {
        (IERC20 token, uint256 bond) = _dispute(taskId);
        if (bond != 0) {
            _permit(token, bond, permitDeadline, v, r, s);
            _pull(token, bond);
        }
    }

    /// @inheritdoc ITaskEscrow
    /// @dev Only up to the end of the arbitration window (inclusive): after it, {settleDispute}
    /// alone applies, so a party can never front-run a late ruling with a settlement.
    function resolve(uint256 taskId, uint16 workerShareBps) external nonReentrant {
        Task storage task = _tasks[taskId];
        if (task.status != Status.Disputed) revert TaskNotDisputed(taskId, task.status);
        if (!rules.isArbiter(msg.sender)) revert NotArbiter(msg.sender);
        if (msg.sender == task.client || msg.sender == task.worker) {
            revert ArbiterIsParty(taskId, msg.sender);
        }
        if (block.timestamp > task.windowEnds) {
            revert ArbitrationWindowOver(taskId, task.windowEnds);
        }
        if (workerShareBps > BPS) revert InvalidShare(workerShareBps);
        _split(taskId, task, workerShareBps);
    }

    /// @inheritdoc ITaskEscrow
    /// @dev Keeps a dispute from locking money when no arbiter acts (or none is left). The
    /// claimant of junk thus loses its bond even when nobody rules.
    function settleDispute(uint256 taskId) external nonReentrant {
        Task storage task = _tasks[taskId];
        if (task.status != Status.Disputed) revert TaskNotDisputed(taskId, task.status);
        address client = task.client;
        if (msg.sender != client && msg.sender != task.worker) {
            revert NotTaskParty(taskId, msg.sender);
        }
        if (block.timestamp <= task.windowEnds) {
            revert ArbitrationWindowActive(taskId, task.windowEnds);
        }
        task.status = Status.Resolved;
        uint256 amount = task.amount;
        uint256 bonds = 2 * _bond(task);
        emit TaskSettled(taskId, msg.sender, amount, bonds);
        _send(taskId, task.token, client, amount + bonds);
    }

    // ----------------------------------------------------------------- views

    /// @inheritdoc ITaskEscrow
    function bondOf(uint256 taskId) external view returns (uint256) {
        return _bond(_tasks[taskId]);
    }

    /// @inheritdoc ITaskEscrow
    function getTask(uint256 taskId) external view returns (Task memory) {
        return _tasks[taskId];
    }

    // ----------------------------------------------------------------- internals

    /// @dev Checks and records a posting; the caller then moves the deposit in.
    function _post(
        address token,
        uint256 amount,
        uint64 deadline,
        uint32 minReputation,
        bytes32 specHash,
        address worker,
        uint256 bondBps
    ) private returns (uint256 taskId) {
        if (amount == 0) revert ZeroAmount();
        if (deadline <= block.timestamp) revert DeadlineInPast(deadline);
        if (worker == msg.sender) revert ClientCannotWork(msg.sender);
        if (bondBps != DEFAULT_BOND && bondBps > BPS) revert InvalidBond(uint16(bondBps));
        Task memory task;
        uint32 reviewPeriod;
        uint16 defaultBond;
        (task.feeBps, task.rewardBps, reviewPeriod, defaultBond) = rules.postingTerms(token);
        task.bondBps = bondBps == DEFAULT_BOND ? defaultBond : uint16(bondBps);
        task.reviewPeriod = SafeCast.toUint24(reviewPeriod);
        task.client = msg.sender;
        task.amount = SafeCast.toUint96(amount);
        task.worker = worker;
        task.status = Status.Open;
        task.deadline = SafeCast.toUint40(deadline);
        task.token = IERC20(token);
        task.minReputation = minReputation;

        taskId = ++taskCount;
        _tasks[taskId] = task;
        _announce(taskId, task, specHash);
    }

    function _announce(uint256 taskId, Task memory task, bytes32 specHash) private {
        emit TaskPosted(
            taskId,
            task.client,
            task.worker,
            address(task.token),
            task.amount,
            task.deadline,
            task.minReputation,
            task.feeBps,
            task.rewardBps,
            task.reviewPeriod,
            task.bondBps,
            specHash
        );
    }

    /// @dev Checks and records a claim; returns the bond the caller then moves in.
    function _claim(uint256 taskId) private returns (IERC20, uint256 bond) {
        Task storage task = _tasks[taskId];
        if (task.status != Status.Open) revert TaskNotOpen(taskId, task.status);
        if (block.timestamp > task.deadline) revert DeadlinePassed(taskId, task.deadline);
        if (msg.sender == task.client) revert ClientCannotWork(msg.sender);
        address named = task.worker;
        if (named != address(0) && named != msg.sender) revert NotNamedWorker(taskId, named);
        uint32 required = task.minReputation;
        if (required != 0) {
            uint256 points = reputation.pointsOf(msg.sender);
            if (points < required) revert ReputationTooLow(taskId, points, required);
        }
        task.status = Status.Claimed;
        if (named == address(0)) task.worker = msg.sender;
        bond = _bond(task);
        emit TaskClaimed(taskId, msg.sender, bond);
        return (task.token, bond);
    }

    /// @dev Checks and records a dispute; returns the bond the caller then moves in.
    function _dispute(uint256 taskId) private returns (IERC20, uint256 bond) {
        Task storage task = _tasks[taskId];
        if (task.status != Status.Submitted) revert TaskNotSubmitted(taskId, task.status);
        if (msg.sender != task.client && msg.sender != task.worker) {
            revert NotTaskParty(taskId, msg.sender);
        }
        if (block.timestamp > task.windowEnds) revert ReviewPeriodOver(taskId, task.windowEnds);
        uint40 arbitrationEnds = uint40(block.timestamp) + rules.disputeWindow();
        task.status = Status.Disputed;
        task.windowEnds = arbitrationEnds;
        bond = _bond(task);
        emit TaskDisputed(taskId, msg.sender, arbitrationEnds, bond);
        return (task.token, bond);
    }

    /// @dev Approve or release: the whole deposit goes to the worker, less the locked fee, and
    /// its bond with it. Effects first (status, fee and reward credit, event), then the transfer
    /// and reputation.
    function _complete(uint256 taskId, Task storage task, bool released) private {
        task.status = Status.Completed;
        uint256 amount = task.amount;
        uint256 fee = amount * task.feeBps / BPS;
        uint256 bond = _bond(task);
        (uint256 reward, uint256 points, uint256 votingPoints) = _earn(task, fee);
        address worker = task.worker;
        emit TaskCompleted(taskId, worker, released, amount - fee, fee, reward, points, bond);
        _send(taskId, task.token, worker, amount - fee + bond);
        if (points != 0) reputation.add(worker, taskId, points, votingPoints);
    }

    /// @dev An arbiter's ruling: split the deposit; both bonds go to the side favoured (the
    /// worker at half or more); less than half costs the worker reputation.
    function _split(uint256 taskId, Task storage task, uint16 workerShareBps) private {
        task.status = Status.Resolved;
        uint256 amount = task.amount;
        uint256 gross = amount * workerShareBps / BPS;
        uint256 fee = gross * task.feeBps / BPS;
        uint256 bonds = 2 * _bond(task);
        bool won = workerShareBps >= HALF;
        uint256 reward;
        uint256 points;
        uint256 votingPoints;
        IERC20 token = task.token;
        if (won) (reward, points, votingPoints) = _earn(task, fee);
        else _accrue(token, fee, 0);
        emit TaskResolved(
            taskId, msg.sender, workerShareBps, gross - fee, amount - gross, fee, reward, bonds
        );
        _send(taskId, token, task.worker, gross - fee + (won ? bonds : 0));
        _send(taskId, token, task.client, amount - gross + (won ? 0 : bonds));
        if (won) {
            if (points != 0) reputation.add(task.worker, taskId, points, votingPoints);
        } else {
            // The points the whole task's fee would have earned.
            (points, votingPoints) = _points(token, amount * task.feeBps / BPS);
            reputation.slash(task.worker, taskId, points, votingPoints);
        }
    }

    /// @dev The claim bond of `task` (the dispute bond is as large).
    function _bond(Task storage task) private view returns (uint256) {
        return uint256(task.amount) * task.bondBps / BPS;
    }

    /// @dev What a paid task earns its worker: reputation from the fee the work paid and, when
    /// paid in the work token, a work reward; nothing without a fee actually paid. Accrues the
    /// fee and credits the reward here; the caller adds the points once the money has moved.
    function _earn(Task storage task, uint256 fee)
        private
        returns (uint256 reward, uint256 points, uint256 votingPoints)
    {
        if (fee == 0) return (0, 0, 0);
        IERC20 token = task.token;
        (points, votingPoints) = _points(token, fee);
        reward = _accrue(token, fee, fee * task.rewardBps / BPS);
        if (reward != 0) _creditReward(task.worker, reward);
    }

    /// @dev Tier points for `fee` of `token` (valued through the token's unit), and voting points
    /// (only for a fee paid in the work token, whose value needs no unit).
    function _points(IERC20 token, uint256 fee)
        private
        view
        returns (uint256 points, uint256 votingPoints)
    {
        if (address(token) == address(workToken)) {
            points = fee / FEE_PER_POINT;
            return (points, points);
        }
        points = fee * WAD / rules.tokenUnit(address(token)) / FEE_PER_POINT;
    }
}
