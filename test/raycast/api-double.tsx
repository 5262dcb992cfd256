/// <reference lib="dom" />
/**
 * In-memory test double of `@raycast/api`.
 *
 * The npm package ships only type declarations and the `ray` CLI; the runtime lives inside the Raycast app. Jest maps
 * `@raycast/api` to this file (see `moduleNameMapper` in jest.config.js), so commands, `@raycast/utils` and the bundles
 * that `ray build` produces all run against it.
 *
 * Honesty rules:
 * - Every runtime export that shares a name with the real API is annotated with the real declaration type
 *   (`typeof import("@raycast/api")[name]`), so `tsc` fails if a prop, member or signature drifts from
 *   node_modules/@raycast/api/types/index.d.ts. Classes with private members are checked structurally at the bottom.
 * - Components render plain DOM elements with `data-raycast="<Component.Name>"` and their string props as `data-*`
 *   attributes (non-string props are JSON and listed in `data-json`), so tests can query them (see ./query.ts).
 * - Side effects (HUD, toasts, launches, clipboard, open…) are recorded in `raycastCalls` instead of happening.
 *
 * Everything else (helpers such as `resetRaycastDouble`, `setPreferences`, `callsTo`) is double-only. Source files
 * cannot call those by accident: they import from "@raycast/api", whose types come from the real declarations.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type MouseEvent,
  type ReactElement,
  type ReactNode,
} from "react";
import type * as Raycast from "@raycast/api";

/** The real module's value-level shape; annotating exports with it keeps names, members and props honest. */
type Api = typeof Raycast;

// ---------------------------------------------------------------------------------------------------------------------
// Extension manifest: defaults for environment and preferences come from the real package.json, not from guesses.

interface ManifestPreference {
  name: string;
  type: "textfield" | "password" | "checkbox" | "dropdown" | "appPicker" | "file" | "directory";
  required?: boolean;
  default?: string | boolean;
  data?: { title: string; value: string }[];
}

interface ManifestCommand {
  name: string;
  title: string;
  mode: Raycast.Environment["commandMode"];
  preferences?: ManifestPreference[];
}

interface Manifest {
  name: string;
  title: string;
  author: string;
  owner?: string;
  commands: ManifestCommand[];
  preferences?: ManifestPreference[];
}

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as Manifest;

function findCommand(name: string): ManifestCommand | undefined {
  return manifest.commands.find((command) => command.name === name);
}

// ---------------------------------------------------------------------------------------------------------------------
// Call log

/** Arguments of every recorded side effect, keyed by the API function that produced it. */
export interface RaycastCallArgs {
  showHUD: Parameters<Api["showHUD"]>;
  /** Normalised to the options form, whichever overload the caller used. */
  showToast: [options: Raycast.Toast.Options];
  launchCommand: Parameters<Api["launchCommand"]>;
  updateCommandMetadata: Parameters<Api["updateCommandMetadata"]>;
  openExtensionPreferences: [];
  openCommandPreferences: [];
  open: Parameters<Api["open"]>;
  showInFinder: Parameters<Api["showInFinder"]>;
  trash: Parameters<Api["trash"]>;
  popToRoot: Parameters<Api["popToRoot"]>;
  closeMainWindow: Parameters<Api["closeMainWindow"]>;
  clearSearchBar: Parameters<Api["clearSearchBar"]>;
  confirmAlert: Parameters<Api["confirmAlert"]>;
  captureException: Parameters<Api["captureException"]>;
  "Clipboard.copy": Parameters<Api["Clipboard"]["copy"]>;
  "Clipboard.paste": Parameters<Api["Clipboard"]["paste"]>;
  "Clipboard.clear": [];
}

export type RaycastCallName = keyof RaycastCallArgs;
export type RaycastCall = { [K in RaycastCallName]: { fn: K; args: RaycastCallArgs[K] } }[RaycastCallName];

/** Every recorded side effect in call order. Emptied in place by `resetRaycastDouble`, so references stay valid. */
export const raycastCalls: RaycastCall[] = [];

function record<K extends RaycastCallName>(fn: K, ...args: RaycastCallArgs[K]): void {
  raycastCalls.push({ fn, args } as RaycastCall);
}

/** The argument lists of every call to `fn`, e.g. `callsTo("showHUD")` → `[["Refreshed"]]`. */
export function callsTo<K extends RaycastCallName>(fn: K): RaycastCallArgs[K][] {
  return raycastCalls
    .filter((call): call is Extract<RaycastCall, { fn: K }> => call.fn === fn)
    .map((call) => call.args as RaycastCallArgs[K]);
}

// ---------------------------------------------------------------------------------------------------------------------
// Enums. `satisfies EnumValues<…>` proves at compile time that every member exists with the real value.

type EnumValues<E> = { [K in keyof E as E[K] extends string ? K : never]: `${E[K] & string}` };

/** Converts a checked value table into the enum type; sound because `satisfies` already compared every member. */
function asEnum<E>(values: EnumValues<E>): E {
  return Object.freeze(values) as unknown as E;
}

export const LaunchType: Api["LaunchType"] = asEnum<Api["LaunchType"]>({
  UserInitiated: "userInitiated",
  Background: "background",
} satisfies EnumValues<Api["LaunchType"]>);

export const PopToRootType: Api["PopToRootType"] = asEnum<Api["PopToRootType"]>({
  Default: "default",
  Immediate: "immediate",
  Suspended: "suspended",
} satisfies EnumValues<Api["PopToRootType"]>);

/** `Color.Brown` (deprecated, a dynamic colour whose values are not published) is left out. */
export const Color: Api["Color"] = asEnum<Api["Color"]>({
  Blue: "raycast-blue",
  Green: "raycast-green",
  Magenta: "raycast-magenta",
  Orange: "raycast-orange",
  Purple: "raycast-purple",
  Red: "raycast-red",
  Yellow: "raycast-yellow",
  PrimaryText: "raycast-primary-text",
  SecondaryText: "raycast-secondary-text",
} satisfies EnumValues<Api["Color"]>);

export const Image: Api["Image"] = {
  Mask: asEnum<Api["Image"]["Mask"]>({
    Circle: "circle",
    RoundedRectangle: "roundedRectangle",
  } satisfies EnumValues<Api["Image"]["Mask"]>),
};

export const Alert: Api["Alert"] = {
  ActionStyle: asEnum<Api["Alert"]["ActionStyle"]>({
    Default: "default",
    Cancel: "cancel",
    Destructive: "destructive",
  } satisfies EnumValues<Api["Alert"]["ActionStyle"]>),
};

const ToastStyle = asEnum<Api["Toast"]["Style"]>({
  Success: "SUCCESS",
  Failure: "FAILURE",
  Animated: "ANIMATED",
} satisfies EnumValues<Api["Toast"]["Style"]>);

const ActionStyle = asEnum<Api["Action"]["Style"]>({
  Regular: "regular",
  Destructive: "destructive",
} satisfies EnumValues<Api["Action"]["Style"]>);

const DatePickerType = asEnum<Api["Action"]["PickDate"]["Type"]>({
  Date: "date",
  DateTime: "date_time",
} satisfies EnumValues<Api["Action"]["PickDate"]["Type"]>);

/**
 * `Icon` has ~480 members; they are read from the installed declaration file rather than copied, so the values are
 * exactly the real ones (`Icon.Gear === "cog-16"`) and stay in step with `@raycast/api` upgrades.
 */
