"""Shared fixtures: accounts and a deployed system on the anvil node that ape-foundry starts."""

import pytest

CAP = 1_000_000_000 * 10**18
GENESIS_SUPPLY = 100_000_000 * 10**18


@pytest.fixture(scope="session")
def deployer(accounts):
    return accounts[0]


@pytest.fixture(scope="session")
def admin(accounts):
    return accounts[1]


@pytest.fixture(scope="session")
def alice(accounts):
    return accounts[2]


@pytest.fixture(scope="session")
def bob(accounts):
    return accounts[3]


@pytest.fixture(scope="session")
def stranger(accounts):
    return accounts[9]


@pytest.fixture(scope="session")
def token(project, deployer, admin):
    return deployer.deploy(project.WorkToken, admin, deployer, GENESIS_SUPPLY, CAP)
