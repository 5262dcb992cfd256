/// <reference lib="dom" />
/**
 * In-memory test double of `@raycast/api`, cut to the surface this extension and @raycast/utils use.
 *
 * The npm package ships only type declarations and the `ray` CLI; the runtime lives inside the Raycast app. Jest maps
 * `@raycast/api` to this file (see `moduleNameMapper` in jest.config.js), so commands, `@raycast/utils` and the bundles
 * that `ray build` produces all run against it.
 *
 * Honesty rules:
 * - Every runtime export that shares a name with the real API is checked against the real declaration
 *   (`typeof import("@raycast/api")[name]`): whole (`Api["X"]`), cut to named members (`Pick`), or for components
 *   through `conforms`, which accepts only members the real component has, each with the real call signature. So `tsc`
 *   fails if a prop, member or signature drifts from node_modules/@raycast/api/types/index.d.ts.
 * - Only what the extension uses is here (api-double.test.tsx checks that every runtime import of src/ and of
 *   @raycast/utils is exported). Props a component does not read are ignored, as they would be unknown to the tests.
 * - Components render plain DOM elements with `data-raycast="<Component.Name>"` and their props as `data-*`
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
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type MouseEvent,
  type ReactElement,
  type ReactNode,
} from "react";
import type * as Raycast from "@raycast/api";

/** The real module's value-level shape; annotating exports with it keeps names, members and props honest. */
type Api = typeof Raycast;

/** The call signature of a real export, without its static members. */
type CallOf<T> = T extends (...args: infer A) => infer R ? (...args: A) => R : unknown;

/**
 * A double `D` of the real export `T`: callable as `T` is, and every member it has exists on `T` (an invented or
 * misspelt one becomes `never`) and is, recursively, a faithful double of that member.
 */
type Faithful<D, T> = CallOf<T> & { [K in keyof D]: K extends keyof T ? Faithful<D[K], T[K]> : never };

/** Checks a component double (with its sub-components) against the real one, keeping its own inferred type. */
function conforms<T>() {
  return <D extends Faithful<D, T>>(double: D): D => double;
}

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
  open: Parameters<Api["open"]>;
  /** What `Action.ShowInFinder` does in Raycast. */
  showInFinder: Parameters<Api["showInFinder"]>;
  "Clipboard.copy": Parameters<Api["Clipboard"]["copy"]>;
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

const ToastStyle = asEnum<Api["Toast"]["Style"]>({
  Success: "SUCCESS",
  Failure: "FAILURE",
  Animated: "ANIMATED",
} satisfies EnumValues<Api["Toast"]["Style"]>);

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

// ---------------------------------------------------------------------------------------------------------------------
// Commands, HUD and other side effects

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

/** Not exported: the extension reaches it only through `Action.ShowInFinder`. */
const showInFinder: Api["showInFinder"] = async (target) => {
  record("showInFinder", target);
};

// ---------------------------------------------------------------------------------------------------------------------
// Toasts

/** Toasts in the order first shown, and the ones currently visible. */
const shownToasts: Toast[] = [];
const visibleToasts = new Set<Toast>();

/** Public fields stand for the real getter/setter pairs; commands often change a toast after showing it. */
export class Toast {
  static readonly Style = ToastStyle;

  style: Raycast.Toast.Style;
  title: string;
  message: string | undefined;
  primaryAction: Raycast.Toast.ActionOptions | undefined;
  secondaryAction: Raycast.Toast.ActionOptions | undefined;

  constructor(props: Raycast.Toast.Options) {
    // Raycast shows a success toast unless told otherwise.
    this.style = props.style ?? ToastStyle.Success;
    this.title = props.title;
    this.message = props.message;
    this.primaryAction = props.primaryAction;
    this.secondaryAction = props.secondaryAction;
  }

  async show(): Promise<void> {
    const { style, title, message, primaryAction, secondaryAction } = this;
    record("showToast", { style, title, message, primaryAction, secondaryAction });
    visibleToasts.add(this);
    if (!shownToasts.includes(this)) shownToasts.push(this);
  }

