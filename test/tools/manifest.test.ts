import * as fs from "node:fs";
import path from "node:path";
import type { UsageReport } from "../../src/core/chain/report-schema";
import { getPlanStatus } from "../../src/tools/get-plan-status";
import { getTopSessions } from "../../src/tools/get-top-sessions";
import { getUsage } from "../../src/tools/get-usage";
import { NOW, PLATFORM, SESSIONS } from "./corpus";
import { corpusFixture, rescan, type CorpusFixture } from "../helpers/report";

/** The manifest's tools and evals against the code: every tool exists, and every eval's mock is a real answer. */

interface Expectation {
  callsTool?: string | { name: string; arguments?: Record<string, unknown> };
}

interface Manifest {
  name: string;
  tools: { name: string; title: string; description: string }[];
  ai: {
    instructions: string;
    evals: { input: string; mocks?: Record<string, unknown>; expected: Expectation[]; usedAsExample?: boolean }[];
  };
}

const ROOT = path.resolve(__dirname, "..", "..");
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as Manifest;

const RUN: Record<string, (input: Record<string, unknown>, report: UsageReport) => unknown> = {
  "get-usage": (input, report) => getUsage(input, report, NOW),
  "get-top-sessions": (input, report) => getTopSessions(input, report, NOW),
  "get-plan-status": (_input, report) => getPlanStatus(report, NOW),
};

let corpus: CorpusFixture;
let noCookie: CorpusFixture;
let connected: UsageReport;
let notConnected: UsageReport;
beforeAll(async () => {
  corpus = await corpusFixture(SESSIONS, { now: NOW });
  noCookie = await corpusFixture(SESSIONS, { now: NOW });
  connected = await rescan(corpus, { platform: { ok: true, value: PLATFORM } });
  notConnected = await rescan(noCookie);
});
afterAll(async () => {
  await corpus.cleanup();
  await noCookie.cleanup();
});

describe("manifest tools", () => {
  it("declares the three tools, each with a default-exported function in src/tools", async () => {
    expect(manifest.tools.map((tool) => tool.name)).toEqual(["get-usage", "get-top-sessions", "get-plan-status"]);
    for (const tool of manifest.tools) {
      const module = (await import(path.join(ROOT, "src", "tools", `${tool.name}.ts`))) as { default: unknown };
      expect(typeof module.default).toBe("function");
      expect(tool.description.length).toBeGreaterThanOrEqual(12);
    }
  });

  it("tells the AI where figures come from", () => {
    expect(manifest.ai.instructions).toContain("count tokens locally from the user's Claude Code transcripts");
    expect(manifest.ai.instructions).toContain("come from the MiMo platform when it answered");
  });
});

describe("manifest evals", () => {
  const evals = manifest.ai.evals.map((entry, index) => [index, entry] as const);

  it.each(evals)("eval %i mentions the extension and calls a declared tool", (_index, entry) => {
    const tools = new Set(manifest.tools.map((tool) => tool.name));
    expect(entry.input.startsWith(`@${manifest.name} `)).toBe(true);
    const called = entry.expected.flatMap((expectation) =>
      expectation.callsTool === undefined
        ? []
        : [typeof expectation.callsTool === "string" ? expectation.callsTool : expectation.callsTool.name],
    );
    expect(called.length).toBeGreaterThan(0);
    for (const name of [...called, ...Object.keys(entry.mocks ?? {})]) expect(tools).toContain(name);
  });

  it.each(evals)("eval %i mocks what the tool really answers for those arguments", (_index, entry) => {
    for (const [tool, mock] of Object.entries(entry.mocks ?? {})) {
      const call = entry.expected
        .map((expectation) => expectation.callsTool)
        .find((callsTool) => (typeof callsTool === "string" ? callsTool : callsTool?.name) === tool);
      const input = typeof call === "object" ? (call.arguments ?? {}) : {};
      // The one eval of a platform that is not connected runs on the corpus without a cookie.
      const report = (mock as { available?: boolean }).available === false ? notConnected : connected;
      expect(RUN[tool](input, report)).toEqual(mock);
    }
  });
});
