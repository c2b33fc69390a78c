// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ITaskEscrow} from "./interfaces/ITaskEscrow.sol";
import {IPlatformRules} from "./interfaces/IPlatformRules.sol";
import {IReputation} from "./interfaces/IReputation.sol";
import {IWorkToken} from "./interfaces/IWorkToken.sol";
import {Reputation} from "./Reputation.sol";

/**
 * @title TaskEscrow
 * @notice Holds clients' payments for tasks and pays workers for delivered work.
 *
 * Lifecycle: post -> Open -> claim -> Claimed -> submit -> Submitted -> approve (client) or
 * release (worker, after the review period) -> Completed. An open task can be cancelled, a
 * claimed one reclaimed after its deadline, a submitted one disputed and then resolved by an
 * arbiter (or split evenly by either party once the arbitration window is over).
 *
 * Money rules:
 * - the fee, the reward rate and the review period in force at posting are stored with the
 *   task and used at submission and payout;
 * - every final transition moves the whole deposit exactly once: worker + treasury + client;
 * - nothing but the client, the worker, an arbiter or the passing of time moves a task's money,
 *   and no rule change, role or token disallowance can block a payout on money already here.
 *
 * Work reward: for a task paid in the work token, `rewardBps` of the fee it paid is credited
 * to the worker on payout and minted when the worker collects it ({collectRewards}: one mint for many
 * tasks, which keeps the costly mint and its checkpoints out of every payout). Credits are
 * reserved against the token's cap as they are made, and this escrow is the token's only and
 * permanent minter, so a credit can always be collected: it is the worker's from approval on.
 * Once the cap is reached, payouts complete with no reward. Tasks paid in other tokens earn no
 * reward: minting work tokens against another token's DAO-set unit would let anyone who pays
 * themselves profit from a stale unit. Reputation: see {Reputation}.
 *
 * Every operation touches a fixed number of storage slots: it costs the same at task 1 and
 * task 100,000.
 */
