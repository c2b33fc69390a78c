// The contracts, as the page writes to them: calls encoded with the ABIs the Python package
// ships (served by the API), reads for a write's inputs (nonces, EIP-712 domains) through the
// wallet, the revert data a refusal carries, and the typed data of permits and ballots.

import { Interface, Signature, getAddress, keccak256, toUtf8Bytes } from "ethers";
import { state } from "./state.js";
import { request } from "./wallet.js";

const interfaces = new Map();

/** The ethers Interface of deployment contract `name` ("TaskEscrow", "WorkGovernor", ...). */
export function iface(name) {
  if (!interfaces.has(name)) interfaces.set(name, new Interface(state.config.abis[name]));
  return interfaces.get(name);
}

/** The deployment's address of contract `name`. */
export function addressOf(name) {
  return state.config.contracts[name];
}

/** A call of `contract.fn(...args)`: { contract, to, data } (the contract's name is kept so
 * that a refusal is explained as that contract's error). */
export function call(contract, fn, args = []) {
  return { contract, to: addressOf(contract), data: iface(contract).encodeFunctionData(fn, args) };
}

/** Read `contract.fn(...args)` through the wallet (eth_call); the decoded result. */
export async function read(contract, fn, args = []) {
  const { to, data } = call(contract, fn, args);
  const raw = await request("eth_call", [{ to, data }, "latest"]);
  return iface(contract).decodeFunctionResult(fn, raw);
}

/** The revert data in a wallet's error, whatever its nesting (anvil puts it in `data`,
 * MetaMask in `data.originalError.data` or `data.data`); null if there is none. */
export function revertData(error, depth = 0) {
  if (!error || depth > 5) return null;
  if (typeof error === "string") return /^0x([0-9a-fA-F]{2})*$/.test(error) ? error : null;
  if (typeof error !== "object") return null;
  for (const key of ["data", "originalError", "error", "cause"]) {
    const found = revertData(error[key], depth + 1);
    if (found !== null) return found;
  }
  return null;
}

/** An address as typed: checksummed; throws when it is not one (or its checksum is wrong). */
export function checkAddress(text) {
  try {
    return getAddress(String(text).trim());
  } catch {
    throw new Error(`${text} is not an address (0x and 40 hex digits, checksum intact)`);
  }
}

/** keccak-256 of a text's UTF-8 bytes: the hash that stands on chain for a brief or a URI
 * (as the Python client's hash_content of a string). */
export function hashText(text) {
  return keccak256(toUtf8Bytes(text));
}

/** keccak-256 of a file's bytes, read in the browser: the file is never uploaded. */
export async function hashFile(file) {
  return keccak256(new Uint8Array(await file.arrayBuffer()));
}

// EIP-712 domain fields, in the order of ERC-5267's `fields` bitmap.
const DOMAIN_FIELDS = [
  ["name", "string"],
  ["version", "string"],
  ["chainId", "uint256"],
  ["verifyingContract", "address"],
  ["salt", "bytes32"],
];

/** The EIP-712 domain of `contract`, as its ERC-5267 eip712Domain() reports it. */
async function domainOf(contract) {
  const [fields, name, version, chainId, verifyingContract, salt] = await read(contract, "eip712Domain");
  const values = [name, version, Number(chainId), verifyingContract, salt];
  const bits = Number(BigInt(fields));
  const domain = {};
  const types = [];
  DOMAIN_FIELDS.forEach(([key, type], i) => {
    if ((bits >> i) & 1) {
      domain[key] = values[i];
      types.push({ name: key, type });
    }
  });
  return { domain, types };
}

/** EIP-712 typed data of `primaryType` (its `fields`) for `contract`'s domain. */
async function typedData(contract, primaryType, fields, message) {
  const { domain, types } = await domainOf(contract);
  return { types: { EIP712Domain: types, [primaryType]: fields }, primaryType, domain, message };
}

/** The typed data of an EIP-2612 permit letting `spender` (a deployment contract's name: the
 * escrow by default) take `value` of the work token. */
export async function permitTypedData(owner, value, deadline, spender = "TaskEscrow") {
  const [nonce] = await read("WorkToken", "nonces", [owner]);
  return typedData(
    "WorkToken",
    "Permit",
    [
      { name: "owner", type: "address" },
      { name: "spender", type: "address" },
      { name: "value", type: "uint256" },
      { name: "nonce", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
    { owner, spender: addressOf(spender), value: value.toString(), nonce: nonce.toString(), deadline: deadline.toString() },
  );
}

/** The typed data of a governor Ballot: `voter`'s vote `support` on `proposalId`, valid for
 * the voter's governor `nonce`. */
export async function ballotTypedData(proposalId, support, voter, nonce) {
  return typedData(
    "WorkGovernor",
    "Ballot",
    [
      { name: "proposalId", type: "uint256" },
      { name: "support", type: "uint8" },
      { name: "voter", type: "address" },
      { name: "nonce", type: "uint256" },
    ],
    { proposalId: proposalId.toString(), support, voter, nonce: nonce.toString() },
  );
}

/** Ask the wallet to sign typed data (EIP-712, eth_signTypedData_v4). */
export async function signTypedData(account, typed) {
  return request("eth_signTypedData_v4", [account, JSON.stringify(typed)]);
}

/** A 65-byte signature split into v, r, s. */
export function splitSignature(signature) {
  const sig = Signature.from(signature);
  return { v: sig.v, r: sig.r, s: sig.s };
}

/** How long a permit signed for a call stays valid: it is used at once. */
const PERMIT_TTL = 3600;

/**
 * Moving `amount` of the work token from `account` into `spender` (a deployment contract's
 * name: the escrow by default) with a call, as the Python client's `pull_call` does: the plain
 * call when the spender may already take it (or nothing moves), else the call's permit twin
 * with a permit the wallet signs first (one transaction).
 * Returns what `act` takes: { permit, prepare, call } (`prepare` null when no permit is needed).
 *   plain: () => call(...)            the call without a permit
 *   withPermit: (deadline, v, r, s) => call(...)
 */
export async function pull(account, amount, plain, withPermit, spender = "TaskEscrow") {
  let allowance = 0n;
  if (amount > 0n) {
    try {
      [allowance] = await read("WorkToken", "allowance", [account, addressOf(spender)]);
    } catch {
      allowance = 0n; // the wallet's problem shows when the call is checked
    }
  }
  if (amount === 0n || allowance >= amount) return { permit: false, prepare: null, call: async () => plain() };
  return {
    permit: true,
    prepare: async (signer) => {
      const deadline = Number(state.status.timestamp) + PERMIT_TTL;
      const signature = await signTypedData(signer, await permitTypedData(signer, amount, deadline, spender));
      return { deadline, ...splitSignature(signature) };
    },
    call: async (signer, p) => withPermit(p.deadline, p.v, p.r, p.s),
  };
}
