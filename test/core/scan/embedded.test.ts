import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { SCAN_WORKER_SOURCE } from "../../../src/core/scan/worker-source";

const run = promisify(execFile);
const root = path.join(__dirname, "../../..");

// The scan worker and the WebAssembly line reader run from text committed in src/core/scan/. A
// change to their sources without rebuilding that text would leave workers reading the old way.
describe("the embedded scan worker and line reader", () => {
  it("are what their sources build now", async () => {
    await expect(
      run(process.execPath, [path.join(root, "scripts/build-embedded.mjs"), "--check"], { cwd: root }),
    ).resolves.toBeDefined();
  }, 60_000);

  it("is a worker that imports neither Raycast nor zod", () => {
    expect(SCAN_WORKER_SOURCE).toContain("parentPort");
    expect(SCAN_WORKER_SOURCE).not.toMatch(/@raycast\/api|require\("zod"\)/);
  });
});
