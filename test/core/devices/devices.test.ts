import { promises as fs } from "node:fs";
import path from "node:path";
import { loadUsageReport } from "../../../src/core/chain/report";
import type { UsageReport } from "../../../src/core/chain/report-schema";
import { DigestSchema, type Digest, type DevicesSection } from "../../../src/core/devices/schema";
import { deviceIdOfName, MAX_DIGEST_BYTES } from "../../../src/core/devices/read";
import { allDevicesWindow, devicesInPeriod, windowPeriod } from "../../../src/core/devices/view";
import { DEVICE_FILE, digestFile, type DevicesConfig } from "../../../src/core/devices/write";
import { estimatePlan } from "../../../src/core/platform/estimate";
import type { CreditSample } from "../../../src/core/platform/credit-history";
import { describeEstimate, summaryText } from "../../../src/core/query/summary";
import { chainOptions, writeCorpus, type CorpusSession } from "../../helpers/report";
import { tempDir } from "../../helpers/transcripts";

/**
 * Two devices on one machine: two transcript trees, two support folders, one sync folder. Each runs
 * the real source chain; what one publishes, the other reads.
 */

const NOW = new Date("2026-11-25T12:00:00Z");
const MINUTE = 60_000;

let dir = "";
let sync = "";

beforeEach(async () => {
  dir = await tempDir("mimo-devices-");
  sync = path.join(dir, "sync");
  await fs.mkdir(sync);
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** A device's sessions: one message per entry, its instant and input tokens (mimo-v2.5-pro, rated). */
function corpus(messages: Record<string, number>, id: string): CorpusSession[] {
  return [{ id, cwd: "/work/app", lines: Object.entries(messages).map(([ts, input]) => ({ ts, input, output: 10 })) }];
}

interface Device {
  name: string;
  home: string;
  config: DevicesConfig;
}

async function device(name: string, messages: Record<string, number>, deviceName = name): Promise<Device> {
  const home = path.join(dir, name);
  await writeCorpus(path.join(home, "mimo"), corpus(messages, `${name}-session`));
  return {
    name,
    home,
    config: { syncFolder: sync, deviceName, idFolder: path.join(home, "support"), shareSessions: false, host: name },
  };
}

function refresh(d: Device, now: Date = NOW, config: Partial<DevicesConfig> = {}): Promise<UsageReport> {
  return loadUsageReport({ ...chainOptions(d.home, { now }), devices: { ...d.config, ...config } });
}

function devicesOf(report: UsageReport): DevicesSection {
  if (!report.devices) throw new Error("expected a devices section");
  return report.devices;
}

async function idOf(d: Device): Promise<string> {
  return (JSON.parse(await fs.readFile(path.join(d.config.idFolder, DEVICE_FILE), "utf8")) as { id: string }).id;
}

async function digestOf(d: Device): Promise<Digest> {
  return DigestSchema.parse(JSON.parse(await fs.readFile(digestFile(sync, await idOf(d)), "utf8")));
}

function weekFigures(report: UsageReport) {
  const local = report.local!;
  return devicesInPeriod(devicesOf(report), local, windowPeriod(local.snapshot, "week"));
}

describe("two devices through one sync folder", () => {
  it("each publishes its own figures and shows the other's by name; all devices is the sum", async () => {
    const a = await device("studio", { "2026-11-24T10:00:00Z": 1000, "2026-11-25T09:00:00Z": 2000 });
    const b = await device("laptop", { "2026-11-25T08:00:00Z": 500, "2026-11-10T08:00:00Z": 7000 });
    const bReport = await refresh(b);
    const aReport = await refresh(a);

    const aDevices = devicesOf(aReport);
    expect(aDevices.available).toBe(true);
    expect(aDevices.others.map((d) => d.name)).toEqual(["laptop"]);
    const week = weekFigures(aReport);
    expect(week.devices.map((d) => [d.name, d.total, d.thisDevice])).toEqual([
      ["studio", 1000 + 10 + 2000 + 10, true],
      ["laptop", 510, false],
    ]);
    expect(week.allDevices.total).toBe(aReport.local!.snapshot.week.total + bReport.local!.snapshot.week.total);
    expect(week.allDevices.credits).toBeCloseTo(
      aReport.local!.snapshot.week.credits + bReport.local!.snapshot.week.credits,
      6,
    );
    const lifetime = allDevicesWindow(aDevices, aReport.local!, "lifetime");
    expect(lifetime?.total).toBe(3020 + 510 + 7010);

    // Never summed into A's own state: A's snapshot is A's alone, and so is what A publishes.
    expect(aReport.local!.snapshot.lifetime.total).toBe(3020);
    expect((await digestOf(a)).lifetime.input).toBe(3000);
  });

  it("publishes per day × client × model the buckets, Credits and messages, and no paths or session ids", async () => {
    const a = await device("studio", { "2026-11-24T10:00:00Z": 1000, "2026-11-25T09:00:00Z": 2000 });
    await refresh(a);
    const digest = await digestOf(a);
    expect(digest.deviceName).toBe("studio");
    expect(digest.days.map((row) => [row.date, row.client, row.model, row.input, row.output, row.messages])).toEqual([
      ["2026-11-24", "claude-code", "mimo-v2.5-pro", 1000, 10, 1],
      ["2026-11-25", "claude-code", "mimo-v2.5-pro", 2000, 10, 1],
    ]);
    // mimo-v2.5-pro: 300 Credits a cache-miss token, 600 an output token (rates.ts).
    expect(digest.days[0].credits).toBe(1000 * 300 + 10 * 600);
    const text = await fs.readFile(digestFile(sync, await idOf(a)), "utf8");
    expect(text).not.toContain("/work/app");
    expect(text).not.toContain("studio-session");
    expect(digest.sessions).toBeUndefined();

    await refresh(a, new Date(NOW.getTime() + 2 * MINUTE), { shareSessions: true });
    expect((await digestOf(a)).sessions?.map((s) => s.sessionId)).toEqual(["studio-session"]);
    expect(await fs.readFile(digestFile(sync, await idOf(a)), "utf8")).not.toContain("/work/app");
  });

  it("writes only when the figures changed, at most once a minute, and again after hours of no change", async () => {
    const a = await device("studio", { "2026-11-25T09:00:00Z": 2000 });
    expect(devicesOf(await refresh(a)).published.written).toBe(true);
    const file = digestFile(sync, await idOf(a));
    const first = await fs.stat(file);
    expect(devicesOf(await refresh(a, new Date(NOW.getTime() + 5 * MINUTE))).published.written).toBe(false);

    await writeCorpus(path.join(a.home, "mimo"), corpus({ "2026-11-25T12:00:00Z": 5 }, "more"));
    // Changed, but the last write was less than a minute before.
    const soon = devicesOf(await refresh(a, new Date(NOW.getTime() + 30_000)));
    expect(soon.published.written).toBe(false);
    const later = devicesOf(await refresh(a, new Date(NOW.getTime() + 6 * MINUTE)));
    expect(later.published.written).toBe(true);
    expect((await digestOf(a)).lifetime.input).toBe(2005);
    expect((await fs.stat(file)).ino).not.toBe(first.ino);

    // Idle for seven hours: written again so other devices do not take it for gone.
    expect(devicesOf(await refresh(a, new Date(NOW.getTime() + 7 * 60 * MINUTE))).published.written).toBe(true);
  });

  it("reads conflict copies as the same device, the newest winning, counted once", async () => {
    const b = await device("laptop", { "2026-11-25T08:00:00Z": 500 });
    const a = await device("studio", { "2026-11-25T09:00:00Z": 2000 });
    await refresh(b);
    const id = await idOf(b);
    const digest = await digestOf(b);
    const folder = path.dirname(digestFile(sync, id));
    const older = { ...digest, updatedAt: "2026-11-25T11:00:00.000Z", lifetime: { ...digest.lifetime, input: 1 } };
    const newer = {
      ...digest,
      updatedAt: "2026-11-25T12:00:30.000Z",
      days: digest.days.map((row) => ({ ...row, input: 900 })),
    };
    await fs.writeFile(path.join(folder, `${id} 2.json`), JSON.stringify(older));
    await fs.writeFile(path.join(folder, `${id} (laptop's conflicted copy 2026-11-25).json`), JSON.stringify(older));
    await fs.writeFile(path.join(folder, `${id}.sync-conflict-20261125-115900-ABCDEFG.json`), JSON.stringify(newer));

    const section = devicesOf(await refresh(a));
    expect(section.others).toHaveLength(1);
    expect(section.others[0].file).toContain(".sync-conflict-");
    expect(section.others[0].days.map((day) => day.input)).toEqual([900]);
    expect(section.skipped).toEqual([]);
  });

  it("marks a device stale after a day, and still counts it", async () => {
    const b = await device("laptop", { "2026-11-23T08:00:00Z": 500 });
    const a = await device("studio", { "2026-11-25T09:00:00Z": 2000 });
    await refresh(b, new Date("2026-11-23T09:00:00Z"));
    const report = await refresh(a);
    const [laptop] = devicesOf(report).others;
    expect(laptop.stale).toBe(true);
    expect(weekFigures(report).allDevices.total).toBe(2010 + 510);

    const fresh = devicesOf(await refresh(b, new Date("2026-11-25T12:30:00Z")));
    expect(fresh.others).toEqual([expect.objectContaining({ name: "studio", stale: false })]);
  });

  it("skips a corrupt, oversized, future-dated or ill-formed digest, a link and a folder, naming each once", async () => {
    const b = await device("laptop", { "2026-11-25T08:00:00Z": 500 });
    const a = await device("studio", { "2026-11-25T09:00:00Z": 2000 });
    await refresh(b);
    const good = await digestOf(b);
    const folder = path.join(sync, "devices");
    const file = (id: string) => path.join(folder, `${id}.json`);
    await fs.writeFile(file("cut0short"), JSON.stringify(good).slice(0, 100));
    await fs.writeFile(file("notadigest"), JSON.stringify({ ...good, deviceId: "notadigest", days: "many" }));
    await fs.writeFile(
      file("fromthefuture"),
      JSON.stringify({ ...good, deviceId: "fromthefuture", updatedAt: "2026-11-26T12:00:00Z" }),
    );
    const huge = await fs.open(file("bigbigbig"), "w");
    await huge.truncate(MAX_DIGEST_BYTES + 1);
    await huge.close();
    await fs.symlink(digestFile(sync, good.deviceId), file("alinkalink"));
    await fs.mkdir(file("afolderxx"));
    await fs.writeFile(file("someoneelse"), JSON.stringify(good));

    const report = await refresh(a);
    const section = devicesOf(report);
    expect(section.others.map((d) => d.name)).toEqual(["laptop"]);
    const reasons = Object.fromEntries(section.skipped.map((s) => [path.basename(s.file, ".json"), s.reason]));
    expect(Object.keys(reasons).sort()).toEqual(
      ["afolderxx", "alinkalink", "bigbigbig", "cut0short", "fromthefuture", "notadigest", "someoneelse"].sort(),
    );
    expect(reasons.bigbigbig).toMatch(/over the 5 MB/);
    expect(reasons.cut0short).toMatch(/not JSON/);
    expect(reasons.notadigest).toMatch(/days/);
    expect(reasons.fromthefuture).toMatch(/future/);
    expect(reasons.alinkalink).toMatch(/symbolic link/);
    expect(reasons.afolderxx).toMatch(/folder/);
    expect(reasons.someoneelse).toMatch(/another device/);
    // Five named one by one, the rest counted: the menu gets no wall of warnings.
    const skippedProblems = report.problems.filter((p) => p.kind === "digestSkipped");
    expect(skippedProblems).toHaveLength(6);
    expect(skippedProblems[5].detail).toMatch(/^2 more files/);
    // Nothing of the skipped files was touched.
    expect((await fs.stat(file("bigbigbig"))).size).toBe(MAX_DIGEST_BYTES + 1);
  });

  it("tells two devices with the same name apart, and shows a renamed device once under its new name", async () => {
    const b = await device("laptop", { "2026-11-25T08:00:00Z": 500 }, "MacBook");
    const c = await device("other", { "2026-11-25T07:00:00Z": 300 }, "MacBook");
    const a = await device("studio", { "2026-11-25T09:00:00Z": 2000 });
    await refresh(b);
    await refresh(c);
    const twins = devicesOf(await refresh(a)).others;
    expect(twins).toHaveLength(2);
    const names = twins.map((d) => d.name).sort();
    expect(names[0]).not.toBe(names[1]);
    expect(names.every((name) => name.startsWith("MacBook ("))).toBe(true);

    // B renamed: the same id, a new name; the old file lingers as a conflict copy, older.
    const id = await idOf(b);
    await fs.copyFile(digestFile(sync, id), path.join(sync, "devices", `${id} 2.json`));
    await refresh(b, new Date(NOW.getTime() + 2 * MINUTE), { deviceName: "Travel Mac" });
    const renamed = devicesOf(await refresh(a, new Date(NOW.getTime() + 3 * MINUTE))).others;
    expect(renamed.map((d) => d.name).sort()).toEqual(["MacBook", "Travel Mac"]);
    expect(renamed.find((d) => d.name === "Travel Mac")?.id).toBe(id);
  });

  it("falls back to this Mac with one line when the sync folder disappears, and creates nothing", async () => {
    const b = await device("laptop", { "2026-11-25T08:00:00Z": 500 });
    const a = await device("studio", { "2026-11-25T09:00:00Z": 2000 });
    await refresh(b);
    expect(devicesOf(await refresh(a)).others).toHaveLength(1);
    await fs.rm(sync, { recursive: true });

    const report = await refresh(a, new Date(NOW.getTime() + 2 * MINUTE));
    const section = devicesOf(report);
    expect(section.available).toBe(false);
    expect(section.others).toEqual([]);
    expect(allDevicesWindow(section, report.local!, "today")).toBeNull();
    const lines = report.problems.filter((p) => p.kind === "syncFolderMissing");
    expect(lines).toHaveLength(1);
    expect(lines[0].title).toMatch(/This Mac only/);
    expect(report.local!.snapshot.today.total).toBe(2010);
    // An unmounted share is not recreated on the local disk.
    await expect(fs.stat(sync)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("leaves a device file that is not ours as it was and publishes nothing", async () => {
    const a = await device("studio", { "2026-11-25T09:00:00Z": 2000 });
    await fs.mkdir(a.config.idFolder, { recursive: true });
    await fs.writeFile(path.join(a.config.idFolder, DEVICE_FILE), "my notes\n");
    const report = await refresh(a);
    expect(devicesOf(report).published.error).toMatch(/not MiMo Usage's device file/);
    expect(report.problems.map((p) => p.kind)).toContain("digestNotWritten");
    expect(await fs.readFile(path.join(a.config.idFolder, DEVICE_FILE), "utf8")).toBe("my notes\n");
    await expect(fs.readdir(path.join(sync, "devices"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});

describe("the menu's Copy Summary", () => {
  it("adds all devices' today and this week, each device's share beside, only while another device publishes", async () => {
    const a = await device("studio", { "2026-11-24T10:00:00Z": 1000, "2026-11-25T09:00:00Z": 2000 });
    const b = await device("laptop", { "2026-11-25T08:00:00Z": 500, "2026-11-10T08:00:00Z": 7000 });
    const alone = summaryText(await refresh(a), NOW);
    expect(alone).not.toContain("All devices");

    await refresh(b);
    const lines = summaryText(await refresh(a, new Date(NOW.getTime() + 2 * MINUTE)), NOW).split("\n");
    // Today: studio 2,000 + 10, laptop 500 + 10. This week (from Monday the 23rd): studio 1,010 more.
    // Credits (mimo-v2.5-pro, rates.ts): 300 a cache-miss token, 600 an output token.
    // Today 2,500 × 300 + 20 × 600 = 762,000; this week 3,500 × 300 + 30 × 600 = 1,068,000.
    const line =
      "All devices: today 2.5K tokens, 762K Credits (studio (this Mac) 2K · laptop 510); " +
      "this week 3.5K tokens, 1.07M Credits (studio (this Mac) 3K · laptop 510)";
    expect(lines).toContain(line);
    // Right after this Mac's own windows, before where they came from.
    expect(lines.indexOf(line)).toBe(lines.findIndex((l) => l.startsWith("Lifetime")) + 1);
  });
});

describe("a support folder copied to another machine", () => {
  const at = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);
  const renewedLines = (report: UsageReport) => report.problems.filter((p) => p.kind === "deviceIdRenewed");

  it("gives one of the two machines a new id, says so, and each then shows the other once", async () => {
    const a = await device("studio", { "2026-11-25T09:00:00Z": 2000 });
    const b = await device("laptop", { "2026-11-25T08:00:00Z": 500 });
    await refresh(a);
    const shared = await idOf(a);
    // A migration or a restored backup: B's support folder is A's, device id included.
    await fs.cp(a.config.idFolder, b.config.idFolder, { recursive: true });
    expect(await idOf(b)).toBe(shared);

    // Which of the two leaves depends on their random install values; either way, two rounds settle it.
    const reports: { a: UsageReport[]; b: UsageReport[] } = { a: [], b: [] };
    for (const [minute, d] of [
      [2, b],
      [4, a],
      [6, b],
      [8, a],
    ] as const)
      reports[d === a ? "a" : "b"].push(await refresh(d, at(minute)));

    const [idA, idB] = [await idOf(a), await idOf(b)];
    expect(idA).not.toBe(idB);
    expect([idA, idB]).toContain(shared);
    const [leaver, stayer] = idA === shared ? (["b", "a"] as const) : (["a", "b"] as const);
    // Said by the one that took the new id, in one line naming both ids; never by the other.
    const said = reports[leaver].flatMap(renewedLines);
    expect(said.length).toBeGreaterThan(0);
    expect(said[said.length - 1].detail).toContain(shared);
    expect(said[said.length - 1].detail).toContain(leaver === "a" ? idA : idB);
    expect(reports[stayer].flatMap(renewedLines)).toEqual([]);
    expect(reports[leaver].every((report) => renewedLines(report).length <= 1)).toBe(true);

    // Each shows the other by name, and all devices is the two, once each.
    const lastA = await refresh(a, at(10));
    const lastB = await refresh(b, at(10));
    expect(devicesOf(lastA).others.map((d) => d.name)).toEqual(["laptop"]);
    expect(devicesOf(lastB).others.map((d) => d.name)).toEqual(["studio"]);
    expect(weekFigures(lastA).allDevices.total).toBe(2010 + 510);
    expect(weekFigures(lastB).allDevices.total).toBe(2010 + 510);

    // The line stays for a day after the change, then goes.
    const leaverDevice = leaver === "a" ? a : b;
    expect(renewedLines(await refresh(leaverDevice, at(12)))).toHaveLength(1);
    expect(renewedLines(await refresh(leaverDevice, at(25 * 60)))).toEqual([]);
  });

  it("does not take this machine's own older digest for another machine's when its host name changes", async () => {
    const a = await device("studio", { "2026-11-25T09:00:00Z": 2000 });
    await refresh(a);
    const id = await idOf(a);
    const renamed = await refresh(a, at(2), { host: "studio-2" });
    expect(renewedLines(renamed)).toEqual([]);
    expect(await idOf(a)).toBe(id);
    expect(devicesOf(renamed).others).toEqual([]);
    expect(renewedLines(await refresh(a, at(4), { host: "studio-2" }))).toEqual([]);
    expect(await idOf(a)).toBe(id);
  });
});

describe("skipped digests", () => {
  it("are named once, then stay in the report as one line until they change", async () => {
    const a = await device("studio", { "2026-11-25T09:00:00Z": 2000 });
    await fs.mkdir(path.join(sync, "devices"));
    const bad = path.join(sync, "devices", "cut0short.json");
    await fs.writeFile(bad, '{"format":"mimo-usage-device-digest","vers');
    const skippedLines = (report: UsageReport) =>
      report.problems.filter((p) => p.kind === "digestSkipped").map((p) => p.title);

    const first = await refresh(a);
    expect(skippedLines(first)).toEqual([expect.stringMatching(/^Skipped cut0short\.json: is not JSON/)]);
    const second = await refresh(a, new Date(NOW.getTime() + 2 * MINUTE));
    expect(skippedLines(second)).toEqual(["Still skipped: 1 file named before"]);
    expect(devicesOf(second).skipped).toEqual([expect.objectContaining({ file: bad, namedBefore: true })]);
    expect(skippedLines(await refresh(a, new Date(NOW.getTime() + 4 * MINUTE)))).toEqual([
      "Still skipped: 1 file named before",
    ]);

    // Changed (another size): named again, with its new reason.
    await fs.writeFile(bad, "{}");
    const changed = await refresh(a, new Date(NOW.getTime() + 6 * MINUTE));
    expect(skippedLines(changed)).toEqual([expect.stringMatching(/^Skipped cut0short\.json: is not a device digest/)]);
    // Gone: nothing left to say.
    await fs.rm(bad);
    const gone = await refresh(a, new Date(NOW.getTime() + 8 * MINUTE));
    expect(skippedLines(gone)).toEqual([]);
    await fs.writeFile(bad, "{}");
    expect(skippedLines(await refresh(a, new Date(NOW.getTime() + 10 * MINUTE)))).toEqual([
      expect.stringMatching(/^Skipped cut0short\.json/),
    ]);
  });
});

describe("the plan estimate after a lapse", () => {
  it("adds other devices' Credits since the last answer and says which", async () => {
    const answerAt = "2026-11-25T10:00:00.000Z";
    const b = await device("laptop", { "2026-11-25T09:00:00Z": 7000, "2026-11-25T10:30:00Z": 500 });
    const c = await device("desktop", { "2026-11-25T09:10:00Z": 9000 });
    const a = await device("studio", { "2026-11-25T09:00:00Z": 2000 });
    await refresh(b);
    await refresh(c, new Date("2026-11-25T09:30:00Z"));
    const report = await refresh(a);
    const sample: CreditSample = {
      at: answerAt,
      used: 1_000_000_000,
      limit: 10_000_000_000,
      periodEnd: "2026-12-10T00:00:00.000Z",
      localTokens: null,
      roots: null,
      localCredits: null,
      localUncredited: null,
      periodLocalCredits: null,
    };
    const usage = estimatePlan(
      { lastAnswer: sample, creditsPerDay: null },
      report.local!.snapshot,
      NOW,
      report.devices,
    );
    // laptop's message after the answer: 500 cache-miss and 10 output tokens of mimo-v2.5-pro (rates.ts).
    expect(usage.used).toBe(1_000_000_000 + 500 * 300 + 10 * 600);
    expect(usage.basis.kind).toBe("localUse");
    expect(usage.basis.devices).toEqual([expect.objectContaining({ name: "laptop", tokens: 510 })]);
    expect(describeEstimate(usage, "UTC")).toMatch(/laptop's 156K Credits/);

    // Without a sync folder the estimate is this Mac's alone, as before.
    const alone = estimatePlan({ lastAnswer: sample, creditsPerDay: null }, report.local!.snapshot, NOW, null);
    expect(alone.used).toBe(1_000_000_000);
    expect(alone.basis.devices).toBeUndefined();
  });
});

describe("digest file names", () => {
  it("are read for the device they name, copies included", () => {
    const id = "0123456789abcdef";
    expect(deviceIdOfName(`${id}.json`)).toEqual({ id, copy: false });
    expect(deviceIdOfName(`${id} 2.json`)).toEqual({ id, copy: true });
    expect(deviceIdOfName(`${id} (Jane's conflicted copy 2026-11-25).json`)).toEqual({ id, copy: true });
    expect(deviceIdOfName(`${id} (conflicted copy 2026-11-25 101112).json`)).toEqual({ id, copy: true });
    expect(deviceIdOfName(`${id}.sync-conflict-20261125-101112-ABCDEFG.json`)).toEqual({ id, copy: true });
    expect(deviceIdOfName(`${id}.json.1234.abcdef01.tmp`)).toBeNull();
    expect(deviceIdOfName(`notes.txt`)).toBeNull();
    expect(deviceIdOfName(`../${id}.json`)).toBeNull();
  });
});
