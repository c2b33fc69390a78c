// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ITaskEscrow} from "../../../contracts/interfaces/ITaskEscrow.sol";
import {IPlatformRules} from "../../../contracts/interfaces/IPlatformRules.sol";
import {PlatformRules} from "../../../contracts/PlatformRules.sol";
import {EscrowRefusals} from "./EscrowRefusals.sol";

/**
 * @title EscrowActions
 * @notice Every action of the escrow's campaign, predicted and checked: the lifecycle (post,
 * claim, submit, approve, release, cancel, reclaim), disputes (dispute, resolve, settle), pull
 * payments (collect rewards, withdraw, sweep fees), the DAO's changes (rules, payment tokens
 * and units, treasury, arbiters), and the exits of DESIGN.md invariant 4. A final transition
 * checks every share paid or kept, the fee, and the worker's reputation and reward against the
 * model ({_final}); each dispute's outcome checks invariant 6 ({_outcome}).
 */
abstract contract EscrowActions is EscrowRefusals {
    constructor(System memory s) EscrowRefusals(s) {}

    // ================================================================= actions

    function _post(Posting memory p, uint8 payMode) internal returns (bool) {
        Refusals memory r;
        address token = address(p.token);
        _refuse(r, p.amount == 0, abi.encodeWithSelector(ITaskEscrow.ZeroAmount.selector));
        _refuse(
            r,
            p.deadline <= now_,
            abi.encodeWithSelector(ITaskEscrow.DeadlineInPast.selector, p.deadline)
        );
        _refuse(
            r,
            p.named == p.client,
            abi.encodeWithSelector(ITaskEscrow.ClientCannotWork.selector, p.client)
        );
        bool custom = p.bondBps != DEFAULT_BOND;
        _refuse(
            r,
            custom && p.bondBps > BPS,
            abi.encodeWithSelector(ITaskEscrow.InvalidBond.selector, uint16(p.bondBps))
        );
        _refuse(
            r,
            !ghostAllowed[token],
            abi.encodeWithSelector(IPlatformRules.TokenNotAllowed.selector, token)
        );
        _refuse(
            r,
            p.amount > type(uint96).max,
            abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 96, p.amount)
        );
        _refuse(
            r,
            p.deadline > type(uint40).max,
            abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 40, p.deadline)
        );
        Pay memory pay;
        if (r.count == 0) pay = _preparePull(r, p.token, p.client, p.amount, payMode);
        uint256 before = p.token.balanceOf(address(escrow));
        (bool ok, bytes memory ret) = _call(address(escrow), p.client, _postCall(p, payMode, pay));
        if (!_expect(r, ok, ret, "post")) return false;

        uint256 id = ++taskCount;
        assertEq(abi.decode(ret, (uint256)), id, "post: task id");
        TaskModel storage t = _model[id];
        t.client = p.client;
        t.worker = p.named;
        t.token = p.token;
        t.amount = p.amount;
        t.deadline = p.deadline;
        t.minReputation = p.minReputation;
        t.bondBps = uint16(custom ? p.bondBps : _ruleValue[CLAIM_BOND_RULE]);
        t.feeBps = uint16(_ruleValue[0]);
        t.rewardBps = uint16(_ruleValue[1]);
        t.reviewPeriod = uint32(_ruleValue[2]);
        t.status = ITaskEscrow.Status.Open;
        t.clientNet = -int256(p.amount);
        _live.push(id);
        _received(p.token, before, p.amount, "post");
        ghostHeld[token] += p.amount;
        _checkTask(id);
        return true;
    }

    function _claim(uint256 id, address who, uint8 payMode) internal returns (bool) {
        TaskModel storage t = _model[id];
        Refusals memory r;
        if (!_gate(r, t.status != ITaskEscrow.Status.Open, _notOpen(id, t.status))) {
            _refuse(
                r,
                now_ > t.deadline,
                abi.encodeWithSelector(ITaskEscrow.DeadlinePassed.selector, id, t.deadline)
            );
            _refuse(
                r,
                who == t.client,
                abi.encodeWithSelector(ITaskEscrow.ClientCannotWork.selector, who)
            );
            _refuse(
                r,
                t.worker != address(0) && t.worker != who,
                abi.encodeWithSelector(ITaskEscrow.NotNamedWorker.selector, id, t.worker)
            );
            uint256 points = ghostPoints[who];
            _refuse(
                r,
                t.minReputation != 0 && points < t.minReputation,
                abi.encodeWithSelector(
                    ITaskEscrow.ReputationTooLow.selector, id, points, t.minReputation
                )
            );
        }
        uint256 bond = _bondOf(t);
        Pay memory pay;
        if (r.count == 0) pay = _preparePull(r, t.token, who, bond, payMode);
        bytes memory data = payMode == 0
            ? abi.encodeCall(ITaskEscrow.claim, (id))
            : abi.encodeCall(ITaskEscrow.claimWithPermit, (id, pay.deadline, pay.v, pay.r, pay.s));
        uint256 before = _balance(t.token, address(escrow));
        (bool ok, bytes memory ret) = _call(address(escrow), who, data);
        if (!_expect(r, ok, ret, "claim")) return false;
        t.status = ITaskEscrow.Status.Claimed;
        t.worker = who;
        t.workerNet = -int256(bond);
        _received(t.token, before, bond, "claim");
        ghostHeld[address(t.token)] += bond;
        _checkTask(id);
        return true;
    }

    function _submit(uint256 id, address who) internal returns (bool) {
        TaskModel storage t = _model[id];
        Refusals memory r;
        if (!_gate(r, t.status != ITaskEscrow.Status.Claimed, _notClaimed(id, t.status))) {
            _refuse(
                r,
                who != t.worker,
                abi.encodeWithSelector(ITaskEscrow.NotTaskWorker.selector, id, who)
            );
            _refuse(
                r,
                now_ > t.deadline,
                abi.encodeWithSelector(ITaskEscrow.DeadlinePassed.selector, id, t.deadline)
            );
        }
        (bool ok, bytes memory ret) = _call(
            address(escrow), who, abi.encodeCall(ITaskEscrow.submit, (id, keccak256("delivery")))
        );
        if (!_expect(r, ok, ret, "submit")) return false;
        t.status = ITaskEscrow.Status.Submitted;
        t.windowEnds = uint64(now_ + t.reviewPeriod);
        _checkTask(id);
        return true;
    }

    function _approve(uint256 id, address who) internal returns (bool) {
        TaskModel storage t = _model[id];
        Refusals memory r;
        if (!_gate(r, t.status != ITaskEscrow.Status.Submitted, _notSubmitted(id, t.status))) {
            _refuse(
                r,
                who != t.client,
                abi.encodeWithSelector(ITaskEscrow.NotTaskClient.selector, id, who)
            );
        }
        return
            _final(id, who, abi.encodeCall(ITaskEscrow.approve, (id)), r, _completion(t), "approve");
    }

    function _release(uint256 id, address who) internal returns (bool) {
        TaskModel storage t = _model[id];
        Refusals memory r;
        if (!_gate(r, t.status != ITaskEscrow.Status.Submitted, _notSubmitted(id, t.status))) {
            _refuse(
                r,
                who != t.worker,
                abi.encodeWithSelector(ITaskEscrow.NotTaskWorker.selector, id, who)
            );
            _refuse(
                r,
                now_ <= t.windowEnds,
                abi.encodeWithSelector(ITaskEscrow.ReviewPeriodActive.selector, id, t.windowEnds)
            );
        }
        return
            _final(id, who, abi.encodeCall(ITaskEscrow.release, (id)), r, _completion(t), "release");
    }

    function _cancel(uint256 id, address who) internal returns (bool) {
        TaskModel storage t = _model[id];
        Refusals memory r;
        if (!_gate(r, t.status != ITaskEscrow.Status.Open, _notOpen(id, t.status))) {
            _refuse(
                r,
                who != t.client,
                abi.encodeWithSelector(ITaskEscrow.NotTaskClient.selector, id, who)
            );
        }
        Final memory f;
        f.toClient = t.amount;
        f.status = ITaskEscrow.Status.Cancelled;
        return _final(id, who, abi.encodeCall(ITaskEscrow.cancel, (id)), r, f, "cancel");
    }

    function _reclaim(uint256 id, address who) internal returns (bool) {
        TaskModel storage t = _model[id];
        Refusals memory r;
        if (!_gate(r, t.status != ITaskEscrow.Status.Claimed, _notClaimed(id, t.status))) {
            _refuse(
                r,
                who != t.client,
                abi.encodeWithSelector(ITaskEscrow.NotTaskClient.selector, id, who)
            );
            _refuse(
                r,
                now_ <= t.deadline,
                abi.encodeWithSelector(ITaskEscrow.DeadlineNotPassed.selector, id, t.deadline)
            );
        }
        Final memory f;
        f.toClient = t.amount + _bondOf(t);
        f.status = ITaskEscrow.Status.Expired;
        return _final(id, who, abi.encodeCall(ITaskEscrow.reclaim, (id)), r, f, "reclaim");
    }

    function _dispute(uint256 id, address who, uint8 payMode) internal returns (bool) {
        TaskModel storage t = _model[id];
        Refusals memory r;
        if (!_gate(r, t.status != ITaskEscrow.Status.Submitted, _notSubmitted(id, t.status))) {
            _refuse(
                r,
                who != t.client && who != t.worker,
                abi.encodeWithSelector(ITaskEscrow.NotTaskParty.selector, id, who)
            );
            _refuse(
                r,
                now_ > t.windowEnds,
                abi.encodeWithSelector(ITaskEscrow.ReviewPeriodOver.selector, id, t.windowEnds)
            );
        }
        uint256 bond = _bondOf(t);
        Pay memory pay;
        if (r.count == 0) pay = _preparePull(r, t.token, who, bond, payMode);
        bytes memory data = payMode == 0
            ? abi.encodeCall(ITaskEscrow.dispute, (id))
            : abi.encodeCall(ITaskEscrow.disputeWithPermit, (id, pay.deadline, pay.v, pay.r, pay.s));
        uint256 before = _balance(t.token, address(escrow));
        (bool ok, bytes memory ret) = _call(address(escrow), who, data);
        if (!_expect(r, ok, ret, "dispute")) return false;
        t.status = ITaskEscrow.Status.Disputed;
        t.windowEnds = uint64(now_ + _ruleValue[DISPUTE_WINDOW_RULE]);
        t.disputer = who;
        if (who == t.client) t.clientNet -= int256(bond);
        else t.workerNet -= int256(bond);
        _received(t.token, before, bond, "dispute");
        ghostHeld[address(t.token)] += bond;
        _checkTask(id);
        return true;
    }

    function _resolve(uint256 id, address who, uint16 share) internal returns (bool) {
        TaskModel storage t = _model[id];
        Refusals memory r;
        if (!_gate(r, t.status != ITaskEscrow.Status.Disputed, _notDisputed(id, t.status))) {
            _refuse(
                r, !ghostArbiter[who], abi.encodeWithSelector(ITaskEscrow.NotArbiter.selector, who)
            );
            _refuse(
                r,
                who == t.client || who == t.worker,
                abi.encodeWithSelector(ITaskEscrow.ArbiterIsParty.selector, id, who)
            );
            _refuse(
                r,
                now_ > t.windowEnds,
                abi.encodeWithSelector(ITaskEscrow.ArbitrationWindowOver.selector, id, t.windowEnds)
            );
            _refuse(
                r, share > BPS, abi.encodeWithSelector(ITaskEscrow.InvalidShare.selector, share)
            );
        }
        Final memory f;
        if (r.count == 0) f = _split(t, share);
        uint256 gross = t.amount * share / BPS;
        if (!_final(id, who, abi.encodeCall(ITaskEscrow.resolve, (id, share)), r, f, "resolve")) {
            return false;
        }
        _outcome(id, false, share, gross, f);
        return true;
    }

    function _settle(uint256 id, address who) internal returns (bool) {
        TaskModel storage t = _model[id];
        Refusals memory r;
        if (!_gate(r, t.status != ITaskEscrow.Status.Disputed, _notDisputed(id, t.status))) {
            _refuse(
                r,
                who != t.client && who != t.worker,
                abi.encodeWithSelector(ITaskEscrow.NotTaskParty.selector, id, who)
            );
            _refuse(
                r,
                now_ <= t.windowEnds,
                abi.encodeWithSelector(
                    ITaskEscrow.ArbitrationWindowActive.selector, id, t.windowEnds
                )
            );
        }
        Final memory f;
        f.toClient = t.amount + 2 * _bondOf(t);
        f.status = ITaskEscrow.Status.Resolved;
        if (!_final(id, who, abi.encodeCall(ITaskEscrow.settleDispute, (id)), r, f, "settle")) {
            return false;
        }
        _outcome(id, true, 0, 0, f);
        return true;
    }

    function _collect(address worker, address caller) internal returns (bool) {
        Refusals memory r;
        uint256 owed = ghostRewardsOwed[worker];
        _refuse(r, owed == 0, abi.encodeWithSelector(ITaskEscrow.NothingToCollect.selector, worker));
        uint256 balance = jtn.balanceOf(worker);
        uint256 supply = jtn.totalSupply();
        (bool ok, bytes memory ret) =
            _call(address(escrow), caller, abi.encodeCall(ITaskEscrow.collectRewards, (worker)));
        if (!_expect(r, ok, ret, "collectRewards")) return false;
        assertEq(abi.decode(ret, (uint256)), owed, "collectRewards: amount");
        assertEq(jtn.balanceOf(worker), balance + owed, "collectRewards: minted to the worker");
        assertEq(jtn.totalSupply(), supply + owed, "collectRewards: supply");
        ghostRewardsOwed[worker] = 0;
        ghostTotalRewardsOwed -= owed;
        return true;
    }

    function _withdraw(IERC20 token, address who) internal returns (bool) {
        Refusals memory r;
        uint256 owed = ghostOwed[address(token)][who];
        _refuse(
            r,
            owed == 0,
            abi.encodeWithSelector(ITaskEscrow.NothingToWithdraw.selector, address(token), who)
        );
        if (r.count == 0) _refuseFrozen(r, token, who);
        uint256 balance = token.balanceOf(who);
        (bool ok, bytes memory ret) =
            _call(address(escrow), who, abi.encodeCall(ITaskEscrow.withdraw, (address(token))));
        if (!_expect(r, ok, ret, "withdraw")) return false;
        assertEq(abi.decode(ret, (uint256)), owed, "withdraw: amount");
        assertEq(token.balanceOf(who), balance + owed, "withdraw: received");
        ghostOwed[address(token)][who] = 0;
        ghostKept[address(token)] -= owed;
        ghostOut[address(token)] += owed;
        return true;
    }

    function _sweep(IERC20 token, address caller) internal returns (bool) {
        Refusals memory r;
        uint256 accrued = ghostFees[address(token)];
        _refuse(
            r,
            accrued <= 1,
            abi.encodeWithSelector(ITaskEscrow.NothingToSweep.selector, address(token))
        );
        address treasury = ghostTreasury;
        if (r.count == 0) _refuseFrozen(r, token, treasury);
        uint256 balance = token.balanceOf(treasury);
        (bool ok, bytes memory ret) =
            _call(address(escrow), caller, abi.encodeCall(ITaskEscrow.sweepFees, (address(token))));
        if (!_expect(r, ok, ret, "sweepFees")) return false;
        assertEq(abi.decode(ret, (uint256)), accrued - 1, "sweepFees: amount");
        assertEq(token.balanceOf(treasury), balance + accrued - 1, "sweepFees: to the treasury");
        ghostFees[address(token)] = 1;
        ghostOut[address(token)] += accrued - 1;
        return true;
    }

    // ----------------------------------------------------------------- the DAO's actions

    function _changeRule(uint256 rule, uint256 value, address caller) internal returns (bool) {
        Refusals memory r;
        if (!_gateOwner(r, caller)) {
            bool orderViolated;
            if (rule >= 6) {
                uint8 tier = uint8(rule - 5);
                bytes memory err =
                    abi.encodeWithSelector(IPlatformRules.TierOrderViolated.selector, tier, value);
                orderViolated = (tier > 1 && value <= _ruleValue[rule - 1])
                    || (tier < 3 && value >= _ruleValue[rule + 1]);
                _refuse(r, orderViolated, err);
            }
            if (!orderViolated) {
                _refuseChange(
                    r,
                    _ruleName[rule],
                    _ruleValue[rule],
                    value,
                    _ruleChangedAt[rule],
                    [_ruleMin[rule], _ruleMax[rule], _ruleStep[rule]]
                );
            }
        }
        (bool ok, bytes memory ret) = _call(address(rules), caller, _setterCall(rule, value));
        if (!_expect(r, ok, ret, "rule change")) return false;
        _ruleValue[rule] = value;
        _ruleChangedAt[rule] = now_;
        assertEq(_ruleOnChain(rule), value, "3 rule change read back");
        return true;
    }

    function _setPaymentToken(address token, bool allowed, uint96 unit, address caller)
        internal
        returns (bool)
    {
        Refusals memory r;
        uint96 current = ghostUnit[token];
        if (!_gateOwner(r, caller) && unit != current) _refuseUnit(r, token, current, unit);
        (bool ok, bytes memory ret) = _call(
            address(rules),
            caller,
            abi.encodeCall(PlatformRules.setPaymentToken, (token, allowed, unit))
        );
        if (!_expect(r, ok, ret, "setPaymentToken")) return false;
        if (unit != current) _unitChangedAt[token] = now_;
        ghostAllowed[token] = allowed;
        ghostUnit[token] = unit;
        return true;
    }

    /// @dev A unit moves at most to twice or half the current one, within its bounds, a day apart.
    function _refuseUnit(Refusals memory r, address token, uint256 current, uint256 unit)
        internal
        view
    {
        (uint256 min, uint256 max) = _unitBounds(token);
        uint256 step = unit > current ? current : current / 2;
        _refuseChange(r, "tokenUnit", current, unit, _unitChangedAt[token], [min, max, step]);
    }

    function _setTreasury(address to, address caller) internal returns (bool) {
        Refusals memory r;
        if (!_gateOwner(r, caller)) {
            _refuse(
                r, to == address(0), abi.encodeWithSelector(IPlatformRules.ZeroTreasury.selector)
            );
        }
        (bool ok, bytes memory ret) =
            _call(address(rules), caller, abi.encodeCall(PlatformRules.setTreasury, (to)));
        if (!_expect(r, ok, ret, "setTreasury")) return false;
        ghostTreasury = to;
        return true;
    }

    function _setArbiter(address who, bool allowed, address caller) internal returns (bool) {
        Refusals memory r;
        if (!_gateOwner(r, caller)) {
            _refuse(
                r, who == address(0), abi.encodeWithSelector(IPlatformRules.ZeroAddress.selector)
            );
        }
        (bool ok, bytes memory ret) =
            _call(address(rules), caller, abi.encodeCall(PlatformRules.setArbiter, (who, allowed)));
        if (!_expect(r, ok, ret, "setArbiter")) return false;
        ghostArbiter[who] = allowed;
        return true;
    }

    // ----------------------------------------------------------------- exits (invariant 4)

    /// @dev Takes live task `id` to a final state by its legitimate path, waiting out a
    /// deadline or a window when it must; fails if the chain refuses.
    function _exit(uint256 id) internal {
        TaskModel storage t = _model[id];
        ITaskEscrow.Status status = t.status;
        bool done;
        if (status == ITaskEscrow.Status.Open) {
            done = _cancel(id, t.client);
        } else if (status == ITaskEscrow.Status.Claimed) {
            if (now_ <= t.deadline) _advance(t.deadline + 1 - now_);
            done = _reclaim(id, t.client);
        } else if (status == ITaskEscrow.Status.Submitted) {
            if (id % 2 == 0) {
                done = _approve(id, t.client);
            } else {
                if (now_ <= t.windowEnds) _advance(t.windowEnds + 1 - now_);
                done = _release(id, t.worker);
            }
        } else if (status == ITaskEscrow.Status.Disputed) {
            address judge = _freeArbiter(t);
            if (judge != address(0) && now_ <= t.windowEnds) {
                done = _resolve(id, judge, uint16(id * 2_477 % (BPS + 1)));
            } else {
                if (now_ <= t.windowEnds) _advance(t.windowEnds + 1 - now_);
                done = _settle(id, id % 2 == 0 ? t.client : t.worker);
            }
        }
        assertTrue(done, string.concat("exit refused for task ", vm.toString(id)));
    }

    /// @dev The DAO at its worst: it refuses both payment tokens, dismisses every arbiter and
    /// moves every rule a step up (each may be refused as too soon: the DAO can do no more).
    function _daoDoesItsWorst() internal {
        for (uint256 i = 0; i < 2; ++i) {
            address token = address(tokens[i]);
            _setPaymentToken(token, false, ghostUnit[token], timelock);
        }
        for (uint256 i = 0; i < candidates.length; ++i) {
            _setArbiter(candidates[i], false, timelock);
        }
        for (uint256 rule = 0; rule < RULE_COUNT; ++rule) {
            uint256 value = _ruleValue[rule] + _ruleStep[rule];
            if (value > _ruleMax[rule]) value = _ruleMax[rule];
            if (rule >= 6 && rule < 8 && value >= _ruleValue[rule + 1]) continue;
            _changeRule(rule, value, timelock);
        }
    }

    /// @dev The stablecoin freezes every party and the treasury.
    function _freezeEverybody() internal {
        for (uint256 i = 0; i < freezable.length; ++i) {
            usd.freeze(freezable[i], true);
        }
    }

    // ================================================================= checks of a transition

    /// @dev Sends a final transition and, if the model expects it to succeed, checks each share:
    /// paid to a recipient that can receive, kept for one that can not; the fee accrued; the
    /// worker's reputation and reward; and that the shares add up to the deposit and bonds held.
    function _final(
        uint256 id,
        address who,
        bytes memory data,
        Refusals memory r,
        Final memory f,
        string memory what
    ) internal returns (bool) {
        TaskModel storage t = _model[id];
        Snap memory before = _snap(t);
        (bool ok, bytes memory ret) = _call(address(escrow), who, data);
        if (!_expect(r, ok, ret, what)) return false;
        Snap memory after_ = _snap(t);
        address token = address(t.token);

        uint256 held = t.amount + _bondOf(t) * _bondsHeld(t.status);
        assertEq(f.toWorker + f.toClient + f.fee, held, string.concat(what, ": shares"));
        uint256 paid = _receipt(
            t.token,
            t.worker,
            f.toWorker,
            [before.workerBalance, after_.workerBalance, before.workerOwed, after_.workerOwed],
            what
        );
        paid += _receipt(
            t.token,
            t.client,
            f.toClient,
            [before.clientBalance, after_.clientBalance, before.clientOwed, after_.clientOwed],
            what
        );
        assertEq(after_.fees, before.fees + f.fee, string.concat(what, ": fee accrued"));
        assertEq(
            before.escrowBalance - after_.escrowBalance, paid, string.concat(what, ": paid out")
        );
        ghostFees[token] += f.fee;
        ghostOut[token] += paid;
        t.workerNet += int256(f.toWorker);
        t.clientNet += int256(f.toClient);
        if (!f.slash && token == address(jtn)) jtnFeesEarned[t.worker] += f.fee;

        _checkEarnings(t.worker, f, before, after_, what);
        ghostHeld[token] -= held;
        t.status = f.status;
        _removeLive(id);
        _checkTask(id);
        return true;
    }

    function _checkEarnings(
        address worker,
        Final memory f,
        Snap memory before,
        Snap memory after_,
        string memory what
    ) internal {
        uint256 points = before.points;
        uint256 votingPoints = before.votingPoints;
        if (f.slash) {
            points -= f.points < points ? f.points : points;
            votingPoints -= f.votingPoints < votingPoints ? f.votingPoints : votingPoints;
        } else {
            points += f.points;
            votingPoints += f.votingPoints;
        }
        assertEq(after_.points, points, string.concat(what, ": tier points"));
        assertEq(after_.votingPoints, votingPoints, string.concat(what, ": voting points"));
        assertEq(after_.rewardsOwed, before.rewardsOwed + f.reward, string.concat(what, ": reward"));
        if (worker != address(0)) {
            ghostPoints[worker] = points;
            ghostVotingPoints[worker] = votingPoints;
            ghostRewardsOwed[worker] += f.reward;
            ghostTotalRewardsOwed += f.reward;
            rewardsCredited[worker] += f.reward;
        }
        ghostRewardRoom -= f.reward;
    }

    /// @dev Checks that `share` reached `to` (balance) or was kept for it (owed, when it can
    /// not receive); returns what left the escrow.
    function _receipt(
        IERC20 token,
        address to,
        uint256 share,
        uint256[4] memory seen, // balance before, after; owed before, after
        string memory what
    ) internal returns (uint256 paid) {
        if (share == 0) {
            assertEq(seen[1], seen[0], string.concat(what, ": nothing to a recipient"));
            return 0;
        }
        if (_frozen(token, to)) {
            assertEq(seen[3], seen[2] + share, string.concat(what, ": share kept"));
            assertEq(seen[1], seen[0], string.concat(what, ": nothing reaches a frozen account"));
            ghostOwed[address(token)][to] += share;
            ghostKept[address(token)] += share;
            return 0;
        }
        assertEq(seen[1], seen[0] + share, string.concat(what, ": share paid"));
        assertEq(seen[3], seen[2], string.concat(what, ": nothing kept"));
        return share;
    }

    function _snap(TaskModel storage t) internal view returns (Snap memory s) {
        IERC20 token = t.token;
        address worker = t.worker;
        s.escrowBalance = _balance(token, address(escrow));
        s.workerBalance = _balance(token, worker);
        s.clientBalance = _balance(token, t.client);
        s.workerOwed = escrow.owed(address(token), worker);
        s.clientOwed = escrow.owed(address(token), t.client);
        s.fees = escrow.accruedFees(address(token));
        s.points = reputation.pointsOf(worker);
        s.votingPoints = reputation.votingPointsOf(worker);
        s.rewardsOwed = escrow.rewardsOwed(worker);
    }

    /// @dev Approve or release: the deposit less the locked fee, and the bond, to the worker.
    function _completion(TaskModel storage t) internal view returns (Final memory f) {
        f.fee = t.amount * t.feeBps / BPS;
        f.toWorker = t.amount - f.fee + _bondOf(t);
        (f.points, f.votingPoints, f.reward) = _earn(t, f.fee);
        f.status = ITaskEscrow.Status.Completed;
    }

    /// @dev An arbiter's split: the share (less the fee on it) to the worker, the rest to the
    /// client; both bonds to the worker at half or more, else to the client, who also sees the
    /// worker lose the points the whole task would have earned.
    function _split(TaskModel storage t, uint16 share) internal view returns (Final memory f) {
        uint256 gross = t.amount * share / BPS;
        uint256 bonds = 2 * _bondOf(t);
        f.fee = gross * t.feeBps / BPS;
        bool won = share >= HALF;
        f.toWorker = gross - f.fee + (won ? bonds : 0);
        f.toClient = t.amount - gross + (won ? 0 : bonds);
        if (won) {
            (f.points, f.votingPoints, f.reward) = _earn(t, f.fee);
        } else {
            f.slash = true;
            (f.points, f.votingPoints) = _points(t.token, t.amount * t.feeBps / BPS);
        }
        f.status = ITaskEscrow.Status.Resolved;
    }

    function _earn(TaskModel storage t, uint256 fee)
        internal
        view
        returns (uint256 points, uint256 votingPoints, uint256 reward)
    {
        if (fee == 0) return (0, 0, 0);
        (points, votingPoints) = _points(t.token, fee);
        if (address(t.token) != address(jtn)) return (points, 0, 0);
        reward = fee * t.rewardBps / BPS;
        if (reward > ghostRewardRoom) reward = ghostRewardRoom;
    }

    function _points(IERC20 token, uint256 fee)
        internal
        view
        returns (uint256 points, uint256 votingPoints)
    {
        if (address(token) == address(jtn)) return (fee / FEE_PER_POINT, fee / FEE_PER_POINT);
        points = fee * WAD / ghostUnit[address(token)] / FEE_PER_POINT;
    }

    /// @dev Records how a dispute ended and checks DESIGN.md invariant 6 on it: junk never pays
    /// (a claimant settled against, or ruled worth nothing, loses at least its bond), and a
    /// client who disputed work found worth half or more pays that worth plus its dispute bond.
    /// ({_final} has checked the chain: a settlement moved no fee, reward or reputation, and a
    /// share under half took the task's points away.)
    function _outcome(uint256 id, bool settled, uint16 share, uint256 gross, Final memory f)
        internal
    {
        TaskModel storage t = _model[id];
        int256 bond = int256(_bondOf(t));
        if (settled || share == 0) {
            assertTrue(
                t.workerNet <= -bond, "6 junk never pays: the claimant did not lose its bond"
            );
        }
        if (!settled && share >= HALF && t.disputer == t.client) {
            assertTrue(
                t.clientNet == -int256(gross) - bond, "6 a false dispute did not cost its worth"
            );
        }
        _outcomes.push(
            DisputeOutcome({
                taskId: id,
                settled: settled,
                share: share,
                bond: _bondOf(t),
                gross: gross,
                clientDisputed: t.disputer == t.client,
                workerNet: t.workerNet,
                clientNet: t.clientNet,
                pointsGained: f.slash ? 0 : f.points,
                rewardGained: f.reward,
                feeAccrued: f.fee
            })
        );
    }
}
