import { isUtf8 } from "node:buffer";
import { fsPath, mayHaveLostBytes, nameFromBytes } from "../../../../src/core/scan/claude/file-names";

/** Lead bytes of every length, and the ones with narrower second bytes or none valid at all. */
const LEADS = [0xc2, 0xc3, 0xdf, 0xe0, 0xe6, 0xed, 0xef, 0xf0, 0xf3, 0xf4, 0xc0, 0xc1, 0xf5, 0xff];

/** A small seeded generator, so a failing case can be replayed. */
function bytesOf(seed: number, length: number): Buffer {
  let x = seed * 2654435761;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    // xorshift32
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    // Mostly bytes that start or continue UTF-8 sequences, where the edge cases are.
    const pick = (x >>> 8) % 10;
    if (pick < 2) out[i] = 0x61;
    else if (pick < 5) out[i] = 0x80 + ((x >>> 12) % 0x40);
    else out[i] = LEADS[(x >>> 12) % LEADS.length];
  }
  return out;
}

describe("file names that are not UTF-8", () => {
  it("leaves a valid name as Node reads it", () => {
    for (const name of ["a.jsonl", "with space & ü.jsonl", "陈杰-代码", "emoji 🐛.jsonl", "\uFFFD real.jsonl"]) {
      const bytes = Buffer.from(name, "utf8");
      expect(nameFromBytes(bytes)).toBe(name);
      expect(fsPath(name)).toBe(name);
    }
  });

  it.each([
    ["a Latin-1 é", [0x63, 0x61, 0x66, 0xe9]],
    ["a lone continuation byte", [0x80]],
    ["an overlong slash", [0xc0, 0xaf]],
    ["an overlong three-byte form", [0xe0, 0x80, 0xaf]],
    ["a UTF-16 surrogate", [0xed, 0xa0, 0x80]],
    ["a code point past U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
    ["a sequence cut short", [0x61, 0xe6, 0x97]],
    ["a cut sequence before a valid one", [0xe6, 0x97, 0xe6, 0x97, 0xa5]],
  ])("turns %s into a distinct string and back into the same bytes", (_name, values) => {
    const bytes = Buffer.from(values);
    expect(isUtf8(bytes)).toBe(false);
    const name = nameFromBytes(bytes);
    // Read as a string, Node would have put U+FFFD there: discovery looks again as bytes.
    expect(mayHaveLostBytes(bytes.toString("utf8"))).toBe(true);
    expect(name).not.toContain("\uFFFD");
    expect(fsPath(name)).toEqual(bytes);
    // Survives the UTF-8 of the state file and the JSON of the listings file as it is.
    expect(Buffer.from(name, "utf8").toString("utf8")).toBe(name);
    expect(JSON.parse(JSON.stringify(name))).toBe(name);
  });

  it("keeps the valid characters around bad bytes readable", () => {
    expect(
      nameFromBytes(Buffer.concat([Buffer.from("日本", "utf8"), Buffer.from([0xff]), Buffer.from(".jsonl")])),
    ).toBe("日本\u0000\u00ff.jsonl");
  });

  it("gives every byte string back exactly, and a string of its own", () => {
    const seen = new Map<string, string>();
    const wrong: string[] = [];
    for (let seed = 1; seed <= 3000; seed++) {
      const bytes = bytesOf(seed, 1 + (seed % 6));
      const hex = bytes.toString("hex");
      const name = nameFromBytes(bytes);
      const back = fsPath(name);
      if (!(Buffer.isBuffer(back) ? back : Buffer.from(back, "utf8")).equals(bytes)) wrong.push(`${hex} round trip`);
      if (isUtf8(bytes) && name !== bytes.toString("utf8")) wrong.push(`${hex} valid, changed`);
      if ((seen.get(name) ?? hex) !== hex) wrong.push(`${hex} same string as ${seen.get(name)}`);
      seen.set(name, hex);
    }
    expect(wrong).toEqual([]);
    // The generator does reach both kinds.
    expect([...seen.values()].filter((hex) => isUtf8(Buffer.from(hex, "hex"))).length).toBeGreaterThan(20);
    expect([...seen.values()].filter((hex) => !isUtf8(Buffer.from(hex, "hex"))).length).toBeGreaterThan(1000);
  });
});
