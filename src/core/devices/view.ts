import type { DateRange } from "../views/calendar";
import { addUsage, sumDays, zeroUsage, type UsageFigures } from "../views/range-totals";
import type { Snapshot } from "../views/schema";
import { sumCredits } from "../rates";
import type { Digest, DigestFigures, DevicesSection, OtherDevice, RowFigures } from "./schema";

/**
 * The figures per device and for all devices, asked of the report the way every other figure is:
 * this device from its own snapshot, every other one from its digest. A digest is added to a total
 * here, for showing, and nowhere else: nothing of another device reaches this device's state.
 */

/** A device's digest is stale when it is older than this: the device is off, or its sync is. */
export const DEVICE_STALE_MS = 24 * 3_600_000;

/** Another device as the report carries it: figures summed per day over its clients and models. */
export function otherDeviceOf(digest: Digest, file: string, now: Date): OtherDevice {
  const byDate = new Map<string, RowFigures & { date: string }>();
  for (const row of digest.days) {
    const day = byDate.get(row.date) ?? { date: row.date, ...zeroUsage() };
    addUsage(day, withTotal(row));
    byDate.set(row.date, day);
  }
  return {
    id: digest.deviceId,
    name: digest.deviceName,
    updatedAt: digest.updatedAt,
    stale: now.getTime() - Date.parse(digest.updatedAt) > DEVICE_STALE_MS,
    timeZone: digest.timeZone,
    days: [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1)),
    lifetime: withTotal(digest.lifetime),
    hours: digest.hours,
    file,
    ...(digest.sessions ? { sessions: digest.sessions } : {}),
  };
}

function withTotal(figures: DigestFigures): RowFigures {
  return {
    input: figures.input,
    output: figures.output,
    cacheRead: figures.cacheRead,
    cacheWrite: figures.cacheWrite,
    total: figures.input + figures.output + figures.cacheRead + figures.cacheWrite,
    credits: figures.credits,
    uncreditedTokens: figures.uncreditedTokens,
    messages: figures.messages,
  };
}

/**
 * Names as shown: two devices that call themselves the same (two "MacBook Pro"s) get the start of
 * their id after the name, and so does another device named like this one.
 */
export function distinctNames(devices: OtherDevice[], ownName: string): OtherDevice[] {
  const count = new Map<string, number>();
  for (const name of [ownName, ...devices.map((d) => d.name)])
    count.set(name.toLowerCase(), (count.get(name.toLowerCase()) ?? 0) + 1);
  return devices.map((d) =>
    (count.get(d.name.toLowerCase()) ?? 0) > 1 ? { ...d, name: `${d.name} (${d.id.slice(0, 6)})` } : d,
  );
}

/** A device's figures over a period. */
export interface DeviceFigures extends UsageFigures {
  id: string;
  name: string;
  /** True for the device this report was made on. */
  thisDevice: boolean;
  updatedAt: string;
  stale: boolean;
}

export interface DevicesPeriod {
  /** This device first, then the others by name. */
  devices: DeviceFigures[];
  /** This device and every other one that published, summed. */
  allDevices: UsageFigures;
}

/** A period of local dates, or everything counted. */
export type DevicePeriod = DateRange | "lifetime";

/**
 * Each device's figures over `period` and their sum. Other devices' days are their own local days,
 * matched to ours by date; for devices in one time zone that is exact.
 */
export function devicesInPeriod(
  section: DevicesSection,
  local: { snapshot: Snapshot; updatedAt: string },
  period: DevicePeriod,
): DevicesPeriod {
  const own = local.snapshot;
  const ownFigures = period === "lifetime" ? figuresOf(own.lifetime) : rangeFigures(own.days, period);
  const devices: DeviceFigures[] = [
    {
      id: section.thisDevice.id,
      name: section.thisDevice.name,
      thisDevice: true,
      updatedAt: local.updatedAt,
      stale: false,
      ...ownFigures,
    },
    ...[...section.others]
      .sort((a, b) =>
        a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0,
      )
      .map((d) => ({
        id: d.id,
        name: d.name,
        thisDevice: false,
        updatedAt: d.updatedAt,
        stale: d.stale,
        ...(period === "lifetime" ? figuresOf(d.lifetime) : rangeFigures(d.days, period)),
      })),
  ];
  const allDevices = zeroUsage();
  for (const device of devices) addUsage(allDevices, device);
  return { devices, allDevices };
}

