// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/**
 * @title ReentrantToken
 * @notice TEST ONLY: a hostile ERC-20 that, on every transfer, calls back into a target (the
 * escrow) with calldata chosen by the test, and records whether that re-entry succeeded and
 * what it reverted with. The transfer itself goes on either way, so the test sees whether the
 * escrow's guard, not the token, stopped the attack.
 */
contract ReentrantToken is ERC20 {
    address public target;
    bytes public attack;
    bool public attacking;
    uint256 public attempts;
    uint256 public successes;
    bytes public lastRevert;

    constructor() ERC20("Hostile", "HOST") {}

    /// @notice Mints `amount` to `to`; anyone may call (test token).
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the token: every later transfer calls `target_` with `attack_`.
    function arm(address target_, bytes calldata attack_) external {
        target = target_;
        attack = attack_;
    }

    /// @notice Disarms the token.
    function disarm() external {
        target = address(0);
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (target != address(0) && !attacking) {
            attacking = true;
            ++attempts;
            (bool ok, bytes memory result) = target.call(attack);
            if (ok) ++successes;
            else lastRevert = result;
            attacking = false;
        }
    }
}
