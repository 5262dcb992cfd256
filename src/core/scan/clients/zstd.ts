import zlib from "node:zlib";

/**
 * Zstandard decompression for the clients that compress what they keep (Codex's older rollouts,
 * OpenClaw's large events and archives). Node's own zlib has zstd from 22.15 and 23.8, which covers
 * Raycast; an older Node (the tests' Node 20, the command line on it) falls back to fzstd, a small
 * pure-JS decoder, loaded only then. Both stop at `maxBytes` of output, so a hostile or damaged frame
 * cannot grow the heap past it; every failure is a value naming what went wrong.
 */

export type ZstdResult = { ok: true; bytes: Buffer } | { ok: false; reason: string };

/** The first four bytes of every Zstandard frame. */
const MAGIC = 0xfd2fb528;

type NodeZstd = (data: Uint8Array, options: { maxOutputLength: number }) => Buffer;

function nodeZstd(): NodeZstd | null {
  const candidate = (zlib as { zstdDecompressSync?: unknown }).zstdDecompressSync;
  return typeof candidate === "function" ? (candidate as NodeZstd) : null;
}

/** Which decoder this runtime uses; tests run both where they can. */
export type ZstdDecoderName = "node:zlib" | "fzstd";

export function zstdDecoder(): ZstdDecoderName {
  return nodeZstd() ? "node:zlib" : "fzstd";
}

export function isZstdFrame(data: Uint8Array): boolean {
  return data.length >= 4 && Buffer.from(data.buffer, data.byteOffset, 4).readUInt32LE(0) === MAGIC;
}

/** Decompresses one or more concatenated frames, never producing more than `maxBytes`. */
export function decompressZstd(
  data: Uint8Array,
  maxBytes: number,
  decoder: ZstdDecoderName = zstdDecoder(),
): ZstdResult {
  if (!isZstdFrame(data)) return { ok: false, reason: "not Zstandard data" };
  const native = decoder === "node:zlib" ? nodeZstd() : null;
  if (decoder === "node:zlib" && !native) return { ok: false, reason: "this Node.js has no zstd in zlib" };
  try {
    return { ok: true, bytes: native ? native(data, { maxOutputLength: maxBytes }) : withFzstd(data, maxBytes) };
  } catch (error) {
    return { ok: false, reason: describe(error, maxBytes) };
  }
}

class TooLarge extends Error {}

function withFzstd(data: Uint8Array, maxBytes: number): Buffer {
  // Loaded on first use: Raycast's Node never needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Decompress } = require("fzstd") as typeof import("fzstd");
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const stream = new Decompress((chunk, final) => {
    size += chunk.length;
    if (size > maxBytes) throw new TooLarge();
    chunks.push(Buffer.from(chunk));
    if (final) finished = true;
  });
  stream.push(data, true);
  if (!finished) throw new Error("the data ends inside a frame");
  return Buffer.concat(chunks, size);
}

function describe(error: unknown, maxBytes: number): string {
  const code = (error as { code?: unknown }).code;
  if (error instanceof TooLarge || code === "ERR_BUFFER_TOO_LARGE" || error instanceof RangeError)
    return `it unpacks to more than ${Math.round(maxBytes / (1024 * 1024))} MB`;
  const message = error instanceof Error ? error.message : String(error);
  return `damaged Zstandard data (${message || "unreadable frame"})`;
}