contract TaskEscrow is ITaskEscrow, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint256 private constant BPS = 10_000;
    uint256 private constant HALF = 5_000;
    uint256 private constant WAD = 1e18;

    /// @notice Fee, in work-token units, that earns one reputation point (0.1 JTN).
    uint256 public constant FEE_PER_POINT = 1e17;

    /// @notice The work token: a payment token and the reward that is minted.
    IWorkToken public immutable workToken;

    /// @notice The rulebook, owned by the DAO's timelock.
    IPlatformRules public immutable rules;

    /// @notice Workers' reputation, created by and written only by this escrow.
    IReputation public immutable reputation;

    /// @notice Where fees go: the DAO's treasury (the timelock).
    address public immutable treasury;

    /// @inheritdoc ITaskEscrow
    uint256 public taskCount;

    /// @notice Work rewards that can still be credited: the token's cap, less its supply, less
    /// the rewards credited and not yet collected. Only this escrow mints and the token has no
    /// burn, so this number changes only when a reward is credited.
    uint256 public rewardRoom;

    mapping(uint256 taskId => Task) private _tasks;
    mapping(address worker => uint256) private _rewardsOwed;

    /**
     * @param workToken_ The work token (this escrow must hold its minter role for rewards).
     * @param rules_ The rulebook.
     * @param treasury_ The receiver of fees.
     */
    constructor(IWorkToken workToken_, IPlatformRules rules_, address treasury_) {
        if (treasury_ == address(0)) revert ZeroTreasury();
        workToken = workToken_;
        rules = rules_;
        treasury = treasury_;
        reputation = new Reputation(rules_);
        rewardRoom = workToken_.mintable();
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
    ) external nonReentrant returns (uint256) {
        return _post(token, amount, deadline, minReputation, specHash, worker);
    }

    /// @inheritdoc ITaskEscrow
    /// @dev A failed permit is ignored (someone may have front-run it with the same signature);
    /// the transfer then needs the allowance that permit would have set.
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
    ) external nonReentrant returns (uint256) {
        try IERC20Permit(token).permit(msg.sender, address(this), amount, permitDeadline, v, r, s) {}
            catch {}
        return _post(token, amount, deadline, minReputation, specHash, worker);
    }

    // ----------------------------------------------------------------- working

    /// @inheritdoc ITaskEscrow
    function claim(uint256 taskId) external nonReentrant {
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
        emit TaskClaimed(taskId, msg.sender);
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
        emit TaskCancelled(taskId, task.amount);
        task.token.safeTransfer(task.client, task.amount);
    }

    /// @inheritdoc ITaskEscrow
    function reclaim(uint256 taskId) external nonReentrant {
        Task storage task = _tasks[taskId];
        if (task.status != Status.Claimed) revert TaskNotClaimed(taskId, task.status);
        if (msg.sender != task.client) revert NotTaskClient(taskId, msg.sender);
        if (block.timestamp <= task.deadline) revert DeadlineNotPassed(taskId, task.deadline);
        task.status = Status.Expired;
        emit TaskReclaimed(taskId, task.amount);
        task.token.safeTransfer(task.client, task.amount);
    }

    // ----------------------------------------------------------------- disputes

    /// @inheritdoc ITaskEscrow
    function dispute(uint256 taskId) external nonReentrant {
        Task storage task = _tasks[taskId];
        if (task.status != Status.Submitted) revert TaskNotSubmitted(taskId, task.status);
        if (msg.sender != task.client && msg.sender != task.worker) {
            revert NotTaskParty(taskId, msg.sender);
        }
        if (block.timestamp > task.windowEnds) revert ReviewPeriodOver(taskId, task.windowEnds);
        uint40 arbitrationEnds = uint40(block.timestamp) + rules.disputeWindow();
        task.status = Status.Disputed;
        task.windowEnds = arbitrationEnds;
        emit TaskDisputed(taskId, msg.sender, arbitrationEnds);
    }

    /// @inheritdoc ITaskEscrow
    function resolve(uint256 taskId, uint16 workerShareBps) external nonReentrant {
        Task storage task = _tasks[taskId];
        if (task.status != Status.Disputed) revert TaskNotDisputed(taskId, task.status);
        if (!rules.isArbiter(msg.sender)) revert NotArbiter(msg.sender);
        if (msg.sender == task.client || msg.sender == task.worker) {
            revert ArbiterIsParty(taskId, msg.sender);
        }
        if (workerShareBps > BPS) revert InvalidShare(workerShareBps);
        _split(taskId, task, workerShareBps, msg.sender);
    }

    /// @inheritdoc ITaskEscrow
    /// @dev Keeps a dispute from locking money when no arbiter acts (or none is left).
    function settleDispute(uint256 taskId) external nonReentrant {
        Task storage task = _tasks[taskId];
        if (task.status != Status.Disputed) revert TaskNotDisputed(taskId, task.status);
        if (msg.sender != task.client && msg.sender != task.worker) {
            revert NotTaskParty(taskId, msg.sender);
        }
        if (block.timestamp <= task.windowEnds) {
            revert ArbitrationWindowActive(taskId, task.windowEnds);
        }
        _split(taskId, task, uint16(HALF), address(0));
    }

    // ----------------------------------------------------------------- rewards

    /// @inheritdoc ITaskEscrow
    /// @dev Anyone may collect for a worker: the tokens only ever go to the worker.
    function collectRewards(address worker) external nonReentrant returns (uint256 amount) {
        amount = _rewardsOwed[worker];
        if (amount == 0) revert NothingToCollect(worker);
        _rewardsOwed[worker] = 0;
        emit RewardsCollected(worker, amount);
        workToken.mint(worker, amount);
    }

    // ----------------------------------------------------------------- views

    /// @inheritdoc ITaskEscrow
    function rewardsOwed(address worker) external view returns (uint256) {
        return _rewardsOwed[worker];
    }

    /// @inheritdoc ITaskEscrow
    function getTask(uint256 taskId) external view returns (Task memory) {
        return _tasks[taskId];
    }

    // ----------------------------------------------------------------- internals

    function _post(
        address token,
        uint256 amount,
        uint64 deadline,
        uint32 minReputation,
        bytes32 specHash,
        address worker
    ) private returns (uint256 taskId) {
        if (amount == 0) revert ZeroAmount();
        if (deadline <= block.timestamp) revert DeadlineInPast(deadline);
        if (worker == msg.sender) revert ClientCannotWork(msg.sender);
        Task memory task;
        (task.feeBps, task.rewardBps, task.reviewPeriod) = rules.postingTerms(token);
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

        // The work token is known to deliver exact amounts; any other token is measured, so
        // that a fee-on-transfer token can not leave the escrow short of its deposits.
        if (token == address(workToken)) {
            IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        } else {
            uint256 before = IERC20(token).balanceOf(address(this));
            IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
            uint256 received = IERC20(token).balanceOf(address(this)) - before;
            if (received != amount) revert TransferAmountMismatch(token, amount, received);
        }
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
            specHash
        );
    }

    /// @dev Approve or release: the whole deposit goes to the worker, less the locked fee.
    /// Effects first (status, reward credit, event), then the transfers and reputation.
    function _complete(uint256 taskId, Task storage task, bool released) private {
        task.status = Status.Completed;
        (uint256 workerAmount, uint256 fee,) = _shares(task, BPS);
        (uint256 reward, uint256 points) = _earn(task, fee);
        emit TaskCompleted(taskId, task.worker, released, workerAmount, fee, reward, points);
        _payOut(task, workerAmount, fee, 0);
        if (points != 0) reputation.add(task.worker, taskId, points);
    }

    /// @dev Resolve or settle a dispute: split the deposit; less than half costs reputation.
    function _split(uint256 taskId, Task storage task, uint16 workerShareBps, address arbiter) private {
        task.status = Status.Resolved;
        (uint256 workerAmount, uint256 fee, uint256 clientAmount) = _shares(task, workerShareBps);
        uint256 reward;
        uint256 points;
        if (workerShareBps >= HALF) (reward, points) = _earn(task, fee);
        emit TaskResolved(taskId, arbiter, workerShareBps, workerAmount, clientAmount, fee, reward);
        _payOut(task, workerAmount, fee, clientAmount);
        if (workerShareBps >= HALF) {
            if (points != 0) reputation.add(task.worker, taskId, points);
        } else {
            // The points the whole task's fee would have earned.
            uint256 fullFee = uint256(task.amount) * task.feeBps / BPS;
            reputation.slash(task.worker, taskId, _value(task.token, fullFee) / FEE_PER_POINT);
        }
    }

    /// @dev How the deposit divides: the worker's share less the locked fee, the fee, and the
    /// rest to the client. The three add up to the deposit exactly.
    function _shares(Task storage task, uint256 workerShareBps)
        private
        view
        returns (uint256 workerAmount, uint256 fee, uint256 clientAmount)
    {
        uint256 amount = task.amount;
        uint256 gross = amount * workerShareBps / BPS;
        fee = gross * task.feeBps / BPS;
        workerAmount = gross - fee;
        clientAmount = amount - gross;
    }

    /// @dev Moves the deposit out, once: to the worker, the treasury and the client.
    function _payOut(Task storage task, uint256 workerAmount, uint256 fee, uint256 clientAmount)
        private
    {
        IERC20 token = task.token;
        if (workerAmount != 0) token.safeTransfer(task.worker, workerAmount);
        if (fee != 0) token.safeTransfer(treasury, fee);
        if (clientAmount != 0) token.safeTransfer(task.client, clientAmount);
    }

    /// @dev What a paid task earns its worker: reputation points from the fee the work paid
    /// and, when paid in the work token, a work reward; nothing without a fee actually paid.
    /// Credits the reward here; the caller adds the points once the money has moved.
    function _earn(Task storage task, uint256 fee) private returns (uint256 reward, uint256 points) {
        if (fee == 0) return (0, 0);
        points = _value(task.token, fee) / FEE_PER_POINT;
        if (address(task.token) != address(workToken)) return (0, points);
        reward = fee * task.rewardBps / BPS;
        if (reward != 0) reward = _creditReward(task.worker, reward);
    }

    /// @dev Credits up to `reward` to `worker`, within what the cap leaves after earlier credits.
    function _creditReward(address worker, uint256 reward) private returns (uint256) {
        uint256 room = rewardRoom;
        if (room < reward) reward = room;
        if (reward != 0) {
            rewardRoom = room - reward;
            _rewardsOwed[worker] += reward;
        }
        return reward;
    }

    /// @dev Value of `amount` of `token` in work-token units, through the token's fixed unit.
    function _value(IERC20 token, uint256 amount) private view returns (uint256) {
        if (address(token) == address(workToken)) return amount;
        return amount * WAD / rules.tokenUnit(address(token));
    }
}
