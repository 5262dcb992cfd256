import path from "node:path";
import { runBundle } from "./code-cache";

// dist-cli/scan.js: starts the scan's bundle (dist-cli/scan-bundle.js, built from scan.ts) from its
// code cache (see code-cache.ts). scripts/build-cli.mjs runs it once with MIMO_WRITE_CODE_CACHE=1
// to make that cache, written as the process exits, when everything the run needed is compiled.
const loaded = runBundle(path.join(__dirname, "scan-bundle.js"));
if (process.env.MIMO_WRITE_CODE_CACHE === "1") process.once("exit", loaded.saveCache);
