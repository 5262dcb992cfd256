import fs from "node:fs";
import path from "node:path";
import * as z from "zod";
import { parseObject, readAppendedLines, readCompressedLines, type JsonlPosition } from "../jsonl";
import type { CodexSources } from "./paths";
import { type CodexCursor, type FileCursor, type Line, LineSchema, type Usage } from "./schema";
import { isMimoRequest } from "../mimo-rule";
import { countSkip, epochMs, type ClientReadResult, type ClientUsageEvent } from "../types";

/**
 * Codex CLI rollouts (`rollout-*.jsonl`, and `rollout-*.jsonl.zst` once Codex has compressed an
 * older one). Usage arrives as `event_msg` / `token_count` lines whose `info.total_token_usage` is
 * the session's running total; Codex re-emits the same total (after a turn, on resume), so each
 * request is the difference between a total and the previous one, and a total that did not advance
 * counts nothing. `info: null` lines carry no usage.
 *
 * `input_tokens` includes `cached_input_tokens` and `cache_write_input_tokens` (both subtracted here
 * to keep `input` plain), `output_tokens` includes reasoning already. The model comes from the latest
 * `turn_context`, the provider from the rollout's own `session_meta.model_provider`, and the
 * provider's base URL from `config.toml`.
 *
 * A fork starts with its own `session_meta` (naming `forked_from_id`), then a copy of its parent's
 * items as they were, the parent's `session_meta` and `token_count` lines included: the first
 * `session_meta` of a file is the one that names the session, and the copied counts are the parent's.
 *
 * Lines follow one rule (as every reader here): a field we use must have its type, anything else in
 * the line may be missing, added or of any type.
 *
 * A change in what this reader makes of data it already read needs its number in
 * ../reader-versions.ts moved, or saved states keep what the old reading counted.
 */

export interface CodexReadOptions {
  sources: CodexSources;
  cursor: CodexCursor | null;
}

const WANTED = ['"session_meta"', '"turn_context"', '"token_count"'].map((text) => Buffer.from(text));

/** Codex's own default when neither the session nor config.toml names a provider. */
const DEFAULT_PROVIDER = "openai";

export function readCodex(options: CodexReadOptions): ClientReadResult<CodexCursor> {
  const { sources } = options;
  const config = sources.config ? readCodexConfig(sources.config) : EMPTY_CONFIG;
  const result: ClientReadResult<CodexCursor> = { events: [], cursor: { files: {} }, skipped: {}, problems: [] };
  const parents = new ParentTotals(sources.logs);
  for (const file of sources.logs) {
    const previous = options.cursor?.files[file] ?? null;
    try {
      result.cursor.files[file] = readRollout(file, previous, config, parents, result);
    } catch (error) {
      result.problems.push(`Codex: could not read ${file} (${(error as Error).message}).`);
      if (previous) result.cursor.files[file] = previous;
    }
  }
  return result;
}

/** `rollout-<time>-<uuid>.jsonl` or `.jsonl.zst`: the uuid is the session id until session_meta says. */
function idOfFile(file: string): string {
  const name = path.basename(file).replace(/\.zst$/, "");
  const uuid = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i.exec(name);
  return uuid ? uuid[1] : path.basename(name, ".jsonl");
}

function freshState(file: string): FileCursor {
  return {
    offset: 0,
    head: "",
    stamp: "",
    sessionId: idOfFile(file),
    named: false,
    project: null,
    provider: null,
    model: null,
    total: null,
  };
}

const isCompressed = (file: string) => file.endsWith(".zst");

/** Calls `onLine` with the wanted lines of a plain or compressed rollout read from its start. */
function readWhole(file: string, wanted: readonly Buffer[], onLine: (text: string) => void): void {
  if (isCompressed(file)) readCompressedLines(file, null, wanted, onLine);
  else readAppendedLines(file, null, wanted, onLine);
}

/**
 * The running totals of each session's rollout, read on demand. A forked or sub-agent rollout starts
 * by copying its parent's history, token counts included; those copies are the parent's usage.
 */
class ParentTotals {
  private readonly totals = new Map<string, Set<string>>();
  constructor(private readonly logs: string[]) {}

  of(sessionId: string): Set<string> {
    let totals = this.totals.get(sessionId);
    if (totals) return totals;
    totals = new Set<string>();
    this.totals.set(sessionId, totals);
    const file = this.logs.find((log) => idOfFile(log) === sessionId);
    if (!file) return totals;
    readWhole(file, [Buffer.from('"token_count"')], (text) => {
      const line = LineSchema.safeParse(parseObject(text));
      if (line.success && line.data.type === "event_msg" && line.data.payload.info?.total_token_usage)
        totals.add(totalKey(asTotal(line.data.payload.info.total_token_usage)));
    });
    return totals;
  }
}

