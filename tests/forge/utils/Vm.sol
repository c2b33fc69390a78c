// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title Vm
 * @notice The Foundry cheatcodes Jeton's Solidity tests use, and only those.
 * @dev forge-std (which declares all of them) is not published on the registries this project
 * installs from: npm's `forge-std` is an unofficial 2022 copy that needs ds-test, and forge's own
 * `forge install` clones from GitHub, which these machines can not reach. Forge needs none of
 * it: the cheatcodes are an interface at a fixed address (below), and a test contract is found
 * by its `setUp`, `test*` and `invariant*` functions. The signatures are Foundry's own.
 */
interface Vm {
    /// @notice Sets block.timestamp.
    function warp(uint256 newTimestamp) external;
    /// @notice Sets block.number.
    function roll(uint256 newHeight) external;
    /// @notice The current block.timestamp, as the test's environment sees it.
    function getBlockTimestamp() external view returns (uint256);
    /// @notice The current block.number, as the test's environment sees it.
    function getBlockNumber() external view returns (uint256);
    /// @notice The next call (only) is made from `msgSender`.
    function prank(address msgSender) external;
    /// @notice Every later call is made from `msgSender`, until {stopPrank}.
    function startPrank(address msgSender) external;
    /// @notice Ends {startPrank}.
    function stopPrank() external;
    /// @notice The next call must revert with exactly `revertData`.
    function expectRevert(bytes calldata revertData) external;
    /// @notice The next call must revert with a reason starting with `revertData` (a selector).
    function expectRevert(bytes4 revertData) external;
    /// @notice The next call must revert, whatever the reason.
    function expectRevert() external;
    /// @notice The next call must emit an event matching the one emitted after this call (topics
    /// 1-3 and data as flagged), from `emitter`.
    function expectEmit(
        bool checkTopic1,
        bool checkTopic2,
        bool checkTopic3,
        bool checkData,
        address emitter
    ) external;
    /// @notice Signs `digest` with private key `privateKey`.
    function sign(uint256 privateKey, bytes32 digest)
        external
        pure
        returns (uint8 v, bytes32 r, bytes32 s);
    /// @notice The address of private key `privateKey`.
    function addr(uint256 privateKey) external pure returns (address);
    /// @notice Names `account` in traces.
    function label(address account, string calldata newLabel) external;
    /// @notice Takes a snapshot of the whole state; returns its id.
    function snapshotState() external returns (uint256 snapshotId);
    /// @notice Returns to snapshot `snapshotId` (and keeps it for later returns).
    function revertToState(uint256 snapshotId) external returns (bool success);
    /// @notice `value` as text (for failure messages).
    function toString(bytes calldata value) external pure returns (string memory);
    /// @notice `value` as text (for failure messages).
    function toString(uint256 value) external pure returns (string memory);

    // Assertions: on failure forge prints both values and the message.
    function assertEq(uint256 left, uint256 right, string calldata message) external pure;
    function assertEq(address left, address right, string calldata message) external pure;
    function assertEq(bool left, bool right, string calldata message) external pure;
    function assertEq(bytes32 left, bytes32 right, string calldata message) external pure;
    function assertEq(bytes calldata left, bytes calldata right, string calldata message)
        external
        pure;
    function assertEq(string calldata left, string calldata right, string calldata message)
        external
        pure;
    function assertLe(uint256 left, uint256 right, string calldata message) external pure;
    function assertGe(uint256 left, uint256 right, string calldata message) external pure;
    function assertLt(uint256 left, uint256 right, string calldata message) external pure;
    function assertGt(uint256 left, uint256 right, string calldata message) external pure;
    function assertTrue(bool condition, string calldata message) external pure;
    function assertFalse(bool condition, string calldata message) external pure;
}
