import { isMimoRequest, mimoBasis } from "../../../../src/core/scan/clients/mimo-rule";

describe("which requests are MiMo requests", () => {
  it.each([
    [{ providerId: "xiaomi-token-plan-sgp", model: "anything" }, "provider"],
    [{ providerId: "xiaomi-token-plan-cn" }, "provider"],
    [{ providerId: "xiaomi-token-plan-ams" }, "provider"],
    [{ providerId: "xiaomi-token-plan" }, "provider"],
    [{ providerId: "custom", baseUrl: "https://token-plan-sgp.xiaomimimo.com/v1" }, "baseUrl"],
    [{ providerId: "custom", baseUrl: "https://token-plan-cn.xiaomimimo.com/anthropic" }, "baseUrl"],
    [{ providerId: "openrouter", model: "xiaomi/mimo-v2-flash" }, "model"],
    [{ providerId: "xiaomi", model: "mimo-v2.5-pro" }, "model"],
    [{ model: "MiMo-V2.5-Pro" }, "model"],
  ])("%j counts, by %s", (origin, basis) => {
    expect(mimoBasis(origin)).toBe(basis);
    expect(isMimoRequest(origin)).toBe(true);
  });

  it.each([
    { providerId: "anthropic", model: "claude-sonnet-4-5" },
    { providerId: "openai", model: "gpt-5", baseUrl: "https://api.openai.com/v1" },
    { providerId: "xiaomi-token-plan-us" },
    { providerId: "my-xiaomi-token-plan" },
    { providerId: "custom", baseUrl: "https://api.xiaomimimo.com/v1", model: "gpt-5" },
    { providerId: "custom", baseUrl: "https://token-plan-sgp.xiaomimimo.com.evil.example/v1" },
    { providerId: "custom", baseUrl: "not a url" },
    { model: "notmimo-1" },
    {},
  ])("%j does not", (origin) => {
    expect(mimoBasis(origin)).toBeNull();
  });
});
