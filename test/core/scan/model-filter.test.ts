import { compileModelFilter } from "../../../src/core/scan/model-filter";

describe("compileModelFilter", () => {
  it.each(["mimo", "MiMo", "mimo|xiaomi", "^mimo-v\\d+(\\.\\d+)?", "(mimo|glm)-v2", "[a-z]+-pro", "a{2}", "(ab)?c+"])(
    "accepts %s",
    (pattern) => {
      const check = compileModelFilter(pattern);
      expect(check.ok && check.filter.flags).toBe("i");
    },
  );

  it("uses the default for an empty pattern", () => {
    const check = compileModelFilter("  ");
    expect(check.ok && check.filter.source).toBe("mimo");
  });

  it.each(["(a+)+$", "(a*)*", "(a|aa)+", "(?:x+y?)*z", "((ab)*c)+", "(.*a){3,}", "(a+){2,5}", "([a-z]+\\d)+$"])(
    "refuses %s, which can backtrack without end",
    (pattern) => {
      expect(compileModelFilter(pattern)).toEqual({
        ok: false,
        message: expect.stringMatching(/can make matching hang/),
      });
    },
  );

  it("does not mistake escaped or bracketed characters for groups", () => {
    expect(compileModelFilter("\\(a+\\)+").ok).toBe(true);
    expect(compileModelFilter("[(]a+[)]+").ok).toBe(true);
  });

  it("refuses a broken or very long pattern", () => {
    expect(compileModelFilter("(")).toEqual({ ok: false, message: expect.stringMatching(/not a valid regular/) });
    expect(compileModelFilter("a".repeat(300))).toEqual({ ok: false, message: expect.stringMatching(/longer than/) });
  });
});
