// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ITaskEscrow} from "../interfaces/ITaskEscrow.sol";
import {IPlatformRules} from "../interfaces/IPlatformRules.sol";
import {IWorkToken} from "../interfaces/IWorkToken.sol";

/**
 * @title EscrowPayments
 * @notice The escrow's money that is not a task's deposit: what comes in (deposits and bonds,
 * pulled with or without a permit, measured for tokens other than the work token), and what
 * waits to go out by pull: the fees accrued for the treasury per token ({sweepFees}), the
 * work rewards credited to workers and minted when they collect ({collectRewards}), and the
 * payments kept for recipients that could not receive them ({withdraw}).
 * @dev {TaskEscrow} builds the tasks on it: it calls {_pull} and {_permit} as money comes in,
 * and {_send}, {_accrue} and {_creditReward} as a task pays out.
 */
abstract contract EscrowPayments is ITaskEscrow, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice The work token: a payment token and the reward that is minted.
    IWorkToken public immutable workToken;

    /// @notice The rulebook, owned by the DAO's timelock; it names the treasury too.
    IPlatformRules public immutable rules;

    /**
     * @dev What a payout in the work token changes besides the task, in one slot (one read and
     * one write per payout): the work rewards that can still be credited (the token's cap, less
     * its supply, less the rewards credited and not yet collected; only this escrow mints and
     * the token has no burn, so it changes only when a reward is credited) and the work token's
     * accrued fees. Both are at most the token's cap, which the constructor checks fits.
     */
    struct WorkTokenLedger {
        uint128 rewardRoom;
        uint128 fees;
    }

    WorkTokenLedger private _ledger;
    /// @dev Per worker: one plus the rewards owed, once credited (see {_creditReward}).
    mapping(address worker => uint256) private _rewardsOwed;
    /// @dev Accrued fees of every payment token but the work token (see {_ledger}).
    mapping(address token => uint256) private _fees;
    mapping(address token => mapping(address recipient => uint256)) private _owed;

    /**
     * @param workToken_ The work token (the escrow must hold its minter role for rewards).
     * @param rules_ The rulebook.
     */
    constructor(IWorkToken workToken_, IPlatformRules rules_) {
        workToken = workToken_;
        rules = rules_;
        uint256 room = workToken_.mintable();
        // The cap (supply and room) bounds both halves of the ledger.
        SafeCast.toUint128(workToken_.totalSupply() + room);
        _ledger.rewardRoom = uint128(room);
    }

    // ----------------------------------------------------------------- pull payments

    /// @inheritdoc ITaskEscrow
    /// @dev Anyone may collect for a worker: the tokens only ever go to the worker.
    function collectRewards(address worker) external nonReentrant returns (uint256 amount) {
        amount = rewardsOwed(worker);
        if (amount == 0) revert NothingToCollect(worker);
        _rewardsOwed[worker] = 1;
        emit RewardsCollected(worker, amount);
        workToken.mint(worker, amount);
    }

    /// @inheritdoc ITaskEscrow
    /// @dev Reverts (and keeps the amount) while the caller still can not receive the token.
    function withdraw(address token) external nonReentrant returns (uint256 amount) {
        amount = _owed[token][msg.sender];
        if (amount == 0) revert NothingToWithdraw(token, msg.sender);
        _owed[token][msg.sender] = 0;
        emit Withdrawn(token, msg.sender, amount);
        IERC20(token).safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc ITaskEscrow
    /// @dev Anyone may sweep: the fees only ever go to the rulebook's treasury. One base unit
    /// stays accrued, so the next payout's fee never writes a zero slot (which costs 17,100 gas
    /// more) and sweeping before each payout can not be used to raise everyone's gas. A
    /// treasury that can not receive makes the sweep revert, never a payout; the DAO then names
    /// another treasury.
    function sweepFees(address token) external nonReentrant returns (uint256 amount) {
        uint256 accrued = accruedFees(token);
        if (accrued <= 1) revert NothingToSweep(token);
        amount = accrued - 1;
        if (token == address(workToken)) _ledger.fees = 1;
        else _fees[token] = 1;
        address treasury = rules.treasury();
        emit FeesSwept(token, treasury, amount);
        IERC20(token).safeTransfer(treasury, amount);
    }

    // ----------------------------------------------------------------- views

    /// @inheritdoc ITaskEscrow
    function rewardsOwed(address worker) public view returns (uint256) {
        uint256 stored = _rewardsOwed[worker];
        return stored == 0 ? 0 : stored - 1;
    }

    /// @inheritdoc ITaskEscrow
    function owed(address token, address recipient) external view returns (uint256) {
        return _owed[token][recipient];
    }

    /// @inheritdoc ITaskEscrow
    function accruedFees(address token) public view returns (uint256) {
        return token == address(workToken) ? _ledger.fees : _fees[token];
    }

    /// @notice Work rewards that can still be credited: the token's cap, less its supply, less
    /// the rewards credited and not yet collected.
    function rewardRoom() external view returns (uint256) {
        return _ledger.rewardRoom;
    }

    // ----------------------------------------------------------------- money in and out

    /// @dev Pulls `amount` of `token` from the caller. The work token is known to deliver exact
    /// amounts; any other token is measured, so that a fee-on-transfer token can not leave the
    /// escrow short of its deposits and bonds.
    function _pull(IERC20 token, uint256 amount) internal {
        if (address(token) == address(workToken)) {
            token.safeTransferFrom(msg.sender, address(this), amount);
            return;
        }
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = token.balanceOf(address(this)) - before;
        if (received != amount) revert TransferAmountMismatch(address(token), amount, received);
    }

    /// @dev Uses the caller's EIP-2612 permit for `value`; a failed permit is ignored (see
    /// {postTaskWithPermit}).
    function _permit(IERC20 token, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        internal
    {
        try IERC20Permit(address(token))
            .permit(msg.sender, address(this), value, deadline, v, r, s) {}
            catch {}
    }

    /// @dev Pays `value` of `token` to `to` for task `taskId`; if `to` can not receive it (the
    /// transfer reverts or returns false), keeps it for `to` to withdraw.
    function _send(uint256 taskId, IERC20 token, address to, uint256 value) internal {
        if (value == 0 || token.trySafeTransfer(to, value)) return;
        _owed[address(token)][to] += value;
        emit PaymentOwed(taskId, address(token), to, value);
    }

    /**
     * @dev Accrues `fee` for the treasury (one storage write per payout instead of a transfer)
     * and, for a fee in the work token, takes `reward` out of the room left under the cap (less
     * when less is left). For the work token both change in one slot, written once. Returns the
     * reward the caller credits.
     */
    function _accrue(IERC20 token, uint256 fee, uint256 reward) internal returns (uint256) {
        if (fee == 0) return 0;
        if (address(token) != address(workToken)) {
            _fees[address(token)] += fee;
            return 0;
        }
        WorkTokenLedger memory ledger = _ledger;
        if (reward > ledger.rewardRoom) reward = ledger.rewardRoom;
        ledger.rewardRoom -= uint128(reward);
        ledger.fees += uint128(fee);
        _ledger = ledger;
        return reward;
    }

    /// @dev Credits `reward` to `worker`. The slot holds one more than is owed, and a
    /// collection leaves that one: a worker's next credit after a collection writes a slot that
    /// is not zero (writing a zero slot costs 17,100 gas more), so the cost of a payout does not
    /// depend on whether its worker collected since the last one.
    function _creditReward(address worker, uint256 reward) internal {
        uint256 stored = _rewardsOwed[worker];
        _rewardsOwed[worker] = (stored == 0 ? 1 : stored) + reward;
    }
}
