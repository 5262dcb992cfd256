import type * as Crypto from "node:crypto";

/**
 * Hashes and random names, with node:crypto loaded on first use. Loading it pulls in streams and
 * ciphers: some 6 ms for a fresh process and more for a scan worker, which starts without Node's
 * start-up snapshot. A cold scan that keeps no state hashes nothing, so it never pays for it.
 */
let crypto: typeof Crypto | undefined;

function loadCrypto(): typeof Crypto {
  // A require, not an import: an import is loaded with the bundle, and not loading it is the point.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  crypto ??= require("node:crypto") as typeof Crypto;
  return crypto;
}

export function createHash(algorithm: "sha1" | "sha256"): Crypto.Hash {
  return loadCrypto().createHash(algorithm);
}

/** `bytes` random bytes as hex, for names no other writer picks. */
export function randomHex(bytes: number): string {
  return loadCrypto().randomBytes(bytes).toString("hex");
}
