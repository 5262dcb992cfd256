/// <reference lib="dom" />
/**
 * Queries and interactions over what the @raycast/api double (./api-double.tsx) renders.
 *
 * Every Raycast component renders one element with `data-raycast="<Component.Name>"`; its props are `data-*`
 * attributes (JSON for non-strings, listed in `data-json`). Content that belongs to an element sits in direct child
 * "slots" (`data-slot="actions" | "detail" | "metadata" | "alternate"`). Queries skip anything inside a `hidden`
 * ancestor: sections whose items are all filtered out.
 *
 * Finders take the title first and an optional scope (default: `document.body`), and throw with the titles that
 * do exist, so a failing test says what was rendered instead.
 */
import { fireEvent } from "@testing-library/react";
import type { Keyboard } from "@raycast/api";

type RaycastComponentName =
  | "MenuBarExtra"
  | "MenuBarExtra.Item"
  | "MenuBarExtra.Section"
  | "MenuBarExtra.Submenu"
  | "MenuBarExtra.Separator"
  | "List"
  | "List.SearchBar"
  | "List.Section"
  | "List.Item"
  | "List.Item.Detail"
  | "List.EmptyView"
  | "List.Dropdown"
  | "List.Dropdown.Item"
  | "Metadata"
  | "Metadata.Label"
  | "Metadata.Separator"
  | "ActionPanel"
  | "ActionPanel.Section"
  | "Action"
  | `Action.${string}`;

type Scope = ParentNode;

function defaultScope(): Scope {
  return document.body;
}

/** Bookkeeping attributes of the double, not props of the component. */
const INTERNAL_DATA = new Set(["raycast", "raycastAction", "raycastView", "json", "slot", "part", "shortcutKeys"]);

function isShown(element: Element): boolean {
  return element.closest("[hidden]") === null;
}

/** All shown elements of a component in document order. */
export function findAll(component: RaycastComponentName, scope: Scope = defaultScope()): HTMLElement[] {
  return Array.from(scope.querySelectorAll<HTMLElement>(`[data-raycast="${component}"]`)).filter(isShown);
}

/** The only shown element of a component; throws if there are none or several. */
function findOnly(component: RaycastComponentName, scope: Scope = defaultScope()): HTMLElement {
  const found = findAll(component, scope);
  if (found.length !== 1) throw new Error(`Expected one ${component}, found ${found.length}`);
  return found[0];
}

export function titleOf(element: Element): string | undefined {
  return element instanceof HTMLElement ? element.dataset.title : undefined;
}

function pickByTitle(component: string, title: string | RegExp, candidates: HTMLElement[]): HTMLElement {
  const matches = candidates.filter((element) => {
    const candidate = titleOf(element) ?? "";
    return typeof title === "string" ? candidate === title : title.test(candidate);
  });
  if (matches.length === 1) return matches[0];
  const available = candidates.map((element) => JSON.stringify(titleOf(element) ?? "")).join(", ") || "none";
  const problem = matches.length === 0 ? "No" : `${matches.length}`;
  throw new Error(`${problem} ${component} titled ${String(title)}. Titles: ${available}`);
}

/** Every prop the double recorded on the element, JSON values decoded (Dates arrive as ISO strings). */
export function propsOf(element: HTMLElement): Record<string, unknown> {
  const json = new Set((element.dataset.json ?? "").split(" ").filter(Boolean));
  const props: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(element.dataset)) {
    if (INTERNAL_DATA.has(name) || value === undefined) continue;
    props[name] = json.has(name) ? JSON.parse(value) : value;
  }
  return props;
}

export function isLoading(element: HTMLElement): boolean {
  return propsOf(element).isLoading === true;
}

