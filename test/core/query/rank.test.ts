import { historySummary } from "../../../src/core/query/history";
import { getUsage } from "../../../src/tools/get-usage";
import { getTopSessions } from "../../../src/tools/get-top-sessions";
import { corpusFixture, localSnapshot, rescan, type CorpusFixture } from "../../helpers/report";

/**
 * The rules that pick and rank are asked of one place (views/query.ts): the history and the AI tools
 * used to disagree on a tie (latest day in one, earliest in the other) and on sessions without tokens.
 */

const NOW = new Date("2026-11-25T12:00:00Z");
let fixture: CorpusFixture;
afterAll(() => fixture.cleanup());

async function report() {
  fixture = await corpusFixture(
    [
      // Two days of exactly 1,000 tokens each, in two projects, and a session whose one message had none.
      { id: "a", cwd: "/w/early", lines: [{ ts: "2026-11-20T10:00:00Z", input: 1_000 }] },
      { id: "b", cwd: "/w/late", lines: [{ ts: "2026-11-22T10:00:00Z", input: 1_000 }] },
      { id: "c", cwd: "/w/empty", lines: [{ ts: "2026-11-23T10:00:00Z", input: 0 }] },
    ],
    { now: NOW },
  );
  return rescan(fixture);
}

describe("one rule each, whoever asks", () => {
  it("gives the busiest of two equal days as the latest, in the history and in get-usage", async () => {
    const built = await report();
    const history = historySummary(localSnapshot(built), "all");
    const usage = getUsage({ period: "lifetime" }, built, NOW);
    expect(history.busiest?.date).toBe("2026-11-22");
    expect("busiestDay" in usage && usage.busiestDay?.date).toBe("2026-11-22");
  });

  it("ranks projects alike in the history and in get-top-sessions, a session without tokens included", async () => {
    const built = await report();
    const history = historySummary(localSnapshot(built), "all").projects.map((p) => [p.project, p.total]);
    const top = getTopSessions({ groupBy: "project", period: "lifetime", limit: 5 }, built, NOW);
    const tools = "projects" in top ? (top.projects ?? []).map((p) => [p.project, p.periodTokens]) : [];
    expect(history).toEqual([
      ["/w/late", 1_000],
      ["/w/early", 1_000],
      ["/w/empty", 0],
    ]);
    expect(tools).toEqual(history);
  });
});