  async hide(): Promise<void> {
    visibleToasts.delete(this);
  }
}

export interface ToastSnapshot extends Raycast.Toast.Options {
  style: Raycast.Toast.Style;
  visible: boolean;
  /** The live toast, e.g. to trigger `primaryAction.onAction(toast)`. */
  toast: Toast;
}

/** The current state of every toast shown so far. */
export function toasts(): ToastSnapshot[] {
  return shownToasts.map((toast) => {
    const { style, title, message, primaryAction, secondaryAction } = toast;
    return { style, title, message, primaryAction, secondaryAction, visible: visibleToasts.has(toast), toast };
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

export const Clipboard: Pick<Api["Clipboard"], "copy"> = {
  async copy(content, options) {
    if (options === undefined) record("Clipboard.copy", content);
    else record("Clipboard.copy", content, options);
  },
};

const localStorageItems = new Map<string, Raycast.LocalStorage.Value>();

export const LocalStorage: Pick<Api["LocalStorage"], "getItem" | "setItem"> = {
  async getItem<T extends Raycast.LocalStorage.Value>(key: string) {
    return localStorageItems.get(key) as T | undefined;
  },
  async setItem(key, value) {
    localStorageItems.set(key, value);
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

/** `get`, `set` and `subscribe`: what @raycast/utils' `useCachedPromise` and `useCachedState` call. */
export class Cache {
  readonly #key: string;
  // Per instance, like the real class: subscribers hear about changes made through this instance.
  readonly #subscribers = new Set<Raycast.Cache.Subscriber>();

  constructor(options: Raycast.Cache.Options = {}) {
    this.#key = `${options.directory ?? ""}\0${options.namespace ?? ""}`;
  }

  #store(): Map<string, string> {
    const store = cacheStores.get(this.#key) ?? new Map<string, string>();
    cacheStores.set(this.#key, store);
    return store;
  }

  get(key: string): string | undefined {
    return this.#store().get(key);
  }

  set(key: string, data: string): void {
    this.#store().set(key, data);
    for (const subscriber of [...this.#subscribers]) subscriber(key, data);
  }

  /** An arrow property because @raycast/utils passes `cache.subscribe` unbound to `useSyncExternalStore`. */
  subscribe = (subscriber: Raycast.Cache.Subscriber): Raycast.Cache.Subscription => {
    this.#subscribers.add(subscriber);
    return () => {
      this.#subscribers.delete(subscriber);
    };
  };
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

/**
 * Throws for a prop the double does not model, so a prop that src/ starts passing fails a test instead of being
 * silently ignored. `modelled` can only name props of the real declaration.
 */
function checkProps<P extends object>(component: string, props: P, modelled: readonly (keyof P)[]): void {
  const names = Object.keys(props) as (keyof P)[];
  const unmodelled = names.filter((name) => props[name] !== undefined && !modelled.includes(name));
  if (unmodelled.length > 0) {
    throw new Error(`api-double: ${component} does not model ${unmodelled.join(", ")}; add it to the double`);
  }
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
  details?: Record<string, DataValue>;
  onTrigger: () => void;
}

function ActionButton({ kind, title, icon, shortcut, details, onTrigger }: ActionButtonProps): ReactElement {
  return (
    <button
      type="button"
      data-raycast={kind}
      data-raycast-action=""
      {...mergeAttributes(dataAttributes({ title, icon, ...details }), shortcutAttributes(shortcut))}
      onClick={onTrigger}
    >
      {title}
    </button>
  );
}

function ActionComponent(props: Raycast.Action.Props): ReactElement {
  checkProps("Action", props, ["title", "icon", "shortcut", "style", "onAction"]);
  const { title, icon, shortcut, style, onAction } = props;
  return (
    <ActionButton
      kind="Action"
      title={title}
      icon={icon}
      shortcut={shortcut}
      details={{ style }}
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

export const Action = conforms<Api["Action"]>()(
  Object.assign(ActionComponent, { CopyToClipboard, Open: OpenAction, ShowInFinder }),
);

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

export const ActionPanel = conforms<Api["ActionPanel"]>()(
  Object.assign(ActionPanelComponent, { Section: ActionPanelSection }),
);

// ---------------------------------------------------------------------------------------------------------------------
// List.Item.Detail.Metadata

function Metadata({ children }: Raycast.List.Item.Detail.Metadata.Props): ReactElement {
  return <div data-raycast="Metadata">{children}</div>;
}

function MetadataLabel({ title, icon, text }: Raycast.List.Item.Detail.Metadata.Label.Props): ReactElement {
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

function ListComponent(props: Raycast.List.Props): ReactElement {
  checkProps("List", props, [
    "children",
    "isLoading",
    "isShowingDetail",
    "filtering",
    "onSearchTextChange",
    "searchBarPlaceholder",
    "searchBarAccessory",
    "navigationTitle",
  ]);
  const { children, isLoading, isShowingDetail, onSearchTextChange, searchBarPlaceholder, searchBarAccessory } = props;
  const [text, setText] = useState("");
  // Documented default: filtering is on unless `onSearchTextChange` is given.
  const filtering = props.filtering !== undefined ? props.filtering !== false : !onSearchTextChange;

  const rootRef = useRef<HTMLDivElement>(null);
  const [, setVersion] = useState(0);
  const [itemIds, setItemIds] = useState<string[]>([]);
  const [selectedId, setSelectedId] = useState<string | null>(null);

  // Items report mounts and unmounts here, so the list notices even when only a child component re-rendered.
  const itemsChanged = useCallback(() => setVersion((version) => version + 1), []);

  // After every render: read the visible items in DOM order and keep a valid selection (first item by default).
  useLayoutEffect(() => {
    const root = rootRef.current;
    if (!root) return;
    const ids = Array.from(root.querySelectorAll<HTMLElement>(ITEM_SELECTOR)).map(
      (element) => element.dataset.id ?? "",
    );
    setItemIds((previous) => (sameIds(previous, ids) ? previous : ids));
    setSelectedId((current) => (current !== null && ids.includes(current) ? current : (ids[0] ?? null)));
  });

  const context = useMemo<ListContextValue>(
    () => ({
      query: text,
      filtering,
      isShowingDetail: Boolean(isShowingDetail),
      selectedId,
      itemCount: itemIds.length,
      select: setSelectedId,
      itemsChanged,
    }),
    [text, filtering, isShowingDetail, selectedId, itemIds.length, itemsChanged],
  );

  return (
    <div
      ref={rootRef}
      data-raycast="List"
      {...dataAttributes({
        isLoading: Boolean(isLoading),
        isShowingDetail: Boolean(isShowingDetail),
        filtering,
        searchText: text,
        navigationTitle: props.navigationTitle,
      })}
    >
      <div data-raycast="List.SearchBar">
        <input
          type="text"
          role="searchbox"
          aria-label="Search"
          placeholder={searchBarPlaceholder ?? "Search…"}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            onSearchTextChange?.(event.target.value);
          }}
        />
        {searchBarAccessory}
      </div>
      <ListContext.Provider value={context}>
        <div role="listbox">{children}</div>
      </ListContext.Provider>
    </div>
  );
}

function ListItem(props: Raycast.List.Item.Props): ReactElement | null {
  checkProps("List.Item", props, ["id", "title", "subtitle", "icon", "keywords", "accessories", "detail", "actions"]);
  const { icon, keywords, accessories, detail, actions } = props;
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
  return (
    <div
      role="option"
      aria-selected={selected}
      data-raycast="List.Item"
      {...dataAttributes({ id, title, subtitle, icon, keywords, accessories })}
      onClick={() => list?.select(id)}
    >
      <span data-part="title">{title}</span>
      {subtitle ? <span data-part="subtitle">{subtitle}</span> : null}
      {/* Raycast shows only the selected item's detail, and only when the list is showing details. */}
      {list?.isShowingDetail && selected ? <Slot name="detail">{detail}</Slot> : null}
      <Slot name="actions">{actions}</Slot>
    </div>
  );
}

function ListItemDetail(props: Raycast.List.Item.Detail.Props): ReactElement {
  checkProps("List.Item.Detail", props, ["markdown", "metadata"]);
  const { markdown, metadata } = props;
  return (
    <div data-raycast="List.Item.Detail" {...dataAttributes({ markdown: markdown ?? undefined })}>
      {markdown ? <div data-part="markdown">{markdown}</div> : null}
      <Slot name="metadata">{metadata}</Slot>
    </div>
  );
}

/** Hidden (not unmounted, so its items can still report in) while none of its items is visible, as in Raycast. */
function ListSection({ title, subtitle, children }: Raycast.List.Section.Props): ReactElement {
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
      {...dataAttributes({ title, subtitle })}
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
 * fires once on first render with the initial value (stored value, `defaultValue` or the first item).
 */
function ListDropdown(props: Raycast.List.Dropdown.Props): ReactElement {
  checkProps("List.Dropdown", props, ["id", "tooltip", "storeValue", "defaultValue", "onChange", "children"]);
  const { id, tooltip, storeValue, defaultValue, onChange, children } = props;
  const storeKey = `${environment.commandName}\0${id ?? tooltip}`;
  const [current, setCurrent] = useState<string | undefined>(() =>
    storeValue ? (storedDropdownValues.get(storeKey) ?? defaultValue) : defaultValue,
  );
  const selectRef = useRef<HTMLSelectElement>(null);
  const announced = useRef(false);
  const latestOnChange = useRef(onChange);
  latestOnChange.current = onChange;

  const choose = useCallback(
    (next: string) => {
      setCurrent(next);
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
      {...dataAttributes({ id, tooltip, storeValue })}
      value={current ?? ""}
      onChange={(event) => choose(event.target.value)}
    >
      {children}
    </select>
  );
}

function ListDropdownItem(props: Raycast.List.Dropdown.Item.Props): ReactElement {
  checkProps("List.Dropdown.Item", props, ["value", "title", "icon"]);
  const { value, title, icon } = props;
  return (
    <option value={value} data-raycast="List.Dropdown.Item" {...dataAttributes({ title, icon })}>
      {title}
    </option>
  );
}

function ListDropdownSection(props: Raycast.List.Dropdown.Section.Props): ReactElement {
  checkProps("List.Dropdown.Section", props, ["title", "children"]);
  const { title, children } = props;
  return (
    <optgroup label={title ?? ""} data-raycast="List.Dropdown.Section" {...dataAttributes({ title })}>
      {children}
    </optgroup>
  );
}

export const List = conforms<Api["List"]>()(
  Object.assign(ListComponent, {
    Item: Object.assign(ListItem, {
      Detail: Object.assign(ListItemDetail, {
        Metadata: Object.assign(Metadata, { Label: MetadataLabel, Separator: MetadataSeparator }),
      }),
    }),
    Section: ListSection,
    EmptyView: ListEmptyView,
    Dropdown: Object.assign(ListDropdown, { Item: ListDropdownItem, Section: ListDropdownSection }),
  }),
);

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

/** Restores a fresh Raycast: default environment and preferences, empty storage, caches and call log. */
export function resetRaycastDouble(): void {
  raycastCalls.length = 0;
  shownToasts.length = 0;
  visibleToasts.clear();
  preferenceOverrides = {};
  localStorageItems.clear();
  cacheStores.clear();
  storedDropdownValues.clear();
  Object.assign(environment, defaultEnvironment());
  supportPathOverride = undefined;
  removeAutoSupportPath();
}

// ---------------------------------------------------------------------------------------------------------------------
// Compile-time checks for the classes, whose private members make the real types nominal: compare the public surface.

type PublicSurface<T> = { [K in keyof T]: T[K] };

const toastConformance: {
  new (props: Raycast.Toast.Options): PublicSurface<Raycast.Toast>;
  Style: Api["Toast"]["Style"];
} = Toast;
const cacheConformance: {
  new (options?: Raycast.Cache.Options): Pick<PublicSurface<Raycast.Cache>, "get" | "set" | "subscribe">;
} = Cache;
void toastConformance;
void cacheConformance;
