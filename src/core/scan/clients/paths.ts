import fs from "node:fs";

/**
 * What every client's `paths.ts` finds its data with. Home and environment are passed in, never
 * read from the process, so a test points every client at a temp dir.
 */

export interface LocateContext {
  home: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** An environment variable the client honours, when it is set to something. */
export function env(context: LocateContext, name: string): string | null {
  const value = context.env[name]?.trim();
  return value ? value : null;
}

export function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

export function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function isDir(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
