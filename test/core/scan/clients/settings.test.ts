import { rootsFingerprint } from "../../../../src/core/platform/credit-history";
import { engineConfigFrom, otherClientsFrom } from "../../../../src/core/settings";

describe("the Other MiMo Clients preference", () => {
  it("reads every client found when empty", () => {
    expect(otherClientsFrom(undefined)).toEqual({ clients: "found", unknown: [] });
    expect(otherClientsFrom(" , ")).toEqual({ clients: "found", unknown: [] });
  });

  it("reads the named clients, as people type them", () => {
    expect(otherClientsFrom("OpenCode, codex,codex , Kilo")).toEqual({
      clients: ["opencode", "codex", "kilo"],
      unknown: [],
    });
    expect(otherClientsFrom("Open Claw")).toEqual({ clients: ["openclaw"], unknown: [] });
  });

  it("reads none for none, and names what it does not know", () => {
    expect(otherClientsFrom("none")).toEqual({ clients: [], unknown: [] });
    expect(otherClientsFrom("codex, cline")).toEqual({ clients: ["codex"], unknown: ["cline"] });
  });

  it("passes home, environment and the list to the engine", () => {
    const config = engineConfigFrom(
      { otherClients: "codex" },
      { home: "/h", supportPath: null, env: { CODEX_HOME: "/c" } },
    );
    expect(config.clients).toEqual({ home: "/h", env: { CODEX_HOME: "/c" }, enabled: ["codex"] });
  });
});

describe("the credit calibration's sources", () => {
  it("change when another client is read, since its history joins the local total at once", () => {
    const roots = [{ kind: "dedicated" as const, path: "/m" }];
    expect(rootsFingerprint(roots, [])).toBe(rootsFingerprint(roots));
    expect(rootsFingerprint(roots, ["opencode"])).not.toBe(rootsFingerprint(roots));
    expect(rootsFingerprint(roots, ["opencode", "codex"])).toBe(rootsFingerprint(roots, ["codex", "opencode"]));
  });
});
