import { localDate, slotDateLookup, slotInstantLookup } from "../../../src/core/views/calendar";
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

describe("slot instants", () => {
  const expected = (slot: number, slotMs: number) => new Date(slot * slotMs).toISOString();

  it("are what Date writes, for every slot of 2025–2026", () => {
    const instantOf = slotInstantLookup(SLOT_MS);
    const wrong: string[] = [];
    for (let slot = from; slot < to; slot++) if (instantOf(slot) !== expected(slot, SLOT_MS)) wrong.push(String(slot));
    expect(wrong).toEqual([]);
  });

  it.each([
    ["the epoch and before it", -200, 200],
    [
      "the last days of year 9999 and the first of 10000",
      Date.UTC(9999, 11, 30) / SLOT_MS,
      Date.UTC(10000, 0, 2) / SLOT_MS,
    ],
    ["around the latest date a Date holds", 8.64e15 / SLOT_MS - 300, 8.64e15 / SLOT_MS],
  ])("are what Date writes at %s", (_what, start, end) => {
    const instantOf = slotInstantLookup(SLOT_MS);
    for (let slot = start; slot <= end; slot++) expect(instantOf(slot)).toBe(expected(slot, SLOT_MS));
  });

  it.each([1, 1_000, 60_000])("are what Date writes for slots of %i ms", (slotMs) => {
    const instantOf = slotInstantLookup(slotMs);
    const slotsPerDay = 86_400_000 / slotMs;
    for (let i = 0; i < 5_000; i++) {
      const slot = Math.floor(((i * 7919) % 3_000) * slotsPerDay + ((i * 104_729) % slotsPerDay));
      expect(instantOf(slot)).toBe(expected(slot, slotMs));
    }
  });
});
