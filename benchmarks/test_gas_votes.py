"""Gas of a vote on Jeton's governor, next to OpenZeppelin's plain ERC20Votes governor.

The same sequence on both, with the same voting delay, period and quorum: one proposal, a first
vote, a later vote of the same kind before the quorum is reached, a vote by signature (relayed)
before the quorum, the vote that reaches the quorum, and a later vote after it. Jeton's votes
read the token's and the reputation's checkpoints through WorkVotes and check the quorum for
the late-quorum extension; OpenZeppelin's reference reads one token's checkpoints. Figures
only, into the benchmark's table.
"""

import ape
from helpers import FOR, delegate, mine_past, propose, sign_ballot
from reference import Reference
from table import Target

WAD = 10**18
SMALL = 1_000 * WAD  # each small voter's tokens: far below the quorum


def test_vote_gas(system, deployer, accounts, bench):
    jtn, governor = system.token, system.governor
    voters = [accounts[i] for i in (3, 5, 6, 7)]
    for voter in voters:
        jtn.transfer(voter, SMALL, sender=deployer)
        delegate(jtn, voter, voter)
    delegate(jtn, deployer, deployer)
    first, later, signer, after = voters
    proposal = propose(governor, [(jtn, jtn.name.encode_input())], "Benchmark", deployer)
    mine_past(governor.proposalSnapshot(proposal.id))
    cast = {
        "first": governor.castVote(proposal.id, FOR, sender=first),
        "later": governor.castVote(proposal.id, FOR, sender=later),
        "by_sig": governor.castVoteBySig(
            proposal.id,
            FOR,
            signer,
            sign_ballot(governor, signer.private_key, proposal.id, FOR, signer),
            sender=deployer,
        ),
    }
    assert governor.proposalVotes(proposal.id)[1] < governor.quorum(
        governor.proposalSnapshot(proposal.id)
    )
    governor.castVote(proposal.id, FOR, sender=deployer)  # reaches the quorum
    cast["after_quorum"] = governor.castVote(proposal.id, FOR, sender=after)

    rows = [
        ("later", "castVote, a later vote before the quorum", Target(72_000, "≤ 72,000")),
        ("after_quorum", "castVote, a later vote after the quorum", None),
        ("first", "castVote, the proposal's first vote", None),
        ("by_sig", "castVoteBySig, a later vote before the quorum", Target(105_000, "≤ 105,000")),
    ]
    for key, operation, target in rows:
        bench.add("vote gas", f"vote.{key}", operation, cast[key].gas_used, "gas", target)

    reference = _reference_votes(deployer, voters)
    for key, operation in [
        ("later", "OpenZeppelin reference: castVote, a later vote"),
        ("first", "OpenZeppelin reference: castVote, first of its kind"),
        ("by_sig", "OpenZeppelin reference: castVoteBySig, a later vote"),
    ]:
        bench.add("vote gas", f"oz.{key}", operation, reference[key], "gas")


def _reference_votes(deployer, voters) -> dict[str, int]:
    """The same votes on OpenZeppelin's plain governor over a plain ERC20Votes token."""
    w3 = ape.chain.provider.web3
    ref = Reference(w3, deployer.address, 100_000_000 * WAD)
    token, governor = ref.token.functions, ref.governor.functions
    for voter in voters:
        ref.send(token.transfer(voter.address, SMALL), deployer.address)
        ref.send(token.delegate(voter.address), voter.address)
    ref.send(token.delegate(deployer.address), deployer.address)
    args = ([ref.token.address], [0], [token.name()._encode_transaction_data()], "Benchmark")
    ref.send(governor.propose(*args), deployer.address)
    proposal_id = governor.getProposalId(*args[:3], w3.keccak(text=args[3])).call()
    mine_past(governor.proposalSnapshot(proposal_id).call())
    first, later, signer, _ = voters
    gas = {
        "first": ref.send(governor.castVote(proposal_id, FOR), first.address)["gasUsed"],
        "later": ref.send(governor.castVote(proposal_id, FOR), later.address)["gasUsed"],
    }
    signature = ref.ballot_signature(signer.private_key, proposal_id, FOR)
    relayed = governor.castVoteBySig(proposal_id, FOR, signer.address, signature)
    gas["by_sig"] = ref.send(relayed, deployer.address)["gasUsed"]
    return gas
