import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const source = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** Tests run against the TypeScript sources of the workspace packages, not their builds: one alias per entry point. */
const workspaceSources: Array<{ find: RegExp; replacement: string }> = [
  { find: /^@sttkit\/core$/, replacement: source("./core/src/index.ts") },
  { find: /^@sttkit\/core\/kit$/, replacement: source("./core/src/kit/index.ts") },
  { find: /^@sttkit\/core\/di$/, replacement: source("./core/src/di/index.ts") },
  { find: /^@sttkit\/core\/wer$/, replacement: source("./core/src/wer/index.ts") },
  { find: /^@sttkit\/azure$/, replacement: source("./adapters/azure/src/index.ts") },
  { find: /^@sttkit\/offline$/, replacement: source("./adapters/offline/src/index.ts") },
  { find: /^@sttkit\/deepgram$/, replacement: source("./adapters/deepgram/src/index.ts") },
  { find: /^@sttkit\/offline\/engine-output$/, replacement: source("./adapters/offline/src/engine-output.ts") },
  { find: /^@sttkit\/failover$/, replacement: source("./adapters/failover/src/index.ts") },
  { find: /^@sttkit\/openai$/, replacement: source("./adapters/openai/src/index.ts") },
  { find: /^@sttkit\/conformance$/, replacement: source("./conformance/src/index.ts") },
  { find: /^@sttkit\/conformance\/azure$/, replacement: source("./conformance/src/azure/index.ts") },
  { find: /^@sttkit\/conformance\/deepgram$/, replacement: source("./conformance/src/deepgram/index.ts") },
  { find: /^@sttkit\/conformance\/cli$/, replacement: source("./conformance/src/cli/index.ts") },
  { find: /^@sttkit\/conformance\/openai$/, replacement: source("./conformance/src/openai/index.ts") },
  { find: /^sttkit$/, replacement: source("./cli/src/index.ts") },
];

export default defineConfig({
  resolve: { alias: workspaceSources },
  test: {
    include: [
      "core/src/**/*.test.ts",
      "adapters/*/src/**/*.test.ts",
      "conformance/src/**/*.test.ts",
      "cli/src/**/*.test.ts",
      "examples/**/*.test.ts",
      "api-surface/**/*.test.ts",
      "bench/src/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**", "**/dist/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
