// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {AccessCredits} from "../../../contracts/AccessCredits.sol";
import {PlatformRules} from "../../../contracts/PlatformRules.sol";
import {TaskEscrow} from "../../../contracts/TaskEscrow.sol";
import {Timelock} from "../../../contracts/Timelock.sol";
import {WorkGovernor} from "../../../contracts/WorkGovernor.sol";
import {WorkToken} from "../../../contracts/WorkToken.sol";
import {WorkVotes} from "../../../contracts/WorkVotes.sol";
import {IReputation} from "../../../contracts/interfaces/IReputation.sol";
import {RuleBounds} from "../../../contracts/libraries/RuleBounds.sol";
import {FreezableToken} from "../../../contracts/mocks/FreezableToken.sol";
import {Test} from "./Test.sol";

/**
 * @title JetonTest
 * @notice The whole Jeton system, deployed and wired as `scripts/deploy.py` deploys it with the
 * `local` profile of deploy-config.json, for every Solidity test: the one place to edit when a
 * constructor or the wiring changes. Tests reach the contracts through their public interfaces
 * (DESIGN.md section 3 and contracts/interfaces), so internal changes leave them valid.
 *
 * Besides the system: a 6-decimal stablecoin with permit that can freeze an address (the mock
 * FreezableToken, allowed by the DAO with a unit of 1e6), named actors with private keys (for
 * permits and ballots), and helpers to sign permits, act as the DAO's timelock and move time.
 */
