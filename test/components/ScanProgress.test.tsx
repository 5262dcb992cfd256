/** @jest-environment ./test/raycast/environment.ts */
import { render } from "@testing-library/react";
import { UsageMenu } from "../../src/components/menu/UsageMenu";
import { isLoading, menuBarExtra, propsOf } from "../raycast/query";
import { REPORT_NOW } from "../helpers/report";

// During a long cold scan the menu bar says how far it has read instead of showing a bare spinner.
describe("UsageMenu during a long scan", () => {
  function renderWith(progress: { filesRead: number; filesTotal: number } | null) {
    render(
      <UsageMenu
        report={undefined}
        isLoading={true}
        figure="todayTokens"
        weeklyBudget={null}
        now={REPORT_NOW}
        onRefresh={() => undefined}
        progress={progress}
      />,
    );
    return menuBarExtra();
  }

  it("shows the files read so far in the title and the tooltip", () => {
    const menu = renderWith({ filesRead: 312, filesTotal: 1296 });
    expect(propsOf(menu).title).toBe("Scanning 312 of 1,296 files");
    expect(propsOf(menu).tooltip).toBe("MiMo Usage · Scanning 312 of 1,296 files");
    expect(isLoading(menu)).toBe(true);
  });

  it("shows no progress when there is none to show", () => {
    const menu = renderWith(null);
    expect(propsOf(menu).title).toBeUndefined();
    expect(propsOf(menu).tooltip).toBe("MiMo Usage");
  });
});
