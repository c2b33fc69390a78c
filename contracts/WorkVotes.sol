// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {GovernedOwnable} from "./access/GovernedOwnable.sol";
import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";
import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IReputation} from "./interfaces/IReputation.sol";
import {IWorkToken} from "./interfaces/IWorkToken.sol";
import {RuleBounds} from "./libraries/RuleBounds.sol";

/**
 * @title WorkVotes
 * @notice The governor's source of voting power: delegated work-token votes plus a
 * governance-set weight times earned reputation, both read at the same past timepoint.
 *
 * Why: tokens can be bought; reputation can only be earned by paid, delivered work. Counting
 * both gives the people who do the work a voice that money alone can not buy cheaply: the
 * weight's hard bound keeps a vote earned through reputation at least as costly as a vote
 * bought in tokens (see {MAX_REPUTATION_WEIGHT}), while the weight itself (bounded, moved one
 * step at a time, and checkpointed so a change never re-weighs a vote in progress) lets the
 * DAO tune the balance between the two.
 *
 * The treasury never votes: its power is zero, even when a proposal makes it cast a vote, and
 * the supply the quorum is reckoned on leaves out the treasury's votes (see
 * {getPastTotalSupply}), so that a quorum is always a share of votes that can be cast.
 *
 * It implements the read side of IERC5805 (`getVotes`, `getPastVotes`, `getPastTotalSupply`,
 * `clock`, `CLOCK_MODE`), which is all that OpenZeppelin's GovernorVotes calls. Delegation
 * happens on the work token; reputation is never delegated.
 */
contract WorkVotes is IERC6372, GovernedOwnable {
    using Checkpoints for Checkpoints.Trace208;

    /**
     * @notice Bounds and step of the reputation weight: votes (in token units) per point.
     * @dev A point costs at least 0.1 JTN of fee paid to the treasury, of which at most half
     * comes back as work reward (PlatformRules.MAX_REWARD_BPS), so at most 0.05 JTN of votes per
     * point means a vote earned by farming reputation with borrowed money costs at least one
     * work token lost for good: more than buying the same vote in tokens, which keep their value.
     */
    uint256 public constant MAX_REPUTATION_WEIGHT = 0.05e18;
    /// @notice Largest change of the reputation weight at once.
    uint256 public constant MAX_REPUTATION_WEIGHT_STEP = 0.01e18;

    bytes32 private constant REPUTATION_WEIGHT = "reputationWeight";

    /// @notice The work token, whose delegated votes count one for one.
    IERC5805 public immutable token;

    /// @notice Earned reputation, whose points count `reputationWeight` votes each.
    IReputation public immutable reputation;

    /// @notice The DAO's treasury (the token's): it has no voting power.
    address public immutable treasury;

    Checkpoints.Trace208 private _weight;
    mapping(bytes32 rule => uint256) private _changedAt;

    /// @notice The token and the reputation do not share one clock.
    error ClockMismatch();

    /**
     * @param token_ The work token (ERC20Votes).
     * @param reputation_ The reputation contract, on the same clock as the token.
     * @param owner_ The timelock, the only one who may change the weight.
     * @param initialWeight Votes per reputation point, within the bounds.
     */
    constructor(IERC5805 token_, IReputation reputation_, address owner_, uint256 initialWeight)
        Ownable(owner_)
    {
        if (keccak256(bytes(token_.CLOCK_MODE())) != keccak256(bytes(reputation_.CLOCK_MODE()))) {
            revert ClockMismatch();
        }
        token = token_;
        reputation = reputation_;
        treasury = IWorkToken(address(token_)).treasury();
        RuleBounds.checkBounds(REPUTATION_WEIGHT, initialWeight, 0, MAX_REPUTATION_WEIGHT);
        _weight.push(clock(), SafeCast.toUint208(initialWeight));
    }

    /// @inheritdoc IERC6372
    function clock() public view returns (uint48) {
        return token.clock();
    }

    /// @inheritdoc IERC6372
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() external view returns (string memory) {
        return token.CLOCK_MODE();
    }

    /// @notice Votes per reputation point now, in token units.
    function reputationWeight() public view returns (uint256) {
        return _weight.latest();
    }

    /**
     * @notice Sets the votes each reputation point counts, from this block on.
     * @dev Only the owner (the timelock); within [0, {MAX_REPUTATION_WEIGHT}], at most
     * {MAX_REPUTATION_WEIGHT_STEP} away from the current weight.
     * @param weight The new weight, in token units per point.
     */
    function setReputationWeight(uint256 weight) external onlyOwner {
        RuleBounds.change(
            _changedAt,
            REPUTATION_WEIGHT,
            reputationWeight(),
            weight,
            0,
            MAX_REPUTATION_WEIGHT,
            MAX_REPUTATION_WEIGHT_STEP
        );
        _weight.push(clock(), SafeCast.toUint208(weight));
    }

    /**
     * @notice `account`'s voting power now.
     * @param account The voter.
     * @return Delegated token votes plus weighted reputation; zero for the treasury.
     */
    function getVotes(address account) external view returns (uint256) {
        if (account == treasury) return 0;
        return token.getVotes(account) + reputationWeight() * reputation.votingPointsOf(account);
    }

    /**
     * @notice `account`'s voting power at the end of past `timepoint`.
     * @param account The voter.
     * @param timepoint A timepoint before the current clock.
     * @return Token votes and weighted reputation, both read at `timepoint`; zero for the treasury.
     */
    function getPastVotes(address account, uint256 timepoint) external view returns (uint256) {
        if (account == treasury) return 0;
        uint256 tokenVotes = token.getPastVotes(account, timepoint);
        uint256 points = reputation.getPastVotingPoints(account, timepoint);
        // The weight's history is read only for a voter with reputation.
        return points == 0 ? tokenVotes : tokenVotes + _pastWeight(timepoint) * points;
    }

    /**
     * @notice The supply the quorum is reckoned on, at the end of past `timepoint`: the votes
     * that can exist, i.e. the work token's supply less the treasury's votes.
     * @dev The treasury is delegated to itself for good (WorkToken), so its votes are the tokens
     * it holds plus any a holder retired by delegating to it; none of them can ever be cast, so
     * a quorum of them could be out of reach. Total reputation has no history (a checkpoint of
     * it would cost every payout a storage slot), so the quorum is a share of the tokens, and
     * weighted reputation counts towards reaching it like any other vote.
     * @param timepoint A timepoint before the current clock.
     * @return The token's total supply less the treasury's votes, both at `timepoint`.
     */
    function getPastTotalSupply(uint256 timepoint) external view returns (uint256) {
        return token.getPastTotalSupply(timepoint) - token.getPastVotes(treasury, timepoint);
    }

    function _pastWeight(uint256 timepoint) private view returns (uint256) {
        return _weight.upperLookupRecent(SafeCast.toUint48(timepoint));
    }
}
