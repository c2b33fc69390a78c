// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Cheats} from "./Cheats.sol";

/**
 * @title Test
 * @notice The base of Jeton's Solidity test contracts: {Cheats}, plus the declarations through
 * which an invariant test names its targets.
 * @dev An in-repo stand-in for the part of forge-std's Test these tests use (see {Vm} for why
 * forge-std is not a dependency). Forge finds an invariant campaign's targets by calling the test
 * contract's `targetContracts()` and `targetSelectors()`; their return types are forge's ABI.
 */
abstract contract Test is Cheats {
    /// @notice A target contract and the functions of it the fuzzer may call.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    address[] private _targetedContracts;
    FuzzSelector[] private _targetedSelectors;

    /// @notice The contracts an invariant campaign calls (forge reads this).
    function targetContracts() public view returns (address[] memory) {
        return _targetedContracts;
    }

    /// @notice The functions an invariant campaign calls, per target (forge reads this).
    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetedSelectors;
    }

    /// @dev Makes `target`'s functions `selectors` (and only those) an invariant campaign's calls.
    function targetFunctions(address target, bytes4[] memory selectors) internal {
        _targetedContracts.push(target);
        _targetedSelectors.push(FuzzSelector({addr: target, selectors: selectors}));
    }

    /// @dev As {targetFunctions}, with `weights[i]` the relative frequency of `selectors[i]`:
    /// forge draws each call uniformly from the listed selectors, so a selector listed `w`
    /// times is drawn `w` times as often.
    function targetFunctions(address target, bytes4[] memory selectors, uint256[] memory weights)
        internal
    {
        uint256 total;
        for (uint256 i = 0; i < weights.length; ++i) {
            total += weights[i];
        }
        bytes4[] memory listed = new bytes4[](total);
        uint256 n;
        for (uint256 i = 0; i < selectors.length; ++i) {
            for (uint256 j = 0; j < weights[i]; ++j) {
                listed[n++] = selectors[i];
            }
        }
        targetFunctions(target, listed);
    }
}