type SessionMetaPayload = Extract<Line, { type: "session_meta" }>["payload"];

function parentOf(payload: SessionMetaPayload): string | null {
  return payload.forked_from_id ?? payload.parent_thread_id ?? spawnParent(payload.source);
}

/** `{"subagent": {"thread_spawn": {"parent_thread_id": …}}}`; any other source names no parent. */
function spawnParent(source: unknown): string | null {
  const parent = z
    .object({ subagent: z.object({ thread_spawn: z.object({ parent_thread_id: z.string() }) }) })
    .safeParse(source);
  return parent.success ? parent.data.subagent.thread_spawn.parent_thread_id : null;
}

function readRollout(
  file: string,
  previous: FileCursor | null,
  config: CodexConfig,
  parents: ParentTotals,
  out: ClientReadResult<CodexCursor>,
): FileCursor {
  const events: ClientUsageEvent[] = [];
  const skipped: typeof out.skipped = {};
  const compressed = isCompressed(file);
  // A compressed rollout is only ever written whole: when it changed it is read from its start.
  let state = previous && !compressed ? previous : freshState(file);
  // The parent's totals, while this rollout may still be replaying them (its start, read once).
  let inherited: Set<string> | null = null;
  const onLine = (text: string) => {
    const parsed = LineSchema.safeParse(parseObject(text));
    if (!parsed.success) {
      // Lines of other types merely mention the words; only a usage line that fails is a problem.
      if (text.includes('"token_count"') && text.includes('"event_msg"')) countSkip(skipped, "malformed");
      return;
    }
    const line = parsed.data;
    if (line.type === "session_meta") {
      if (!state.named) {
        state = {
          ...state,
          named: true,
          sessionId: line.payload.id ?? state.sessionId,
          project: line.payload.cwd ?? state.project,
          provider: line.payload.model_provider ?? state.provider,
        };
        const parent = parentOf(line.payload);
        if (parent) inherited = parents.of(parent);
      } else if (line.payload.id && line.payload.id !== state.sessionId && inherited === null) {
        // A parent's session_meta copied into a fork that did not name its parent.
        inherited = parents.of(line.payload.id);
      }
    } else if (line.type === "turn_context") {
      state = {
        ...state,
        model: line.payload.model ?? state.model,
        project: state.project ?? line.payload.cwd ?? null,
      };
    } else if (line.payload.type === "token_count") {
      const total = line.payload.info?.total_token_usage;
      if (inherited && total && inherited.has(totalKey(asTotal(total)))) {
        // The parent's usage, copied: it becomes this rollout's starting point and counts nothing.
        countSkip(skipped, "inherited");
        state = { ...state, total: asTotal(total) };
        return;
      }
      if (total) inherited = null;
      state = countTokens(line.timestamp, line.payload.info, state, config, events, skipped);
    }
  };
  let position: JsonlPosition;
  if (compressed) {
    const read = readCompressedLines(file, previous, WANTED, onLine);
    if (read.unchanged && previous) return previous;
    if (read.problem) out.problems.push(`Codex: ${file} was not read: ${read.problem}.`);
    position = read.position;
  } else {
    const read = readAppendedLines(file, previous, WANTED, onLine);
    // The file was replaced: everything read before is void, so start over with a fresh state.
    if (read.restarted) return readRollout(file, null, config, parents, out);
    position = read.position;
  }
  out.events.push(...events);
  for (const [reason, count] of Object.entries(skipped)) countSkip(out.skipped, reason as keyof typeof skipped, count);
  return { ...state, ...position };
}

type Info = { total_token_usage?: Usage | null; last_token_usage?: Usage | null } | null | undefined;

function asTotal(usage: Usage): number[] {
  return [
    usage.input_tokens ?? 0,
    usage.cached_input_tokens ?? 0,
    usage.output_tokens ?? 0,
    usage.reasoning_output_tokens ?? 0,
    usage.total_tokens ?? 0,
    usage.cache_write_input_tokens ?? 0,
  ];
}

/**
 * A total as it names a request: its first five counters, as keys were made before cache writes
 * were read, so a rollout read again after an update counts each request under the same key.
 */
function totalKey(total: number[]): string {
  return total.slice(0, 5).join(",");
}