/** The direct child slot of an element, e.g. its "actions" or "detail". */
function slotOf(element: Element, slot: "actions" | "detail" | "metadata" | "alternate"): HTMLElement | null {
  for (const child of Array.from(element.children)) {
    if (child instanceof HTMLElement && child.dataset.slot === slot) return child;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------------
// Menu bar

export function menuBarExtra(scope: Scope = defaultScope()): HTMLElement {
  return findOnly("MenuBarExtra", scope);
}

/** Menu items in menu order (sections and submenus included), without the ⌥ alternates. */
export function menuItems(scope: Scope = defaultScope()): HTMLElement[] {
  return findAll("MenuBarExtra.Item", scope).filter((item) => !item.parentElement?.closest('[data-slot="alternate"]'));
}

export function findMenuItem(title: string | RegExp, scope: Scope = defaultScope()): HTMLElement {
  return pickByTitle("MenuBarExtra.Item", title, menuItems(scope));
}

/** The item shown instead of `item` while ⌥ is held. */
export function alternateOf(item: HTMLElement): HTMLElement | null {
  return slotOf(item, "alternate")?.querySelector<HTMLElement>('[data-raycast="MenuBarExtra.Item"]') ?? null;
}

/** Items without `onAction` are rendered disabled by Raycast. */
export function isDisabled(item: HTMLElement): boolean {
  return item.getAttribute("aria-disabled") === "true";
}

/** Clicks a menu item (`onAction({ type: "left-click" })`) or right-clicks it. */
export function clickMenuItem(item: HTMLElement, type: "left-click" | "right-click" = "left-click"): void {
  if (type === "left-click") fireEvent.click(item);
  else fireEvent.contextMenu(item);
}

// ---------------------------------------------------------------------------------------------------------------------
// List

export function list(scope: Scope = defaultScope()): HTMLElement {
  return findOnly("List", scope);
}

export function listItems(scope: Scope = defaultScope()): HTMLElement[] {
  return findAll("List.Item", scope);
}

export function findListItem(title: string | RegExp, scope: Scope = defaultScope()): HTMLElement {
  return pickByTitle("List.Item", title, listItems(scope));
}

/** Shown sections with the titles of their shown items. */
export function sections(scope: Scope = defaultScope()): { title: string | undefined; items: string[] }[] {
  return findAll("List.Section", scope).map((section) => ({
    title: titleOf(section),
    items: findAll("List.Item", section).map((item) => titleOf(item) ?? ""),
  }));
}

export function emptyView(scope: Scope = defaultScope()): HTMLElement | null {
  return findAll("List.EmptyView", scope)[0] ?? null;
}

export function searchBar(scope: Scope = defaultScope()): HTMLInputElement {
  const input = findOnly("List.SearchBar", scope).querySelector("input");
  if (!input) throw new Error("The list has no search field");
  return input;
}

/** Replaces the search text, as typing in Raycast's search bar does. */
export function typeSearch(text: string, scope: Scope = defaultScope()): void {
  fireEvent.change(searchBar(scope), { target: { value: text } });
}

export function dropdown(scope: Scope = defaultScope()): HTMLSelectElement {
  const select = findOnly("List.Dropdown", scope);
  if (!(select instanceof HTMLSelectElement)) throw new Error("List.Dropdown is not a <select>");
  return select;
}

export function dropdownOptions(scope: Scope = defaultScope()): { title: string; value: string; section?: string }[] {
  return Array.from(dropdown(scope).options).map((option) => {
    const group = option.parentElement instanceof HTMLOptGroupElement ? option.parentElement.label : undefined;
    return { title: option.dataset.title ?? option.text, value: option.value, ...(group ? { section: group } : {}) };
  });
}

/** Picks a dropdown value (must be one of its items), as the user does in the search bar accessory. */
export function pickDropdown(value: string, scope: Scope = defaultScope()): void {
  const select = dropdown(scope);
  const values = Array.from(select.options).map((option) => option.value);
  if (!values.includes(value)) throw new Error(`Dropdown has no value "${value}". Values: ${values.join(", ")}`);
  fireEvent.change(select, { target: { value } });
}

/** Selects a list item (moves the highlight to it), which shows its detail. */
export function selectItem(item: HTMLElement): void {
  fireEvent.click(item);
}

export function accessoriesOf(item: HTMLElement): Record<string, unknown>[] {
  const accessories = propsOf(item).accessories;
  return Array.isArray(accessories) ? accessories : [];
}

/** The item's `List.Item.Detail`; present only while the list shows details and the item is selected. */
export function detailOf(item: HTMLElement): HTMLElement | null {
  return slotOf(item, "detail")?.querySelector<HTMLElement>('[data-raycast="List.Item.Detail"]') ?? null;
}

export function markdownOf(element: HTMLElement): string | undefined {
  return element.dataset.markdown;
}

/** Metadata labels under a Detail or List.Item.Detail, in order. */
export function metadataLabels(element: HTMLElement): { title: string; text?: string }[] {
  return findAll("Metadata.Label", element).map((label) => ({
    title: label.dataset.title ?? "",
    ...(label.dataset.text !== undefined ? { text: label.dataset.text } : {}),
  }));
}

// ---------------------------------------------------------------------------------------------------------------------
// Actions

/** The actions of a list item or empty view (its own action panel only), in order. */
export function actionsOf(element: HTMLElement): HTMLElement[] {
  const slot = slotOf(element, "actions");
  return slot ? Array.from(slot.querySelectorAll<HTMLElement>("[data-raycast-action]")).filter(isShown) : [];
}

export function findAction(element: HTMLElement, title: string | RegExp): HTMLElement {
  return pickByTitle("action", title, actionsOf(element));
}

export function runAction(element: HTMLElement, title: string | RegExp): void {
  fireEvent.click(findAction(element, title));
}

export function shortcutOf(element: HTMLElement): Keyboard.Shortcut | undefined {
  const shortcut = propsOf(element).shortcut;
  return shortcut === undefined ? undefined : (shortcut as Keyboard.Shortcut);
}

/** The macOS key combo of an action's or menu item's shortcut, e.g. "cmd+r". */
export function shortcutKeys(element: HTMLElement): string | undefined {
  return element.dataset.shortcutKeys;
}
