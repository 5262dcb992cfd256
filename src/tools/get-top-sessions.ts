import * as z from "zod";
import { type PeriodName } from "../core/views/calendar";
import { rankProjects, rankSessions } from "../core/query/rank";
import type { UsageReport } from "../core/chain/report-schema";
import type { WeekStart } from "../core/views/schema";
import { parseInput, periodFields, resolvePeriodInput } from "./input";
import {
  costAmount,
  creditsAmount,
  hasLocal,
  localContext,
  localNotes,
  localTime,
  unavailable,
  type CostAmount,
  type Unavailable,
} from "./answer";
import { loadLocalReport } from "../raycast/edge";
import { hasOtherClients, rangeTokens } from "../core/query/period";
import { sessionClient } from "../core/query/sessions";
import { CLIENT_NAMES, CLIENT_TITLES } from "../core/scan/clients/names";

type Input = {
  /**
   * A named period in the user's local calendar: "today", "yesterday", "this-week", "last-week",
   * "this-month", "last-month" or "lifetime". Leave it out when giving from/to; when nothing is
   * given, "lifetime" is used.
   */
  period?: "today" | "yesterday" | "this-week" | "last-week" | "this-month" | "last-month" | "lifetime";
  /** First day of a custom range, local date YYYY-MM-DD, inclusive. */
  from?: string;
  /** Last day of a custom range, local date YYYY-MM-DD, inclusive. Defaults to today when only `from` is given. */
  to?: string;
  /** "session" ranks single Claude Code sessions (the default); "project" adds up sessions by working folder. */
  groupBy?: "session" | "project";
  /** How many rows to return, 1 to 50. Defaults to 5. */
  limit?: number;
  /** Only this client's sessions: "claude-code", "opencode", "kilo", "openclaw" or "codex". Defaults to all. */
  client?: "claude-code" | "opencode" | "kilo" | "openclaw" | "codex";
};

export const DEFAULT_LIMIT = 5;
export const MAX_LIMIT = 50;

export interface SessionRow {
  rank: number;
  sessionId: string;
  /** The client that ran the session (Claude Code, OpenCode, Kilo, OpenClaw, Codex); absent when only Claude Code is read. */
  client?: string;
  /** The session's working folder, or null when no transcript line named one. */
  project: string | null;
  /** Claude Code's own summary line for the session, when it wrote one. */
  summary: string | null;
  /** Tokens the session used within the period. */
  periodTokens: number;
  /** Tokens of the whole session, including any outside the period. */
  sessionTotalTokens: number;
  sessionMessages: number;
  /** MiMo Credits of the whole session at MiMo's rates (a lower bound if some tokens had no rate). */
  sessionCredits: number;
  /** Estimated API cost of the whole session (per-period cost is not kept per session). */
  sessionEstimatedCost: CostAmount | null;
  models: string[];
  firstActiveAt: string;
  lastActiveAt: string;
  /** lastActiveAt as local date and time in `timeZone`. */
  lastActiveLocal: string;
}

export interface ProjectRow {
  rank: number;
  /** Working folder, or null for sessions that never named one. */
  project: string | null;
  /** Sessions of the project active in the period. */
  sessions: number;
  periodTokens: number;
  /** Whole-session totals of those sessions, including any tokens outside the period. */
  sessionsTotalTokens: number;
  /** MiMo Credits of those whole sessions. */
  sessionsCredits: number;
  sessionsEstimatedCost: CostAmount | null;
  lastActiveAt: string;
  lastActiveLocal: string;
}

export interface TopSessionsAnswer {
  available: true;
  period: PeriodName | "custom";
  from: string;
  to: string;
  groupBy: "session" | "project";
  /** All tokens of the period, every session included (exact). */
  periodTotalTokens: number;
  /** Sessions (or projects) active in the period, before the limit. */
  activeCount: number;
  sessions: SessionRow[] | null;
  projects: ProjectRow[] | null;
  timeZone: string;
  weekStart: WeekStart;
  source: "local" | "cache";
  updatedAt: string;
  notes: string[];
}

