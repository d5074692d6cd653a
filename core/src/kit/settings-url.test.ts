import { describe, expect, it } from "vitest";
import { urlSetting } from "./settings.js";

describe("urlSetting: a URL setting without credentials", () => {
  const rule = urlSetting(["http:", "https:"], { credentialsHint: "give the key as apiKey" });

  it("gives the parsed URL for an accepted scheme, trimmed", () => {
    expect(rule.parse("  https://example.test:8443/v1 ")._unsafeUnwrap().href).toBe("https://example.test:8443/v1");
  });

  it("refuses what is not a URL, another scheme, credentials (never echoing them), a query or a fragment", () => {
    expect(rule.parse(42)._unsafeUnwrapErr()).toBe("must be a URL starting with http:// or https://.");
    expect(rule.parse("   ")._unsafeUnwrapErr()).toBe("must be a URL starting with http:// or https://.");
    expect(rule.parse("not a url")._unsafeUnwrapErr()).toBe("is not a URL.");
    expect(rule.parse("ftp://example.test")._unsafeUnwrapErr()).toBe("must be a URL starting with http:// or https://; got ftp://.");
    const withSecret = rule.parse("https://user:s3cret-value@example.test")._unsafeUnwrapErr();
    expect(withSecret).toBe("must not carry credentials; give the key as apiKey.");
    expect(JSON.stringify(withSecret)).not.toContain("s3cret-value");
    expect(rule.parse("https://example.test/?key=1")._unsafeUnwrapErr()).toBe("must not have a query or fragment.");
    expect(rule.parse("https://example.test/#x")._unsafeUnwrapErr()).toBe("must not have a query or fragment.");
  });

  it("accepts a query when asked to", () => {
    expect(urlSetting(["wss:"], { query: true }).parse("wss://example.test/path?language=en")._unsafeUnwrap().search).toBe("?language=en");
  });
});
