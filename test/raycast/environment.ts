/**
 * Jest environment for rendering whole Raycast commands: jsdom, for the DOM the @raycast/api double renders into,
 * plus the Node globals that Raycast's Node runtime gives every command but jsdom leaves out (fetch, TextDecoder,
 * structuredClone, streams…). Without them, shipped code that works in Raycast would fail only under test.
 *
 * Use it with a docblock: `/** @jest-environment ./test/raycast/environment.ts *\/` (the path is relative to the
 * project root).
 */
import type { EnvironmentContext, JestEnvironmentConfig } from "@jest/environment";
import JSDOMEnvironment from "jest-environment-jsdom";

/** Globals of Node 22 that jsdom does not define; jsdom's own versions (URL, Blob, AbortController…) are kept. */
const NODE_GLOBALS = [
  "fetch",
  "Request",
  "Response",
  "Headers",
  "FormData",
  "TextEncoder",
  "TextDecoder",
  "TextEncoderStream",
  "TextDecoderStream",
  "structuredClone",
  "setImmediate",
  "clearImmediate",
  "ReadableStream",
  "WritableStream",
  "TransformStream",
  "CompressionStream",
  "DecompressionStream",
  "MessageChannel",
  "MessagePort",
  "BroadcastChannel",
] as const;

export default class RaycastCommandEnvironment extends JSDOMEnvironment {
  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    const target = this.global as unknown as Record<string, unknown>;
    const source = globalThis as unknown as Record<string, unknown>;
    for (const name of NODE_GLOBALS) {
      if (target[name] === undefined && source[name] !== undefined) target[name] = source[name];
    }
  }
}
