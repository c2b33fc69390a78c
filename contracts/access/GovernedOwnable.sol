// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";

/**
 * @title GovernedOwnable
 * @notice OpenZeppelin's two-step Ownable for contracts the DAO's timelock owns. Ownership can be
 * handed on (say, to a new timelock), but only to an address that accepts it: a mistyped
 * address in a proposal leaves the timelock the owner, and a later proposal can name the right
 * one. It can never be renounced, so no vote can freeze a rulebook for good.
 */
abstract contract GovernedOwnable is Ownable2Step {
    /// @notice Ownership of a governed contract can not be renounced.
    error OwnershipNotRenounceable();

    /// @notice Always reverts: a governed contract keeps an owner.
    function renounceOwnership() public pure override {
        revert OwnershipNotRenounceable();
    }
}
