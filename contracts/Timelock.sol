// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {RuleBounds} from "./libraries/RuleBounds.sol";

/**
 * @title Timelock
 * @notice The DAO's timelock and treasury: OpenZeppelin's TimelockController. It owns the
 * rulebook, the voting weight and the work token's admin role, and holds the DAO's funds. Every
 * rule change waits here for `minDelay`, giving everyone notice before it takes effect.
 *
 * Two additions, both rules in the sense of {RuleBounds} (hard bounds, a maximum step, at most
 * one change a day):
 * - the delay itself is bounded and moves by steps, so that no vote can take the notice away;
 * - an operation expires: it can be executed only within {gracePeriod} after it becomes ready
 *   (as Compound's timelock does), and never after. The expiry is fixed when the operation is
 *   scheduled, so a later change of the grace period never revives an expired operation. This
 *   check sits in {execute} and {executeBatch} themselves, so it holds on every path: through
 *   the governor, directly by anyone, or through another proposal.
 */
contract Timelock is TimelockController {
    /// @notice Hard lower bound of the delay: at least a day of notice.
    uint256 public constant MIN_DELAY = 1 days;
    /// @notice Hard upper bound of the delay: thirty days.
    uint256 public constant MAX_DELAY = 30 days;
    /// @notice Largest change of the delay at once: two days.
    uint256 public constant MAX_DELAY_STEP = 2 days;

    /// @notice Hard lower bound of the grace period: a ready operation can be executed for at
    /// least a day.
    uint256 public constant MIN_GRACE_PERIOD = 1 days;
    /// @notice Hard upper bound of the grace period: thirty days.
    uint256 public constant MAX_GRACE_PERIOD = 30 days;
    /// @notice Largest change of the grace period at once: a week.
    uint256 public constant MAX_GRACE_PERIOD_STEP = 7 days;

    bytes32 private constant DELAY = "timelockDelay";
    bytes32 private constant GRACE_PERIOD = "gracePeriod";

    uint256 private _gracePeriod;
    mapping(bytes32 id => uint256) private _expiresAt;
    mapping(bytes32 rule => uint256) private _changedAt;

    /// @notice Operation `id` was scheduled; it can be executed from when it is ready until
    /// (excluded) `expiresAt`.
    event CallExpiry(bytes32 indexed id, uint256 expiresAt);

    /// @notice Operation `id` expired at `expiredAt`, unexecuted: it can never run.
    error TimelockOperationExpired(bytes32 id, uint256 expiredAt);

    /**
     * @param minDelay Seconds between queueing and executing an operation.
     * @param gracePeriod_ Seconds after an operation is ready during which it can be executed.
     * @param proposers Who may schedule (the governor).
     * @param executors Who may execute; `address(0)` lets anyone execute.
     * @param admin Optional temporary admin for wiring, renounced at the end of deployment.
     */
    constructor(
        uint256 minDelay,
        uint256 gracePeriod_,
        address[] memory proposers,
        address[] memory executors,
        address admin
    ) TimelockController(minDelay, proposers, executors, admin) {
        RuleBounds.checkBounds(DELAY, minDelay, MIN_DELAY, MAX_DELAY);
        RuleBounds.checkBounds(GRACE_PERIOD, gracePeriod_, MIN_GRACE_PERIOD, MAX_GRACE_PERIOD);
        _gracePeriod = gracePeriod_;
    }

    /// @notice Seconds after an operation is ready during which it can be executed (for
    /// operations scheduled from now on).
    function gracePeriod() external view returns (uint256) {
        return _gracePeriod;
    }

    /**
     * @notice When operation `id` expires: the first second it can no longer be executed.
     * @param id The operation's id (`hashOperation` or `hashOperationBatch`).
     * @return The expiry as a unix time; 0 for an operation never scheduled.
     */
    function operationExpiry(bytes32 id) external view returns (uint256) {
        return _expiresAt[id];
    }

    /**
     * @notice Whether operation `id` expired unexecuted (it can never run).
     * @param id The operation's id.
     */
    function isOperationExpired(bytes32 id) public view returns (bool) {
        uint256 expiresAt = _expiresAt[id];
        return expiresAt != 0 && block.timestamp >= expiresAt && isOperationPending(id);
    }

    /**
     * @notice Schedules an operation of one call; see TimelockController. Also fixes its expiry.
     * @param target The called contract.
     * @param value Wei sent with the call.
     * @param data The calldata.
     * @param predecessor An operation that must be done first, or zero.
     * @param salt Distinguishes otherwise identical operations.
     * @param delay Seconds until it is ready, at least the minimum delay.
     */
    function schedule(
        address target,
        uint256 value,
        bytes calldata data,
        bytes32 predecessor,
        bytes32 salt,
        uint256 delay
    ) public override {
        super.schedule(target, value, data, predecessor, salt, delay);
        _setExpiry(hashOperation(target, value, data, predecessor, salt), delay);
    }

    /**
     * @notice Schedules an operation of several calls; see TimelockController. Also fixes its
     * expiry.
     * @param targets The called contracts.
     * @param values Wei sent with each call.
     * @param payloads The calldatas.
     * @param predecessor An operation that must be done first, or zero.
     * @param salt Distinguishes otherwise identical operations.
     * @param delay Seconds until it is ready, at least the minimum delay.
     */
    function scheduleBatch(
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata payloads,
        bytes32 predecessor,
        bytes32 salt,
        uint256 delay
    ) public override {
        super.scheduleBatch(targets, values, payloads, predecessor, salt, delay);
        _setExpiry(hashOperationBatch(targets, values, payloads, predecessor, salt), delay);
    }

    /**
     * @notice Executes a ready operation of one call, unless it expired.
     * @dev Reverts with {TimelockOperationExpired} once its grace period is over.
     * @param target The called contract.
     * @param value Wei sent with the call.
     * @param payload The calldata.
     * @param predecessor The operation's predecessor, or zero.
     * @param salt The operation's salt.
     */
    function execute(
        address target,
        uint256 value,
        bytes calldata payload,
        bytes32 predecessor,
        bytes32 salt
    ) public payable override {
        _checkNotExpired(hashOperation(target, value, payload, predecessor, salt));
        super.execute(target, value, payload, predecessor, salt);
    }

    /**
     * @notice Executes a ready operation of several calls, unless it expired.
     * @dev Reverts with {TimelockOperationExpired} once its grace period is over.
     * @param targets The called contracts.
     * @param values Wei sent with each call.
     * @param payloads The calldatas.
     * @param predecessor The operation's predecessor, or zero.
     * @param salt The operation's salt.
     */
    function executeBatch(
        address[] calldata targets,
        uint256[] calldata values,
        bytes[] calldata payloads,
        bytes32 predecessor,
        bytes32 salt
    ) public payable override {
        _checkNotExpired(hashOperationBatch(targets, values, payloads, predecessor, salt));
        super.executeBatch(targets, values, payloads, predecessor, salt);
    }

    /**
     * @notice Changes the delay of later operations; only through the timelock itself.
     * @param newDelay Seconds, within [{MIN_DELAY}, {MAX_DELAY}], at most {MAX_DELAY_STEP} away
     * from the current delay, at most once a day.
     */
    function updateDelay(uint256 newDelay) public override {
        _checkSelf();
        RuleBounds.change(
            _changedAt, DELAY, getMinDelay(), newDelay, MIN_DELAY, MAX_DELAY, MAX_DELAY_STEP
        );
        super.updateDelay(newDelay);
    }

    /**
     * @notice Changes the grace period of operations scheduled from now on; only through the
     * timelock itself.
     * @param newGracePeriod Seconds, within [{MIN_GRACE_PERIOD}, {MAX_GRACE_PERIOD}], at most
     * {MAX_GRACE_PERIOD_STEP} away from the current one, at most once a day.
     */
    function updateGracePeriod(uint256 newGracePeriod) external {
        _checkSelf();
        RuleBounds.change(
            _changedAt,
            GRACE_PERIOD,
            _gracePeriod,
            newGracePeriod,
            MIN_GRACE_PERIOD,
            MAX_GRACE_PERIOD,
            MAX_GRACE_PERIOD_STEP
        );
        _gracePeriod = newGracePeriod;
    }

    function _setExpiry(bytes32 id, uint256 delay) private {
        uint256 expiresAt = block.timestamp + delay + _gracePeriod;
        _expiresAt[id] = expiresAt;
        emit CallExpiry(id, expiresAt);
    }

    function _checkNotExpired(bytes32 id) private view {
        if (isOperationExpired(id)) revert TimelockOperationExpired(id, _expiresAt[id]);
    }

    function _checkSelf() private view {
        if (msg.sender != address(this)) revert TimelockUnauthorizedCaller(msg.sender);
    }
}
