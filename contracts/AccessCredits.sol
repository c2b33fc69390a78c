// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {GovernedOwnable} from "./access/GovernedOwnable.sol";
import {IAccessCredits} from "./interfaces/IAccessCredits.sol";
import {IPlatformRules} from "./interfaces/IPlatformRules.sol";
import {RuleBounds} from "./libraries/RuleBounds.sol";

/**
 * @title AccessCredits
 * @notice Premium tools bought with work tokens, in units, at prices the DAO sets: the place
 * where a platform that sells its own tools for tokens can not reprice them overnight.
 *
 * Services: the DAO's timelock (the owner) adds, prices, pauses, resumes and removes them. A
 * price is a governed number in the sense of {RuleBounds}: within hard bounds, changed at most
 * once per {PRICE_CHANGE_INTERVAL}, up by at most {MAX_PRICE_RISE_BPS} and down by at most
 * {MAX_PRICE_CUT_BPS} per change. A rise is announced: it applies {PRICE_NOTICE} later, so
 * buyers see both prices and may buy at the old one meanwhile; a cut applies at once (it costs
 * no holder of credits anything, see below). The interval is no shorter than the notice, so at
 * most one rise is ever pending, and a passed proposal can not take a larger step or two steps
 * at once: the check is here, at execution.
 *
 * Money: a purchase pays the whole price into this contract, and the buyer's credits record,
 * per service, the units, what was paid for them and the DAO's cut locked at purchase (the
 * rulebook's {IPlatformRules-creditsCutBps} then). Nothing is paid out at purchase:
 * - when the provider uses `n` of a buyer's units, the buyer's average price paid for `n` units
 *   leaves its credits: the locked cut's share accrues to the DAO (swept to the rulebook's
 *   treasury by anyone, as the escrow's fees are) and the rest to the provider's proceeds,
 *   which it withdraws when it likes;
 * - while a service is paused or removed, a buyer takes back all it paid for its unused units.
 * So the provider earns only from units used, the DAO's cut only from units used, unused
 * credits are always backed by the tokens paid for them, and later price or cut changes never
 * touch credits already bought. A provider that can not receive blocks nobody: nothing is ever
 * pushed to it. Conservation: this contract's balance is the sum of every credit's `paid`, plus
 * the providers' proceeds, plus the accrued cut.
 *
 * A provider can only use credits of its own service, never more than a buyer holds, and each
 * use is a {CreditsConsumed} event under the buyer's address, with the provider's reference.
 *
 * Every operation touches a fixed number of storage slots: no loop over services or buyers.
 */
