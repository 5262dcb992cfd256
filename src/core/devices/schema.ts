import * as z from "zod";
import { ClientNameSchema } from "../scan/clients/types";
import { BucketsSchema, tokenCount } from "../types";

/**
 * A device digest: what one device publishes of its own usage into the sync folder the user already
 * runs (iCloud Drive, Dropbox, Syncthing, a network share), so every other device can show it by
 * name. It holds figures only: no prompt, no path, and session ids only when the user shares them.
 * Every other device's digest is read with this schema and never written back or added to our state.
 */

export const DIGEST_FORMAT = "mimo-usage-device-digest";
export const DIGEST_VERSION = 1;

/** Lower-case letters, digits and dashes: safe as a file name on every sync service. */
export const DeviceIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{7,63}$/);
export type DeviceId = z.infer<typeof DeviceIdSchema>;

/** A name a person reads in a menu: one line, not empty, not a wall of text. */
export const DeviceNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\n\r\t]*$/);

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const instant = z.iso.datetime({ offset: true });

const DigestFiguresSchema = BucketsSchema.extend({
  credits: z.number().nonnegative(),
  uncreditedTokens: tokenCount,
  messages: tokenCount,
});
export type DigestFigures = z.infer<typeof DigestFiguresSchema>;

/** One client's use of one model on one of the device's local dates. */
export const DigestRowSchema = DigestFiguresSchema.extend({ date, client: ClientNameSchema, model: z.string() });
export type DigestRow = z.infer<typeof DigestRowSchema>;

/** One UTC hour, for "since an instant" (the plan's last answer): the same rows the snapshot keeps. */
export const DigestHourSchema = z.object({
  at: z.number().int(),
  total: tokenCount,
  credits: z.number().nonnegative(),
  uncreditedTokens: tokenCount,
});
export type DigestHour = z.infer<typeof DigestHourSchema>;

/** A session, only with "Share session list" on: its id and figures, never its folder or summary. */
export const DigestSessionSchema = z.object({
  sessionId: z.string().max(200),
  client: ClientNameSchema,
  firstAt: instant,
  lastAt: instant,
  models: z.array(z.string()),
  total: tokenCount,
  credits: z.number().nonnegative(),
});
export type DigestSession = z.infer<typeof DigestSessionSchema>;

/** A random value made on each machine, so two machines that came to hold one device id are told apart. */
export const InstallSchema = z.string().regex(/^[a-f0-9]{16,64}$/);

export const DigestSchema = z.object({
  format: z.literal(DIGEST_FORMAT),
  version: z.literal(DIGEST_VERSION),
  deviceId: DeviceIdSchema,
  deviceName: DeviceNameSchema,
  /**
   * The publishing machine's install value (see DeviceFile.install). Missing in digests written
   * before it existed; another machine publishing under our id is then not told apart.
   */
  install: InstallSchema.optional(),
  /** When the device scanned the figures below. */
  updatedAt: instant,
  /** The zone the device's dates are in: its days are its own local days. */
  timeZone: z.string(),
  days: z.array(DigestRowSchema),
  hours: z.array(DigestHourSchema),
  lifetime: DigestFiguresSchema.extend({ sessions: tokenCount }),
  /** Present only when the device shares its session list. */
  sessions: z.array(DigestSessionSchema).optional(),
});
export type Digest = z.infer<typeof DigestSchema>;

/** A skipped file as it was when it was named: named again only once it changes. */
export const FileStampSchema = z.object({ file: z.string(), mtimeMs: z.number(), size: z.number() });
export type FileStamp = z.infer<typeof FileStampSchema>;

/** What this device keeps in its support (or state) folder: its random id and its last write. */
export const DeviceFileSchema = z.object({
  version: z.literal(1),
  id: DeviceIdSchema,
  /** The last digest written: when, and a fingerprint of its figures (updatedAt left out). */
  written: z.object({ at: instant, fingerprint: z.string(), file: z.string() }).nullable(),
  /**
   * A random value and the host name it was made on. The file travels with a copied support folder
   * (a migration, a restored backup), the host name does not: on another host the value is made
   * anew, so the two machines' digests under the one id differ by it (see devices/section.ts).
   * Missing in files written before it existed: made on first use.
   */
  install: InstallSchema.optional(),
  host: z.string().max(255).optional(),
  /** Ids this device gave up because another machine published under them, with its install then. */
  left: z
    .array(z.object({ id: DeviceIdSchema, install: InstallSchema }))
    .max(16)
    .optional(),
  /** When and why this device last took a new id, said in the report for a day after. */
  renewed: z.object({ at: instant, from: DeviceIdSchema }).optional(),
  /** Files in the sync folder already named as skipped, as they were then. */
  reported: z.array(FileStampSchema).max(1000).optional(),
});
export type DeviceFile = z.infer<typeof DeviceFileSchema>;

// ---------------------------------------------------------------------------------------------
// What the report carries: other devices, already read and bounded.

const RowFiguresSchema = DigestFiguresSchema.extend({ total: tokenCount });
export type RowFigures = z.infer<typeof RowFiguresSchema>;

/** Another device as read from its digest: per day (all its clients and models), lifetime and hours. */
export const OtherDeviceSchema = z.object({
  id: DeviceIdSchema,
  /** The name to show: the digest's own, with a short id after it when two devices share a name. */
  name: z.string(),
  updatedAt: instant,
  /** True when its digest is more than a day old. */
  stale: z.boolean(),
  timeZone: z.string(),
  days: z.array(RowFiguresSchema.extend({ date })),
  lifetime: RowFiguresSchema,
  hours: z.array(DigestHourSchema),
  /** The file its figures came from (a conflict copy when that was the newest). */
  file: z.string(),
  sessions: z.array(DigestSessionSchema).optional(),
});
export type OtherDevice = z.infer<typeof OtherDeviceSchema>;

export const SkippedDigestSchema = z.object({
  file: z.string(),
  reason: z.string(),
  /** True when an earlier refresh named it, and it has not changed since (same mtime and size). */
  namedBefore: z.boolean().optional(),
});
export type SkippedDigest = z.infer<typeof SkippedDigestSchema>;

export const DevicesSectionSchema = z.object({
  syncFolder: z.string(),
  thisDevice: z.object({ id: DeviceIdSchema, name: z.string() }),
  /** False when the sync folder is not there (unmounted, sync turned off): figures are This Mac's only. */
  available: z.boolean(),
  /** Whether this refresh wrote our digest, and why not when it could not. */
  published: z.object({ written: z.boolean(), at: instant.nullable(), error: z.string().nullable() }),
  others: z.array(OtherDeviceSchema),
  /** Files in the folder that were not read, each named once with the reason. */
  skipped: z.array(SkippedDigestSchema),
  /**
   * Set for a day after this device took a new id because another machine published under its
   * old one (a support folder copied to it, or from it): the old id and when.
   */
  renewed: z.object({ from: DeviceIdSchema, at: instant }).optional(),
});
export type DevicesSection = z.infer<typeof DevicesSectionSchema>;