function loadIconEnum(): Api["Icon"] {
  const declarations = fs.readFileSync(path.join(PROJECT_ROOT, "node_modules/@raycast/api/types/index.d.ts"), "utf8");
  const start = declarations.indexOf("export declare enum Icon {");
  if (start < 0) throw new Error("api-double: `enum Icon` not found in @raycast/api's declarations");
  const body = declarations.slice(start, declarations.indexOf("}", start));
  const members: Record<string, string> = {};
  for (const line of body.split(/\r?\n/)) {
    const match = /^\s*(\w+) = "([^"]*)",?\s*$/.exec(line);
    if (match) members[match[1]] = match[2];
  }
  return Object.freeze(members) as unknown as Api["Icon"];
}

export const Icon: Api["Icon"] = loadIconEnum();

function crossPlatform(
  macOS: Raycast.Keyboard.KeyModifier[],
  windows: Raycast.Keyboard.KeyModifier[],
  key: Raycast.Keyboard.KeyEquivalent,
  windowsKey: Raycast.Keyboard.KeyEquivalent = key,
): Raycast.Keyboard.Shortcut {
  return { macOS: { modifiers: macOS, key }, Windows: { modifiers: windows, key: windowsKey } };
}

/**
 * Key combos from the Raycast API docs (docs/api-reference/keyboard.md, "Keyboard.Shortcut.Common"). The declaration
 * file does not carry them. Note: @raycast/eslint-plugin 2.2.0 embeds a different table for CopyName, CopyPath,
 * Duplicate, Pin, Remove and RemoveAll; they agree on the rest.
 */
export const Keyboard: Api["Keyboard"] = {
  Shortcut: {
    Common: {
      Copy: crossPlatform(["cmd", "shift"], ["ctrl", "shift"], "c"),
      CopyDeeplink: crossPlatform(["cmd", "shift"], ["ctrl", "shift"], "c"),
      CopyName: crossPlatform(["cmd", "shift"], ["ctrl", "alt"], ".", "c"),
      CopyPath: crossPlatform(["cmd", "shift"], ["alt", "shift"], ",", "c"),
      Save: crossPlatform(["cmd"], ["ctrl"], "s"),
      Duplicate: crossPlatform(["cmd"], ["ctrl", "shift"], "d", "s"),
      Edit: crossPlatform(["cmd"], ["ctrl"], "e"),
      MoveDown: crossPlatform(["cmd", "shift"], ["ctrl", "shift"], "arrowDown"),
      MoveUp: crossPlatform(["cmd", "shift"], ["ctrl", "shift"], "arrowUp"),
      New: crossPlatform(["cmd"], ["ctrl"], "n"),
      Open: crossPlatform(["cmd"], ["ctrl"], "o"),
      OpenWith: crossPlatform(["cmd", "shift"], ["ctrl", "shift"], "o"),
      Pin: crossPlatform(["cmd", "shift"], ["ctrl"], "p", "."),
      Refresh: crossPlatform(["cmd"], ["ctrl"], "r"),
      Remove: crossPlatform(["ctrl"], ["ctrl"], "x", "d"),
      RemoveAll: crossPlatform(["ctrl", "shift"], ["ctrl", "shift"], "x", "d"),
      ToggleQuickLook: crossPlatform(["cmd"], ["ctrl"], "y"),
    },
  },
};

/** `cmd+shift+c` style text for a shortcut; the macOS variant by default because the extension targets macOS. */
export function formatShortcut(shortcut: Raycast.Keyboard.Shortcut, platform: "macOS" | "Windows" = "macOS"): string {
  const combo = "modifiers" in shortcut ? shortcut : shortcut[platform];
  return [...combo.modifiers, combo.key].join("+");
}

// ---------------------------------------------------------------------------------------------------------------------
// Environment

let supportPathOverride: string | undefined;
let autoSupportPath: string | undefined;

function defaultEnvironment(): Omit<Raycast.Environment, "supportPath" | "canAccess"> {
  return {
    raycastVersion: "1.104.0",
    ownerOrAuthorName: manifest.owner ?? manifest.author,
    extensionName: manifest.name,
    // No command is running until a test says which (`setCommand`); "view" is the mode most code paths assume.
    commandName: "",
    commandMode: "view",
    // Raycast's assets folder sits next to the extension's package.json; @raycast/utils reads `assetsPath/../package.json`.
    assetsPath: path.join(PROJECT_ROOT, "assets"),
    isDevelopment: true,
    appearance: "dark",
    textSize: "medium",
    launchType: LaunchType.UserInitiated,
    theme: "dark",
    launchContext: undefined,
  };
}

/**
 * The live environment object. `supportPath` is a fresh temp folder per test (created on first read, removed by
 * `resetRaycastDouble`) so code that writes there never touches the real home folder.
 */
export const environment: Api["environment"] = {
  ...defaultEnvironment(),
  get supportPath(): string {
    if (supportPathOverride !== undefined) return supportPathOverride;
    autoSupportPath ??= fs.mkdtempSync(path.join(os.tmpdir(), "raycast-double-support-"));
    return autoSupportPath;
  },
  set supportPath(value: string) {
    supportPathOverride = value;
  },
  // The double grants every API; nothing in this extension gates on access.
  canAccess: () => true,
};

function removeAutoSupportPath(): void {
  if (autoSupportPath) fs.rmSync(autoSupportPath, { recursive: true, force: true });
  autoSupportPath = undefined;
}

// `resetRaycastDouble` removes each test's folder; this removes the last one when the test file ends. Registering
// fails harmlessly if the double is first loaded inside a test, where Jest forbids new hooks.
try {
  afterAll(removeAutoSupportPath);
} catch {
  // The folder then stays in the OS temp dir.
}

/** Overrides environment fields for the current test (`resetRaycastDouble` restores the defaults). */
export function setEnvironment(values: Partial<Raycast.Environment>): void {
  Object.assign(environment, values);
}

export function setLaunchType(launchType: Raycast.LaunchType): void {
  environment.launchType = launchType;
}

/** Makes `name` (a command of package.json) the running command: sets `commandName` and `commandMode`. */
export function setCommand(name: string, launchType: Raycast.LaunchType = environment.launchType): void {
  const command = findCommand(name);
  if (!command) throw new Error(`api-double: package.json has no command "${name}"`);
  Object.assign(environment, { commandName: command.name, commandMode: command.mode, launchType });
}

/** Launch props as Raycast passes them to a command's default export, following the environment's launch type. */
export function launchProps(overrides: Partial<Raycast.LaunchProps> = {}): Raycast.LaunchProps {
  return { launchType: environment.launchType, arguments: {}, ...overrides };
}

// ---------------------------------------------------------------------------------------------------------------------
// Preferences

type PreferenceValue = string | boolean;
let preferenceOverrides: Record<string, PreferenceValue> = {};

function declaredPreferences(): ManifestPreference[] {
  const command = findCommand(environment.commandName);
  return [...(manifest.preferences ?? []), ...(command?.preferences ?? [])];
}

function allDeclaredPreferences(): ManifestPreference[] {
  return [...(manifest.preferences ?? []), ...manifest.commands.flatMap((command) => command.preferences ?? [])];
}

/**
 * Sets preference values as the user would in Raycast's settings. Names and value types are checked against
 * package.json so a typo fails loudly; `undefined` restores the manifest default.
 */
