// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Capped} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Capped.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {IWorkToken} from "./interfaces/IWorkToken.sol";

/**
 * @title WorkToken
 * @notice "Jeton" (JTN), the work token: an ERC-20 with permit (EIP-2612), vote delegation
 * and checkpoints (ERC20Votes, block-number clock), and a hard supply cap fixed at deployment.
 *
 * New tokens are minted only as work rewards, by the one holder of {MINTER_ROLE}: the task
 * escrow. The role is granted once and can never be granted again or revoked, so work rewards
 * that the escrow owes can always be minted, and nobody else can ever mint.
 * {DEFAULT_ADMIN_ROLE} (the DAO's timelock after deployment) manages any other role; nobody can
 * raise the cap, and no role can move or freeze anyone's tokens.
 *
 * The treasury (the DAO's timelock) is delegated to itself from the start and can never
 * delegate elsewhere: its votes are exactly the tokens it holds plus any a holder chose to
 * retire by delegating to it, and those votes never count (see {WorkVotes}), so the governor's
 * quorum is reckoned on the tokens that can vote, and no proposal can hand the treasury's
 * votes to one address.
 */
contract WorkToken is IWorkToken, ERC20Capped, ERC20Permit, ERC20Votes, AccessControl {
    /// @notice Role allowed to mint work rewards (held by the task escrow).
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /// @notice Whether {MINTER_ROLE} has been granted (it can be only once).
    bool public minterFixed;

    /// @notice The DAO's treasury, whose votes are its own and never count.
    address public immutable treasury;

    /// @notice {MINTER_ROLE} was granted already, or can not be revoked.
    error MinterRoleFixed();

    /**
     * @param admin Holder of the admin role (the timelock in a deployed system).
     * @param treasury_ The DAO's treasury (its timelock), delegated to itself for good.
     * @param genesis Receiver of the initial supply.
     * @param genesisSupply Tokens minted to `genesis` at deployment (counts against the cap).
     * @param supplyCap The hard cap on the total supply, in the token's smallest unit.
     */
    constructor(
        address admin,
        address treasury_,
        address genesis,
        uint256 genesisSupply,
        uint256 supplyCap
    ) ERC20("Jeton", "JTN") ERC20Capped(supplyCap) ERC20Permit("Jeton") {
        if (treasury_ == address(0)) revert TreasuryRequired();
        treasury = treasury_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _delegate(treasury_, treasury_);
        if (genesisSupply > 0) _mint(genesis, genesisSupply);
    }

    /**
     * @notice Mints `amount` new tokens to `to`.
     * @dev Only {MINTER_ROLE}. Reverts with {ERC20ExceededCap} past the cap.
     * @param to Receiver of the new tokens.
     * @param amount Amount to mint.
     */
    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        _mint(to, amount);
    }

    /**
     * @notice Tokens that can still be minted before the cap is reached.
     * @return The cap minus the total supply.
     */
    function mintable() external view returns (uint256) {
        return cap() - totalSupply();
    }

    /// @dev {MINTER_ROLE} is granted once, to the escrow; any later grant reverts.
    function _grantRole(bytes32 role, address account) internal override returns (bool) {
        if (role == MINTER_ROLE) {
            if (minterFixed) revert MinterRoleFixed();
            minterFixed = true;
        }
        return super._grantRole(role, account);
    }

    /// @dev {MINTER_ROLE} can not be revoked or renounced: rewards owed stay mintable.
    function _revokeRole(bytes32 role, address account) internal override returns (bool) {
        if (role == MINTER_ROLE) revert MinterRoleFixed();
        return super._revokeRole(role, account);
    }

    /// @dev The treasury stays delegated to itself: any other delegation reverts.
    function _delegate(address account, address delegatee) internal override {
        if (account == treasury && delegatee != account) revert TreasuryDelegationFixed(delegatee);
        super._delegate(account, delegatee);
    }

    /// @inheritdoc ERC20Permit
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    function _update(address from, address to, uint256 value)
        internal
        override(ERC20, ERC20Capped, ERC20Votes)
    {
        super._update(from, to, value);
    }
}
