import { promises as fs } from "node:fs";
import path from "node:path";
import { locateClients } from "../../../../src/core/scan/clients/locate";
import { readClient } from "../../../../src/core/scan/clients";
import type { ClientUsageEvent, OtherClientName } from "../../../../src/core/scan/clients/types";
import {
  daysOfEvents,
  expectedDays,
  requestPlan,
  sumDays,
  writeCodexHome,
  writeOpenClaw,
  writeOpenCodeDb,
} from "../../../helpers/clients";
import { tempDir } from "../../../helpers/transcripts";

/**
 * The acceptance case: with OpenCode, Kilo, OpenClaw and Codex data in their default places under a
 * temp home, the per-day MiMo totals are exact for each client and for all of them together.
 */

const plan = requestPlan();
let home: string;
const events = new Map<OtherClientName, ClientUsageEvent[]>();

beforeAll(async () => {
  home = await tempDir("mimo-clients-");
  const dataHome = path.join(home, ".local", "share");
  await writeOpenCodeDb(dataHome, "opencode", plan);
  await writeOpenCodeDb(dataHome, "kilo", plan);
  await writeCodexHome(path.join(home, ".codex"), plan, { reemit: true });
  await writeOpenClaw(path.join(home, ".openclaw"), plan, { archived: ["oc1"], databaseOnly: ["oc3"], both: ["oc2"] });
  for (const location of locateClients({ home, env: {} })) {
    expect(location.found).toBe(true);
    const result = await readClient(location, {}, { now: Date.parse("2026-11-29T12:00:00Z") });
    expect(result.problems).toEqual([]);
    events.set(location.client, result.events);
  }
});
afterAll(async () => {
  await fs.rm(home, { recursive: true, force: true });
});

describe("per-day MiMo totals from one request plan", () => {
  it.each(["opencode", "kilo", "codex", "openclaw"] as const)("are exact for %s", (client) => {
    const expected = expectedDays(plan, client);
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    expect(daysOfEvents(events.get(client) ?? [])).toEqual(expected);
  });

  it("are exact for all clients together", () => {
    const all = [...events.values()].flat();
    expect(daysOfEvents(all)).toEqual(expectedDays(plan));
    expect(sumDays(...[...events.values()].map(daysOfEvents))).toEqual(expectedDays(plan));
  });

  it("counts each request of a multi-step turn once, at its own time", () => {
    const turn = (events.get("opencode") ?? []).filter((e) => e.sessionId === "ses_a").map((e) => e.timestamp);
    expect(turn.sort()).toEqual(
      plan
        .filter((r) => r.session === "ses_a")
        .map((r) => Date.parse(r.at))
        .sort(),
    );
  });

  it("names session, project and model of each event", () => {
    const codex = events.get("codex") ?? [];
    expect(new Set(codex.map((e) => `${e.sessionId} ${e.project} ${e.model}`))).toEqual(
      new Set([
        "cs1 /work/codex-cs1 mimo-v2.5-pro",
        "cs2 /work/codex-cs2 mimo-v2.5-pro",
        "cs2 /work/codex-cs2 mimo-v2-flash",
      ]),
    );
    const openclaw = events.get("openclaw") ?? [];
    expect(new Set(openclaw.map((e) => `${e.sessionId} ${e.project}`))).toEqual(
      new Set(["oc1 /work/openclaw-oc1", "oc2 /work/openclaw-oc2", "oc3 /work/openclaw-oc3"]),
    );
  });
});