export function setPreferences(values: Record<string, PreferenceValue | undefined>): void {
  const declared = allDeclaredPreferences();
  for (const [name, value] of Object.entries(values)) {
    const preference = declared.find((candidate) => candidate.name === name);
    if (!preference) throw new Error(`api-double: package.json declares no preference "${name}"`);
    if (value === undefined) {
      delete preferenceOverrides[name];
      continue;
    }
    const expected = preference.type === "checkbox" ? "boolean" : "string";
    if (typeof value !== expected) throw new Error(`api-double: preference "${name}" takes a ${expected}`);
    const options = preference.data?.map((option) => option.value);
    if (options && !options.includes(String(value))) {
      throw new Error(`api-double: "${String(value)}" is not an option of "${name}" (${options.join(", ")})`);
    }
    preferenceOverrides[name] = value;
  }
}

/**
 * Extension preferences plus those of the running command: manifest defaults overlaid with `setPreferences`. A
 * preference without default or value is absent, as `raycast-env.d.ts` types it optional. Like Raycast, which will not
 * launch a command before required preferences are filled in, a missing required value throws.
 */
export const getPreferenceValues: Api["getPreferenceValues"] = <Values extends Raycast.PreferenceValues>() => {
  const values: Record<string, PreferenceValue> = {};
  for (const preference of declaredPreferences()) {
    const value = preference.name in preferenceOverrides ? preferenceOverrides[preference.name] : preference.default;
    if (value !== undefined) values[preference.name] = value;
    else if (preference.required) {
      throw new Error(`api-double: required preference "${preference.name}" has no value; call setPreferences()`);
    }
  }
  return values as Values;
};

export const openExtensionPreferences: Api["openExtensionPreferences"] = async () => {
  record("openExtensionPreferences");
};

export const openCommandPreferences: Api["openCommandPreferences"] = async () => {
  record("openCommandPreferences");
};

// ---------------------------------------------------------------------------------------------------------------------
// Commands, HUD, alerts and other side effects

export const launchCommand: Api["launchCommand"] = async (options) => {
  record("launchCommand", options);
  // Raycast throws for a command that does not exist; only this extension's commands can be checked here.
  if (!("extensionName" in options) && !findCommand(options.name)) {
    throw new Error(`api-double: launchCommand: package.json has no command "${options.name}"`);
  }
};

export const updateCommandMetadata: Api["updateCommandMetadata"] = async (metadata) => {
  record("updateCommandMetadata", metadata);
};

export const showHUD: Api["showHUD"] = async (title, options) => {
  if (options === undefined) record("showHUD", title);
  else record("showHUD", title, options);
};

export const open: Api["open"] = async (target, application) => {
  if (application === undefined) record("open", target);
  else record("open", target, application);
};

export const showInFinder: Api["showInFinder"] = async (target) => {
  record("showInFinder", target);
};

export const trash: Api["trash"] = async (paths) => {
  record("trash", paths);
};

export const closeMainWindow: Api["closeMainWindow"] = async (options) => {
  if (options === undefined) record("closeMainWindow");
  else record("closeMainWindow", options);
};

export const captureException: Api["captureException"] = (exception) => {
  record("captureException", exception);
};

let confirmAlertAnswer = true;

/** What the "user" answers to the next `confirmAlert` calls (default: confirm). */
export function setConfirmAlertAnswer(answer: boolean): void {
  confirmAlertAnswer = answer;
}

export const confirmAlert: Api["confirmAlert"] = async (options) => {
  record("confirmAlert", options);
  const chosen = confirmAlertAnswer ? options.primaryAction : options.dismissAction;
  chosen?.onAction?.();
  return confirmAlertAnswer;
};

// ---------------------------------------------------------------------------------------------------------------------
// Toasts

interface ToastState {
  options: Raycast.Toast.Options & { style: Raycast.Toast.Style };
  visible: boolean;
}

const toastStates = new WeakMap<Toast, ToastState>();
const shownToasts: Toast[] = [];

export class Toast {
  static readonly Style = ToastStyle;

  constructor(props: Raycast.Toast.Options) {
    // Raycast shows a success toast unless told otherwise.
    toastStates.set(this, { options: { style: ToastStyle.Success, ...props }, visible: false });
  }

  #state(): ToastState {
    const state = toastStates.get(this);
    if (!state) throw new Error("api-double: toast state missing");
    return state;
  }

  get style(): Raycast.Toast.Style {
    return this.#state().options.style;
  }
  set style(style: Raycast.Toast.Style) {
    this.#state().options.style = style;
  }
  get title(): string {
    return this.#state().options.title;
  }
  set title(title: string) {
    this.#state().options.title = title;
  }
  get message(): string | undefined {
    return this.#state().options.message;
  }
  set message(message: string | undefined) {
    this.#state().options.message = message;
  }
  get primaryAction(): Raycast.Toast.ActionOptions | undefined {
    return this.#state().options.primaryAction;
  }
  set primaryAction(action: Raycast.Toast.ActionOptions | undefined) {
    this.#state().options.primaryAction = action;
  }
  get secondaryAction(): Raycast.Toast.ActionOptions | undefined {
    return this.#state().options.secondaryAction;
  }
  set secondaryAction(action: Raycast.Toast.ActionOptions | undefined) {
    this.#state().options.secondaryAction = action;
  }

  async show(): Promise<void> {
    const state = this.#state();
    state.visible = true;
    record("showToast", { ...state.options });
    if (!shownToasts.includes(this)) shownToasts.push(this);
  }

  async hide(): Promise<void> {
    this.#state().visible = false;
  }
}

export interface ToastSnapshot {
  style: Raycast.Toast.Style;
  title: string;
  message?: string;
  primaryAction?: Raycast.Toast.ActionOptions;
  secondaryAction?: Raycast.Toast.ActionOptions;
  visible: boolean;
  /** The live toast, e.g. to trigger `primaryAction.onAction(toast)`. */
  toast: Toast;
}

/** The current state of every toast shown so far (commands often mutate a toast after showing it). */
export function toasts(): ToastSnapshot[] {
  return shownToasts.map((toast) => {
    const state = toastStates.get(toast);
    if (!state) throw new Error("api-double: toast state missing");
    return { ...state.options, visible: state.visible, toast };
  });
}

async function showToastImpl(
  optionsOrStyle: Raycast.Toast.Options | Raycast.Toast.Style,
  title?: string,
  message?: string,
): Promise<Raycast.Toast> {
  const options: Raycast.Toast.Options =
    typeof optionsOrStyle === "string" ? { style: optionsOrStyle, title: title ?? "", message } : optionsOrStyle;
  const toast = new Toast(options);
  await toast.show();
  // The real class has private members, which makes it nominal; the structural check at the bottom of the file
  // proves the double's public surface matches.
  return toast as unknown as Raycast.Toast;
}

export const showToast: Api["showToast"] = showToastImpl;

// ---------------------------------------------------------------------------------------------------------------------
// Clipboard and LocalStorage

let clipboardHistory: Raycast.Clipboard.ReadContent[] = [];

function readContentOf(content: string | number | Raycast.Clipboard.Content): Raycast.Clipboard.ReadContent {
  if (typeof content === "string" || typeof content === "number") return { text: String(content) };
  if ("file" in content) return { text: String(content.file), file: String(content.file) };
  if ("html" in content) return { text: content.text ?? content.html, html: content.html };
  return { text: content.text };
}

export const Clipboard: Api["Clipboard"] = {
  async copy(content, options) {
    if (options === undefined) record("Clipboard.copy", content);
    else record("Clipboard.copy", content, options);
    clipboardHistory = [readContentOf(content), ...clipboardHistory].slice(0, 6);
  },
  async paste(content) {
    record("Clipboard.paste", content);
  },
  async clear() {
    record("Clipboard.clear");
    clipboardHistory = [{ text: "" }, ...clipboardHistory].slice(0, 6);
  },
  async read(options) {
    return clipboardHistory[options?.offset ?? 0] ?? { text: "" };
  },
  async readText(options) {
    return clipboardHistory[options?.offset ?? 0]?.text;
  },
};

