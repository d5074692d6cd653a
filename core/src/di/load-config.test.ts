import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSttConfig, MAX_CONFIG_FILE_BYTES } from "./load-config.js";

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

  it.each([
    ['{"provider": "azure", "__proto__": {"polluted": true}}', "__proto__"],
    ['{"provider": "azure", "azure": {"__proto__": {"apiKey": "x"}}}', "azure.__proto__"],
    ['{"provider": "azure", "constructor": {"prototype": {"polluted": true}}}', "constructor"],
    ['{"provider": "azure", "offline": {"deep": [{"prototype": 1}]}}', "offline.deep.0.prototype"],
  ])("refuses a file that sets a prototype key (%s), naming where", async (json, path) => {
    const file = join(dir, "proto.json");
    await writeFile(file, json);
    const result = await loadSttConfig({ defaults, env: {}, file });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: "invalid-argument", argument: "config" });
    expect(result._unsafeUnwrapErr().message).toContain(`"${path}"`);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });

  it("refuses such keys from any source, overrides included", async () => {
    const overrides = JSON.parse('{"__proto__": {"provider": "evil"}}') as Record<string, unknown>;
    const result = await loadSttConfig({ defaults, env: {}, overrides });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: "invalid-argument", argument: "config" });
  });

  it("refuses a config file over 1 MiB without reading it whole", async () => {
    const file = join(dir, "huge.json");
    await writeFile(file, `{"provider": "offline", "padding": "${"x".repeat(MAX_CONFIG_FILE_BYTES)}"}`);
    const result = await loadSttConfig({ defaults, env: {}, file });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: "invalid-argument", argument: "config" });
    expect(result._unsafeUnwrapErr().message).toContain("more than");
    expect(MAX_CONFIG_FILE_BYTES).toBe(1024 * 1024);
  });

  it("refuses a configuration that ends up naming no provider", async () => {
    const result = await loadSttConfig({ defaults: { provider: "" }, env: {} });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: "invalid-argument", argument: "provider" });
  });
});
