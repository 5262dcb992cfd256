import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import vm from "node:vm";

/**
 * Starting the command-line scan from V8's code cache. Node compiles a bundle from its text on
 * every start (Node 20 keeps no compile cache of its own): about 20 ms for the scan's bundle, which
 * its cache brings down to 5. The build runs the scan once on a tiny corpus and keeps what V8
 * compiled in a file beside the bundle; later starts hand it back to V8 and skip that work.
 *
 * The cache is used only with the bundle it was made from: V8 itself compares just the length of
 * the source, so the file starts with a fingerprint of the bundle's bytes. A cache that is missing,
 * stale, damaged or made by another V8 only costs the compile it would have saved.
 */

const MAGIC = Buffer.from("MIMO-V8-CACHE-1\n", "latin1");
const FINGERPRINT_BYTES = 12;

/** What became of the cache on this start; the tests read it, the scan does not care. */
export type CacheUse = "used" | "rejected" | "stale" | "absent";

export interface LoadedBundle {
  exports: unknown;
  cache: CacheUse;
  /** Writes what V8 has compiled of the bundle so far as the cache of this bundle. */
  saveCache: () => void;
}

export function codeCachePathFor(bundle: string): string {
  return `${bundle}.v8-cache`;
}

/** Runs a CommonJS bundle (one that needs nothing but Node's own modules), with its code cache. */
export function runBundle(bundle: string): LoadedBundle {
  const bytes = fs.readFileSync(bundle);
  const digest = fingerprint(bytes);
  const cacheFile = codeCachePathFor(bundle);
  const { cachedData, cache } = readCache(cacheFile, digest);
  // A "#!" line is valid at the start of a file but not inside the function around it; "//" keeps
  // every position in the file where it was (source maps, stack traces).
  let source = bytes.toString("utf8");
  if (source.startsWith("#!")) source = `//${source.slice(2)}`;
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    cachedData,
  });
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  const used: CacheUse = cache === "used" && script.cachedDataRejected ? "rejected" : cache;
  run.call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  return {
    exports: module.exports,
    cache: used,
    saveCache: () => writeCache(cacheFile, digest, script.createCachedData()),
  };
}

function readCache(file: string, digest: Buffer): { cachedData: Buffer | undefined; cache: CacheUse } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return { cachedData: undefined, cache: "absent" };
  }
  const head = MAGIC.length + FINGERPRINT_BYTES;
  if (bytes.length <= head || !bytes.subarray(0, MAGIC.length).equals(MAGIC))
    return { cachedData: undefined, cache: "stale" };
  if (!bytes.subarray(MAGIC.length, head).equals(digest)) return { cachedData: undefined, cache: "stale" };
  return { cachedData: bytes.subarray(head), cache: "used" };
}

/**
 * Two 32-bit FNV-1a sums of the bundle's bytes (by 32-bit words, with different primes) and its
 * length. Not a cryptographic hash, and it need not be: the cache sits beside the bundle, as
 * trusted as the bundle is, and only has to be told apart from a bundle built since. Hashing with
 * node:crypto would load that module first thing (see core/hashing.ts).
 */
export function fingerprint(bytes: Buffer): Buffer {
  const whole = bytes.length - (bytes.length % 4);
  const words = new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + whole));
  let a = 0x811c9dc5 | 0;
  let b = 0x050c5d1f;
  for (let i = 0; i < words.length; i++) {
    a = Math.imul(a ^ words[i], 0x01000193);
    b = Math.imul(b ^ words[i], 0x5bd1e995);
  }
  for (let i = whole; i < bytes.length; i++) {
    a = Math.imul(a ^ bytes[i], 0x01000193);
    b = Math.imul(b ^ bytes[i], 0x5bd1e995);
  }
  const out = Buffer.alloc(FINGERPRINT_BYTES);
  out.writeInt32LE(a, 0);
  out.writeInt32LE(b, 4);
  out.writeUInt32LE(bytes.length >>> 0, 8);
  return out;
}

/** Written whole under a temporary name and renamed over, so a start never reads half a cache. */
function writeCache(file: string, digest: Buffer, data: Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, Buffer.concat([MAGIC, digest, data]), { flag: "wx" });
    fs.renameSync(temporary, file);
  } catch {
    fs.rmSync(temporary, { force: true });
  }
}
