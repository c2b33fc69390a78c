"""A local development chain: anvil started and stopped, its clock, blocks and ETH moved at
will, and the project's deploy script run against it.

    from jeton.devchain import LocalNode, deploy

    with LocalNode() as node:                   # anvil on a free port, stopped on exit
        deployment = deploy(node.url, deployments_dir="out/dev", overwrite=True)
        node.fund("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", 10**18)  # +1 ETH
        node.advance(3 * 24 * 3600)             # three days pass
        node.mine(50)                           # fifty blocks pass

The modules, one concern each:
- `chain`: `DevChain`, a running development node's powers (mine, advance, fund, snapshots),
  refused by name (`NotDevelopmentChain`) on any other chain; the test accounts of anvil's
  public mnemonic (`test_wallet`, `test_wallets`);
- `node`: `LocalNode`, the anvil process (a `DevChain`), always stopped: on a normal exit, an
  exception, Ctrl-C and SIGTERM; `find_anvil`, `free_port`, `port_is_free`;
- `project`: the Jeton project folder and `deploy`, which runs its deploy script with Ape.

`DevChain.attach(url)` (or `LocalNode.attach(url)`) wraps a node that is already running, with
the same helpers and no process of its own.
"""

from ..errors import DevChainError, NotDevelopmentChain
from .chain import ANVIL_CHAIN_ID, DEFAULT_MNEMONIC, DevChain, test_wallet, test_wallets
from .node import LocalNode, find_anvil, free_port, port_is_free
from .project import DeployFailed, DeploymentExists, deploy, deploy_env, find_ape, project_root

__all__ = [
    "ANVIL_CHAIN_ID",
    "DEFAULT_MNEMONIC",
    "DeployFailed",
    "DeploymentExists",
    "DevChain",
    "DevChainError",
    "LocalNode",
    "NotDevelopmentChain",
    "deploy",
    "deploy_env",
    "find_anvil",
    "find_ape",
    "free_port",
    "port_is_free",
    "project_root",
    "test_wallet",
    "test_wallets",
]
