// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/**
 * @title ITaskEscrow
 * @notice The public interface of Jeton's task escrow (DESIGN.md section 3): its lifecycle,
 * the events a client rebuilds any task's history from, and the errors that name each refusal.
 */
interface ITaskEscrow {
    /// @notice Where a task is in its lifecycle. Completed, Cancelled, Expired and Resolved are final.
    enum Status {
        None,
        Open,
        Claimed,
        Submitted,
        Disputed,
        Completed,
        Cancelled,
        Expired,
        Resolved
    }

    /**
     * @notice A task, packed into three storage slots.
     * @dev The second slot holds all that changes after posting (worker, status, windows), so
     * claim, submit and every payout write exactly one slot. `windowEnds` is the end of the
     * review period while Submitted and of the arbitration window while Disputed. `feeBps`,
     * `rewardBps` and `reviewPeriod` are the terms in force at posting, locked with the task.
     */
    struct Task {
        address client;
        uint96 amount;
        address worker;
        Status status;
        uint40 deadline;
        uint40 windowEnds;
        IERC20 token;
        uint16 feeBps;
        uint16 rewardBps;
        uint32 minReputation;
        uint32 reviewPeriod;
    }

    /// @notice `client` posted task `taskId`, depositing `amount` of `token`; the terms are locked.
    event TaskPosted(
        uint256 indexed taskId,
        address indexed client,
        address indexed worker,
        address token,
        uint256 amount,
        uint64 deadline,
        uint32 minReputation,
        uint16 feeBps,
        uint16 rewardBps,
        uint32 reviewPeriod,
        bytes32 specHash
    );

    /// @notice `worker` claimed task `taskId`.
    event TaskClaimed(uint256 indexed taskId, address indexed worker);

    /// @notice The worker delivered `deliverableHash`; the client may review until `reviewEnds`.
    event TaskSubmitted(
        uint256 indexed taskId, address indexed worker, bytes32 deliverableHash, uint64 reviewEnds
    );

    /**
     * @notice Task `taskId` was paid: approved by the client, or `released` by the worker after
     * the review period. `reward` is the work token credited to the worker (see
     * {collectRewards}), `points` the reputation it earned.
     */
    event TaskCompleted(
        uint256 indexed taskId,
        address indexed worker,
        bool released,
        uint256 workerAmount,
        uint256 fee,
        uint256 reward,
        uint256 points
    );

    /// @notice The client cancelled open task `taskId` and took back `amount`.
    event TaskCancelled(uint256 indexed taskId, uint256 amount);

    /// @notice The deadline of claimed task `taskId` passed with no submission; the client took back `amount`.
    event TaskReclaimed(uint256 indexed taskId, uint256 amount);

    /// @notice `by` (client or worker) disputed task `taskId`. An arbiter may resolve it at any time;
    /// after `arbitrationEnds` either party may also split it evenly.
    event TaskDisputed(uint256 indexed taskId, address indexed by, uint64 arbitrationEnds);

    /**
     * @notice Disputed task `taskId` was split: `workerShareBps` of the deposit to the worker (less
     * the fee), the rest to the client. `arbiter` is zero when the parties split evenly after the
     * arbitration window.
     */
    event TaskResolved(
        uint256 indexed taskId,
        address indexed arbiter,
        uint16 workerShareBps,
        uint256 workerAmount,
        uint256 clientAmount,
        uint256 fee,
        uint256 reward
    );

    /// @notice `amount` of earned work rewards was minted to `worker`.
    event RewardsCollected(address indexed worker, uint256 amount);

