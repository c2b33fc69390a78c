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
     * @dev The second slot holds all that changes after posting (worker, status, window), so
     * claim, submit, dispute and every payout write exactly one slot. `windowEnds` is the end of
     * the review period while Submitted and of the arbitration window while Disputed. `feeBps`,
     * `rewardBps`, `reviewPeriod` and `bondBps` are the terms in force at posting, locked with
     * the task. The claim bond is `amount * bondBps / 10,000` of `token`: the worker stakes it
     * at claim, and whoever disputes stakes as much again.
     */
    struct Task {
        address client;
        uint96 amount;
        address worker;
        Status status;
        uint40 windowEnds;
        uint32 minReputation;
        uint16 bondBps;
        IERC20 token;
        uint40 deadline;
        uint16 feeBps;
        uint16 rewardBps;
        uint24 reviewPeriod;
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
        uint16 bondBps,
        bytes32 specHash
    );

    /// @notice `worker` claimed task `taskId` and staked `bond` of the task's token.
    event TaskClaimed(uint256 indexed taskId, address indexed worker, uint256 bond);

    /// @notice The worker delivered `deliverableHash`; the client may review until `reviewEnds`.
    event TaskSubmitted(
        uint256 indexed taskId, address indexed worker, bytes32 deliverableHash, uint64 reviewEnds
    );

    /**
     * @notice Task `taskId` was paid: approved by the client, or `released` by the worker after
     * the review period. The worker received `workerAmount` and its `bond` back; `fee` accrued
     * to the DAO's treasury (see {sweepFees}). `reward` is the work token credited to the worker
     * (see {collectRewards}), `points` the reputation it earned.
     */
    event TaskCompleted(
        uint256 indexed taskId,
        address indexed worker,
        bool released,
        uint256 workerAmount,
        uint256 fee,
        uint256 reward,
        uint256 points,
        uint256 bond
    );

    /// @notice The client cancelled open task `taskId` and took back `amount`.
    event TaskCancelled(uint256 indexed taskId, uint256 amount);

    /// @notice The deadline of claimed task `taskId` passed with no submission; the client took
    /// back `amount` and the claimant's forfeited `bond`.
    event TaskReclaimed(uint256 indexed taskId, uint256 amount, uint256 bond);

    /**
     * @notice `by` (client or worker) disputed task `taskId`, staking `bond` (as much as the claim
     * bond). An arbiter may resolve it until `arbitrationEnds`; after that, and only then,
     * either party may settle it.
     */
    event TaskDisputed(
        uint256 indexed taskId, address indexed by, uint64 arbitrationEnds, uint256 bond
    );

    /**
     * @notice `arbiter` split disputed task `taskId`: `workerShareBps` of the deposit to the worker
     * (less the fee), the rest to the client. Both `bonds` (the claim bond and the dispute bond)
     * went to the worker when its share is at least half, else to the client.
     */
    event TaskResolved(
        uint256 indexed taskId,
        address indexed arbiter,
        uint16 workerShareBps,
        uint256 workerAmount,
        uint256 clientAmount,
        uint256 fee,
        uint256 reward,
        uint256 bonds
    );

    /**
     * @notice No arbiter ruled on disputed task `taskId` within the arbitration window; `by`
     * settled it: the dispute is undone for the client, who took back `amount` and both `bonds`.
     * No fee, no reward, no reputation.
     */
    event TaskSettled(uint256 indexed taskId, address indexed by, uint256 amount, uint256 bonds);

    /**
     * @notice `recipient` could not receive its `amount` of `token` from task `taskId`'s payout
     * (a frozen or refusing address): it is kept for `recipient` to {withdraw}.
     */
    event PaymentOwed(
        uint256 indexed taskId, address indexed token, address indexed recipient, uint256 amount
    );

    /// @notice `recipient` withdrew `amount` of `token` that a payout had kept for it.
    event Withdrawn(address indexed token, address indexed recipient, uint256 amount);

    /// @notice `amount` of accrued fees in `token` was sent to the DAO's `treasury`.
    event FeesSwept(address indexed token, address indexed treasury, uint256 amount);

    /// @notice `amount` of earned work rewards was minted to `worker`.
    event RewardsCollected(address indexed worker, uint256 amount);

    /// @notice The deposit must be more than zero.
    error ZeroAmount();
    /// @notice The task's deadline must be in the future when it is posted.
    error DeadlineInPast(uint64 deadline);
    /// @notice A client can not work on its own task.
    error ClientCannotWork(address client);
    /// @notice A claim bond is in basis points of the deposit, at most 10,000.
    error InvalidBond(uint16 bondBps);
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
    /// @notice The arbiters decide until `arbitrationEnds`: the parties may settle only after it.
    error ArbitrationWindowActive(uint256 taskId, uint64 arbitrationEnds);
    /// @notice The arbitration window closed at `arbitrationEnds`: the dispute can only be settled.
    error ArbitrationWindowOver(uint256 taskId, uint64 arbitrationEnds);
    /// @notice A worker share is in basis points, at most 10,000.
    error InvalidShare(uint16 workerShareBps);
    /// @notice `worker` has no work rewards to collect.
    error NothingToCollect(address worker);
    /// @notice No payout of `token` is kept for `recipient`.
    error NothingToWithdraw(address token, address recipient);
    /// @notice No fees in `token` have accrued since the last sweep.
    error NothingToSweep(address token);

    /// @notice Posts a task: deposits `amount` of `token` (approved beforehand) into escrow, with
    /// the DAO's default claim bond (PlatformRules.claimBondBps).
    function postTask(
        address token,
        uint256 amount,
        uint64 deadline,
        uint32 minReputation,
        bytes32 specHash,
        address worker
    ) external returns (uint256 taskId);

    /// @notice Posts a task in one transaction, with an EIP-2612 permit for the deposit and the
    /// DAO's default claim bond.
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

    /// @notice Posts a task with a claim bond of `bondBps` of the deposit, chosen by the client.
    function postTaskWithBond(
        address token,
        uint256 amount,
        uint64 deadline,
        uint32 minReputation,
        bytes32 specHash,
        address worker,
        uint16 bondBps
    ) external returns (uint256 taskId);

    /// @notice Posts a task with a chosen claim bond, in one transaction with an EIP-2612 permit.
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
    ) external returns (uint256 taskId);

    /// @notice Takes an open task, staking its claim bond (approved beforehand).
    function claim(uint256 taskId) external;

    /// @notice Takes an open task in one transaction, with an EIP-2612 permit for the claim bond.
    function claimWithPermit(uint256 taskId, uint256 permitDeadline, uint8 v, bytes32 r, bytes32 s)
        external;

    /// @notice Delivers the work of a claimed task, before its deadline.
    function submit(uint256 taskId, bytes32 deliverableHash) external;

    /// @notice The client accepts the submission and pays the worker (its bond back with the pay).
    function approve(uint256 taskId) external;

    /// @notice The worker takes the payment once the review period is over.
    function release(uint256 taskId) external;

    /// @notice The client takes the deposit, and the claimant's bond, back when the deadline
    /// passed with no submission.
    function reclaim(uint256 taskId) external;

    /// @notice The client takes the deposit back while nobody has claimed the task.
    function cancel(uint256 taskId) external;

    /// @notice The client or the worker disputes a submission during its review period, staking a
    /// dispute bond as large as the claim bond (approved beforehand).
    function dispute(uint256 taskId) external;

    /// @notice {dispute} in one transaction, with an EIP-2612 permit for the dispute bond.
    function disputeWithPermit(
        uint256 taskId,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;

    /// @notice An arbiter splits a disputed task's deposit, within the arbitration window.
    function resolve(uint256 taskId, uint16 workerShareBps) external;

    /// @notice After the arbitration window, with no arbiter's ruling, either party undoes the
    /// dispute: the client takes back the deposit and both bonds.
    function settleDispute(uint256 taskId) external;

    /// @notice Mints the work rewards `worker` earned (one mint for many tasks) to `worker`.
    function collectRewards(address worker) external returns (uint256 amount);

    /// @notice Sends the caller the payouts of `token` kept for it because it could not receive.
    function withdraw(address token) external returns (uint256 amount);

    /// @notice Sends the fees accrued in `token` to the treasury the rulebook names.
    function sweepFees(address token) external returns (uint256 amount);

    /// @notice Work rewards `worker` has earned and not collected yet.
    function rewardsOwed(address worker) external view returns (uint256);

    /// @notice Payouts of `token` kept for `recipient` (it could not receive them), to withdraw.
    function owed(address token, address recipient) external view returns (uint256);

    /// @notice Fees in `token` accrued and not swept yet (one base unit always stays: see {sweepFees}).
    function accruedFees(address token) external view returns (uint256);

    /// @notice The claim bond of task `taskId`: what its worker stakes, and a disputer too.
    function bondOf(uint256 taskId) external view returns (uint256);

    /// @notice Task `taskId` as stored.
    function getTask(uint256 taskId) external view returns (Task memory);

    /// @notice The number of tasks posted so far; ids run from 1 to this.
    function taskCount() external view returns (uint256);
}
