// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ITaskEscrow} from "../../../contracts/interfaces/ITaskEscrow.sol";
import {EscrowChoices} from "./EscrowChoices.sol";

/**
 * @title EscrowHandler
 * @notice The actions of the escrow's invariant campaign: every lifecycle step, every dispute
 * path, the pull payments, a stablecoin that freezes addresses, the DAO's rule changes and time
 * jumps, by three clients, three workers, two arbiters, an outsider and the DAO itself.
 *
 * Each action predicts its outcome from the model ({EscrowModel}) before it is sent: a refusal
 * must revert with one of the custom errors the model expects (with their arguments), a success
 * must move exactly the predicted amounts to the predicted accounts, and the model then follows
 * the chain. Actions mostly pick the right party for a task in the right state (else anyone,
 * any task id) and may come too early or too late, so refusals of intruders and of bad timing
 * are exercised as much as the happy paths. The campaign runs with `fail_on_revert`: an action
 * never reverts unless the chain and the model disagree, and then the revert names why.
 */
contract EscrowHandler is EscrowChoices {
    constructor(System memory system_) EscrowChoices(system_) {}

    // ----------------------------------------------------------------- posting

    /**
     * @notice A client posts a task: either token, maybe naming a worker or asking reputation,
     * with the DAO's default bond or its own, through an approval or a permit; sometimes with
     * arguments that must be refused.
     */
    function post(
        uint256 actorSeed,
        uint256 tokenSeed,
        uint256 amountSeed,
        uint256 deadlineSeed,
        uint256 optionSeed,
        uint8 payMode
    ) external timed {
        Posting memory p;
        p.client =
            _pick(actorSeed, 4) == 0 ? _anyone(actorSeed >> 8) : _pickFrom(clients, actorSeed);
        if (p.client == timelock) p.client = clients[0];
        p.token = tokens[tokenSeed % 2];
        p.amount = _amount(p.token, amountSeed);
        p.deadline = _deadline(deadlineSeed);
        uint256 option = optionSeed % 8;
        if (option == 1) p.named = _pickFrom(workers, optionSeed >> 8);
        if (option == 2) p.named = p.client; // refused: a client can not work on its own task
        p.minReputation = option == 3 ? uint32(bound(optionSeed >> 16, 1, 200)) : 0;
        p.bondBps = option >= 5 ? _bondBps(optionSeed >> 24) : DEFAULT_BOND;
        _post(p, payMode % 4);
    }

    /**
     * @notice A live task takes one valid step by the right party (claim, submit, approve,
     * release, dispute, resolve, settle or reclaim), time passing first when the step must wait
     * for a deadline or a window; with no live task, a client posts a valid one. This is what
     * carries tasks through whole lifecycles in a run of a hundred calls; the actions below
     * also try the wrong party, state and time.
     */
    function advance(uint256 taskSeed, uint256 seed) external timed {
        if (_live.length == 0) {
            Posting memory p;
            p.client = _pickFrom(clients, seed);
            p.token = tokens[(seed >> 8) % 2];
            p.amount =
                bound(seed >> 16, 1, 5_000) * (address(p.token) == address(tokens[0]) ? 1e18 : 1e6);
            p.deadline = uint64(now_ + bound(seed >> 32, 1 days, 30 days));
            p.bondBps = DEFAULT_BOND;
            _post(p, uint8((seed >> 48) % 3));
            return;
        }
        uint256 id = _live[taskSeed % _live.length];
        TaskModel storage t = _model[id];
        uint256 choice = (seed >> 8) % 4;
        if (t.status == ITaskEscrow.Status.Open) {
            address who = t.worker != address(0) ? t.worker : _pickFrom(workers, seed >> 16);
            _claim(id, who, uint8(seed % 3));
        } else if (t.status == ITaskEscrow.Status.Claimed) {
            if (now_ <= t.deadline && choice != 0) {
                _submit(id, t.worker);
            } else {
                if (now_ <= t.deadline) _advance(t.deadline + 1 - now_);
                _reclaim(id, t.client);
            }
        } else if (t.status == ITaskEscrow.Status.Submitted) {
            if (choice == 0 && now_ <= t.windowEnds) {
                _dispute(id, seed % 2 == 0 ? t.client : t.worker, uint8((seed >> 16) % 3));
            } else if (choice == 1) {
                if (now_ <= t.windowEnds) _advance(t.windowEnds + 1 - now_);
                _release(id, t.worker);
            } else {
                _approve(id, t.client);
            }
        } else {
            address judge = _freeArbiter(t);
            if (judge != address(0) && now_ <= t.windowEnds && choice != 0) {
                _resolve(id, judge, _share(seed >> 16));
            } else {
                if (now_ <= t.windowEnds) _advance(t.windowEnds + 1 - now_);
                _settle(id, seed % 2 == 0 ? t.client : t.worker);
            }
        }
    }

    // ----------------------------------------------------------------- working

    /// @notice Someone claims a task (mostly an open one, by a worker), with an approval or a permit.
    function claim(uint256 taskSeed, uint256 actorSeed, uint8 payMode) external timed {
        uint256 id = _task(taskSeed, ITaskEscrow.Status.Open);
        address who = _pick(actorSeed, 4) == 0 ? _anyone(actorSeed >> 8) : _claimant(id, actorSeed);
        if (who == timelock) who = workers[0];
        _claim(id, who, payMode % 4);
    }

    /// @notice Someone delivers a claimed task (mostly its worker).
    function submit(uint256 taskSeed, uint256 actorSeed) external timed {
        uint256 id = _task(taskSeed, ITaskEscrow.Status.Claimed);
        _submit(id, _partyOr(actorSeed, _model[id].worker));
    }

    // ----------------------------------------------------------------- paying

    /// @notice Someone approves a submission (mostly its client).
    function approve(uint256 taskSeed, uint256 actorSeed) external timed {
        uint256 id = _task(taskSeed, ITaskEscrow.Status.Submitted);
        _approve(id, _partyOr(actorSeed, _model[id].client));
    }

    /// @notice Someone releases a submission's payment (mostly its worker, maybe too early).
    function release(uint256 taskSeed, uint256 actorSeed) external timed {
        uint256 id = _task(taskSeed, ITaskEscrow.Status.Submitted);
        _release(id, _partyOr(actorSeed, _model[id].worker));
    }

    /// @notice Someone cancels a task (mostly an open one, by its client).
    function cancel(uint256 taskSeed, uint256 actorSeed) external timed {
        uint256 id = _task(taskSeed, ITaskEscrow.Status.Open);
        _cancel(id, _partyOr(actorSeed, _model[id].client));
    }

    /// @notice Someone reclaims a claimed task (mostly its client, maybe before the deadline).
    function reclaim(uint256 taskSeed, uint256 actorSeed) external timed {
        uint256 id = _task(taskSeed, ITaskEscrow.Status.Claimed);
        _reclaim(id, _partyOr(actorSeed, _model[id].client));
    }

    // ----------------------------------------------------------------- disputes

    /// @notice Someone disputes a submission (mostly a party), with an approval or a permit.
    function dispute(uint256 taskSeed, uint256 actorSeed, uint8 payMode) external timed {
        uint256 id = _task(taskSeed, ITaskEscrow.Status.Submitted);
        TaskModel storage t = _model[id];
        address party = actorSeed % 2 == 0 ? t.client : t.worker;
        _dispute(id, _partyOr(actorSeed >> 1, party), payMode % 4);
    }

    /// @notice Someone rules on a dispute (mostly an arbiter, maybe a dismissed one, a party, or
    /// late), with any share, sometimes over 100%.
    function resolve(uint256 taskSeed, uint256 actorSeed, uint256 shareSeed) external timed {
        uint256 id = _task(taskSeed, ITaskEscrow.Status.Disputed);
        address who = _pick(actorSeed, 5) == 0
            ? _anyone(actorSeed >> 8)
            : _pickFrom(candidates, actorSeed >> 8);
        _resolve(id, who, _share(shareSeed));
    }

    /// @notice A party settles a dispute nobody ruled on (mostly after the window).
    function settleDispute(uint256 taskSeed, uint256 actorSeed) external timed {
        uint256 id = _task(taskSeed, ITaskEscrow.Status.Disputed);
        TaskModel storage t = _model[id];
        address party = actorSeed % 2 == 0 ? t.client : t.worker;
        _settle(id, _partyOr(actorSeed >> 1, party));
    }

    // ----------------------------------------------------------------- pull payments

    /// @notice Anyone collects a worker's rewards for it.
    function collectRewards(uint256 workerSeed, uint256 callerSeed) external timed {
        _collect(_pickFrom(everyone, workerSeed), _anyone(callerSeed));
    }

    /// @notice Someone withdraws the payouts kept for it in a token.
    function withdraw(uint256 actorSeed, uint256 tokenSeed) external timed {
        IERC20 token = tokens[tokenSeed % 2];
        address who = _anyone(actorSeed);
        if (actorSeed % 4 != 0) {
            // Mostly someone a payout was kept for (it may still be frozen).
            for (uint256 i = 0; i < everyone.length; ++i) {
                address candidate = everyone[(actorSeed % everyone.length + i) % everyone.length];
                if (ghostOwed[address(token)][candidate] != 0) {
                    who = candidate;
                    break;
                }
            }
        }
        _withdraw(token, who);
    }

    /// @notice Anyone sweeps a token's accrued fees to the treasury.
    function sweepFees(uint256 tokenSeed, uint256 callerSeed) external timed {
        _sweep(tokens[tokenSeed % 2], _anyone(callerSeed));
    }

    /// @notice The stablecoin freezes or unfreezes a party, the treasury or the outsider.
    function freeze(uint256 actorSeed, bool frozen) external timed {
        address who = _pickFrom(freezable, actorSeed);
        usd.freeze(who, frozen);
    }

    // ----------------------------------------------------------------- time

    /// @notice Time passes: seconds, hours or days, or up to a live task's deadline or window end
    /// (give or take a second).
    function warp(uint256 mode, uint256 seed) external timed {
        uint256 to = now_;
        uint256 kind = mode % 4;
        if (kind == 0) to += bound(seed, 1, 120);
        else if (kind == 1) to += bound(seed, 1, 48) * 1 hours;
        else if (kind == 2) to += bound(seed, 1, 10) * 1 days;
        else to = _boundary(seed);
        if (to <= now_) to = now_ + 1;
        _advance(to - now_);
    }

    // ----------------------------------------------------------------- the DAO

    /**
     * @notice The DAO (or, sometimes, someone else) changes a platform rule: within its bounds
     * and step, past a bound, past the step, to the same value, or within a day of the last change.
     */
    function changeRule(uint256 ruleSeed, uint256 valueSeed, uint8 mode, uint256 callerSeed)
        external
        timed
    {
        uint256 rule = ruleSeed % RULE_COUNT;
        _changeRule(rule, _ruleChoice(rule, valueSeed, mode % 4), _daoOr(callerSeed));
    }

    /**
     * @notice The DAO allows or refuses a payment token and maybe moves its unit: by at most a
     * factor of two, by more, out of its bounds, or within a day of the last move.
     */
    function setPaymentToken(uint256 tokenSeed, uint8 mode, uint256 callerSeed) external timed {
        address paymentToken = address(tokens[tokenSeed % 2]);
        bool allowed = (tokenSeed >> 1) % 4 != 0; // mostly allowed: a refused token stops posts
        _setPaymentToken(
            paymentToken,
            allowed,
            _unitValue(paymentToken, mode % 6, tokenSeed >> 8),
            _daoOr(callerSeed)
        );
    }

    /// @notice The DAO moves its treasury (to itself or the outsider; never to zero).
    function setTreasury(uint256 seed, uint256 callerSeed) external timed {
        uint256 choice = seed % 5;
        address to = choice == 0 ? address(0) : choice <= 2 ? timelock : outsider;
        _setTreasury(to, _daoOr(callerSeed));
    }

    /// @notice The DAO appoints or dismisses an arbiter (a worker and a client among candidates).
    function setArbiter(uint256 seed, uint256 callerSeed) external timed {
        address who = seed % 9 == 0 ? address(0) : _pickFrom(candidates, seed >> 8);
        _setArbiter(who, (seed >> 4) % 3 != 0, _daoOr(callerSeed));
    }

    // ----------------------------------------------------------------- no exit blocked

    /**
     * @notice DESIGN.md invariant 4, mid-campaign: a live task is taken to its legitimate exit
     * after the DAO did its worst (refused its token, dismissed every arbiter, moved every rule
     * a step) or after every party and the treasury were frozen, with the payout checked; then
     * the chain and the model go back to where they were.
     */
    function exitUnderDuress(uint256 taskSeed, bool daoWorst) external timed {
        if (_live.length == 0) return;
        uint256 id = _live[taskSeed % _live.length];
        uint256 snapshot = vm.snapshotState();
        if (daoWorst) _daoDoesItsWorst();
        else _freezeEverybody();
        _exit(id);
        assertTrue(_isFinal(_model[id].status), "exitUnderDuress: the task is not final");
        vm.revertToState(snapshot);
    }

    /**
     * @notice DESIGN.md invariant 4 at the end of every run (called by the test's
     * `afterInvariant`, never by the fuzzer): the DAO does its worst and every party and the
     * treasury are frozen; every live task still reaches its exit; then, unfrozen, every payout
     * kept is withdrawn, the fees are swept and the rewards collected, leaving nothing owed.
     */
    function exitEverything() external timed {
        _daoDoesItsWorst();
        _freezeEverybody();
        while (_live.length != 0) {
            _exit(_live[_live.length - 1]);
        }
        for (uint256 i = 0; i < freezable.length; ++i) {
            usd.freeze(freezable[i], false);
        }
        for (uint256 k = 0; k < 2; ++k) {
            IERC20 token = tokens[k];
            for (uint256 i = 0; i < everyone.length; ++i) {
                address who = everyone[i];
                if (ghostOwed[address(token)][who] != 0) {
                    assertTrue(_withdraw(token, who), "exitEverything: withdraw refused");
                }
            }
            if (ghostFees[address(token)] > 1) {
                assertTrue(_sweep(token, outsider), "exitEverything: sweep refused");
            }
        }
        for (uint256 i = 0; i < everyone.length; ++i) {
            address who = everyone[i];
            if (ghostRewardsOwed[who] != 0) {
                assertTrue(_collect(who, outsider), "exitEverything: collect refused");
            }
        }
    }
}
