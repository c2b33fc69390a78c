// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/**
 * @title FreezableToken
 * @notice TEST ONLY: a 6-decimal stablecoin with permit that can freeze an address, as USDC and
 * USDT can: every transfer to or from a frozen address reverts. The escrow must pay everyone
 * else and keep a frozen recipient's share for it to withdraw later.
 */
contract FreezableToken is ERC20, ERC20Permit {
    /// @notice Whether transfers to and from `account` revert.
    mapping(address account => bool) public frozen;

    /// @notice `account` was frozen (`isFrozen`) or unfrozen.
    event FreezeSet(address indexed account, bool isFrozen);

    /// @notice `account` is frozen: it can neither send nor receive.
    error AccountFrozen(address account);

    constructor() ERC20("Freezable Dollar", "FUSD") ERC20Permit("Freezable Dollar") {}

    /// @notice Mints `amount` to `to`; anyone may call (test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Freezes or unfreezes `account`; anyone may call (test token).
    function freeze(address account, bool isFrozen) external {
        frozen[account] = isFrozen;
        emit FreezeSet(account, isFrozen);
    }

    /// @inheritdoc ERC20
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (frozen[from]) revert AccountFrozen(from);
        if (frozen[to]) revert AccountFrozen(to);
        super._update(from, to, value);
    }
}