const InputSchema = z.strictObject({
  ...periodFields,
  groupBy: z
    .preprocess(
      (value) => (typeof value === "string" ? value.trim().toLowerCase().replace(/s$/, "") || undefined : value),
      z.enum(["session", "project"], {
        error: (issue) => `groupBy "${String(issue.input)}" is not session or project`,
      }),
    )
    .optional()
    .default("session"),
  limit: z
    .number({
      error: (issue) => `limit must be a whole number from 1 to ${MAX_LIMIT}, not ${JSON.stringify(issue.input)}`,
    })
    .int()
    .min(1, { error: `limit must be at least 1` })
    .max(MAX_LIMIT, { error: `limit must be at most ${MAX_LIMIT}` })
    .optional()
    .default(DEFAULT_LIMIT),
  client: z
    .preprocess(
      (value) => (typeof value === "string" ? value.trim().toLowerCase().replace(/\s+/g, "-") : value),
      z.enum(CLIENT_NAMES, {
        error: (issue) => `client "${String(issue.input)}" is not one of ${CLIENT_NAMES.join(", ")}`,
      }),
    )
    .optional(),
}) satisfies z.ZodType<Input>; // Raycast reads the literal `Input` type; this holds the parser to it.

/**
 * The sessions (of Claude Code and the other MiMo clients on this Mac, or of one client), or projects
 * (working folders), that used the most MiMo tokens in a period: tokens within the period, whole-session
 * totals and estimated cost, and last activity. Use it for "which session/project used the most".
 */
export default async function tool(input: Input): Promise<TopSessionsAnswer | Unavailable> {
  return getTopSessions(input, await loadLocalReport(), new Date());
}

export function getTopSessions(input: unknown, report: UsageReport, now: Date): TopSessionsAnswer | Unavailable {
  const fields = parseInput("get-top-sessions", InputSchema, input);
  if (!hasLocal(report)) return unavailable(report);
  const snapshot = report.local.snapshot;
  const resolved = resolvePeriodInput("get-top-sessions", fields, "lifetime", snapshot, now);
  const range = { from: resolved.from, to: resolved.to };
  const { timeZone } = snapshot;

  const withClients = hasOtherClients(snapshot);
  const client = fields.client ?? null;
  const active = rankSessions(snapshot, range, client);

  const notes = [...resolved.notes, ...localNotes(report)];
  const approximate = active.filter((entry) => entry.approximate).length;
  if (approximate > 0) {
    notes.push(
      `periodTokens of ${approximate} long session${approximate === 1 ? "" : "s"} active around the range's edge ` +
        "are approximate: their activity is kept in coarser steps.",
    );
  }

  const base = {
    available: true as const,
    period: resolved.period,
    from: range.from,
    to: range.to,
    groupBy: fields.groupBy,
    periodTotalTokens: rangeTokens(snapshot, range, client),
  };
  const context = localContext(report);

  if (fields.groupBy === "session") {
    const rows = active.slice(0, fields.limit);
    return {
      ...base,
      activeCount: active.length,
      sessions: rows.map(({ session, tokens }, i) => ({
        rank: i + 1,
        sessionId: session.sessionId,
        ...(withClients ? { client: CLIENT_TITLES[sessionClient(session)] } : {}),
        project: session.project,
        summary: session.summary,
        periodTokens: tokens,
        sessionTotalTokens: session.total,
        sessionMessages: session.messages,
        sessionCredits: creditsAmount(session),
        sessionEstimatedCost: costAmount(session),
        models: session.models,
        firstActiveAt: session.firstAt,
        lastActiveAt: session.lastAt,
        lastActiveLocal: localTime(session.lastAt, timeZone),
      })),
      projects: null,
      ...context,
      notes,
    };
  }

  const ranked = rankProjects(snapshot, range, client);
  const projects = ranked.slice(0, fields.limit).map((project, i) => {
    const figures = { ...project.sessionsCredits, total: project.sessionsTotal };
    return {
      rank: i + 1,
      project: project.project,
      sessions: project.sessions.length,
      periodTokens: project.tokens,
      sessionsTotalTokens: project.sessionsTotal,
      sessionsCredits: creditsAmount(figures),
      sessionsEstimatedCost: costAmount(figures),
      lastActiveAt: project.lastAt,
      lastActiveLocal: localTime(project.lastAt, timeZone),
    };
  });
  return { ...base, activeCount: ranked.length, sessions: null, projects, ...context, notes };
}