const localStorageItems = new Map<string, Raycast.LocalStorage.Value>();

export const LocalStorage: Api["LocalStorage"] = {
  async allItems<T extends Raycast.LocalStorage.Values>() {
    return Object.fromEntries(localStorageItems) as T;
  },
  async getItem<T extends Raycast.LocalStorage.Value>(key: string) {
    return localStorageItems.get(key) as T | undefined;
  },
  async setItem(key, value) {
    localStorageItems.set(key, value);
  },
  async removeItem(key) {
    localStorageItems.delete(key);
  },
  async clear() {
    localStorageItems.clear();
  },
};

// ---------------------------------------------------------------------------------------------------------------------
// Cache

/**
 * Stores shared by all `Cache` instances of the same directory/namespace, as the real cache shares files on disk:
 * a value written by one command run is read by the next `new Cache()`. Looked up on every access so
 * `resetRaycastDouble` can drop them even while @raycast/utils holds long-lived instances.
 */
const cacheStores = new Map<string, Map<string, string>>();

/** Every value any command stored in Raycast's cache, for tests that check what must never be there. */
export function cachedValues(): string[] {
  return [...cacheStores.values()].flatMap((store) => [...store.values()]);
}

export class Cache {
  /** Not documented by Raycast; only used to compose `storageDirectory`. */
  static get STORAGE_DIRECTORY_NAME(): string {
    return "cache";
  }
  /** 10 MB, as documented for `Cache.Options.capacity`. */
  static get DEFAULT_CAPACITY(): number {
    return 10 * 1024 * 1024;
  }

  readonly #directory: string | undefined;
  readonly #namespace: string | undefined;
  readonly #capacity: number;
  // Per instance, like the real class: subscribers hear about changes made through this instance.
  readonly #subscribers = new Set<Raycast.Cache.Subscriber>();

  constructor(options: Raycast.Cache.Options = {}) {
    this.#directory = options.directory;
    this.#namespace = options.namespace;
    this.#capacity = options.capacity ?? Cache.DEFAULT_CAPACITY;
  }

