import type { PeriodUsage } from "../core/query/period";
import type { UsageFigures } from "../core/views/range-totals";
import type { LocalReport } from "./answer";
import { creditsAmount } from "./answer";

/**
 * The devices part of a usage answer: with a sync folder set, each device's figures for the period
 * (this Mac first) and all devices' sum; the figures at the top of the answer stay this Mac's.
 */

export interface DeviceUsage {
  name: string;
  id: string;
  /** True for the Mac that answers; the others' figures come from their digests in the sync folder. */
  thisDevice: boolean;
  /** When the device last published (for this Mac: its scan). */
  updatedAt: string;
  /** True when the device has not published for more than a day. */
  stale: boolean;
  totalTokens: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  messages: number;
  credits: number;
  uncreditedTokens: number;
}

export interface AllDevicesUsage {
  totalTokens: number;
  messages: number;
  credits: number;
  uncreditedTokens: number;
}

export interface DevicesAnswer {
  /** Every device that published to the sync folder, this Mac first; absent without a sync folder. */
  devices?: DeviceUsage[];
  /** This Mac and every other device, summed: the whole plan's use as far as devices publish it. */
  allDevices?: AllDevicesUsage;
}

export function devicesAnswer(report: LocalReport, usage: PeriodUsage): { answer: DevicesAnswer; notes: string[] } {
  const section = report.devices;
  if (!section) return { answer: {}, notes: [] };
  if (!section.available)
    return {
      answer: {},
      notes: [`The sync folder (${section.syncFolder}) is not there, so these are this Mac's figures only.`],
    };
  const period = usage.devices;
  if (!period) return { answer: {}, notes: ["No other device has published to the sync folder yet."] };
  const stale = period.devices.filter((d) => d.stale).map((d) => d.name);
  const notes = [
    "The top-level figures are this Mac's; devices lists each device's and allDevices their sum. Other devices' days are their own local days.",
  ];
  if (stale.length > 0)
    notes.push(`Not updated for more than a day (figures as of their last update): ${stale.join(", ")}.`);
  return {
    answer: {
      devices: period.devices.map((d) => ({
        name: d.name,
        id: d.id,
        thisDevice: d.thisDevice,
        updatedAt: d.updatedAt,
        stale: d.stale,
        ...tokenFields(d),
      })),
      allDevices: {
        totalTokens: period.allDevices.total,
        messages: period.allDevices.messages,
        credits: creditsAmount(period.allDevices),
        uncreditedTokens: period.allDevices.uncreditedTokens,
      },
    },
    notes,
  };
}

function tokenFields(t: UsageFigures) {
  return {
    totalTokens: t.total,
    inputTokens: t.input,
    outputTokens: t.output,
    cacheReadTokens: t.cacheRead,
    cacheWriteTokens: t.cacheWrite,
    messages: t.messages,
    credits: creditsAmount(t),
    uncreditedTokens: t.uncreditedTokens,
  };
}
