/** Which models count in shared folders: the filter people type, checked before it can hang a scan. */

export const DEFAULT_MODEL_FILTER = "mimo";

export type FilterCheck = { ok: true; filter: RegExp } | { ok: false; message: string };

/** Longer than any sensible filter of model names; a longer one is a paste gone wrong. */
const MAX_FILTER_LENGTH = 200;

/**
 * The model filter as a case-insensitive RegExp, or why it cannot be used. Besides syntax errors,
 * a pattern that repeats a group which itself repeats or alternates (`(a+)+`, `(a|ab)*`) is
 * refused: on a non-matching name such patterns can backtrack for minutes, and the filter runs on
 * every line of a shared folder.
 */
export function compileModelFilter(pattern: string): FilterCheck {
  const source = pattern.trim() || DEFAULT_MODEL_FILTER;
  const quoted = `"${source.length > 60 ? `${source.slice(0, 60)}…` : source}"`;
  if (source.length > MAX_FILTER_LENGTH)
    return { ok: false, message: `The model filter ${quoted} is longer than ${MAX_FILTER_LENGTH} characters.` };
  let filter: RegExp;
  try {
    filter = new RegExp(source, "i");
  } catch {
    return { ok: false, message: `The model filter ${quoted} is not a valid regular expression.` };
  }
  if (hasNestedRepetition(source))
    return {
      ok: false,
      message: `The model filter ${quoted} repeats a group that itself repeats or has alternatives (like "(a+)+"), which can make matching hang; write it without that nesting, such as "mimo".`,
    };
  return { ok: true, filter };
}

/**
 * True when a quantifier that repeats (`*`, `+`, `{n,}`, `{n,m}` with m > 1) applies to a group
 * containing a repeating quantifier or an alternation: the shapes behind catastrophic
 * backtracking. Escapes and character classes are skipped; the pattern already compiled.
 */
function hasNestedRepetition(source: string): boolean {
  const groups: { repeats: boolean }[] = [{ repeats: false }];
  let lastGroup: { repeats: boolean } | null = null;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    const repeat = repeatingQuantifierAt(source, i);
    if (repeat > 0) {
      if (lastGroup?.repeats) return true;
      groups[groups.length - 1].repeats = true;
      i += repeat - 1;
      lastGroup = null;
      continue;
    }
    lastGroup = null;
    if (c === "\\") i++;
    else if (c === "[") i = classEnd(source, i);
    else if (c === "(") groups.push({ repeats: false });
    else if (c === "|") groups[groups.length - 1].repeats = true;
    else if (c === ")" && groups.length > 1) {
      lastGroup = groups.pop() as { repeats: boolean };
      if (lastGroup.repeats) groups[groups.length - 1].repeats = true;
    }
  }
  return false;
}

/** The length of a repeating quantifier starting at `i` (with a lazy `?`), or 0. */
function repeatingQuantifierAt(source: string, i: number): number {
  const c = source[i];
  let length = 0;
  if (c === "*" || c === "+") length = 1;
  else if (c === "{") {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
    if (match && match[2] !== undefined && (match[3] === "" || Number(match[3]) > 1)) length = match[0].length;
    else if (match && Number(match[1]) > 1) length = match[0].length;
  }
  if (length > 0 && source[i + length] === "?") length++;
  return length;
}

function classEnd(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === "\\") i++;
    else if (source[i] === "]") return i;
  }
  return source.length;
}