  #store(): Map<string, string> {
    const key = `${this.#directory ?? ""}\0${this.#namespace ?? ""}`;
    let store = cacheStores.get(key);
    if (!store) {
      store = new Map();
      cacheStores.set(key, store);
    }
    return store;
  }

  get storageDirectory(): string {
    const base = this.#directory ?? path.join(environment.supportPath, Cache.STORAGE_DIRECTORY_NAME);
    return this.#namespace ? path.join(base, this.#namespace) : base;
  }

  get(key: string): string | undefined {
    const store = this.#store();
    const data = store.get(key);
    if (data !== undefined) {
      // Re-insert to mark the entry most recently used (Map keeps insertion order).
      store.delete(key);
      store.set(key, data);
    }
    return data;
  }

  has(key: string): boolean {
    return this.#store().has(key);
  }

  get isEmpty(): boolean {
    return this.#store().size === 0;
  }

  set(key: string, data: string): void {
    const store = this.#store();
    store.delete(key);
    store.set(key, data);
    this.#maintainCapacity(store);
    this.#notify(key, data);
  }

  remove(key: string): boolean {
    const removed = this.#store().delete(key);
    this.#notify(key, undefined);
    return removed;
  }

  clear(options?: { notifySubscribers: boolean }): void {
    this.#store().clear();
    if (options?.notifySubscribers !== false) this.#notify(undefined, undefined);
  }

  /** An arrow property because @raycast/utils passes `cache.subscribe` unbound to `useSyncExternalStore`. */
  subscribe = (subscriber: Raycast.Cache.Subscriber): Raycast.Cache.Subscription => {
    this.#subscribers.add(subscriber);
    return () => {
      this.#subscribers.delete(subscriber);
    };
  };

  #maintainCapacity(store: Map<string, string>): void {
    let size = 0;
    for (const data of store.values()) size += Buffer.byteLength(data);
    for (const [key, data] of store) {
      if (size <= this.#capacity) break;
      store.delete(key);
      size -= Buffer.byteLength(data);
    }
  }

  #notify(key: string | undefined, data: string | undefined): void {
    for (const subscriber of [...this.#subscribers]) subscriber(key, data);
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Navigation: one stack per test, rendered by the outermost view (List or Detail), like Raycast's window.

interface NavigationEntry {
  key: number;
  view: ReactNode;
  onPop?: () => void;
}

let navigationStack: NavigationEntry[] = [];
let navigationKey = 0;
const navigationListeners = new Set<() => void>();

function setNavigationStack(next: NavigationEntry[]): void {
  navigationStack = next;
  for (const listener of [...navigationListeners]) listener();
}

function subscribeNavigation(listener: () => void): () => void {
  navigationListeners.add(listener);
  return () => navigationListeners.delete(listener);
}

const navigation: Raycast.Navigation = {
  push(view, onPop) {
    setNavigationStack([...navigationStack, { key: ++navigationKey, view, onPop }]);
  },
  pop() {
    const top = navigationStack.at(-1);
    if (!top) return;
    setNavigationStack(navigationStack.slice(0, -1));
    top.onPop?.();
  },
};

/** Not a React hook internally, so it also works above the view that hosts the stack (as in Raycast). */
export const useNavigation: Api["useNavigation"] = () => navigation;

export const popToRoot: Api["popToRoot"] = async (options) => {
  if (options === undefined) record("popToRoot");
  else record("popToRoot", options);
  const popped = navigationStack;
  setNavigationStack([]);
  for (const entry of popped.reverse()) entry.onPop?.();
};

const clearSearchBarListeners = new Set<() => void>();

export const clearSearchBar: Api["clearSearchBar"] = async (options) => {
  if (options === undefined) record("clearSearchBar");
  else record("clearSearchBar", options);
  for (const listener of [...clearSearchBarListeners]) listener();
};

/** Marks views rendered inside the navigation host so that only the outermost view hosts the stack. */
const InsideViewContext = createContext(false);

function ViewRoot({ children }: { children: ReactNode }): ReactElement {
  const inside = useContext(InsideViewContext);
  return inside ? <>{children}</> : <NavigationHost base={children} />;
}

function NavigationHost({ base }: { base: ReactNode }): ReactElement {
  const stack = useSyncExternalStore(subscribeNavigation, () => navigationStack);
  // The stack belongs to the rendered command: unmounting it (RTL cleanup) leaves no pushed views behind.
  useEffect(() => () => setNavigationStack([]), []);
  return (
    <InsideViewContext.Provider value={true}>
      <div data-raycast-view="root" hidden={stack.length > 0}>
        {base}
      </div>
      {stack.map((entry, index) => (
        <div key={entry.key} data-raycast-view="pushed" hidden={index < stack.length - 1}>
          {entry.view}
        </div>
      ))}
    </InsideViewContext.Provider>
  );
}

// ---------------------------------------------------------------------------------------------------------------------
// DOM rendering helpers

type DataValue = string | number | boolean | object | null | undefined;
type DataAttributes = { [attribute: `data-${string}`]: string };

/**
 * Props as `data-*` attributes: strings verbatim, everything else as JSON listed in `data-json` so ./query.ts can
 * decode it. camelCase names become kebab-case, which the DOM's `dataset` maps back to camelCase.
 */
function dataAttributes(values: Record<string, DataValue>): DataAttributes {
  const attributes: DataAttributes = {};
  const json: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    const attribute = `data-${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}` as const;
    if (typeof value === "string") attributes[attribute] = value;
    else {
      attributes[attribute] = JSON.stringify(value);
      json.push(name);
    }
  }
  if (json.length > 0) attributes["data-json"] = json.join(" ");
  return attributes;
}

function shortcutAttributes(shortcut: Raycast.Keyboard.Shortcut | null | undefined): DataAttributes {
  return shortcut ? { ...dataAttributes({ shortcut }), "data-shortcut-keys": formatShortcut(shortcut) } : {};
}

/** Merges two attribute sets, including their `data-json` lists. */
function mergeAttributes(first: DataAttributes, second: DataAttributes): DataAttributes {
  const json = [first["data-json"], second["data-json"]].filter(Boolean).join(" ");
  return { ...first, ...second, ...(json ? { "data-json": json } : {}) };
}

function textOf(value: string | { value?: string | null } | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === "string" ? value : (value.value ?? undefined);
}

function Slot({ name, children }: { name: string; children: ReactNode }): ReactElement | null {
  if (children === undefined || children === null || children === false) return null;
  return <div data-slot={name}>{children}</div>;
}

// ---------------------------------------------------------------------------------------------------------------------
// Actions

interface ActionButtonProps {
  kind: string;
  title: string;
  icon?: Raycast.Image.ImageLike | null;
  shortcut?: Raycast.Keyboard.Shortcut | null;
  style?: Raycast.Action.Style;
  details?: Record<string, DataValue>;
  onTrigger: () => void;
}

function ActionButton({ kind, title, icon, shortcut, style, details, onTrigger }: ActionButtonProps): ReactElement {
  return (
    <button
      type="button"
      data-raycast={kind}
      data-raycast-action=""
      {...mergeAttributes(dataAttributes({ title, icon, style, ...details }), shortcutAttributes(shortcut))}
      onClick={onTrigger}
    >
      {title}
    </button>
  );
}

function ActionComponent({ title, icon, shortcut, style, onAction, autoFocus }: Raycast.Action.Props): ReactElement {
  return (
    <ActionButton
      kind="Action"
      title={title}
      icon={icon}
      shortcut={shortcut}
      style={style}
      details={{ autoFocus }}
      onTrigger={() => onAction?.()}
    />
  );
}

function CopyToClipboard(props: Raycast.Action.CopyToClipboard.Props): ReactElement {
  const { content, title = "Copy to Clipboard", icon = Icon.Clipboard, shortcut, onCopy } = props;
  const concealed = props.concealed ?? props.transient;
  return (
    <ActionButton
      kind="Action.CopyToClipboard"
      title={title}
      icon={icon}
      shortcut={shortcut}
      details={{ content, concealed }}
      onTrigger={() => {
        void Clipboard.copy(content, concealed === undefined ? undefined : { concealed }).then(() => onCopy?.(content));
      }}
    />
  );
}

function OpenAction({ target, application, title, icon = Icon.Finder, shortcut, onOpen }: Raycast.Action.Open.Props) {
  const applicationName = typeof application === "string" ? application : application?.name;
  return (
    <ActionButton
      kind="Action.Open"
      title={title}
      icon={icon}
      shortcut={shortcut}
      details={{ target, application: applicationName }}
      onTrigger={() => {
        void open(target, application).then(() => onOpen?.(target));
      }}
    />
  );
}

function OpenInBrowser(props: Raycast.Action.OpenInBrowser.Props): ReactElement {
  const { url, title = "Open in Browser", icon = Icon.Globe, shortcut, onOpen } = props;
  return (
    <ActionButton
      kind="Action.OpenInBrowser"
      title={title}
      icon={icon}
      shortcut={shortcut}
      details={{ url }}
      onTrigger={() => {
        void open(url).then(() => onOpen?.(url));
      }}
    />
  );
}

/** Raycast opens an application picker here; the double can only report the choice through `onOpen`. */
function OpenWith({
  path: target,
  title = "Open With",
  icon = Icon.Upload,
  shortcut,
  onOpen,
}: Raycast.Action.OpenWith.Props) {
  return (
    <ActionButton
      kind="Action.OpenWith"
      title={title}
      icon={icon}
      shortcut={shortcut}
      details={{ path: target }}
      onTrigger={() => onOpen?.(target)}
    />
  );
}

function Paste(props: Raycast.Action.Paste.Props): ReactElement {
  const { content, title = "Paste in Active App", icon = Icon.Clipboard, shortcut, onPaste } = props;
  return (
    <ActionButton
      kind="Action.Paste"
      title={title}
      icon={icon}
      shortcut={shortcut}
      details={{ content }}
      onTrigger={() => {
        void Clipboard.paste(content).then(() => onPaste?.(content));
      }}
    />
  );
}

function Push({ title, target, icon, shortcut, onPush, onPop }: Raycast.Action.Push.Props): ReactElement {
  return (
    <ActionButton
      kind="Action.Push"
      title={title}
      icon={icon}
      shortcut={shortcut}
      onTrigger={() => {
        navigation.push(target, onPop);
        onPush?.();
      }}
    />
  );
}

function ShowInFinder(props: Raycast.Action.ShowInFinder.Props): ReactElement {
  const { path: target, title = "Show in Finder", icon = Icon.Finder, shortcut, onShow } = props;
  return (
    <ActionButton
      kind="Action.ShowInFinder"
      title={title}
      icon={icon}
      shortcut={shortcut}
      details={{ path: String(target) }}
      onTrigger={() => {
        void showInFinder(target).then(() => onShow?.(target));
      }}
    />
  );
}

/** Forms are not doubled; submitting passes no values. */
function SubmitFormImpl<T extends Raycast.Form.Values>(props: Raycast.Action.SubmitForm.Props<T>): ReactElement {
  const { title = "Submit Form", icon, shortcut, style, onSubmit } = props;
  return (
    <ActionButton
      kind="Action.SubmitForm"
      title={title}
      icon={icon}
      shortcut={shortcut}
      style={style}
      onTrigger={() => void onSubmit?.({} as T)}
    />
  );
}
const SubmitForm = Object.assign(SubmitFormImpl, { displayName: "Action.SubmitForm" });

function Trash({ paths, title = "Move to Trash", icon = Icon.Trash, shortcut, onTrash }: Raycast.Action.Trash.Props) {
  return (
    <ActionButton
      kind="Action.Trash"
      title={title}
      icon={icon}
      shortcut={shortcut}
      details={{ paths: [paths].flat().map(String) }}
      onTrigger={() => {
        void trash(paths).then(() => onTrash?.(paths));
      }}
    />
  );
}

// The following actions open Raycast UI the double does not have; they render so tests can find them.
function CreateSnippet({ snippet, title = "Create Snippet", icon, shortcut }: Raycast.Action.CreateSnippet.Props) {
  return (
    <ActionButton kind="Action.CreateSnippet" {...{ title, icon, shortcut }} details={{ snippet }} onTrigger={noop} />
  );
}

function CreateQuicklink(props: Raycast.Action.CreateQuicklink.Props): ReactElement {
  const { quicklink, title = "Create Quicklink", icon, shortcut } = props;
  return (
    <ActionButton
      kind="Action.CreateQuicklink"
      {...{ title, icon, shortcut }}
      details={{ quicklink }}
      onTrigger={noop}
    />
  );
}

function InstallMCPServer(props: Raycast.Action.InstallMCPServer.Props): ReactElement {
  const { server, title = "Install MCP Server", icon, shortcut } = props;
  return (
    <ActionButton kind="Action.InstallMCPServer" {...{ title, icon, shortcut }} details={{ server }} onTrigger={noop} />
  );
}

function ToggleQuickLook({ title = "Quick Look", icon = Icon.Eye, shortcut }: Raycast.Action.ToggleQuickLook.Props) {
  return <ActionButton kind="Action.ToggleQuickLook" {...{ title, icon, shortcut }} onTrigger={noop} />;
}

function PickDateImpl({ title, icon = Icon.Calendar, shortcut, type, min, max }: Raycast.Action.PickDate.Props) {
  return (
    <ActionButton kind="Action.PickDate" {...{ title, icon, shortcut }} details={{ type, min, max }} onTrigger={noop} />
  );
}
const PickDate = Object.assign(PickDateImpl, {
  Type: DatePickerType,
  // A date picked without a time component comes back at midnight.
  isFullDay: (date?: Date | null) =>
    !!date &&
    date.getHours() === 0 &&
    date.getMinutes() === 0 &&
    date.getSeconds() === 0 &&
    date.getMilliseconds() === 0,
});

function noop(): void {}

export const Action: Api["Action"] = Object.assign(ActionComponent, {
  Style: ActionStyle,
  CopyToClipboard,
  Open: OpenAction,
  OpenInBrowser,
  OpenWith,
  Paste,
  Push,
  ShowInFinder,
  SubmitForm,
  Trash,
  CreateSnippet,
  CreateQuicklink,
  InstallMCPServer,
  ToggleQuickLook,
  PickDate,
});

function ActionPanelComponent({ title, children }: Raycast.ActionPanel.Props): ReactElement {
  return (
    <div data-raycast="ActionPanel" {...dataAttributes({ title })}>
      {children}
    </div>
  );
}

function ActionPanelSection({ title, children }: Raycast.ActionPanel.Section.Props): ReactElement {
  return (
    <div data-raycast="ActionPanel.Section" {...dataAttributes({ title })}>
      {children}
    </div>
  );
}

/** The title button stands for opening the submenu (fires `onOpen`); the children are always rendered. */
function ActionPanelSubmenu(props: Raycast.ActionPanel.Submenu.Props): ReactElement {
  const { id, title, icon, shortcut, children, onOpen, autoFocus, isLoading } = props;
  return (
    <div
      data-raycast="ActionPanel.Submenu"
      {...mergeAttributes(dataAttributes({ id, title, icon, autoFocus, isLoading }), shortcutAttributes(shortcut))}
    >
      <button type="button" data-part="open" onClick={() => onOpen?.()}>
        {title}
      </button>
      <div data-part="children">{children}</div>
    </div>
  );
}

export const ActionPanel: Api["ActionPanel"] = Object.assign(ActionPanelComponent, {
  Section: ActionPanelSection,
  Submenu: ActionPanelSubmenu,
  Item: Action,
});

// ---------------------------------------------------------------------------------------------------------------------
// Detail metadata (shared by Detail and List.Item.Detail, as in the real declarations)

function Metadata({ children }: Raycast.Detail.Metadata.Props): ReactElement {
  return <div data-raycast="Metadata">{children}</div>;
}

function MetadataLabel({ title, icon, text }: Raycast.Detail.Metadata.Label.Props): ReactElement {
  const value = typeof text === "string" ? text : text?.value;
  const color = typeof text === "object" ? (text.color ?? undefined) : undefined;
  return (
    <div data-raycast="Metadata.Label" {...dataAttributes({ title, icon, text: value, color })}>
      <span data-part="title">{title}</span>
      {value !== undefined ? <span data-part="text">{value}</span> : null}
    </div>
  );
}

function MetadataSeparator(): ReactElement {
  return <hr data-raycast="Metadata.Separator" />;
}

/** Clicking opens the target through `open`, as Raycast does. */
function MetadataLink({ title, target, text }: Raycast.Detail.Metadata.Link.Props): ReactElement {
  return (
    <div data-raycast="Metadata.Link" {...dataAttributes({ title, target, text })}>
      <span data-part="title">{title}</span>
      <a
        href={target}
        onClick={(event: MouseEvent) => {
          event.preventDefault();
          void open(target);
        }}
      >
        {text}
      </a>
    </div>
  );
}

function MetadataTagList({ title, children }: Raycast.Detail.Metadata.TagList.Props): ReactElement {
  return (
    <div data-raycast="Metadata.TagList" {...dataAttributes({ title })}>
      <span data-part="title">{title}</span>
      {children}
    </div>
  );
}

function MetadataTagListItem({
  icon,
  text,
  color,
  onAction,
}: Raycast.Detail.Metadata.TagList.Item.Props): ReactElement {
  return (
    <span
      data-raycast="Metadata.TagList.Item"
      role={onAction ? "button" : undefined}
      {...dataAttributes({ icon, text, color })}
      onClick={() => onAction?.()}
    >
      {text}
    </span>
  );
}

const MetadataWithMembers = Object.assign(Metadata, {
  Label: MetadataLabel,
  Separator: MetadataSeparator,
  Link: MetadataLink,
  TagList: Object.assign(MetadataTagList, { Item: MetadataTagListItem }),
});

// ---------------------------------------------------------------------------------------------------------------------
// Detail

function DetailView({ markdown, metadata, actions, navigationTitle, isLoading }: Raycast.Detail.Props): ReactElement {
  return (
    <div
      data-raycast="Detail"
      {...dataAttributes({ navigationTitle, isLoading: Boolean(isLoading), markdown: markdown ?? undefined })}
    >
      {markdown ? <div data-part="markdown">{markdown}</div> : null}
      <Slot name="metadata">{metadata}</Slot>
      <Slot name="actions">{actions}</Slot>
    </div>
  );
}

function DetailComponent(props: Raycast.Detail.Props): ReactElement {
  return (
    <ViewRoot>
      <DetailView {...props} />
    </ViewRoot>
  );
}

export const Detail: Api["Detail"] = Object.assign(DetailComponent, { Metadata: MetadataWithMembers });

// ---------------------------------------------------------------------------------------------------------------------
// List

interface ListContextValue {
  query: string;
  filtering: boolean;
  isShowingDetail: boolean;
  selectedId: string | null;
  itemCount: number;
  select: (id: string | null) => void;
  itemsChanged: () => void;
}

const ListContext = createContext<ListContextValue | null>(null);
const SectionContext = createContext<(() => void) | null>(null);

const ITEM_SELECTOR = '[data-raycast="List.Item"]';

/**
 * Raycast's built-in filtering, simplified: every whitespace-separated word of the query must occur (ignoring case)
 * in the title or one of the keywords. Raycast also ranks fuzzy matches; the double only includes or excludes.
 */
function matchesListQuery(query: string, haystacks: (string | undefined)[]): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const candidates = haystacks.filter((text): text is string => !!text).map((text) => text.toLowerCase());
  return words.every((word) => candidates.some((text) => text.includes(word)));
}

