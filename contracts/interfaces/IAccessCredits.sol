// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title IAccessCredits
 * @notice The public interface of Jeton's access credits: premium tools (an AI translation aid,
 * compute time, training) sold for work tokens in units, at prices the DAO sets and can move
 * only by bounded, announced steps. Its events let a buyer rebuild every purchase, use and
 * refund of its credits from logs alone; its errors name each refusal.
 */
interface IAccessCredits {
    /// @notice Where a service is. Active sells and is used; Paused neither sells nor is used,
    /// and refunds; Removed is final and only refunds.
    enum Status {
        None,
        Active,
        Paused,
        Removed
    }

    /**
     * @notice A service, packed into three storage slots.
     * @dev The first slot holds what a use reads (the provider), the second what a purchase
     * reads (the prices and the status). A price rise is announced: `unitPrice` applies until
     * `nextPriceAt`, `nextUnitPrice` from then on (both zero when no rise is pending).
     * `priceChangedAt` is when the price last changed (or the service was added): the next
     * change may come one {PRICE_CHANGE_INTERVAL} later. `infoHash` is the hash of the name and
     * URI the service was added with (`keccak256(abi.encode(name, uri))`).
     */
    struct Service {
        address provider;
        uint40 priceChangedAt;
        uint96 unitPrice;
        uint96 nextUnitPrice;
        uint40 nextPriceAt;
        Status status;
        bytes32 infoHash;
    }

    /**
     * @notice A buyer's credits in one service, in one storage slot: the unused `units`, the
     * work tokens `paid` for them, and the DAO's `cut` locked into that payment at purchase.
     * @dev Units bought at different prices pool: a use or a refund of `n` units moves
     * `paid * n / units` (the average price paid) and the same share of `cut`; the last unit
     * moves whatever is left, so no dust remains.
     */
    struct Credit {
        uint64 units;
        uint96 paid;
        uint96 cut;
    }

    /// @notice The DAO added service `serviceId`, provided by `provider` at `unitPrice` work-token
    /// base units a unit; `infoHash` commits to `name` and `uri`.
    event ServiceAdded(
        uint256 indexed serviceId,
        address indexed provider,
        uint256 unitPrice,
        bytes32 infoHash,
        string name,
        string uri
    );

    /// @notice The DAO set the price of service `serviceId` from `oldPrice` to `newPrice`, in
    /// force from `effectiveAt`: at once for a cut, after the notice period for a rise.
    event ServicePriceSet(
        uint256 indexed serviceId, uint256 oldPrice, uint256 newPrice, uint64 effectiveAt
    );

    /// @notice The DAO paused, resumed or removed service `serviceId`: it is now `status`.
    event ServiceStatusSet(uint256 indexed serviceId, Status status);

    /// @notice `buyer` bought `units` of service `serviceId` at `unitPrice`, paying `cost`; `cut`
    /// of it is the DAO's, taken only as the units are used.
    event CreditsBought(
        uint256 indexed serviceId,
        address indexed buyer,
        uint256 units,
        uint256 unitPrice,
        uint256 cost,
        uint256 cut
    );

    /**
     * @notice The provider of service `serviceId` used `units` of `buyer`'s credits (its record
     * of that use: `usageRef`). Of the `value` the buyer paid for them, `cut` accrued to the DAO
     * and the rest to the provider's proceeds.
     */
    event CreditsConsumed(
        uint256 indexed serviceId,
        address indexed buyer,
        uint256 units,
        uint256 value,
        uint256 cut,
        bytes32 usageRef
    );

    /// @notice `buyer` took back `amount`, the price it paid, for its `units` unused credits of
    /// the paused or removed service `serviceId`.
    event CreditsRefunded(
        uint256 indexed serviceId, address indexed buyer, uint256 units, uint256 amount
    );

    /// @notice `provider` withdrew `amount` of its proceeds from used credits.
    event ProceedsWithdrawn(address indexed provider, uint256 amount);

    /// @notice `amount` of the DAO's accrued cut was sent to its `treasury`.
    event CutSwept(address indexed treasury, uint256 amount);

