"""`jeton services list|show|buy|balance|uses|refund|consume|withdraw|sweep-cut` and
`jeton gov propose-service-price`, through click's CliRunner against the session's anvil.

Tables for people, `--json` parsed back and checked against the chain; a refusal exits 1 with
the contract's error explained on stderr, and sends nothing (the nonce is checked).
"""

from helpers import DAY, run_json

WAD = 10**18
PRICE = 2 * WAD


def words(text):
    return " ".join(text.replace("│", " ").split())


def nonce(chain, account):
    return chain.provider.web3.eth.get_transaction_count(account.address)


def test_list_and_show(run, service, credits, dao, chain, buyer):
    assert "No services yet" not in run("services", "list").stdout
    listed = run_json(run, "services", "list")
    assert [(s["id"], s["name"], s["status"], s["unit_price"]) for s in listed] == [
        (1, "AI translation aid", "active", str(PRICE))
    ]
    assert listed[0]["unit_price_human"] == "2" and listed[0]["next_unit_price"] is None
    table = words(run("services", "list").stdout)
    assert "#1 AI translation aid active 2 JTN —" in table
    # A rise announced: both prices, and the date the new one applies.
    chain.pending_timestamp = credits.getService(service).priceChangedAt + 7 * DAY
    receipt = credits.setServicePrice(service, PRICE * 5 // 4, sender=dao)
    shown = run_json(run, "services", "show", service, as_=buyer)
    assert shown["next_unit_price"] == str(PRICE * 5 // 4)
    assert shown["next_price_at"] == receipt.timestamp + 7 * DAY
    assert shown["credit"]["units"] == "0"
    text = words(run("services", "show", service).stdout)
    assert "Price a unit 2 JTN" in text and "Announced rise 2.5 JTN from" in text
    assert "Your credits" not in text  # no wallet given
    assert run_json(run, "services", "list", "--status", "paused") == []


def test_no_services_yet(run):
    assert "No services yet: the DAO adds them by vote." in run("services", "list").stdout


def test_buy_balance_uses_refund(run, service, buyer, provider, credits, dao, jtn, chain):
    bought = run_json(run, "services", "buy", service, 10, as_=buyer)
    assert [e["name"] for e in bought["events"]] == ["CreditsBought", "Approval", "Transfer"]
    assert bought["service_id"] == service
    assert (
        "Bought 1 unit of service #1: 2 JTN" in run("services", "buy", service, 1, as_=buyer).stdout
    )
    [credit] = run_json(run, "services", "balance", as_=buyer)
    assert (credit["units"], credit["paid"], credit["average_price_human"]) == (
        "11",
        str(22 * WAD),
        "2",
    )
    assert "#1 11 22 JTN 2 JTN" in words(run("services", "balance", as_=buyer).stdout)
    assert run_json(run, "services", "balance", service, "--of", buyer.address)[0]["units"] == "11"
    # The provider records a use; the buyer sees it.
    used = run_json(
        run, "services", "consume", service, buyer.address, 4, "--usage", "session 42", as_=provider
    )
    assert [e["name"] for e in used["events"]] == ["CreditsConsumed"]
    [use] = run_json(run, "services", "uses", as_=buyer)
    assert (use["units"], use["value"], use["service_id"]) == ("4", str(8 * WAD), service)
    # Refused while active: exit 1, the contract's words, nothing sent.
    sent = nonce(chain, buyer)
    refused = run("services", "refund", service, as_=buyer, code=1)
    assert refused.stderr.startswith(
        "Error: AccessCredits: ServiceStillActive: service 1 is active"
    )
    assert nonce(chain, buyer) == sent
    credits.removeService(service, sender=dao)
    before = jtn.balanceOf(buyer)
    out = run("services", "refund", service, as_=buyer).stdout
    assert "Refunded 7 units of service #1: 14 JTN" in out
    assert jtn.balanceOf(buyer) == before + 14 * WAD
    # The provider withdraws; anyone sweeps the cut.
    assert "Withdrew proceeds" in run("services", "withdraw", as_=provider).stdout
    swept = run_json(run, "services", "sweep-cut", as_=buyer)
    # The treasury's tokens are its votes (delegated to itself, never counted): a checkpoint.
    assert [e["name"] for e in swept["events"]] == ["CutSwept", "Transfer", "DelegateVotesChanged"]


def test_refusals_send_nothing(run, service, buyer, chain, credits, dao, outsider):
    sent = nonce(chain, buyer)
    limit = run("services", "buy", service, 1, "--max-price", "1.5", as_=buyer, code=1)
    assert "PriceAboveLimit: a unit of service 1 costs 2 JTN, above the limit 1.5 JTN" in words(
        limit.stderr
    )
    missing = run("services", "buy", 7, 1, as_=buyer, code=1)
    assert "UnknownService: there is no service 7" in missing.stderr
    poor = run("services", "buy", service, 1, as_=outsider, code=1)
    assert "ERC20InsufficientBalance" in poor.stderr
    assert nonce(chain, buyer) == sent
    stranger = run("services", "consume", service, buyer.address, 1, as_=outsider, code=1)
    assert "NotServiceProvider: only the provider of service 1 records its use" in words(
        stranger.stderr
    )
    credits.pauseService(service, sender=dao)
    paused = run("services", "buy", service, 1, as_=buyer, code=1)
    assert "ServiceNotActive: service 1 is paused" in paused.stderr
    assert nonce(chain, buyer) == sent


def test_bad_arguments_are_usage_errors(run, service, buyer):
    run("services", "buy", service, 0, as_=buyer, code=2)
    run("services", "buy", service, -3, as_=buyer, code=2)
    run("services", "buy", 0, 1, as_=buyer, code=2)
    run("services", "balance", "--of", "0x1234", code=2)
    # A wallet is needed to buy: exit 3 before reaching for anything.
    run("services", "buy", service, 1, code=3)


def test_propose_service_price(run, members, service, deployer, chain):
    sent = nonce(chain, deployer)
    too_far = run(
        "gov", "propose-service-price", service, "3", "--description", "x", as_=deployer, code=1
    )
    assert "RuleStepTooLarge" in too_far.stderr
    assert nonce(chain, deployer) == sent
    proposed = run_json(
        run,
        "gov",
        "propose-service-price",
        service,
        "2.5",
        "--description",
        "The AI aid costs more to run",
        as_=deployer,
    )
    assert proposed["number"] == 1
    [change] = proposed["proposal"]["changes"]
    assert change["function"] == "setServicePrice"
    assert change["description"] == (
        "set the price of service #1 (AI translation aid) to 2.5 JTN a unit"
    )
    shown = words(run("gov", "show", 1).stdout)
    assert "set the price of service #1 (AI translation aid) to 2.5 JTN a unit" in shown
