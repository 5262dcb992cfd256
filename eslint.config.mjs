import { defineConfig } from "eslint/config";
import raycastConfig from "@raycast/eslint-config";

export default defineConfig([
  { ignores: ["dist/**", "dist-cli/**", "node_modules/**", "coverage/**", "raycast-env.d.ts"] },
  ...raycastConfig,
]);
