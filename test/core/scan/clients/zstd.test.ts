import { decompressZstd, zstdDecoder, type ZstdDecoderName } from "../../../../src/core/scan/clients/zstd";
import { zstd } from "../../../helpers/current-writers";

/**
 * Both decoders give the same answers: Node's own zlib zstd (Node ≥ 22.15, Raycast's) and fzstd,
 * the fallback on older Node (the tests' Node 20). The one this Node lacks is reported as skipped.
 */

const text = Array.from({ length: 2000 }, (_, i) => `{"line":${i},"text":"the same words again and again"}`).join("\n");
const DECODERS: { name: ZstdDecoderName; run: boolean }[] = [
  { name: "fzstd", run: true },
  { name: "node:zlib", run: zstdDecoder() === "node:zlib" },
];

describe.each(DECODERS)("$name", ({ name, run }) => {
  const maybe = run ? it : it.skip;

  maybe("unpacks what the zstd program packs, at a low and a high level, and concatenated frames", () => {
    for (const level of [3, 19]) {
      const result = decompressZstd(zstd(text, level), 1 << 20, name);
      expect(result).toEqual({ ok: true, bytes: Buffer.from(text) });
    }
    const two = Buffer.concat([zstd("first\n"), zstd("second\n")]);
    expect(decompressZstd(two, 1 << 20, name)).toEqual({ ok: true, bytes: Buffer.from("first\nsecond\n") });
  });

  maybe("stops at the size limit instead of growing the heap", () => {
    const result = decompressZstd(zstd("x".repeat(4 << 20)), 1 << 20, name);
    expect(result).toEqual({ ok: false, reason: "it unpacks to more than 1 MB" });
  });

  maybe("names a damaged frame and data that is not Zstandard", () => {
    const packed = zstd(text);
    const cut = packed.subarray(0, Math.floor(packed.length / 2));
    expect(decompressZstd(cut, 1 << 20, name)).toMatchObject({ ok: false, reason: expect.stringMatching(/^damaged/) });
    const flipped = Buffer.from(packed);
    for (let i = 20; i < flipped.length - 8; i += 7) flipped[i] ^= 0xff;
    expect(decompressZstd(flipped, 1 << 20, name).ok).toBe(false);
    expect(decompressZstd(Buffer.from('{"plain":"json"}'), 1 << 20, name)).toEqual({
      ok: false,
      reason: "not Zstandard data",
    });
  });
});