abstract contract JetonTest is Test {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant USD = 1e6;
    uint256 internal constant BPS = 10_000;

    // The `local` profile of deploy-config.json.
    uint256 internal constant CAP = 1_000_000_000e18;
    uint256 internal constant GENESIS_SUPPLY = 100_000_000e18;
    uint256 internal constant HOLDER_GRANT = 10_000_000e18;
    uint16 internal constant FEE_BPS = 500;
    uint16 internal constant REWARD_BPS = 5_000;
    uint32 internal constant REVIEW_PERIOD = 3 days;
    uint32 internal constant DISPUTE_WINDOW = 7 days;
    uint16 internal constant CLAIM_BOND_BPS = 1_000;
    uint16 internal constant CREDITS_CUT_BPS = 500;
    uint32 internal constant TIER1 = 100;
    uint32 internal constant TIER2 = 1_000;
    uint32 internal constant TIER3 = 10_000;
    uint48 internal constant VOTING_DELAY = 1;
    uint32 internal constant VOTING_PERIOD = 50;
    uint256 internal constant QUORUM_PERCENT = 4;
    uint48 internal constant LATE_QUORUM_EXTENSION = 10;
    uint256 internal constant TIMELOCK_DELAY = 2 days;
    uint256 internal constant GRACE_PERIOD = 14 days;
    uint256 internal constant REPUTATION_WEIGHT = 0.05e18;

    /// @dev The chain's clock at deployment (forge starts at 1 and 1).
    uint256 internal constant START_TIME = 1_700_000_000;
    uint256 internal constant START_BLOCK = 1_000;

    Timelock internal timelock;
    WorkToken internal token;
    PlatformRules internal rules;
    TaskEscrow internal escrow;
    IReputation internal reputation;
    WorkVotes internal votes;
    WorkGovernor internal governor;
    AccessCredits internal credits;
    FreezableToken internal usd;

    /// @dev The genesis holders (test accounts 0 to 2 in the deploy script): DAO members.
    address internal holder1;
    address internal holder2;
    address internal holder3;
    /// @dev The arbiter appointed at deployment.
    address internal arbiter;

    mapping(address account => uint256) internal keyOf;

    /// @dev Deploys and wires the system from this contract, which keeps no power at all.
    function deploySystem() internal {
        vm.warp(START_TIME);
        vm.roll(START_BLOCK);
        holder1 = makeActor("holder1");
        holder2 = makeActor("holder2");
        holder3 = makeActor("holder3");
        arbiter = makeActor("arbiter");

        address[] memory none = new address[](0);
        address[] memory anyone = new address[](1);
        timelock = new Timelock(TIMELOCK_DELAY, GRACE_PERIOD, none, anyone, address(this));
        token = new WorkToken(address(this), address(timelock), address(this), GENESIS_SUPPLY, CAP);
        address[] memory arbiters = new address[](1);
        arbiters[0] = arbiter;
        rules = new PlatformRules(
            address(timelock), initialRules(), address(token), arbiters, address(timelock)
        );
        escrow = new TaskEscrow(token, rules);
        reputation = escrow.reputation();
        votes = new WorkVotes(
            IERC5805(address(token)), reputation, address(timelock), REPUTATION_WEIGHT
        );
        governor = new WorkGovernor(
            IVotes(address(votes)),
            TimelockController(payable(address(timelock))),
            initialSettings()
        );
        credits = new AccessCredits(token, rules, address(timelock));

        bytes32 admin = token.DEFAULT_ADMIN_ROLE();
        token.grantRole(token.MINTER_ROLE(), address(escrow));
        token.grantRole(admin, address(timelock));
        token.renounceRole(admin, address(this));
        timelock.grantRole(timelock.PROPOSER_ROLE(), address(governor));
        timelock.grantRole(timelock.CANCELLER_ROLE(), address(governor));
        timelock.renounceRole(timelock.DEFAULT_ADMIN_ROLE(), address(this));

        token.transfer(holder1, HOLDER_GRANT);
        token.transfer(holder2, HOLDER_GRANT);
        token.transfer(holder3, HOLDER_GRANT);
        token.transfer(address(timelock), GENESIS_SUPPLY - 3 * HOLDER_GRANT);

        usd = new FreezableToken();
        vm.label(address(usd), "USD");
        asDao();
        rules.setPaymentToken(address(usd), true, uint96(USD));
        labelSystem();
    }

    /// @dev The `local` profile's platform rules.
    function initialRules() internal pure returns (PlatformRules.Scalars memory) {
        return PlatformRules.Scalars({
            feeBps: FEE_BPS,
            rewardBps: REWARD_BPS,
            reviewPeriod: REVIEW_PERIOD,
            disputeWindow: DISPUTE_WINDOW,
            claimBondBps: CLAIM_BOND_BPS,
            creditsCutBps: CREDITS_CUT_BPS,
            tiers: [TIER1, TIER2, TIER3]
        });
    }

    /// @dev The `local` profile's voting settings.
    function initialSettings() internal pure returns (WorkGovernor.Settings memory) {
        return WorkGovernor.Settings({
            votingDelay: VOTING_DELAY,
            votingPeriod: VOTING_PERIOD,
            proposalThreshold: 0,
            quorumPercent: QUORUM_PERCENT,
            lateQuorumExtension: LATE_QUORUM_EXTENSION
        });
    }

    function labelSystem() private {
        vm.label(address(timelock), "Timelock");
        vm.label(address(token), "WorkToken");
        vm.label(address(rules), "PlatformRules");
        vm.label(address(escrow), "TaskEscrow");
        vm.label(address(reputation), "Reputation");
        vm.label(address(votes), "WorkVotes");
        vm.label(address(governor), "WorkGovernor");
        vm.label(address(credits), "AccessCredits");
    }

    // ----------------------------------------------------------------- actors

    /// @dev A named account with a known private key.
    function makeActor(string memory name) internal returns (address account) {
        uint256 key = uint256(keccak256(bytes(name)));
        account = vm.addr(key);
        keyOf[account] = key;
        vm.label(account, name);
    }

    /// @dev The next call comes from the DAO's timelock (what an executed proposal does).
    function asDao() internal {
        vm.prank(address(timelock));
    }

    /// @dev Gives `to` `amount` of work tokens from the treasury (as a DAO grant would).
    function fundJtn(address to, uint256 amount) internal {
        vm.prank(address(timelock));
        token.transfer(to, amount);
    }

    // ----------------------------------------------------------------- signatures

    /// @dev `owner`'s EIP-2612 permit for the escrow to take `value` of `permitToken`, valid for
    /// an hour: the deadline and the signature.
    function permitForEscrow(address permitToken, address owner, uint256 value)
        internal
        view
        returns (uint256 deadline, uint8 v, bytes32 r, bytes32 s)
    {
        deadline = vm.getBlockTimestamp() + 1 hours;
        (v, r, s) = signPermit(permitToken, keyOf[owner], address(escrow), value, deadline);
    }

    // ----------------------------------------------------------------- errors

    /// @dev RuleBounds' refusal of `value` for `rule`, outside `[min, max]`.
    function outOfBounds(bytes32 rule, uint256 value, uint256 min, uint256 max)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(RuleBounds.RuleOutOfBounds.selector, rule, value, min, max);
    }

    // ----------------------------------------------------------------- time

    /// @dev Moves the clock on by `seconds_` and one block per 12 seconds (at least one).
    function skip(uint256 seconds_) internal {
        vm.warp(vm.getBlockTimestamp() + seconds_);
        vm.roll(vm.getBlockNumber() + (seconds_ / 12 == 0 ? 1 : seconds_ / 12));
    }

    /// @dev Mines `blocks` blocks, 12 seconds each.
    function mine(uint256 blocks) internal {
        vm.roll(vm.getBlockNumber() + blocks);
        vm.warp(vm.getBlockTimestamp() + 12 * blocks);
    }
}