    /// @notice Fees need a treasury: the zero address can not be one.
    error ZeroTreasury();
    /// @notice The deposit must be more than zero.
    error ZeroAmount();
    /// @notice The task's deadline must be in the future when it is posted.
    error DeadlineInPast(uint64 deadline);
    /// @notice A client can not work on its own task.
    error ClientCannotWork(address client);
    /// @notice The token delivered `received` instead of `expected` (e.g. a fee-on-transfer token).
    error TransferAmountMismatch(address token, uint256 expected, uint256 received);
    /// @notice The task is not Open (its status is `status`).
    error TaskNotOpen(uint256 taskId, Status status);
    /// @notice The task is not Claimed (its status is `status`).
    error TaskNotClaimed(uint256 taskId, Status status);
    /// @notice The task is not Submitted (its status is `status`).
    error TaskNotSubmitted(uint256 taskId, Status status);
    /// @notice The task is not Disputed (its status is `status`).
    error TaskNotDisputed(uint256 taskId, Status status);
    /// @notice Only the task's client may do this.
    error NotTaskClient(uint256 taskId, address caller);
    /// @notice Only the task's worker may do this.
    error NotTaskWorker(uint256 taskId, address caller);
    /// @notice Only the task's client or worker may do this.
    error NotTaskParty(uint256 taskId, address caller);
    /// @notice Only the worker the client named may claim this task.
    error NotNamedWorker(uint256 taskId, address namedWorker);
    /// @notice Only an arbiter appointed by governance may resolve a dispute.
    error NotArbiter(address caller);
    /// @notice An arbiter can not resolve a dispute on a task it is the client or worker of.
    error ArbiterIsParty(uint256 taskId, address arbiter);
    /// @notice The worker has `points` reputation; the task needs `required`.
    error ReputationTooLow(uint256 taskId, uint256 points, uint256 required);
    /// @notice The task's deadline (`deadline`) has passed.
    error DeadlinePassed(uint256 taskId, uint64 deadline);
    /// @notice The task's deadline (`deadline`) has not passed yet.
    error DeadlineNotPassed(uint256 taskId, uint64 deadline);
    /// @notice The review period runs until `reviewEnds`: the worker can not release yet.
    error ReviewPeriodActive(uint256 taskId, uint64 reviewEnds);
    /// @notice The review period ended at `reviewEnds`: it is too late to dispute.
    error ReviewPeriodOver(uint256 taskId, uint64 reviewEnds);
    /// @notice The parties may split the dispute evenly only after `arbitrationEnds`.
    error ArbitrationWindowActive(uint256 taskId, uint64 arbitrationEnds);
    /// @notice A worker share is in basis points, at most 10,000.
    error InvalidShare(uint16 workerShareBps);
    /// @notice `worker` has no work rewards to collect.
    error NothingToCollect(address worker);

    /// @notice Posts a task: deposits `amount` of `token` (approved beforehand) into escrow.
    function postTask(
        address token,
        uint256 amount,
        uint64 deadline,
        uint32 minReputation,
        bytes32 specHash,
        address worker
    ) external returns (uint256 taskId);

    /// @notice Posts a task in one transaction, with an EIP-2612 permit for the deposit.
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
    ) external returns (uint256 taskId);

    /// @notice Takes an open task.
    function claim(uint256 taskId) external;

    /// @notice Delivers the work of a claimed task, before its deadline.
    function submit(uint256 taskId, bytes32 deliverableHash) external;

    /// @notice The client accepts the submission and pays the worker.
    function approve(uint256 taskId) external;

    /// @notice The worker takes the payment once the review period is over.
    function release(uint256 taskId) external;

    /// @notice The client takes the deposit back when the deadline passed with no submission.
    function reclaim(uint256 taskId) external;

    /// @notice The client takes the deposit back while nobody has claimed the task.
    function cancel(uint256 taskId) external;

    /// @notice The client or the worker disputes a submission during its review period.
    function dispute(uint256 taskId) external;

    /// @notice An arbiter splits a disputed task's deposit (at any time while it is disputed).
    function resolve(uint256 taskId, uint16 workerShareBps) external;

    /// @notice After the arbitration window, either party splits a disputed deposit evenly.
    function settleDispute(uint256 taskId) external;

    /// @notice Mints the work rewards `worker` earned (one mint for many tasks) to `worker`.
    function collectRewards(address worker) external returns (uint256 amount);

    /// @notice Work rewards `worker` has earned and not collected yet.
    function rewardsOwed(address worker) external view returns (uint256);

    /// @notice Task `taskId` as stored.
    function getTask(uint256 taskId) external view returns (Task memory);

    /// @notice The number of tasks posted so far; ids run from 1 to this.
    function taskCount() external view returns (uint256);
}
