// What the whole page shares: the deployment's configuration (from the API), the node's
// status, and the connected wallet. Views subscribe to changes.

export const state = {
  /** /api/config: chain id, contracts, ABIs, work token, tiers, RPC URL. */
  config: null,
  /** /api/status: { node: "up" | "down", block, timestamp, chain_id }. */
  status: null,
  wallet: {
    /** EIP-6963 providers found: [{ info: { uuid, name, icon, rdns }, provider }]. */
    found: [],
    /** The chosen one, once connected. */
    chosen: null,
    account: null,
    chainId: null,
  },
  /** /api/accounts/<account> of the connected account (the header's figures). */
  me: null,
  /** Reads the account and the view again (set by main.js; awaited after each action). */
  refresh: null,
};

const listeners = new Set();

/** Call `fn(reason)` after every change (returns a function that unsubscribes). */
export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Tell every subscriber that `reason` changed ("status", "wallet", "block", "me"). */
export function changed(reason) {
  for (const fn of [...listeners]) fn(reason);
}

/** The connected account if the wallet is on the deployment's chain, else null. */
export function activeAccount() {
  const { account, chainId } = state.wallet;
  return account && chainId === state.config?.chain_id ? account : null;
}

/** Whether the node answers (actions wait while it does not). */
export function nodeUp() {
  return state.status?.node === "up";
}

/** The work token's symbol ("JTN"). */
export function jtn() {
  return state.config?.work_token?.symbol || "JTN";
}
