"""Gas of the access credits, printed as a table (`make bench`).

A buyer's first purchase of a service writes its credit slot from zero; later ones update it.
A provider's first use of anyone's credits writes its proceeds slot from zero (and the DAO's cut
its slot, the first time ever); later uses update them. The last unit of a credit frees its
slot, and so does a refund (gas refunded, so they cost less). Each figure is measured twice:
early (service 1, the first buyers) and after many services, buyers and purchases, to show that
nothing grows with them. Figures only: nothing here passes or fails on a number, except that
the late figures equal the early steady ones (less calldata, which varies with the signature).
"""

import ape
from helpers import add_service, sign_permit
from lifecycle import calldata_gas

WAD = 10**18
PRICE = 2 * WAD
USE = b"\x0a" * 32


def permit(jtn, owner, spender, value):
    deadline = ape.chain.pending_timestamp + 3600
    signed = sign_permit(
        jtn, owner.private_key, owner.address, spender.address, value, jtn.nonces(owner), deadline
    )
    return (deadline, *signed)


def round_of(system, service, buyer, provider):
    """One buyer's round on `service`: buy, buy again, buy with a permit, use some, use the
    rest; then the figures, by operation."""
    jtn, credits = system.token, system.credits
    jtn.approve(credits, 40 * WAD, sender=buyer)
    first = credits.buy(service, 10, PRICE, sender=buyer)
    again = credits.buy(service, 10, PRICE, sender=buyer)
    with_permit = credits.buyWithPermit(
        service, 10, PRICE, *permit(jtn, buyer, credits, 20 * WAD), sender=buyer
    )
    consume = credits.consume(service, buyer, 4, USE, sender=provider)
    last = credits.consume(service, buyer, 26, USE, sender=provider)
    return {
        "buy (first of this buyer)": first,
        "buy (again)": again,
        "buyWithPermit": with_permit,
        "consume (some units)": consume,
        "consume (the last units)": last,
    }


def test_credits_gas(system, dao, deployer, accounts, outsider, provider):
    jtn, credits = system.token, system.credits
    service = add_service(credits, dao, provider, PRICE)
    buyers = [accounts.generate_test_account() for _ in range(24)]
    for buyer in buyers:
        buyer.balance += WAD
        jtn.transfer(buyer, 1_000 * WAD, sender=deployer)

    first = round_of(system, service, buyers[0], provider)  # the first proceeds and cut ever
    steady = round_of(system, service, buyers[1], provider)
    # Many services and buyers later: the same operations cost the same.
    for _ in range(8):
        add_service(credits, dao, provider, PRICE)
    for buyer in buyers[2:-1]:
        round_of(system, service + 3, buyer, provider)
    late = round_of(system, service + 3, buyers[-1], provider)

    # A refund of a paused service, the withdrawal of the proceeds and the sweep of the cut.
    jtn.approve(credits, 20 * WAD, sender=buyers[0])
    credits.buy(service, 10, PRICE, sender=buyers[0])
    credits.pauseService(service, sender=dao)
    refund = credits.refund(service, sender=buyers[0])
    withdraw = credits.withdrawProceeds(sender=provider)
    sweep = credits.sweepCut(sender=outsider)

    headers = ("operation", "first ever", "steady", f"service {service + 3}, buyer 24")
    print("\nAccess credits")
    print(f"{headers[0]:<30}" + "".join(f"{h:>22}" for h in headers[1:]))
    for op in first:
        row = (first[op].gas_used, steady[op].gas_used, late[op].gas_used)
        print(f"{op:<30}" + "".join(f"{g:>22,}" for g in row))
    for op, receipt in [
        ("refund (all unused units)", refund),
        ("withdrawProceeds", withdraw),
        ("sweepCut", sweep),
    ]:
        print(f"{op:<30}{receipt.gas_used:>22,}")
    for op in first:
        if op != "buyWithPermit":
            assert steady[op].gas_used - calldata_gas(steady[op]) == late[op].gas_used - (
                calldata_gas(late[op])
            ), f"{op} must not grow with services and buyers"