function countTokens(
  timestamp: string,
  info: Info,
  state: FileCursor,
  config: CodexConfig,
  events: ClientUsageEvent[],
  skipped: ClientReadResult<CodexCursor>["skipped"],
): FileCursor {
  if (!info || (!info.total_token_usage && !info.last_token_usage)) {
    countSkip(skipped, "noInfo");
    return state;
  }
  const at = epochMs(timestamp);
  if (at === null) {
    countSkip(skipped, "malformed");
    return state;
  }
  let delta: number[];
  let key: string;
  let total = state.total;
  if (info.total_token_usage) {
    const now = asTotal(info.total_token_usage);
    const before = state.total;
    if (before && now.every((value, i) => value === before[i])) {
      countSkip(skipped, "notAdvanced");
      return state;
    }
    // A total below the previous one means Codex started counting afresh: the last request's own
    // usage (or the new total itself) is what this line adds.
    const reset = before !== null && now.some((value, i) => value < before[i]);
    if (reset) delta = info.last_token_usage ? asTotal(info.last_token_usage) : now;
    else delta = now.map((value, i) => value - (before?.[i] ?? 0));
    total = now;
    key = `codex:${state.sessionId}:total:${totalKey(now)}`;
  } else {
    delta = asTotal(info.last_token_usage as Usage);
    key = `codex:${state.sessionId}:last:${timestamp}:${totalKey(delta)}`;
  }
  const next = { ...state, total };
  const model = state.model ?? config.model;
  if (!model) {
    countSkip(skipped, "noModel");
    return next;
  }
  const providerId = state.provider ?? config.provider ?? DEFAULT_PROVIDER;
  if (!isMimoRequest({ providerId, baseUrl: config.baseUrls.get(providerId), model })) {
    countSkip(skipped, "notMimo");
    return next;
  }
  const [input, cached, output, , , written] = delta;
  if (input + output === 0) {
    countSkip(skipped, "noUsage");
    return next;
  }
  const cacheRead = Math.min(cached, input);
  const cacheWrite = Math.min(written, input - cacheRead);
  events.push({
    client: "codex",
    key,
    sessionId: state.sessionId ?? "unknown",
    project: state.project,
    model,
    timestamp: at,
    input: Math.max(0, input - cacheRead - cacheWrite),
    output,
    cacheRead,
    cacheWrite,
  });
  return next;
}

// ---- config.toml: only what naming a provider needs ----

export interface CodexConfig {
  /** Top-level `model_provider`: the provider of sessions that do not name one. */
  provider: string | null;
  /** Top-level `model`. */
  model: string | null;
  /** `[model_providers.<id>] base_url`, by id. */
  baseUrls: Map<string, string>;
}

const EMPTY_CONFIG: CodexConfig = { provider: null, model: null, baseUrls: new Map() };

/**
 * Reads the few keys we need from Codex's config.toml: top-level `model_provider` and `model`, and
 * each `[model_providers.<id>]` table's `base_url`. Anything else in the file is ignored.
 */
export function readCodexConfig(file: string): CodexConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return EMPTY_CONFIG;
  }
  return parseCodexConfig(text);
}

export function parseCodexConfig(text: string): CodexConfig {
  const config: CodexConfig = { provider: null, model: null, baseUrls: new Map() };
  let table: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      table = header[1];
      continue;
    }
    const pair = /^([A-Za-z0-9_.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')/.exec(line);
    if (!pair) continue;
    const [, key, doubleQuoted, singleQuoted] = pair;
    const value = doubleQuoted !== undefined ? unescapeToml(doubleQuoted) : singleQuoted;
    if (table === null) {
      if (key === "model_provider") config.provider = value;
      else if (key === "model") config.model = value;
      else if (key.startsWith("model_providers.") && key.endsWith(".base_url")) {
        config.baseUrls.set(tomlKey(key.slice("model_providers.".length, -".base_url".length)), value);
      }
      continue;
    }
    const provider = /^model_providers\.(.+)$/.exec(table);
    if (provider && key === "base_url") config.baseUrls.set(tomlKey(provider[1]), value);
  }
  return config;
}

/** A table or key segment, quoted or bare. */
function tomlKey(text: string): string {
  const trimmed = text.trim();
  const quoted = /^"(.*)"$|^'(.*)'$/.exec(trimmed);
  return quoted ? (quoted[1] ?? quoted[2]) : trimmed;
}

function unescapeToml(text: string): string {
  return text.replace(/\\(["\\])/g, "$1");
}
