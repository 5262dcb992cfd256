import { localDate, slotDateLookup } from "../../../src/core/views/calendar";
import { SLOT_MS } from "../../../src/core/ledger/state";

/**
 * The snapshot dates slots a whole UTC day at a time when the zone keeps its offset that day; every
 * slot must still get the date formatting it alone gives, through DST switches at odd hours, zones
 * a quarter or half hour off, and a switch of half an hour.
 */
const ZONES = [
  "UTC",
  "Asia/Shanghai",
  "Asia/Kathmandu", // +05:45
  "America/St_Johns", // −03:30, DST
  "America/Santiago", // DST switch at midnight
  "Australia/Lord_Howe", // DST of 30 minutes
  "Europe/London",
  "Pacific/Chatham", // +12:45 / +13:45
];

const from = Date.UTC(2025, 0, 1) / SLOT_MS;
const to = Date.UTC(2027, 0, 1) / SLOT_MS;

describe("slot dates", () => {
  it.each(ZONES)("agree with formatting each slot alone, 2025–2026 in %s", (zone) => {
    const dateOf = slotDateLookup(zone, SLOT_MS);
    const wrong: string[] = [];
    for (let slot = from; slot < to; slot++) {
      const expected = localDate(slot * SLOT_MS, zone);
      if (dateOf(slot) !== expected) wrong.push(`${new Date(slot * SLOT_MS).toISOString()}: ${expected}`);
    }
    expect(wrong).toEqual([]);
  });

  it("give the same dates whatever order slots are asked in", () => {
    const zone = "America/Santiago";
    const slots = Array.from({ length: 5000 }, (_, i) => from + ((i * 7919) % (to - from)));
    const dateOf = slotDateLookup(zone, SLOT_MS);
    expect(slots.map((slot) => dateOf(slot))).toEqual(slots.map((slot) => localDate(slot * SLOT_MS, zone)));
  });
});
