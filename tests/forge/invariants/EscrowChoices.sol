// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ITaskEscrow} from "../../../contracts/interfaces/ITaskEscrow.sol";
import {EscrowActions} from "./EscrowActions.sol";

/**
 * @title EscrowChoices
 * @notice How the escrow's campaign turns the fuzzer's seeds into choices: actors (mostly the
 * right party, else anyone), tasks (mostly a live one in the right state, else any id),
 * amounts (whole tokens, dust, zero, past what a task can hold), deadlines, bonds, shares,
 * moments on the edge of a deadline or window, and rule values within or past their bounds
 * and steps.
 */
abstract contract EscrowChoices is EscrowActions {
    constructor(System memory s) EscrowActions(s) {}

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
        uint256 typeMax = rule == 2 || rule == 3 || rule >= 6 ? type(uint32).max : type(uint16).max;
        return ruleValue(
            _ruleValue[rule], [_ruleMin[rule], _ruleMax[rule], _ruleStep[rule]], typeMax, seed, mode
        );
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