contract AccessCredits is IAccessCredits, GovernedOwnable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    uint256 private constant BPS = 10_000;

    /// @notice Largest rise of a price at once: 25%.
    uint256 public constant MAX_PRICE_RISE_BPS = 2_500;
    /// @notice Largest cut of a price at once: 50%. A cut harms no holder of credits, but a cut
    /// to almost nothing would take a provider years of 25% rises to undo; half takes four.
    uint256 public constant MAX_PRICE_CUT_BPS = 5_000;
    /// @notice How long an announced rise waits before it applies.
    uint256 public constant PRICE_NOTICE = 7 days;
    /// @notice The least time between two price changes of a service (or its addition and its
    /// first change). Not shorter than {PRICE_NOTICE}: a rise applies before the next change.
    uint256 public constant PRICE_CHANGE_INTERVAL = 7 days;
    /// @notice Hard lower bound of a unit price: 0.000001 JTN (a 25% step stays meaningful).
    uint256 public constant MIN_UNIT_PRICE = 1e12;
    /// @notice Hard upper bound of a unit price: one million JTN.
    uint256 public constant MAX_UNIT_PRICE = 1e24;

    bytes32 private constant SERVICE_PRICE = "servicePrice";

    /// @notice The work token, the only currency of credits.
    IERC20 public immutable token;

    /// @notice The rulebook: the DAO's cut of a sale and its treasury.
    IPlatformRules public immutable rules;

    /// @inheritdoc IAccessCredits
    uint256 public serviceCount;

    uint256 private _cut;
    mapping(uint256 serviceId => Service) private _services;
    mapping(uint256 serviceId => mapping(address buyer => Credit)) private _credits;
    mapping(address provider => uint256) private _proceeds;

    /**
     * @param token_ The work token.
     * @param rules_ The rulebook.
     * @param owner_ The DAO's timelock (the deployer only in tests).
     */
    constructor(IERC20 token_, IPlatformRules rules_, address owner_) Ownable(owner_) {
        token = token_;
        rules = rules_;
    }

    // ----------------------------------------------------------------- governance

    /// @inheritdoc IAccessCredits
    function addService(address provider, uint256 price, string calldata name, string calldata uri)
        external
        onlyOwner
        returns (uint256 serviceId)
    {
        if (provider == address(0)) revert ZeroProvider();
        RuleBounds.checkBounds(SERVICE_PRICE, price, MIN_UNIT_PRICE, MAX_UNIT_PRICE);
        bytes32 infoHash = keccak256(abi.encode(name, uri));
        serviceId = ++serviceCount;
        Service storage service = _services[serviceId];
        service.provider = provider;
        service.priceChangedAt = uint40(block.timestamp);
        service.unitPrice = uint96(price);
        service.status = Status.Active;
        service.infoHash = infoHash;
        emit ServiceAdded(serviceId, provider, price, infoHash, name, uri);
    }

    /// @inheritdoc IAccessCredits
    function setServicePrice(uint256 serviceId, uint256 newPrice) external onlyOwner {
        Service storage service = _services[serviceId];
        (uint256 oldPrice, uint64 effectiveAt) =
            _checkPriceChange(serviceId, service, newPrice, block.timestamp);
        service.priceChangedAt = uint40(block.timestamp);
        if (effectiveAt == block.timestamp) {
            (service.unitPrice, service.nextUnitPrice, service.nextPriceAt) =
            (uint96(newPrice), 0, 0);
        } else {
            (service.unitPrice, service.nextUnitPrice, service.nextPriceAt) =
            (uint96(oldPrice), uint96(newPrice), uint40(effectiveAt));
        }
        emit ServicePriceSet(serviceId, oldPrice, newPrice, effectiveAt);
    }

    /// @inheritdoc IAccessCredits
    function pauseService(uint256 serviceId) external onlyOwner {
        Status status = _status(serviceId);
        if (status != Status.Active) revert ServiceNotActive(serviceId, status);
        _setStatus(serviceId, Status.Paused);
    }

    /// @inheritdoc IAccessCredits
    function resumeService(uint256 serviceId) external onlyOwner {
        Status status = _status(serviceId);
        if (status != Status.Paused) revert ServiceNotPaused(serviceId, status);
        _setStatus(serviceId, Status.Active);
    }

    /// @inheritdoc IAccessCredits
    function removeService(uint256 serviceId) external onlyOwner {
        Status status = _status(serviceId);
        if (status == Status.Removed) revert ServiceIsRemoved(serviceId);
        _setStatus(serviceId, Status.Removed);
    }

    // ----------------------------------------------------------------- buyers

    /// @inheritdoc IAccessCredits
    function buy(uint256 serviceId, uint64 units, uint256 maxUnitPrice)
        external
        nonReentrant
        returns (uint256 cost)
    {
        cost = _buy(serviceId, units, maxUnitPrice);
        token.safeTransferFrom(msg.sender, address(this), cost);
    }

    /// @inheritdoc IAccessCredits
    /// @dev The permit is used only once every check of the purchase has passed. A failed permit
    /// is ignored (someone may have front-run it with the same signature); the transfer then
    /// needs the allowance that permit would have set.
    function buyWithPermit(
        uint256 serviceId,
        uint64 units,
        uint256 maxUnitPrice,
        uint256 permitDeadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (uint256 cost) {
        cost = _buy(serviceId, units, maxUnitPrice);
        try IERC20Permit(address(token))
            .permit(msg.sender, address(this), cost, permitDeadline, v, r, s) {}
            catch {}
        token.safeTransferFrom(msg.sender, address(this), cost);
    }

    /// @inheritdoc IAccessCredits
    /// @dev Open while the service is paused or removed, whatever the DAO does: nothing else is
    /// needed to get the money back.
    function refund(uint256 serviceId) external nonReentrant returns (uint256 amount) {
        Status status = _status(serviceId);
        if (status == Status.Active) revert ServiceStillActive(serviceId);
        Credit storage credit = _credits[serviceId][msg.sender];
        uint256 units = credit.units;
        if (units == 0) revert NoCredits(serviceId, msg.sender);
        amount = credit.paid;
        delete _credits[serviceId][msg.sender];
        emit CreditsRefunded(serviceId, msg.sender, units, amount);
        token.safeTransfer(msg.sender, amount);
    }

    // ----------------------------------------------------------------- providers

    /// @inheritdoc IAccessCredits
    function consume(uint256 serviceId, address buyer, uint64 units, bytes32 usageRef)
        external
        nonReentrant
        returns (uint256 value)
    {
        Service storage service = _services[serviceId];
        address provider = service.provider;
        if (provider == address(0)) revert UnknownService(serviceId);
        if (msg.sender != provider) revert NotServiceProvider(serviceId, msg.sender);
        Status status = service.status;
        if (status != Status.Active) revert ServiceNotActive(serviceId, status);
        if (units == 0) revert ZeroUnits();
        Credit memory credit = _credits[serviceId][buyer];
        if (units > credit.units) {
            revert InsufficientCredits(serviceId, buyer, credit.units, units);
        }
        // The average price paid, and the same share of the locked cut (cut <= paid keeps
        // cutShare <= value); all units take all that is left.
        value = uint256(credit.paid) * units / credit.units;
        uint256 cutShare = uint256(credit.cut) * units / credit.units;
        _credits[serviceId][buyer] = Credit({
            units: credit.units - units,
            paid: credit.paid - uint96(value),
            cut: credit.cut - uint96(cutShare)
        });
        _proceeds[provider] += value - cutShare;
        if (cutShare != 0) _cut += cutShare;
        emit CreditsConsumed(serviceId, buyer, units, value, cutShare, usageRef);
    }

    /// @inheritdoc IAccessCredits
    function withdrawProceeds() external nonReentrant returns (uint256 amount) {
        amount = _proceeds[msg.sender];
        if (amount == 0) revert NoProceeds(msg.sender);
        _proceeds[msg.sender] = 0;
        emit ProceedsWithdrawn(msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IAccessCredits
    /// @dev Anyone may sweep: the cut only ever goes to the rulebook's treasury. One base unit
    /// stays accrued, so that the next use's cut never writes a zero slot (as the escrow's fees).
    function sweepCut() external nonReentrant returns (uint256 amount) {
        uint256 accrued = _cut;
        if (accrued <= 1) revert NoCutToSweep();
        amount = accrued - 1;
        _cut = 1;
        address treasury = rules.treasury();
        emit CutSwept(treasury, amount);
        token.safeTransfer(treasury, amount);
    }

    // ----------------------------------------------------------------- views

    /// @inheritdoc IAccessCredits
    function getService(uint256 serviceId) external view returns (Service memory service) {
        service = _services[serviceId];
        if (service.nextPriceAt != 0 && block.timestamp >= service.nextPriceAt) {
            (service.unitPrice, service.nextUnitPrice, service.nextPriceAt) =
            (service.nextUnitPrice, 0, 0);
        }
    }

    /// @inheritdoc IAccessCredits
    function unitPrice(uint256 serviceId) external view returns (uint256) {
        return _priceAt(_services[serviceId], block.timestamp);
    }

    /// @inheritdoc IAccessCredits
    function creditOf(uint256 serviceId, address buyer) external view returns (Credit memory) {
        return _credits[serviceId][buyer];
    }

    /// @inheritdoc IAccessCredits
    function proceedsOf(address provider) external view returns (uint256) {
        return _proceeds[provider];
    }

    /// @inheritdoc IAccessCredits
    function accruedCut() external view returns (uint256) {
        return _cut;
    }

    /// @inheritdoc IAccessCredits
    function checkPriceChange(uint256 serviceId, uint256 newPrice, uint256 when)
        external
        view
        returns (uint256 oldPrice, uint64 effectiveAt)
    {
        return _checkPriceChange(serviceId, _services[serviceId], newPrice, when);
    }

    // ----------------------------------------------------------------- internals

    /// @dev Checks and records a purchase; returns the cost the caller then moves in.
    function _buy(uint256 serviceId, uint64 units, uint256 maxUnitPrice)
        private
        returns (uint256 cost)
    {
        Service storage service = _services[serviceId];
        Status status = service.status;
        if (status != Status.Active) {
            if (status == Status.None) revert UnknownService(serviceId);
            revert ServiceNotActive(serviceId, status);
        }
        if (units == 0) revert ZeroUnits();
        uint256 price = _priceAt(service, block.timestamp);
        if (price > maxUnitPrice) revert PriceAboveLimit(serviceId, price, maxUnitPrice);
        cost = price * units;
        uint256 cut = cost * rules.creditsCutBps() / BPS;
        Credit memory credit = _credits[serviceId][msg.sender];
        _credits[serviceId][msg.sender] = Credit({
            units: SafeCast.toUint64(uint256(credit.units) + units),
            paid: SafeCast.toUint96(uint256(credit.paid) + cost),
            cut: credit.cut + uint96(cut) // cut <= paid, which fits 96 bits
        });
        emit CreditsBought(serviceId, msg.sender, units, price, cost, cut);
    }

    /**
     * @dev The checks of a price change at time `when`, in this order: the service exists and is
     * not removed; the new price is within the hard bounds and one step of the price in force at
     * `when`; the last change was at least {PRICE_CHANGE_INTERVAL} before `when`. Returns the price
     * in force at `when` and when the new one applies: `when` for a cut (or no change), `when` plus
     * {PRICE_NOTICE} for a rise.
     */
    function _checkPriceChange(
        uint256 serviceId,
        Service storage service,
        uint256 newPrice,
        uint256 when
    ) private view returns (uint256 oldPrice, uint64 effectiveAt) {
        Status status = service.status;
        if (status == Status.None) revert UnknownService(serviceId);
        if (status == Status.Removed) revert ServiceIsRemoved(serviceId);
        oldPrice = _priceAt(service, when);
        RuleBounds.checkBounds(SERVICE_PRICE, newPrice, MIN_UNIT_PRICE, MAX_UNIT_PRICE);
        bool rise = newPrice > oldPrice;
        uint256 maxStep = oldPrice * (rise ? MAX_PRICE_RISE_BPS : MAX_PRICE_CUT_BPS) / BPS;
        RuleBounds.checkStep(SERVICE_PRICE, oldPrice, newPrice, maxStep);
        RuleBounds.checkInterval(SERVICE_PRICE, service.priceChangedAt, PRICE_CHANGE_INTERVAL, when);
        effectiveAt = SafeCast.toUint64(rise ? when + PRICE_NOTICE : when);
    }

    /// @dev The unit price in force at `when`: an announced rise from its time on.
    function _priceAt(Service storage service, uint256 when) private view returns (uint256) {
        uint256 next = service.nextPriceAt;
        return next != 0 && when >= next ? service.nextUnitPrice : service.unitPrice;
    }

    function _status(uint256 serviceId) private view returns (Status status) {
        status = _services[serviceId].status;
        if (status == Status.None) revert UnknownService(serviceId);
    }

    function _setStatus(uint256 serviceId, Status status) private {
        _services[serviceId].status = status;
        emit ServiceStatusSet(serviceId, status);
    }
}
