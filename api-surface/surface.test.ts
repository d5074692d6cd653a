import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractSurface, REPO_ROOT } from "./extract.js";

const PINNED = join(REPO_ROOT, "api-surface", "surface.json");

describe("the public API surface", () => {
  it("matches api-surface/surface.json: every entry point's exported names, pinned", () => {
    const surface = extractSurface();
    if (process.env["UPDATE_API_SURFACE"] === "1") writeFileSync(PINNED, `${JSON.stringify(surface, null, 2)}\n`);
    const pinned = JSON.parse(readFileSync(PINNED, "utf8")) as Record<string, string[]>;
    // A difference is an API change: if it is intended, rerun with UPDATE_API_SURFACE=1 and commit the file.
    expect(surface).toEqual(pinned);
  }, 60_000);
});
