/** @jest-environment ./test/raycast/environment.ts */
import * as fs from "node:fs";
import path from "node:path";
import { render, waitFor } from "@testing-library/react";
import { environment, LaunchType } from "@raycast/api";
import MenuBarCommand from "../../src/menu-bar";
import RefreshCommand from "../../src/refresh";
import SessionsCommand from "../../src/sessions";
import { cachedValues, setCommand, setPreferences } from "../raycast/api-double";
import { isLoading, list, menuBarExtra } from "../raycast/query";
import { useCommandTestContext } from "../helpers/commands";
import * as fx from "../core/platform/fixtures/fixtures";
import { usePlatformStandIn } from "../core/platform/fixtures/server";

/**
 * The cookie is a credential: with it set in preferences, running every command (the platform
 * answering, then refusing it) leaves it in no cache entry and no file of the support folder.
 */

const SECRET = "serviceToken-9f1c2e77b3";
const COOKIE = `api-platform_serviceToken=${SECRET}; userId=4242; api-platform_ph=ph-${SECRET}; api-platform_slh=slh`;

const ctx = useCommandTestContext(null, { failureToastsAllowed: true });
const server = usePlatformStandIn();

function supportFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).map((name) => path.join(dir, name));
}

function expectNoSecretStored(): void {
  expect(cachedValues().length).toBeGreaterThan(0);
  for (const value of cachedValues()) expect(value).not.toContain(SECRET);
  const files = supportFiles(environment.supportPath).filter((file) => fs.statSync(file).isFile());
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) expect(fs.readFileSync(file).toString("latin1")).not.toContain(SECRET);
}

it.each([
  ["answering", fx.healthy()],
  ["refusing the session", fx.everywhere({ status: 401, body: { code: 401, message: "login required" } })],
])("keeps the cookie out of every cache and file while the platform is %s", async (_name, replies) => {
  server.reset(replies);
  setPreferences({ mimoConfigDirs: ctx.corpus, sharedConfigDirs: "", exportCodexBar: false, cookie: COOKIE });

  setCommand("menu-bar", LaunchType.UserInitiated);
  const menu = render(<MenuBarCommand />);
  await waitFor(() => expect(isLoading(menuBarExtra())).toBe(false));
  menu.unmount();

  setCommand("sessions", LaunchType.UserInitiated);
  const sessions = render(<SessionsCommand />);
  await waitFor(() => expect(isLoading(list())).toBe(false));
  sessions.unmount();

  setCommand("refresh", LaunchType.UserInitiated);
  await RefreshCommand();

  // The platform was really asked, with the cookie: it went where it belongs and nowhere else.
  expect(server.requests.length).toBeGreaterThan(0);
  expect(server.requests.every((request) => String(request.headers.cookie).includes(SECRET))).toBe(true);
  expectNoSecretStored();
});
