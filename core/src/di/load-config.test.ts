import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSttConfig } from "./load-config.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sttkit-config-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const defaults = { provider: "offline", offline: { timeoutMs: 1000 } };

describe("loadSttConfig", () => {
  it("uses the defaults when nothing else is given", async () => {
    expect((await loadSttConfig({ defaults, env: {} }))._unsafeUnwrap()).toEqual(defaults);
  });

  it("layers file, environment and overrides, merging provider sections", async () => {
    const file = join(dir, "stt.json");
    await writeFile(file, JSON.stringify({ provider: "azure", azure: { region: "westeurope" }, offline: { binary: "/x" } }));
    const config = (
      await loadSttConfig({ defaults, env: { STT_CONFIG: file }, overrides: { azure: { language: "de-DE" } } })
    )._unsafeUnwrap();
    expect(config).toEqual({
      provider: "azure",
      azure: { region: "westeurope", language: "de-DE" },
      offline: { timeoutMs: 1000, binary: "/x" },
    });
    const fromEnv = (await loadSttConfig({ defaults, env: { STT_CONFIG: file, STT_PROVIDER: "offline" } }))._unsafeUnwrap();
    expect(fromEnv.provider).toBe("offline");
  });

  it("reports unreadable and malformed files as typed errors", async () => {
    const missing = await loadSttConfig({ defaults, env: {}, file: join(dir, "missing.json") });
    expect(missing._unsafeUnwrapErr()).toMatchObject({ kind: "invalid-argument", argument: "config" });
    const broken = join(dir, "broken.json");
    await writeFile(broken, "{ not json");
    expect((await loadSttConfig({ defaults, env: {}, file: broken }))._unsafeUnwrapErr().message).toContain("not valid");
    const array = join(dir, "array.json");
    await writeFile(array, "[1,2]");
    expect((await loadSttConfig({ defaults, env: {}, file: array })).isErr()).toBe(true);
  });

  it("refuses a configuration that ends up naming no provider", async () => {
    const result = await loadSttConfig({ defaults: { provider: "" }, env: {} });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: "invalid-argument", argument: "provider" });
  });
});
