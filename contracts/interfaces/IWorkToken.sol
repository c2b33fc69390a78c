// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IWorkToken
/// @notice What the escrow and the votes need of the work token besides ERC-20: minting work
/// rewards, and the treasury whose votes never count.
interface IWorkToken is IERC20 {
    /// @notice The token needs a treasury: the zero address can not be one.
    error TreasuryRequired();

    /// @notice The treasury is delegated to itself for good; it can not delegate to `delegatee`.
    error TreasuryDelegationFixed(address delegatee);

    /// @notice The DAO's treasury (its timelock): delegated to itself for good, and its votes
    /// (its tokens, and any delegated to it) never count.
    function treasury() external view returns (address);

    /// @notice Mints `amount` to `to`; only for the minter role, and only below the cap.
    function mint(address to, uint256 amount) external;

    /// @notice Tokens that can still be minted before the cap is reached.
    function mintable() external view returns (uint256);
}
