// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ITaskEscrow} from "../../../contracts/interfaces/ITaskEscrow.sol";
import {RuleBounds} from "../../../contracts/libraries/RuleBounds.sol";
import {PlatformRules} from "../../../contracts/PlatformRules.sol";
import {FreezableToken} from "../../../contracts/mocks/FreezableToken.sol";
import {EscrowModel} from "./EscrowModel.sol";

/**
 * @title EscrowRefusals
 * @notice How the escrow's campaign predicts a refusal: each action lists every check that
 * fails, as the custom error (with its arguments) the contract names it by; the transaction's
 * revert must be one of them (a task in the wrong state is refused for its state alone), and a
 * success is a failure of the model if it expected a refusal. Also sets up the allowance or
 * permit a deposit or bond needs, with what the token itself would refuse.
 */
abstract contract EscrowRefusals is EscrowModel {
    constructor(System memory s) EscrowModel(s) {}

    // ================================================================= refusals

    function _refuse(Refusals memory r, bool violated, bytes memory err) internal pure {
        if (violated) r.list[r.count++] = err;
    }

    /// @dev A task in the wrong state is refused for its state, whatever else is wrong.
    function _gate(Refusals memory r, bool violated, bytes memory err)
        internal
        pure
        returns (bool)
    {
        _refuse(r, violated, err);
        return violated;
    }

    /// @dev Only the owner (the timelock) may change a rule.
    function _gateOwner(Refusals memory r, address caller) internal view returns (bool) {
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
    ) internal view {
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

    function _refuseFrozen(Refusals memory r, IERC20 token, address who) internal view {
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
        internal
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
    function _fund(IERC20 token, address who, uint256 value) internal {
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
        bytes[] memory expected = new bytes[](r.count);
        for (uint256 i = 0; i < r.count; ++i) {
            expected[i] = r.list[i];
        }
        bool success = matchOutcome(ok, ret, expected, r.count, what);
        if (success) ++successes;
        else ++refusals;
        return success;
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
        internal
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

    function _setterCall(uint256 rule, uint256 value) internal pure returns (bytes memory) {
        if (rule == 0) return abi.encodeCall(PlatformRules.setFeeBps, (uint16(value)));
        if (rule == 1) return abi.encodeCall(PlatformRules.setRewardBps, (uint16(value)));
        if (rule == 2) return abi.encodeCall(PlatformRules.setReviewPeriod, (uint32(value)));
        if (rule == 3) return abi.encodeCall(PlatformRules.setDisputeWindow, (uint32(value)));
        if (rule == 4) return abi.encodeCall(PlatformRules.setClaimBondBps, (uint16(value)));
        if (rule == 5) return abi.encodeCall(PlatformRules.setCreditsCutBps, (uint16(value)));
        return abi.encodeCall(PlatformRules.setTierThreshold, (uint8(rule - 5), uint32(value)));
    }

    function _notOpen(uint256 id, ITaskEscrow.Status s) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITaskEscrow.TaskNotOpen.selector, id, s);
    }

    function _notClaimed(uint256 id, ITaskEscrow.Status s) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITaskEscrow.TaskNotClaimed.selector, id, s);
    }

    function _notSubmitted(uint256 id, ITaskEscrow.Status s) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITaskEscrow.TaskNotSubmitted.selector, id, s);
    }

    function _notDisputed(uint256 id, ITaskEscrow.Status s) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ITaskEscrow.TaskNotDisputed.selector, id, s);
    }
}