function sameIds(first: string[], second: string[]): boolean {
  return first.length === second.length && first.every((id, index) => id === second[index]);
}

function ListView(props: Raycast.List.Props): ReactElement {
  const {
    children,
    actions,
    navigationTitle,
    isLoading,
    isShowingDetail,
    searchText,
    onSearchTextChange,
    searchBarPlaceholder,
    searchBarAccessory,
    selectedItemId,
    onSelectionChange,
    pagination,
    throttle,
  } = props;
  const [ownText, setOwnText] = useState("");
  const text = searchText ?? ownText;
  // Documented default: filtering is on unless `onSearchTextChange` is given; `filtering` beats the deprecated flag.
  const filtering =
    props.filtering !== undefined ? props.filtering !== false : (props.enableFiltering ?? !onSearchTextChange);

  const rootRef = useRef<HTMLDivElement>(null);
  const [, setVersion] = useState(0);
  const [itemIds, setItemIds] = useState<string[]>([]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const latest = useRef({ onSelectionChange, onSearchTextChange });
  latest.current = { onSelectionChange, onSearchTextChange };

  const changeText = useCallback((next: string) => {
    setOwnText(next);
    latest.current.onSearchTextChange?.(next);
  }, []);

  useEffect(() => {
    const clear = () => changeText("");
    clearSearchBarListeners.add(clear);
    return () => {
      clearSearchBarListeners.delete(clear);
    };
  }, [changeText]);

  // Items report mounts and unmounts here, so the list notices even when only a child component re-rendered.
  const itemsChanged = useCallback(() => setVersion((version) => version + 1), []);

  // The ref mirrors the state so selection changes are detected (and reported once) outside state updaters.
  const selectedRef = useRef<string | null>(null);
  const select = useCallback((id: string | null) => {
    if (selectedRef.current === id) return;
    selectedRef.current = id;
    setSelectedId(id);
    latest.current.onSelectionChange?.(id);
  }, []);

  // After every render: read the visible items in DOM order and keep a valid selection (first item by default).
  useLayoutEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    const ids = Array.from(root.querySelectorAll<HTMLElement>(ITEM_SELECTOR))
      .filter((element) => element.closest('[data-raycast="List"]') === root)
      .map((element) => element.dataset.id ?? "");
    setItemIds((previous) => (sameIds(previous, ids) ? previous : ids));
    const current = selectedRef.current;
    select(
      selectedItemId !== undefined && ids.includes(selectedItemId)
        ? selectedItemId
        : current !== null && ids.includes(current)
          ? current
          : (ids[0] ?? null),
    );
  });

  const context = useMemo<ListContextValue>(
    () => ({
      query: text,
      filtering,
      isShowingDetail: Boolean(isShowingDetail),
      selectedId,
      itemCount: itemIds.length,
      select,
      itemsChanged,
    }),
    [text, filtering, isShowingDetail, selectedId, itemIds.length, select, itemsChanged],
  );

  return (
    <div
      ref={rootRef}
      data-raycast="List"
      {...dataAttributes({
        navigationTitle,
        isLoading: Boolean(isLoading),
        isShowingDetail: Boolean(isShowingDetail),
        filtering,
        throttle,
        searchText: text,
        selectedItemId: selectedId ?? undefined,
      })}
    >
      <div data-raycast="List.SearchBar">
        <input
          type="text"
          role="searchbox"
          aria-label="Search"
          placeholder={searchBarPlaceholder ?? "Search…"}
          value={text}
          onChange={(event) => changeText(event.target.value)}
        />
        {searchBarAccessory}
      </div>
      <ListContext.Provider value={context}>
        <div role="listbox">{children}</div>
      </ListContext.Provider>
      {pagination?.hasMore ? (
        <button type="button" data-raycast="List.LoadMore" onClick={() => pagination.onLoadMore()}>
          Load More
        </button>
      ) : null}
      <Slot name="actions">{actions}</Slot>
    </div>
  );
}

