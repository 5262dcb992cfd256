// A command's first render waits on a real scan of temp-folder fixtures. On a loaded machine (CI
// beside other jobs) that can pass Testing Library's one-second default for `waitFor` while nothing
// is wrong; a wait that must be quick says its own timeout. Only the .tsx suites render, so only
// they load Testing Library for it.
if (expect.getState().testPath?.endsWith(".tsx")) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { configure } = require("@testing-library/dom") as typeof import("@testing-library/dom");
  configure({ asyncUtilTimeout: 10_000 });
}
