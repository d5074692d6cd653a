import { describe, expect, it } from "vitest";

// Vitest runs each test file in its own process here (pool "forks"), so what this file imports is
// all that is loaded: the contract alone must not bring in reflect-metadata or inversify.
describe("entry points by audience", () => {
  it("the contract (@sttkit/core) loads no DI library", async () => {
    const reflect = Reflect as unknown as { getMetadata?: unknown };
    expect(reflect.getMetadata).toBeUndefined();
    const contract = await import("@sttkit/core");
    expect(typeof contract.parseLanguage).toBe("function");
    expect(reflect.getMetadata, "importing @sttkit/core loaded reflect-metadata").toBeUndefined();
    expect(Object.keys(contract)).not.toContain("createSttContainer");
    expect(Object.keys(contract)).not.toContain("createRecognitionStream");
  });

  it("the DI entry (@sttkit/core/di) is the one that loads it", async () => {
    const di = await import("@sttkit/core/di");
    expect(typeof di.createSttContainer).toBe("function");
    expect(typeof (Reflect as unknown as { getMetadata?: unknown }).getMetadata).toBe("function");
  });
});