function ListComponent(props: Raycast.List.Props): ReactElement {
  return (
    <ViewRoot>
      <ListView {...props} />
    </ViewRoot>
  );
}

function accessoryText(accessory: Raycast.List.Item.Accessory): string | undefined {
  const value =
    "text" in accessory
      ? accessory.text
      : "tag" in accessory
        ? accessory.tag
        : "date" in accessory
          ? accessory.date
          : null;
  const inner = value !== null && typeof value === "object" && !(value instanceof Date) ? value.value : value;
  if (inner === null || inner === undefined) return undefined;
  return inner instanceof Date ? inner.toISOString() : inner;
}

function ListItem(props: Raycast.List.Item.Props): ReactElement | null {
  const { icon, keywords, accessories, accessoryTitle, accessoryIcon, detail, actions, quickLook } = props;
  const list = useContext(ListContext);
  const sectionChanged = useContext(SectionContext);
  const generatedId = useId();
  const id = props.id ?? generatedId;
  const title = textOf(props.title) ?? "";
  const subtitle = textOf(props.subtitle);
  const visible = !list || !list.filtering || matchesListQuery(list.query, [title, ...(keywords ?? [])]);
  const listChanged = list?.itemsChanged;

  useLayoutEffect(() => {
    if (!visible) return;
    listChanged?.();
    sectionChanged?.();
    return () => {
      listChanged?.();
      sectionChanged?.();
    };
  }, [visible, id, listChanged, sectionChanged]);

  if (!visible) return null;
  const selected = list?.selectedId === id;
  const accessoryTexts = (accessories ?? []).map(accessoryText).filter((text): text is string => !!text);
  return (
    <div
      role="option"
      aria-selected={selected}
      data-raycast="List.Item"
      {...dataAttributes({
        id,
        title,
        subtitle,
        icon,
        keywords,
        accessories,
        accessoryTitle,
        accessoryIcon,
        quickLook: quickLook ? { ...quickLook, path: String(quickLook.path) } : undefined,
      })}
      onClick={() => list?.select(id)}
    >
      <span data-part="title">{title}</span>
      {subtitle ? <span data-part="subtitle">{subtitle}</span> : null}
      {accessoryTexts.length > 0 ? <span data-part="accessories">{accessoryTexts.join(" · ")}</span> : null}
      {/* Raycast shows only the selected item's detail, and only when the list is showing details. */}
      {list?.isShowingDetail && selected ? <Slot name="detail">{detail}</Slot> : null}
      <Slot name="actions">{actions}</Slot>
    </div>
  );
}

function ListItemDetail({ markdown, metadata, isLoading }: Raycast.List.Item.Detail.Props): ReactElement {
  return (
    <div
      data-raycast="List.Item.Detail"
      {...dataAttributes({ isLoading: Boolean(isLoading), markdown: markdown ?? undefined })}
    >
      {markdown ? <div data-part="markdown">{markdown}</div> : null}
      <Slot name="metadata">{metadata}</Slot>
    </div>
  );
}

/** Hidden (not unmounted, so its items can still report in) while none of its items is visible, as in Raycast. */
function ListSection({ id, title, subtitle, children }: Raycast.List.Section.Props): ReactElement {
  const ref = useRef<HTMLDivElement>(null);
  const [hasItems, setHasItems] = useState(true);
  const [, setVersion] = useState(0);
  const itemsChanged = useCallback(() => setVersion((version) => version + 1), []);
  useLayoutEffect(() => {
    const found = ref.current?.querySelector(ITEM_SELECTOR) !== null;
    if (found !== hasItems) setHasItems(found);
  });
  return (
    <div
      ref={ref}
      role="group"
      aria-label={title}
      data-raycast="List.Section"
      hidden={!hasItems}
      {...dataAttributes({ id, title, subtitle })}
    >
      {title ? <div data-part="title">{title}</div> : null}
      <SectionContext.Provider value={itemsChanged}>{children}</SectionContext.Provider>
    </div>
  );
}

/** Shown only while the list has no visible item (none given or none matching the search text). */
function ListEmptyView({ icon, title, description, actions }: Raycast.List.EmptyView.Props): ReactElement | null {
  const list = useContext(ListContext);
  if (list && list.itemCount > 0) return null;
  return (
    <div data-raycast="List.EmptyView" {...dataAttributes({ icon, title, description })}>
      {title ? <span data-part="title">{title}</span> : null}
      {description ? <span data-part="description">{description}</span> : null}
      <Slot name="actions">{actions}</Slot>
    </div>
  );
}