    /// @notice No service has id `serviceId`.
    error UnknownService(uint256 serviceId);
    /// @notice Service `serviceId` is `status`, not Active: it neither sells nor is used now.
    error ServiceNotActive(uint256 serviceId, Status status);
    /// @notice Service `serviceId` is `status`, not Paused: it can not be resumed.
    error ServiceNotPaused(uint256 serviceId, Status status);
    /// @notice Service `serviceId` was removed: its price and status can not change any more.
    error ServiceIsRemoved(uint256 serviceId);
    /// @notice Service `serviceId` is active: its credits are used, not refunded (refunds open
    /// when the DAO pauses or removes it).
    error ServiceStillActive(uint256 serviceId);
    /// @notice A service needs a provider: the zero address can not be one.
    error ZeroProvider();
    /// @notice A purchase or a use is of at least one unit.
    error ZeroUnits();
    /// @notice Only the provider of service `serviceId` uses its credits, not `caller`.
    error NotServiceProvider(uint256 serviceId, address caller);
    /// @notice `buyer` holds `held` units of service `serviceId`, fewer than the `wanted`.
    error InsufficientCredits(uint256 serviceId, address buyer, uint256 held, uint256 wanted);
    /// @notice Service `serviceId` costs `unitPrice` a unit, more than the buyer's limit.
    error PriceAboveLimit(uint256 serviceId, uint256 unitPrice, uint256 maxUnitPrice);
    /// @notice `buyer` holds no credits of service `serviceId`.
    error NoCredits(uint256 serviceId, address buyer);
    /// @notice `provider` has no proceeds to withdraw.
    error NoProceeds(address provider);
    /// @notice No cut has accrued since the last sweep.
    error NoCutToSweep();

    /**
     * @notice Adds a service (only the DAO's timelock). Its price is a governed number: within
     * the hard bounds, and it stays in force at least {PRICE_CHANGE_INTERVAL}.
     * @param provider Who provides the tool, uses its credits and earns from them.
     * @param price Work-token base units a unit costs.
     * @param name The service's name, for people ("AI translation aid").
     * @param uri Where its terms are described.
     * @return serviceId The new service's id (ids run from 1).
     */
    function addService(address provider, uint256 price, string calldata name, string calldata uri)
        external
        returns (uint256 serviceId);

    /**
     * @notice Sets a service's price (only the DAO's timelock): a cut applies at once, a rise
     * after {PRICE_NOTICE}. Credits bought before keep the price they were bought at.
     * @dev Reverts as {checkPriceChange} says at this block's time.
     */
    function setServicePrice(uint256 serviceId, uint256 newPrice) external;

    /// @notice Pauses an active service (only the DAO's timelock): no sales, no use; its buyers
    /// may refund their unused credits.
    function pauseService(uint256 serviceId) external;

    /// @notice Resumes a paused service (only the DAO's timelock).
    function resumeService(uint256 serviceId) external;

    /// @notice Removes a service for good (only the DAO's timelock); its buyers may refund.
    function removeService(uint256 serviceId) external;

    /**
     * @notice Buys `units` of an active service at its price now, paying from the caller's
     * work tokens (approved beforehand). Refused if the price is above `maxUnitPrice`.
     * @return cost What the units cost.
     */
    function buy(uint256 serviceId, uint64 units, uint256 maxUnitPrice)
        external
        returns (uint256 cost);

    /// @notice {buy} in one transaction, with an EIP-2612 permit for the cost.
    function buyWithPermit(
        uint256 serviceId,
        uint64 units,
        uint256 maxUnitPrice,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 cost);

    /**
     * @notice The service's provider records that `buyer` used `units` of its credits, and earns
     * what the buyer paid for them, less the DAO's cut locked at purchase.
     * @param usageRef The provider's reference to the use (a receipt's hash), for the buyer.
     * @return value What the buyer had paid for those units.
     */
    function consume(uint256 serviceId, address buyer, uint64 units, bytes32 usageRef)
        external
        returns (uint256 value);

    /// @notice Pays the caller back what it paid for all its unused credits of a paused or
    /// removed service.
    function refund(uint256 serviceId) external returns (uint256 amount);

    /// @notice Sends the caller its proceeds from used credits.
    function withdrawProceeds() external returns (uint256 amount);

    /// @notice Sends the DAO's accrued cut to the treasury the rulebook names.
    function sweepCut() external returns (uint256 amount);

    /// @notice The number of services added so far; ids run from 1 to this.
    function serviceCount() external view returns (uint256);

    /// @notice Service `serviceId` as it stands now (a rise whose notice is over shows as the
    /// price, with no rise pending).
    function getService(uint256 serviceId) external view returns (Service memory);

    /// @notice What one unit of service `serviceId` costs a purchase now.
    function unitPrice(uint256 serviceId) external view returns (uint256);

    /// @notice `buyer`'s credits in service `serviceId`.
    function creditOf(uint256 serviceId, address buyer) external view returns (Credit memory);

    /// @notice `provider`'s proceeds from used credits, not withdrawn yet.
    function proceedsOf(address provider) external view returns (uint256);

    /// @notice The DAO's cut accrued and not swept yet (one base unit always stays: see {sweepCut}).
    function accruedCut() external view returns (uint256);

    /**
     * @notice Reverts, with the error {setServicePrice} would raise, unless setting the price of
     * service `serviceId` to `newPrice` at unix time `when` is allowed; else returns the price it
     * would replace and when the new one would apply. Lets a proposer check a price change for
     * the time its proposal can execute.
     */
    function checkPriceChange(uint256 serviceId, uint256 newPrice, uint256 when)
        external
        view
        returns (uint256 oldPrice, uint64 effectiveAt);
}