function rangeFigures(days: (RowFigures & { date: string })[], range: DateRange): UsageFigures {
  return figuresOf(sumDays(days, range));
}

/** Just the usage figures of a wider row (a range's totals carry more), as answers list them. */
export function figuresOf(t: UsageFigures): UsageFigures {
  return {
    input: t.input,
    output: t.output,
    cacheRead: t.cacheRead,
    cacheWrite: t.cacheWrite,
    total: t.total,
    messages: t.messages,
    credits: t.credits,
    uncreditedTokens: t.uncreditedTokens,
  };
}

/** Whether there is anything of other devices to show: the sync folder is there and one has published. */
export function hasOtherDevices(section: DevicesSection | null | undefined): section is DevicesSection {
  return !!section && section.available && section.others.length > 0;
}

/**
 * Other devices' Credits since an instant (the plan's last answer), from their hourly rows: only
 * devices whose digest is newer than the instant can add anything. The hour holding the instant
 * counts for the share of it after the instant, as this device's own figure does (local-since.ts).
 */
export function otherDevicesCreditsSince(
  section: DevicesSection | null | undefined,
  at: number,
): { devices: { id: string; name: string; credits: number; tokens: number }[]; credits: number } {
  if (!section || !section.available) return { devices: [], credits: 0 };
  const HOUR_MS = 3_600_000;
  const devices = section.others
    .filter((d) => Date.parse(d.updatedAt) > at)
    .map((d) => {
      const updatedAt = Date.parse(d.updatedAt);
      const parts: { credits: number; uncreditedTokens: number }[] = [];
      let tokens = 0;
      for (const hour of d.hours) {
        if (hour.at + HOUR_MS <= at) continue;
        if (hour.at >= at) {
          parts.push(hour);
          tokens += hour.total;
          continue;
        }
        const end = Math.min(hour.at + HOUR_MS, updatedAt);
        const share = end > hour.at ? Math.max(0, (end - at) / (end - hour.at)) : 0;
        parts.push({ credits: hour.credits * share, uncreditedTokens: 0 });
        tokens += Math.round(hour.total * share);
      }
      return { id: d.id, name: d.name, credits: sumCredits(parts).credits, tokens };
    })
    .filter((d) => d.tokens > 0);
  return { devices, credits: sumCredits(devices.map((d) => ({ credits: d.credits, uncreditedTokens: 0 }))).credits };
}

/**
 * All devices over a window of this device's calendar (today, this week, lifetime), or null when
 * there is no other device to add (no sync folder, the folder gone, nobody else published).
 */
export function allDevicesWindow(
  section: DevicesSection | null | undefined,
  local: { snapshot: Snapshot; updatedAt: string },
  window: "today" | "week" | "lifetime",
): UsageFigures | null {
  if (!hasOtherDevices(section)) return null;
  return devicesInPeriod(section, local, windowPeriod(local.snapshot, window)).allDevices;
}

/** A window of the snapshot's calendar as a period. */
export function windowPeriod(snapshot: Snapshot, window: "today" | "week" | "lifetime"): DevicePeriod {
  if (window === "lifetime") return "lifetime";
  return { from: window === "today" ? snapshot.windows.today : snapshot.windows.weekFrom, to: snapshot.windows.today };
}

/**
 * Another device's figures as a snapshot of its own, for the history: its days (in its own local
 * dates), no per-model or per-client rows and no sessions (a digest carries none of them per day).
 * Everything else is this Mac's snapshot's frame (time zone, week start, today), so the history's
 * ranges line up with the menu's.
 */
export function deviceSnapshot(snapshot: Snapshot, device: OtherDevice): Snapshot {
  const days = [...device.days]
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .map((day) => ({
      date: day.date,
      input: day.input,
      output: day.output,
      cacheRead: day.cacheRead,
      cacheWrite: day.cacheWrite,
      total: day.total,
      messages: day.messages,
      credits: day.credits,
      uncreditedTokens: day.uncreditedTokens,
    }));
  return {
    ...snapshot,
    days,
    dayModels: [],
    dayClients: [],
    dayClientModels: [],
    sessions: [],
    hours: device.hours,
    windows: { ...snapshot.windows, lifetimeFrom: days[0]?.date ?? null },
  };
}
