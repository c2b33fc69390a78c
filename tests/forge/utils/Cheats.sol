// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {Vm} from "./Vm.sol";

/**
 * @title Cheats
 * @notice What every Solidity test and invariant handler of Jeton's shares: the cheatcodes,
 * bounded inputs, assertions (forge's own assertion cheatcodes, which print both sides on
 * failure) and EIP-2612 permit signatures.
 * @dev In-repo because forge-std is not available here (see {Vm}).
 */
abstract contract Cheats {
    /// @notice The cheatcodes, at the address Foundry reserves for them.
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    bytes32 private constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );

    // ----------------------------------------------------------------- signatures

    /// @dev The EIP-2612 permit of the owner of private key `key` for `spender` to take `value`
    /// of `permitToken` until `deadline`, at the owner's current nonce.
    function signPermit(
        address permitToken,
        uint256 key,
        address spender,
        uint256 value,
        uint256 deadline
    ) internal view returns (uint8 v, bytes32 r, bytes32 s) {
        address owner = vm.addr(key);
        bytes32 structHash = keccak256(
            abi.encode(
                PERMIT_TYPEHASH,
                owner,
                spender,
                value,
                IERC20Permit(permitToken).nonces(owner),
                deadline
            )
        );
        bytes32 digest = keccak256(
            abi.encodePacked("\x19\x01", IERC20Permit(permitToken).DOMAIN_SEPARATOR(), structHash)
        );
        return vm.sign(key, digest);
    }

    // ----------------------------------------------------------------- inputs

    /// @dev `x` mapped into `[min, max]` (uniformly enough for a fuzzer, and keeping small
    /// values small so that edge cases stay reachable).
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min;
        if (size == type(uint256).max) return x;
        return min + x % (size + 1);
    }

    /**
     * @dev A value for a rule now at `current`, within `[min, max]` and moved by at most `step`
     * per change (`typeMax`: the largest its setter's type takes). `mode` 0: within the bounds
     * and a step; 1: past a bound; 2: past the step; 3: the same value.
     */
    function ruleValue(
        uint256 current,
        uint256[3] memory limits, // min, max, step
        uint256 typeMax,
        uint256 seed,
        uint8 mode
    ) internal pure returns (uint256) {
        (uint256 min, uint256 max, uint256 step) = (limits[0], limits[1], limits[2]);
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

    // ----------------------------------------------------------------- outcomes

    /**
     * @dev Matches a call's outcome with what a model expected: true on a success it expected
     * (`n == 0`), false on a revert with exactly one of `refusals[0..n)`; fails on anything else,
     * saying what happened and what was expected.
     */
    function matchOutcome(
        bool ok,
        bytes memory ret,
        bytes[] memory refusals,
        uint256 n,
        string memory what
    ) internal pure returns (bool) {
        if (ok) {
            if (n != 0) {
                fail(string.concat(what, ": succeeded; expected ", vm.toString(refusals[0])));
            }
            return true;
        }
        bytes32 got = keccak256(ret);
        for (uint256 i = 0; i < n; ++i) {
            if (keccak256(refusals[i]) == got) return false;
        }
        fail(
            string.concat(
                what,
                ": refused with ",
                vm.toString(ret),
                n == 0 ? "; expected success" : "; expected ",
                n == 0 ? "" : vm.toString(refusals[0])
            )
        );
        return false;
    }

    // ----------------------------------------------------------------- assertions
    // Each compares first and calls forge's assertion cheatcode only on a failure (for its
    // message with both values): a cheatcode call costs far more than a comparison, and
    // invariant checks run after every call of a campaign.

    function assertEq(uint256 left, uint256 right, string memory message) internal pure {
        if (left != right) vm.assertEq(left, right, message);
    }

    function assertEq(address left, address right, string memory message) internal pure {
        if (left != right) vm.assertEq(left, right, message);
    }

    function assertEq(bool left, bool right, string memory message) internal pure {
        if (left != right) vm.assertEq(left, right, message);
    }

    function assertEq(bytes32 left, bytes32 right, string memory message) internal pure {
        if (left != right) vm.assertEq(left, right, message);
    }

    function assertEq(bytes memory left, bytes memory right, string memory message) internal pure {
        if (keccak256(left) != keccak256(right)) vm.assertEq(left, right, message);
    }

    function assertEq(string memory left, string memory right, string memory message)
        internal
        pure
    {
        if (keccak256(bytes(left)) != keccak256(bytes(right))) {
            vm.assertEq(left, right, message);
        }
    }

    function assertLe(uint256 left, uint256 right, string memory message) internal pure {
        if (left > right) vm.assertLe(left, right, message);
    }

    function assertGe(uint256 left, uint256 right, string memory message) internal pure {
        if (left < right) vm.assertGe(left, right, message);
    }

    function assertLt(uint256 left, uint256 right, string memory message) internal pure {
        if (left >= right) vm.assertLt(left, right, message);
    }

    function assertGt(uint256 left, uint256 right, string memory message) internal pure {
        if (left <= right) vm.assertGt(left, right, message);
    }

    function assertTrue(bool condition, string memory message) internal pure {
        if (!condition) vm.assertTrue(condition, message);
    }

    function assertFalse(bool condition, string memory message) internal pure {
        if (condition) vm.assertFalse(condition, message);
    }

    /// @dev Fails with `message`.
    function fail(string memory message) internal pure {
        vm.assertTrue(false, message);
    }
}