/** Selections survive re-mounts when `storeValue` is set, as Raycast restores them on the next launch. */
const storedDropdownValues = new Map<string, string>();

/**
 * A `<select>`: pick a value with `fireEvent.change(select, { target: { value } })`. Like Raycast, `onChange` also
 * fires once on first render with the initial value (stored value, `value`, `defaultValue` or the first item).
 */
function ListDropdown(props: Raycast.List.Dropdown.Props): ReactElement {
  const {
    id,
    tooltip,
    placeholder,
    storeValue,
    value,
    defaultValue,
    onChange,
    children,
    isLoading,
    filtering,
    throttle,
  } = props;
  const storeKey = `${environment.commandName}\0${id ?? tooltip}`;
  const [ownValue, setOwnValue] = useState<string | undefined>(() =>
    storeValue ? (storedDropdownValues.get(storeKey) ?? defaultValue) : defaultValue,
  );
  const current = value ?? ownValue;
  const selectRef = useRef<HTMLSelectElement>(null);
  const announced = useRef(false);
  const latestOnChange = useRef(onChange);
  latestOnChange.current = onChange;

  const choose = useCallback(
    (next: string) => {
      setOwnValue(next);
      if (storeValue) storedDropdownValues.set(storeKey, next);
      latestOnChange.current?.(next);
    },
    [storeValue, storeKey],
  );

  // Wait until items exist (they may arrive asynchronously), then announce the initial value once.
  useLayoutEffect(() => {
    const select = selectRef.current;
    if (announced.current || !select || select.options.length === 0) return;
    announced.current = true;
    const values = Array.from(select.options).map((option) => option.value);
    choose(current !== undefined && values.includes(current) ? current : values[0]);
  });

  return (
    <select
      ref={selectRef}
      aria-label={tooltip}
      data-raycast="List.Dropdown"
      {...dataAttributes({ id, tooltip, placeholder, storeValue, isLoading, filtering, throttle })}
      value={current ?? ""}
      onChange={(event) => choose(event.target.value)}
    >
      {children}
    </select>
  );
}

function ListDropdownItem({ value, title, icon, keywords }: Raycast.List.Dropdown.Item.Props): ReactElement {
  return (
    <option value={value} data-raycast="List.Dropdown.Item" {...dataAttributes({ title, icon, keywords })}>
      {title}
    </option>
  );
}

function ListDropdownSection({ title, children }: Raycast.List.Dropdown.Section.Props): ReactElement {
  return (
    <optgroup label={title ?? ""} data-raycast="List.Dropdown.Section" {...dataAttributes({ title })}>
      {children}
    </optgroup>
  );
}

export const List: Api["List"] = Object.assign(ListComponent, {
  Item: Object.assign(ListItem, {
    Detail: Object.assign(ListItemDetail, { Metadata: MetadataWithMembers }),
  }),
  Section: ListSection,
  EmptyView: ListEmptyView,
  Dropdown: Object.assign(ListDropdown, { Item: ListDropdownItem, Section: ListDropdownSection }),
});

// ---------------------------------------------------------------------------------------------------------------------
// MenuBarExtra

function MenuBarExtraComponent({
  title,
  tooltip,
  icon,
  isLoading,
  children,
}: Raycast.MenuBarExtra.Props): ReactElement {
  return (
    <div
      role="menu"
      aria-label={title ?? tooltip}
      data-raycast="MenuBarExtra"
      {...dataAttributes({ title, tooltip, icon, isLoading: Boolean(isLoading) })}
    >
      {children}
    </div>
  );
}

/**
 * Click for `{ type: "left-click" }`, right-click (contextmenu) for `{ type: "right-click" }`. Items without `onAction`
 * are disabled, as Raycast renders them. The `alternate` item (shown while ⌥ is held) sits in an "alternate" slot.
 */
function MenuBarExtraItem({
  title,
  subtitle,
  icon,
  tooltip,
  onAction,
  shortcut,
  alternate,
}: Raycast.MenuBarExtra.Item.Props) {
  const trigger = (type: Raycast.MenuBarExtra.ActionEvent["type"]) => (event: MouseEvent) => {
    // An alternate item is nested inside its parent; its click must not also trigger the parent.
    event.stopPropagation();
    if (type === "right-click") event.preventDefault();
    onAction?.({ type });
  };
  return (
    <div
      role="menuitem"
      aria-label={title}
      aria-disabled={onAction ? undefined : true}
      data-raycast="MenuBarExtra.Item"
      {...mergeAttributes(dataAttributes({ title, subtitle, icon, tooltip }), shortcutAttributes(shortcut))}
      onClick={trigger("left-click")}
      onContextMenu={trigger("right-click")}
    >
      <span data-part="title">{title}</span>
      {subtitle ? <span data-part="subtitle">{subtitle}</span> : null}
      <Slot name="alternate">{alternate}</Slot>
    </div>
  );
}

function MenuBarExtraSection({ title, children }: Raycast.MenuBarExtra.Section.Props): ReactElement {
  return (
    <div role="group" aria-label={title} data-raycast="MenuBarExtra.Section" {...dataAttributes({ title })}>
      {title ? <div data-part="title">{title}</div> : null}
      {children}
    </div>
  );
}

function MenuBarExtraSubmenu({ title, icon, children }: Raycast.MenuBarExtra.Submenu.Props): ReactElement {
  return (
    <div role="group" aria-label={title} data-raycast="MenuBarExtra.Submenu" {...dataAttributes({ title, icon })}>
      <div data-part="title">{title}</div>
      <div role="menu">{children}</div>
    </div>
  );
}

function MenuBarExtraSeparator(): ReactElement {
  return <hr data-raycast="MenuBarExtra.Separator" />;
}

export const MenuBarExtra: Api["MenuBarExtra"] = Object.assign(MenuBarExtraComponent, {
  Item: MenuBarExtraItem,
  Section: MenuBarExtraSection,
  Submenu: MenuBarExtraSubmenu,
  Separator: MenuBarExtraSeparator,
});

// ---------------------------------------------------------------------------------------------------------------------
// Reset

/** Restores a fresh Raycast: default environment and preferences, empty storage, caches, clipboard and call log. */
export function resetRaycastDouble(): void {
  raycastCalls.length = 0;
  shownToasts.length = 0;
  preferenceOverrides = {};
  confirmAlertAnswer = true;
  clipboardHistory = [];
  localStorageItems.clear();
  cacheStores.clear();
  storedDropdownValues.clear();
  if (navigationStack.length > 0) setNavigationStack([]);
  Object.assign(environment, defaultEnvironment());
  supportPathOverride = undefined;
  removeAutoSupportPath();
}

// ---------------------------------------------------------------------------------------------------------------------
// Compile-time checks for the classes, whose private members make the real types nominal: compare the public surface.

type PublicSurface<T> = { [K in keyof T]: T[K] };
type PublicToast = PublicSurface<Raycast.Toast>;
type PublicCache = PublicSurface<Raycast.Cache>;

const toastConformance: {
  new (props: Raycast.Toast.Options): PublicToast;
  Style: Api["Toast"]["Style"];
} = Toast;
const cacheConformance: {
  new (options?: Raycast.Cache.Options): PublicCache;
  readonly STORAGE_DIRECTORY_NAME: string;
  readonly DEFAULT_CAPACITY: number;
} = Cache;
void toastConformance;
void cacheConformance;
