// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IWorkToken
/// @notice What the escrow needs of the work token besides ERC-20: minting work rewards.
interface IWorkToken is IERC20 {
    /// @notice Mints `amount` to `to`; only for the minter role, and only below the cap.
    function mint(address to, uint256 amount) external;

    /// @notice Tokens that can still be minted before the cap is reached.
    function mintable() external view returns (uint256);
}
