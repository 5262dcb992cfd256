import { createHash } from "../hashing";
import * as z from "zod";
import { readJsonFile, writeJsonFile } from "../io";
import type { RootReport } from "../views/schema";

/**
 * Every successful plan answer, kept as a small sample in the support folder: the pace's burn rate
 * and the estimate when the platform fails both come from here. Only figures and times are stored,
 * never the cookie. The file is ours, bounded, written atomically, and a file that does not parse
 * is started over rather than shown as an error: losing the history costs a few refreshes of
 * precision, never the menu. Something that is not a file of ours at its name (a FIFO, a device, a
 * link out of the folder) is never read or replaced, and is named.
 */

export const CREDIT_HISTORY_FILE = "credit-history.json";
const HISTORY_VERSION = 1;

/** Samples older than this are dropped: one 30-day period and the 7-day burn window, with room to spare. */
export const HISTORY_MAX_AGE_MS = 60 * 86_400_000;
/** A sample closer than this to the one before the last replaces the last: about one an hour is kept. */
export const SAMPLE_SPACING_MS = 2 * 60 * 60_000;
/** A hard cap, whatever the clock does. */
export const MAX_SAMPLES = 1_500;

const instant = z.iso.datetime({ offset: true });

export const CreditSampleSchema = z.object({
  /** When the platform gave the figures. */
  at: instant,
  /** Credits used in the period, and the period's limit. */
  used: z.number().nonnegative(),
  limit: z.number().nonnegative(),
  periodEnd: instant.nullable(),
  /**
   * This Mac's lifetime tokens at `at`, when a fresh scan ran alongside: local use since the answer
   * is then a difference of two counts, exact to the message, instead of a share of an hour.
   */
  localTokens: z.number().nonnegative().nullable(),
  /** Which folders `localTokens` counted (a short hash), so a change of folders is not read as use. */
  roots: z.string().nullable(),
  /**
   * This Mac's lifetime Credits at MiMo's rates and its unrated tokens at `at`, beside `localTokens`
   * (samples written before Credits were counted have none, and fall back to the hourly rows).
   */
  localCredits: z.number().nonnegative().nullable().default(null),
  localUncredited: z.number().int().nonnegative().nullable().default(null),
  /**
   * This Mac's Credits in the answer's period: `used` minus this is what was used elsewhere (other
   * devices, other clients, the console) by the time of the answer.
   */
  periodLocalCredits: z.number().nonnegative().nullable().default(null),
});
export type CreditSample = z.infer<typeof CreditSampleSchema>;

const HistoryFileSchema = z.object({
  version: z.literal(HISTORY_VERSION),
  samples: z.array(CreditSampleSchema),
});

/** 1,500 samples take some 400 kB; anything much bigger is not a history of ours. */
const MAX_HISTORY_BYTES = 4 * 1024 * 1024;
const WHAT = "a MiMo Usage credit history";

/**
 * The samples on disk, oldest first; an absent or damaged file reads as none. `refused` says why
 * the file was not read when it is not one we may read (see io.ts openOwnFile).
 */
export async function loadCreditHistory(file: string): Promise<{ samples: CreditSample[]; refused: string | null }> {
  const read = await readJsonFile(file, { maxBytes: MAX_HISTORY_BYTES, what: WHAT }, (value) =>
    HistoryFileSchema.safeParse(value),
  );
  if (read.ok) return { samples: sortByTime(read.value.samples), refused: null };
  return { samples: [], refused: read.reason === "refused" ? read.message : null };
}

/** The samples on disk, oldest first; an absent, refused or damaged file reads as none. */
export async function readCreditHistory(file: string): Promise<CreditSample[]> {
  return (await loadCreditHistory(file)).samples;
}

/** Throws a FileRefusal (io.ts) and leaves the path alone when something not ours is there. */
export async function writeCreditHistory(file: string, samples: CreditSample[]): Promise<void> {
  await writeJsonFile(file, { version: HISTORY_VERSION, samples }, WHAT);
}

/**
 * Adds a sample and keeps the history bounded: samples older than 60 days go, and one closer than two
 * hours to the sample before the last replaces the last, so the newest answer is always there while
 * the file holds about one sample an hour (a 5-minute refresh would otherwise write 288 a day). A
 * period change is never merged away.
 */
export function addSample(samples: CreditSample[], sample: CreditSample, now: Date): CreditSample[] {
  const oldest = now.getTime() - HISTORY_MAX_AGE_MS;
  const kept = sortByTime(samples).filter(
    (s) => Date.parse(s.at) >= oldest && Date.parse(s.at) < Date.parse(sample.at),
  );
  const last = kept.at(-1);
  const beforeLast = kept.at(-2);
  if (
    last &&
    beforeLast &&
    last.periodEnd === sample.periodEnd &&
    beforeLast.periodEnd === sample.periodEnd &&
    Date.parse(sample.at) - Date.parse(beforeLast.at) < SAMPLE_SPACING_MS
  ) {
    kept.pop();
  }
  kept.push(sample);
  return kept.slice(-MAX_SAMPLES);
}

/** A short, stable name for a set of folders; says nothing about what is in them. */
export function rootsFingerprint(roots: Pick<RootReport, "path" | "kind">[], otherClients: string[] = []): string {
  // The other clients read count too: reading one more adds its history to the local total at once.
  const sources = [...roots.map((root) => [root.kind, root.path]), ...otherClients.map((name) => ["client", name])];
  const text = JSON.stringify(sources.sort());
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

function sortByTime(samples: CreditSample[]): CreditSample[] {
  return [...samples].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
