// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";

/**
 * @title TimestampClock
 * @notice TEST ONLY: a votes source that counts in seconds, not blocks (ERC-6372's timestamp
 * mode). The governor, whose clock is block numbers, must refuse it at deployment.
 */
contract TimestampClock is IERC6372 {
    /// @inheritdoc IERC6372
    function clock() external view returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @inheritdoc IERC6372
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() external pure returns (string memory) {
        return "mode=timestamp";
    }
}
