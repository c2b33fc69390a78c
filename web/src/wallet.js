// The user's wallet: any EIP-1193 provider, found by EIP-6963 discovery (window.ethereum when
// no wallet announces itself). The page asks it for accounts, for the deployment's chain
// (adding the chain when the wallet does not know it), and to sign; it never sees a key.

import { state, changed } from "./state.js";

/** EIP-1193's "user rejected the request". */
export const USER_REJECTED = 4001;
/** The wallet does not know the chain (EIP-3326's wallet_switchEthereumChain). */
export const UNKNOWN_CHAIN = 4902;

/** Listen for wallets announcing themselves, and ask them to. */
export function discover() {
  window.addEventListener("eip6963:announceProvider", (event) => {
    const { info, provider } = event.detail || {};
    if (!info?.uuid || !provider?.request) return;
    if (state.wallet.found.some((w) => w.info.uuid === info.uuid)) return;
    state.wallet.found.push({ info, provider });
    changed("wallet");
  });
  window.dispatchEvent(new Event("eip6963:requestProvider"));
}

/** The wallets to offer: those announced, else the legacy window.ethereum, else none. */
export function wallets() {
  if (state.wallet.found.length) return state.wallet.found;
  if (window.ethereum?.request) {
    return [{ info: { uuid: "window.ethereum", name: "Browser wallet", icon: null }, provider: window.ethereum }];
  }
  return [];
}

/** An EIP-1193 error as the page shows it; `declined` when the user said no. */
export class WalletError extends Error {
  constructor(error) {
    super(error?.message || String(error));
    this.code = error?.code;
    this.data = error?.data;
    this.declined = error?.code === USER_REJECTED;
  }
}

/** One request to the connected wallet; WalletError when it refuses. */
export async function request(method, params = []) {
  const chosen = state.wallet.chosen;
  if (!chosen) throw new WalletError({ message: "no wallet is connected" });
  try {
    return await chosen.provider.request({ method, params });
  } catch (error) {
    throw new WalletError(error);
  }
}

/** Connect `wallet` (one of `wallets()`): ask for its accounts and read its chain. */
export async function connect(wallet) {
  const previous = state.wallet.chosen;
  if (previous && previous !== wallet) unlisten(previous);
  state.wallet.chosen = wallet;
  try {
    const accounts = await request("eth_requestAccounts");
    state.wallet.account = accounts?.[0] || null;
    state.wallet.chainId = Number(await request("eth_chainId"));
  } catch (error) {
    state.wallet.chosen = null;
    state.wallet.account = null;
    changed("wallet");
    throw error;
  }
  listen(wallet);
  changed("wallet");
}

/** Forget the wallet (the wallet itself may keep the site connected). */
export function disconnect() {
  if (state.wallet.chosen) unlisten(state.wallet.chosen);
  Object.assign(state.wallet, { chosen: null, account: null, chainId: null });
  state.me = null;
  changed("wallet");
}

/** Ask the wallet to switch to the deployment's chain, adding it when unknown. */
export async function switchChain() {
  const { chain_id: chainId, chain_name: chainName, rpc_url: rpcUrl } = state.config;
  const hex = `0x${chainId.toString(16)}`;
  try {
    await request("wallet_switchEthereumChain", [{ chainId: hex }]);
  } catch (error) {
    if (error.code !== UNKNOWN_CHAIN || !rpcUrl) throw error;
    await request("wallet_addEthereumChain", [
      {
        chainId: hex,
        chainName: chainName || `Jeton (chain ${chainId})`,
        nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
        rpcUrls: [rpcUrl],
      },
    ]);
    await request("wallet_switchEthereumChain", [{ chainId: hex }]);
  }
  state.wallet.chainId = Number(await request("eth_chainId"));
  changed("wallet");
}

const handlers = new WeakMap();

function listen(wallet) {
  const provider = wallet.provider;
  if (!provider.on || handlers.has(provider)) return;
  const onAccounts = (accounts) => {
    state.wallet.account = accounts?.[0] || null;
    state.me = null;
    changed("wallet");
  };
  const onChain = (chainId) => {
    state.wallet.chainId = Number(chainId);
    changed("wallet");
  };
  provider.on("accountsChanged", onAccounts);
  provider.on("chainChanged", onChain);
  handlers.set(provider, { onAccounts, onChain });
}

function unlisten(wallet) {
  const provider = wallet.provider;
  const found = handlers.get(provider);
  if (!found || !provider.removeListener) return;
  provider.removeListener("accountsChanged", found.onAccounts);
  provider.removeListener("chainChanged", found.onChain);
  handlers.delete(provider);
}
