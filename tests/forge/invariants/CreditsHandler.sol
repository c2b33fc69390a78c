// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IAccessCredits} from "../../../contracts/interfaces/IAccessCredits.sol";
import {IPlatformRules} from "../../../contracts/interfaces/IPlatformRules.sol";
import {RuleBounds} from "../../../contracts/libraries/RuleBounds.sol";
import {AccessCredits} from "../../../contracts/AccessCredits.sol";
import {PlatformRules} from "../../../contracts/PlatformRules.sol";
import {Cheats} from "../utils/Cheats.sol";

/**
 * @title CreditsHandler
 * @notice The actions of the access credits' invariant campaign, each predicted by a model and
 * checked: the DAO adds services, moves prices (within a step, past it either way, out of
 * bounds, or within a week of the last change), pauses, resumes and removes them, and moves its
 * cut of sales; buyers buy (with an approval or a permit, under a price limit that may be too
 * low), providers record uses (of their own service or not, more units than held or not), buyers
 * refund, providers withdraw, anyone sweeps the cut, and time passes (onto an announced rise).
 * A refusal must be one of the custom errors the model expects; a success must move exactly the
 * predicted amounts.
 */
contract CreditsHandler is Cheats {
    uint256 private constant BPS = 10_000;

    /// @notice A service as the model knows it.
    struct Service {
        address provider;
        uint256 price;
        uint256 nextPrice;
        uint256 nextAt;
        uint256 changedAt;
        IAccessCredits.Status status;
        uint256 bought;
        uint256 used;
        uint256 refunded;
    }

    /// @dev A purchase's choices.
    struct Purchase {
        address buyer;
        uint256 id;
        uint256 price;
        uint64 units;
        uint256 limit;
        uint256 cost;
        uint8 mode;
    }

    AccessCredits internal credits;
    IERC20 internal jtn;
    PlatformRules internal rules;
    address internal timelock;

    address[] internal buyers;
    address[] internal providers;
    /// @dev Buyers, providers, the outsider and the DAO.
    address[] internal everyone;
    mapping(address account => uint256) internal keyOf;

    uint256 public now_;

    mapping(uint256 serviceId => Service) internal _service;
    uint256 public serviceCount;
    mapping(uint256 serviceId => mapping(address buyer => IAccessCredits.Credit)) internal _credit;
    mapping(address provider => uint256) public ghostProceeds;
    uint256 public ghostCut;
    uint256 public ghostCutBps;
    uint256 internal _cutChangedAt;
    /// @notice Tokens paid in, paid out, and held for unused credits.
    uint256 public ghostIn;
    uint256 public ghostOut;
    uint256 public ghostHeld;
    uint256 public ghostAllProceeds;

    modifier timed() {
        vm.warp(now_);
        _;
    }

    constructor(AccessCredits credits_, PlatformRules rules_, address timelock_) {
        credits = credits_;
        jtn = credits_.token();
        rules = rules_;
        timelock = timelock_;
        now_ = vm.getBlockTimestamp();
        for (uint256 i = 1; i <= 3; ++i) {
            address buyer = _actor(string.concat("buyer", vm.toString(i)));
            buyers.push(buyer);
            everyone.push(buyer);
            vm.prank(timelock);
            jtn.transfer(buyer, 1_000_000e18);
        }
        for (uint256 i = 1; i <= 2; ++i) {
            address provider = _actor(string.concat("provider", vm.toString(i)));
            providers.push(provider);
            everyone.push(provider);
        }
        everyone.push(_actor("credits-outsider"));
        everyone.push(timelock);
        ghostCutBps = rules.creditsCutBps();
    }

    function _actor(string memory name) private returns (address account) {
        uint256 key = uint256(keccak256(bytes(name)));
        account = vm.addr(key);
        keyOf[account] = key;
    }

    // ================================================================= the DAO

    /// @notice The DAO (or someone else) adds a service, at a price within or out of bounds.
    function addService(uint256 providerSeed, uint256 priceSeed, uint256 callerSeed)
        external
        timed
    {
        address provider = providerSeed % 10 == 0 ? address(0) : _pick(providers, providerSeed);
        uint256 price = _newPrice(priceSeed);
        address caller = _daoOr(callerSeed);
        bytes[] memory r = new bytes[](4);
        uint256 n;
        if (caller != timelock) {
            r[n++] = abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, caller);
        } else {
            if (provider == address(0)) {
                r[n++] = abi.encodeWithSelector(IAccessCredits.ZeroProvider.selector);
            }
            if (price < 1e12 || price > 1e24) {
                r[n++] = abi.encodeWithSelector(
                    RuleBounds.RuleOutOfBounds.selector, bytes32("servicePrice"), price, 1e12, 1e24
                );
            }
        }
        vm.prank(caller);
        (bool ok, bytes memory ret) = address(credits)
            .call(abi.encodeCall(AccessCredits.addService, (provider, price, "tool", "uri")));
        if (!matchOutcome(ok, ret, r, n, "addService")) return;
        uint256 id = ++serviceCount;
        assertEq(abi.decode(ret, (uint256)), id, "service id");
        Service storage s = _service[id];
        (s.provider, s.price, s.changedAt, s.status) =
        (provider, price, now_, IAccessCredits.Status.Active);
    }

    /**
     * @notice The DAO moves a price: 0 within a step (up to +25%, down to -50%), 1 past the
     * step up, 2 past it down, 3 out of the bounds; too soon when the week is not over.
     */
    function setPrice(uint256 idSeed, uint8 mode, uint256 seed, uint256 callerSeed) external timed {
        uint256 id = _serviceId(idSeed);
        Service storage s = _service[id];
        uint256 old = _priceAt(s, now_);
        uint256 price = _priceChoice(old, seed, mode % 4);
        address caller = _daoOr(callerSeed);
        bytes[] memory r = new bytes[](4);
        uint256 n;
        if (caller != timelock) {
            r[n++] = abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, caller);
        } else if (s.status == IAccessCredits.Status.None) {
            r[n++] = abi.encodeWithSelector(IAccessCredits.UnknownService.selector, id);
        } else if (s.status == IAccessCredits.Status.Removed) {
            r[n++] = abi.encodeWithSelector(IAccessCredits.ServiceIsRemoved.selector, id);
        } else {
            bytes32 name = "servicePrice";
            if (price < 1e12 || price > 1e24) {
                r[n++] = abi.encodeWithSelector(
                    RuleBounds.RuleOutOfBounds.selector, name, price, 1e12, 1e24
                );
            }
            bool rise = price > old;
            uint256 step = old * (rise ? 2_500 : 5_000) / BPS;
            if ((rise ? price - old : old - price) > step) {
                r[n++] = abi.encodeWithSelector(
                    RuleBounds.RuleStepTooLarge.selector, name, old, price, step
                );
            }
            if (now_ < s.changedAt + 7 days) {
                r[n++] = abi.encodeWithSelector(
                    RuleBounds.RuleChangedTooSoon.selector, name, s.changedAt + 7 days
                );
            }
        }
        vm.prank(caller);
        (bool ok, bytes memory ret) =
            address(credits).call(abi.encodeCall(AccessCredits.setServicePrice, (id, price)));
        if (!matchOutcome(ok, ret, r, n, "setServicePrice")) return;
        s.changedAt = now_;
        if (price > old) {
            (s.price, s.nextPrice, s.nextAt) = (old, price, now_ + 7 days);
        } else {
            (s.price, s.nextPrice, s.nextAt) = (price, 0, 0);
        }
        assertEq(
            credits.unitPrice(id),
            price > old ? old : price,
            "a rise waits a week; a cut is at once"
        );
    }

    /// @notice The DAO pauses (0), resumes (1) or removes (2) a service.
    function setStatus(uint256 idSeed, uint8 action, uint256 callerSeed) external timed {
        uint256 id = _serviceId(idSeed);
        Service storage s = _service[id];
        uint8 what = action % 3;
        address caller = _daoOr(callerSeed);
        bytes[] memory r = new bytes[](2);
        uint256 n;
        IAccessCredits.Status to;
        if (caller != timelock) {
            r[n++] = abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, caller);
        } else if (s.status == IAccessCredits.Status.None) {
            r[n++] = abi.encodeWithSelector(IAccessCredits.UnknownService.selector, id);
        } else if (what == 0 && s.status != IAccessCredits.Status.Active) {
            r[n++] = abi.encodeWithSelector(IAccessCredits.ServiceNotActive.selector, id, s.status);
        } else if (what == 1 && s.status != IAccessCredits.Status.Paused) {
            r[n++] = abi.encodeWithSelector(IAccessCredits.ServiceNotPaused.selector, id, s.status);
        } else if (what == 2 && s.status == IAccessCredits.Status.Removed) {
            r[n++] = abi.encodeWithSelector(IAccessCredits.ServiceIsRemoved.selector, id);
        }
        bytes memory data;
        if (what == 0) {
            (data, to) =
            (abi.encodeCall(AccessCredits.pauseService, (id)), IAccessCredits.Status.Paused);
        } else if (what == 1) {
            (data, to) =
            (abi.encodeCall(AccessCredits.resumeService, (id)), IAccessCredits.Status.Active);
        } else {
            (data, to) =
            (abi.encodeCall(AccessCredits.removeService, (id)), IAccessCredits.Status.Removed);
        }
        vm.prank(caller);
        (bool ok, bytes memory ret) = address(credits).call(data);
        if (matchOutcome(ok, ret, r, n, "service status")) s.status = to;
    }

    /// @notice The DAO moves its cut of later sales (within its bounds and step, or not).
    function setCut(uint256 seed, uint8 mode) external timed {
        uint256 value = mode % 3 == 0
            ? bound(
                seed,
                ghostCutBps > 100 ? ghostCutBps - 100 : 0,
                ghostCutBps + 100 > 1_000 ? 1_000 : ghostCutBps + 100
            )
            : bound(seed, 0, 2_000);
        bytes[] memory r = new bytes[](3);
        uint256 n;
        bytes32 name = "creditsCutBps";
        if (_cutChangedAt != 0 && now_ < _cutChangedAt + 1 days) {
            r[n++] = abi.encodeWithSelector(
                RuleBounds.RuleChangedTooSoon.selector, name, _cutChangedAt + 1 days
            );
        }
        if (value > 1_000) {
            r[n++] =
                abi.encodeWithSelector(RuleBounds.RuleOutOfBounds.selector, name, value, 0, 1_000);
        }
        if ((value > ghostCutBps ? value - ghostCutBps : ghostCutBps - value) > 100) {
            r[n++] = abi.encodeWithSelector(
                RuleBounds.RuleStepTooLarge.selector, name, ghostCutBps, value, 100
            );
        }
        vm.prank(timelock);
        (bool ok, bytes memory ret) =
            address(rules).call(abi.encodeCall(PlatformRules.setCreditsCutBps, (uint16(value))));
        if (!matchOutcome(ok, ret, r, n, "setCreditsCutBps")) return;
        ghostCutBps = value;
        _cutChangedAt = now_;
    }

    // ================================================================= buyers and providers

    /**
     * @notice A buyer (or the outsider) buys units, with an approval (0) or a permit (1), a
     * bad permit with an approval (2) or alone (3), under a limit at (or below) the price.
     */
    function buy(uint256 buyerSeed, uint256 idSeed, uint256 unitsSeed, uint8 payMode, bool lowLimit)
        external
        timed
    {
        Purchase memory p;
        p.buyer = buyerSeed % 8 == 0 ? everyone[5] : _pick(buyers, buyerSeed);
        p.id = _serviceId(idSeed);
        p.price = _priceAt(_service[p.id], now_);
        p.units = uint64(unitsSeed % 16 == 0 ? 0 : bound(unitsSeed >> 8, 1, 20));
        p.limit = lowLimit && p.price > 0 ? p.price - 1 : p.price;
        p.cost = p.price * p.units;
        p.mode = payMode % 4;
        (bytes[] memory r, uint256 n) = _buyRefusals(p);
        bytes memory data = _buyCall(p);
        uint256 before = jtn.balanceOf(address(credits));
        vm.prank(p.buyer);
        (bool ok, bytes memory ret) = address(credits).call(data);
        if (!matchOutcome(ok, ret, r, n, "buy")) return;
        assertEq(abi.decode(ret, (uint256)), p.cost, "buy: cost");
        assertEq(jtn.balanceOf(address(credits)), before + p.cost, "buy: paid in");
        IAccessCredits.Credit storage c = _credit[p.id][p.buyer];
        c.units += p.units;
        c.paid += uint96(p.cost);
        c.cut += uint96(p.cost * ghostCutBps / BPS);
        _service[p.id].bought += p.units;
        ghostIn += p.cost;
        ghostHeld += p.cost;
        _checkCredit(p.id, p.buyer);
    }

    /// @notice A provider (mostly the service's own) records a use of some of a buyer's units.
    function consume(uint256 idSeed, uint256 callerSeed, uint256 buyerSeed, uint256 unitsSeed)
        external
        timed
    {
        uint256 id = _serviceId(idSeed);
        Service storage s = _service[id];
        address caller = callerSeed % 5 == 0 || s.provider == address(0)
            ? everyone[callerSeed % everyone.length]
            : s.provider;
        address buyer = _pick(buyers, buyerSeed);
        IAccessCredits.Credit memory c = _credit[id][buyer];
        uint256 kind = unitsSeed % 8;
        uint64 units = uint64(
            kind == 0
                ? 0
                : kind == 1
                    ? uint256(c.units) + 1
                    : kind == 2 ? c.units : bound(unitsSeed >> 8, 1, 20)
        );
        bytes[] memory r = new bytes[](4);
        uint256 n;
        if (s.provider == address(0)) {
            r[n++] = abi.encodeWithSelector(IAccessCredits.UnknownService.selector, id);
        } else {
            if (caller != s.provider) {
                r[n++] =
                    abi.encodeWithSelector(IAccessCredits.NotServiceProvider.selector, id, caller);
            }
            if (s.status != IAccessCredits.Status.Active) {
                r[n++] =
                    abi.encodeWithSelector(IAccessCredits.ServiceNotActive.selector, id, s.status);
            }
            if (units == 0) r[n++] = abi.encodeWithSelector(IAccessCredits.ZeroUnits.selector);
            if (units > c.units) {
                r[n++] = abi.encodeWithSelector(
                    IAccessCredits.InsufficientCredits.selector, id, buyer, c.units, units
                );
            }
        }
        vm.prank(caller);
        (bool ok, bytes memory ret) = address(credits)
            .call(abi.encodeCall(AccessCredits.consume, (id, buyer, units, bytes32("use"))));
        if (!matchOutcome(ok, ret, r, n, "consume")) return;
        uint256 value = uint256(c.paid) * units / c.units;
        uint256 cutShare = uint256(c.cut) * units / c.units;
        assertEq(abi.decode(ret, (uint256)), value, "consume: value");
        assertLe(cutShare, value, "consume: the cut within what was paid");
        _credit[id][buyer] = IAccessCredits.Credit({
            units: c.units - units, paid: c.paid - uint96(value), cut: c.cut - uint96(cutShare)
        });
        ghostProceeds[s.provider] += value - cutShare;
        ghostAllProceeds += value - cutShare;
        ghostCut += cutShare;
        ghostHeld -= value;
        s.used += units;
        _checkCredit(id, buyer);
    }

    /// @notice A buyer takes back what it paid for its unused units (refused while active).
    function refund(uint256 idSeed, uint256 buyerSeed) external timed {
        _refund(_serviceId(idSeed), _pick(buyers, buyerSeed));
    }

    /// @notice Someone withdraws its proceeds (mostly a provider).
    function withdrawProceeds(uint256 seed) external timed {
        _withdrawProceeds(seed % 4 == 0 ? everyone[seed % everyone.length] : _pick(providers, seed));
    }

    /// @notice Anyone sweeps the DAO's accrued cut to the treasury.
    function sweepCut(uint256 callerSeed) external timed {
        _sweepCut(everyone[callerSeed % everyone.length]);
    }

    /// @notice Time passes: minutes, hours or days, or onto a service's announced rise or next
    /// allowed change (give or take a second).
    function warp(uint256 mode, uint256 seed) external timed {
        uint256 kind = mode % 4;
        uint256 to = now_;
        if (kind == 0) {
            to += bound(seed, 1, 3_600);
        } else if (kind == 1) {
            to += bound(seed, 1, 48) * 1 hours;
        } else if (kind == 2) {
            to += bound(seed, 1, 10) * 1 days;
        } else if (serviceCount != 0) {
            Service storage s = _service[seed % serviceCount + 1];
            uint256 edge = s.nextAt != 0 && (seed >> 8) % 2 == 0 ? s.nextAt : s.changedAt + 7 days;
            to = edge + ((seed >> 16) % 3) - 1;
        }
        if (to > now_) now_ = to;
        vm.warp(now_);
    }

    // ================================================================= checks

    /**
     * @notice After every call: conservation (the contract holds exactly what came in less what
     * went out, which is what unused credits paid, plus the providers' proceeds, plus the
     * accrued cut, on the chain's figures too), and every service's price in force and status
     * as the model says (a rise only after its week, every step within the rules).
     */
    function checkInvariants() external view {
        uint256 balance = jtn.balanceOf(address(credits));
        uint256 cut = credits.accruedCut();
        assertEq(cut, ghostCut, "credits: accrued cut");
        assertEq(balance, ghostIn - ghostOut, "credits: balance != in - out");
        assertEq(balance, ghostHeld + ghostAllProceeds + cut, "credits: balance != held + earned");
        for (uint256 id = 1; id <= serviceCount; ++id) {
            Service storage s = _service[id];
            assertEq(credits.unitPrice(id), _priceAt(s, now_), "credits: price in force");
            IAccessCredits.Service memory onChain = credits.getService(id);
            assertEq(uint256(onChain.status), uint256(s.status), "credits: status");
        }
    }

    /**
     * @notice The end of a run: every credit and every provider's proceeds equal the model, and
     * units are never made up (per service, bought = used + refunded + held); then every exit
     * works: the DAO pauses or removes every service, every buyer refunds, every provider
     * withdraws, the cut is swept, and only the one base unit a sweep leaves remains.
     */
    function exitEverything() external timed {
        for (uint256 id = 1; id <= serviceCount; ++id) {
            uint256 held;
            for (uint256 i = 0; i < everyone.length; ++i) {
                _checkCredit(id, everyone[i]);
                held += _credit[id][everyone[i]].units;
            }
            Service storage s = _service[id];
            assertEq(s.bought, s.used + s.refunded + held, "credits: units made up or lost");
            if (s.status == IAccessCredits.Status.Active) {
                vm.prank(timelock);
                credits.pauseService(id);
                s.status = IAccessCredits.Status.Paused;
            }
            for (uint256 i = 0; i < buyers.length; ++i) {
                if (_credit[id][buyers[i]].units != 0) _refund(id, buyers[i]);
            }
        }
        for (uint256 i = 0; i < everyone.length; ++i) {
            assertEq(credits.proceedsOf(everyone[i]), ghostProceeds[everyone[i]], "proceeds");
            if (ghostProceeds[everyone[i]] != 0) _withdrawProceeds(everyone[i]);
        }
        if (ghostCut > 1) _sweepCut(everyone[0]);
        assertLe(jtn.balanceOf(address(credits)), 1, "credits: something could not leave");
    }

    // ================================================================= internals

    function _refund(uint256 id, address buyer) private {
        Service storage s = _service[id];
        IAccessCredits.Credit memory c = _credit[id][buyer];
        bytes[] memory r = new bytes[](1);
        uint256 n;
        if (s.status == IAccessCredits.Status.None) {
            r[n++] = abi.encodeWithSelector(IAccessCredits.UnknownService.selector, id);
        } else if (s.status == IAccessCredits.Status.Active) {
            r[n++] = abi.encodeWithSelector(IAccessCredits.ServiceStillActive.selector, id);
        } else if (c.units == 0) {
            r[n++] = abi.encodeWithSelector(IAccessCredits.NoCredits.selector, id, buyer);
        }
        uint256 before = jtn.balanceOf(buyer);
        vm.prank(buyer);
        (bool ok, bytes memory ret) =
            address(credits).call(abi.encodeCall(AccessCredits.refund, (id)));
        if (!matchOutcome(ok, ret, r, n, "refund")) return;
        assertEq(jtn.balanceOf(buyer), before + c.paid, "refund: all it paid for unused units");
        delete _credit[id][buyer];
        s.refunded += c.units;
        ghostOut += c.paid;
        ghostHeld -= c.paid;
    }

    function _withdrawProceeds(address who) private {
        uint256 amount = ghostProceeds[who];
        bytes[] memory r = new bytes[](1);
        uint256 n;
        if (amount == 0) r[n++] = abi.encodeWithSelector(IAccessCredits.NoProceeds.selector, who);
        uint256 before = jtn.balanceOf(who);
        vm.prank(who);
        (bool ok, bytes memory ret) =
            address(credits).call(abi.encodeCall(AccessCredits.withdrawProceeds, ()));
        if (!matchOutcome(ok, ret, r, n, "withdrawProceeds")) return;
        assertEq(jtn.balanceOf(who), before + amount, "withdrawProceeds: received");
        ghostProceeds[who] = 0;
        ghostAllProceeds -= amount;
        ghostOut += amount;
    }

    function _sweepCut(address caller) private {
        bytes[] memory r = new bytes[](1);
        uint256 n;
        if (ghostCut <= 1) r[n++] = abi.encodeWithSelector(IAccessCredits.NoCutToSweep.selector);
        address treasury = rules.treasury();
        uint256 before = jtn.balanceOf(treasury);
        vm.prank(caller);
        (bool ok, bytes memory ret) =
            address(credits).call(abi.encodeCall(AccessCredits.sweepCut, ()));
        if (!matchOutcome(ok, ret, r, n, "sweepCut")) return;
        assertEq(jtn.balanceOf(treasury), before + ghostCut - 1, "sweepCut: to the treasury");
        ghostOut += ghostCut - 1;
        ghostCut = 1;
    }

    function _checkCredit(uint256 id, address buyer) private view {
        IAccessCredits.Credit memory onChain = credits.creditOf(id, buyer);
        IAccessCredits.Credit storage m = _credit[id][buyer];
        assertEq(onChain.units, m.units, "credits: units");
        assertEq(onChain.paid, m.paid, "credits: paid");
        assertEq(onChain.cut, m.cut, "credits: locked cut");
    }

    /// @dev What a purchase must be refused with, if anything: the contract's checks first,
    /// then the token's.
    function _buyRefusals(Purchase memory p) private view returns (bytes[] memory r, uint256 n) {
        r = new bytes[](2);
        IAccessCredits.Status status = _service[p.id].status;
        if (status == IAccessCredits.Status.None) {
            r[n++] = abi.encodeWithSelector(IAccessCredits.UnknownService.selector, p.id);
        } else if (status != IAccessCredits.Status.Active) {
            r[n++] = abi.encodeWithSelector(IAccessCredits.ServiceNotActive.selector, p.id, status);
        } else if (p.units == 0) {
            r[n++] = abi.encodeWithSelector(IAccessCredits.ZeroUnits.selector);
        } else if (p.price > p.limit) {
            r[n++] = abi.encodeWithSelector(
                IAccessCredits.PriceAboveLimit.selector, p.id, p.price, p.limit
            );
        } else {
            n = _tokenRefusals(r, p.buyer, p.cost, p.mode);
        }
    }

    /// @dev Sets the allowance or signs the permit for purchase `p` (see {buy}); its calldata.
    function _buyCall(Purchase memory p) private returns (bytes memory) {
        vm.prank(p.buyer);
        jtn.approve(address(credits), p.mode == 0 || p.mode == 2 ? p.cost : 0);
        if (p.mode == 0) return abi.encodeCall(AccessCredits.buy, (p.id, p.units, p.limit));
        uint256 deadline = now_ + 1 hours;
        uint256 signed = p.mode == 1 ? p.cost : p.cost + 1; // a bad permit recovers another signer
        (uint8 v, bytes32 r, bytes32 s) =
            signPermit(address(jtn), keyOf[p.buyer], address(credits), signed, deadline);
        return
            abi.encodeCall(AccessCredits.buyWithPermit, (p.id, p.units, p.limit, deadline, v, r, s));
    }

    /// @dev What the token refuses a purchase of `cost` for, if anything: no allowance (a bad
    /// permit alone), or not enough tokens.
    function _tokenRefusals(bytes[] memory r, address buyer, uint256 cost, uint8 mode)
        private
        view
        returns (uint256 n)
    {
        if (mode == 3 && cost != 0) {
            r[n++] = abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientAllowance.selector, address(credits), 0, cost
            );
        } else if (jtn.balanceOf(buyer) < cost) {
            r[n++] = abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientBalance.selector, buyer, jtn.balanceOf(buyer), cost
            );
        }
    }

    function _priceAt(Service storage s, uint256 when) private view returns (uint256) {
        return s.nextAt != 0 && when >= s.nextAt ? s.nextPrice : s.price;
    }

    /// @dev A price for a new service: mostly 0.001 to 100 JTN a unit, sometimes at or past a bound.
    function _newPrice(uint256 seed) private pure returns (uint256) {
        uint256 kind = seed % 10;
        seed >>= 8;
        if (kind == 0) return seed % 2 == 0 ? 1e12 : 1e12 - 1;
        if (kind == 1) return seed % 2 == 0 ? 1e24 : 1e24 + 1;
        return bound(seed, 1e15, 100e18);
    }

    function _priceChoice(uint256 old, uint256 seed, uint8 mode) private pure returns (uint256) {
        if (mode == 0) return bound(seed, old / 2, old + old / 4);
        if (mode == 1) return bound(seed, old + old / 4 + 1, old * 2 + 1);
        if (mode == 2) return old / 2 == 0 ? 0 : bound(seed, 0, old / 2 - 1);
        return seed % 2 == 0 ? 1e12 - 1 : 1e24 + 1;
    }

    /// @dev Mostly an existing service; sometimes one never added.
    function _serviceId(uint256 seed) private view returns (uint256) {
        if (serviceCount == 0 || seed % 10 == 0) return (seed >> 8) % (serviceCount + 2);
        return seed % serviceCount + 1;
    }

    function _daoOr(uint256 seed) private view returns (address) {
        return seed % 8 == 0 ? everyone[(seed >> 3) % everyone.length] : timelock;
    }

    function _pick(address[] storage list, uint256 seed) private view returns (address) {
        return list[seed % list.length];
    }
}
