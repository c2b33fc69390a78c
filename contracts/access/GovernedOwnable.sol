// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/**
 * @title GovernedOwnable
 * @notice OpenZeppelin's Ownable for contracts the DAO's timelock owns: ownership can be handed
 * on (say, to a new timelock) but never renounced, so no vote can freeze a rulebook for good.
 */
abstract contract GovernedOwnable is Ownable {
    /// @notice Ownership of a governed contract can not be renounced.
    error OwnershipNotRenounceable();

    /// @notice Always reverts: a governed contract keeps an owner.
    function renounceOwnership() public pure override {
        revert OwnershipNotRenounceable();
    }
}
