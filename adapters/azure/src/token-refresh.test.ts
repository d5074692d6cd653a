import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { SpeechToText } from "@sttkit/core";
import { startAzureReplayServer, type AzureReplayServer } from "../../../conformance/src/azure/server.js";
import type { AzureFaults } from "../../../conformance/src/azure/faults.js";
import { readWavFile } from "@sttkit/core";
import { loadFixtures } from "@sttkit/conformance";
import { loadAzureSession } from "../../../conformance/src/azure/session-format.js";
import { createAzureSpeechToText, type AzureConfig } from "./index.js";
import { validateAzureConfig } from "./validate-config.js";
import { checkHandlesAfterEach, errorsOf, expectedSegments, runStream, segmentsOf, sessionOf } from "./synthetic-session.test-support.js";

const UNTHROTTLED = { "SPEECH-TransmitLengthBeforThrottleMs": "600000" };
/** Short enough that several refreshes happen within a second of audio. */
const REFRESH_MS = 20;

const cleanups: Array<() => Promise<void>> = [];
// The refresh timer is the stream's: nothing of it may outlive the stream.
checkHandlesAfterEach(cleanups);

/** A token provider handing out `<prefix>1`, `<prefix>2`, ...; `failOn` call numbers reject. */
class Tokens {
  calls = 0;
  readonly #prefix: string;
  readonly #failOn: ReadonlySet<number>;
  readonly #waiters: Array<{ calls: number; resolve: () => void }> = [];

  constructor(prefix: string, failOn: readonly number[] = []) {
    this.#prefix = prefix;
    this.#failOn = new Set(failOn);
  }

  readonly provider = async (): Promise<string> => {
    this.calls += 1;
    const call = this.calls;
    for (const waiter of this.#waiters.filter((item) => item.calls <= call)) waiter.resolve();
    if (this.#failOn.has(call)) throw new Error(`the token service is down (call ${call})`);
    return this.token(call);
  };

  token(call: number): string {
    return `${this.#prefix}${call}`;
  }

  /** Resolves once the provider has been called `calls` times. */
  called(calls: number): Promise<void> {
    if (this.calls >= calls) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ calls, resolve }));
  }
}

async function serve(count: number, acceptsToken: (token: string) => boolean, faults?: AzureFaults): Promise<AzureReplayServer> {
  const server = await startAzureReplayServer({ session: sessionOf(count), acceptsToken, ...(faults ? { faults } : {}) });
  cleanups.push(() => server.close());
  return server;
}

function adapter(config: AzureConfig): SpeechToText {
  return createAzureSpeechToText({ sdkProperties: UNTHROTTLED, reconnect: { maxAttempts: 0 }, tokenRefreshIntervalMs: REFRESH_MS, ...config }, {})._unsafeUnwrap();
}

function bearer(server: AzureReplayServer): Array<string | undefined> {
  return server.connections.map((connection) => connection.headers["authorization"]?.replace(/^Bearer /, ""));
}

describe("a token provider keeps a long stream authorized", () => {
  it.each([
    ["a Speech resource token, region-style host", "eyJ.speech-token-", "host"],
    ["a Microsoft Entra ID token (aad#resource#token) with a custom-domain endpoint", "aad#/subscriptions/s/resourceGroups/g/providers/Microsoft.CognitiveServices/accounts/a#eyJ.entra-", "endpoint"],
  ] as const)("%s: after the first token expires, the SDK's reconnect uses the refreshed one", async (_, prefix, where) => {
    const tokens = new Tokens(prefix);
    const expired = new Set<string>();
    // The double drops the socket after two phrases; the SDK reconnects on its own with the token it holds then.
    const server = await serve(5, (token) => token.startsWith(prefix) && !expired.has(token), { dropAfterPhrases: 2, connections: 1 });
    const stt = adapter({ tokenProvider: tokens.provider, [where]: where === "host" ? server.host : server.endpoint });
    const { result, events } = await runStream(stt, 5_000, {
      beforeChunk: async (sentMs) => {
        if (sentMs !== 1_500) return;
        // Two refreshes after the first token: the recognizer has moved on from it. Then it expires.
        await tokens.called(3);
        expired.add(tokens.token(1));
      },
    });
    expect(result._unsafeUnwrap().segments.map(({ text, startMs, endMs }) => ({ text, startMs, endMs }))).toEqual(expectedSegments(5));
    expect(segmentsOf(events)).toEqual(expectedSegments(5));
    const used = bearer(server);
    expect(used[0]).toBe(tokens.token(1));
    expect(used.length).toBeGreaterThanOrEqual(2);
    // Every connection after the first was made with a refreshed token, none refused.
    expect(used.slice(1).every((token) => token !== undefined && token !== tokens.token(1) && token.startsWith(prefix))).toBe(true);
    expect(server.connections.every((connection) => connection.refusedWith === undefined)).toBe(true);
    // No token, old or new, reaches an event.
    expect(JSON.stringify(events)).not.toContain(prefix);
  });

  it("without a refresh the reconnect after expiry is refused: the check above can fail", async () => {
    const tokens = new Tokens("static-");
    const expired = new Set<string>();
    const server = await serve(5, (token) => !expired.has(token), { dropAfterPhrases: 2, connections: 1 });
    // An hour between refreshes: the token the stream started with is the one it reconnects with.
    const stt = adapter({ tokenProvider: tokens.provider, tokenRefreshIntervalMs: 3_600_000, host: server.host });
    const { result } = await runStream(stt, 5_000, {
      beforeChunk: (sentMs) => {
        if (sentMs === 1_500) expired.add(tokens.token(1));
      },
    });
    expect(result._unsafeUnwrapErr().kind).toBe("authentication");
    expect(server.connections.slice(1).some((connection) => connection.refusedWith === 401)).toBe(true);
  });

  it("a failed refresh is a non-fatal authentication error event; the stream goes on and later refreshes work", async () => {
    const tokens = new Tokens("tok-", [2]);
    const server = await serve(3, (token) => token.startsWith("tok-"));
    const { result, events } = await runStream(adapter({ tokenProvider: tokens.provider, host: server.host }), 3_000, {
      beforeChunk: async (sentMs) => {
        if (sentMs === 1_000) await tokens.called(3);
      },
    });
    expect(result._unsafeUnwrap().segments).toHaveLength(3);
    const [failure, ...others] = errorsOf(events);
    expect(others).toEqual([]);
    expect(failure).toMatchObject({ fatal: false, error: { kind: "authentication", provider: "azure" } });
    expect(failure?.error.detail).toContain("the token service is down");
  });

  it.each([
    ["rejects", async (): Promise<string> => Promise.reject(new Error("no token for you"))],
    ["returns an empty token", async (): Promise<string> => "  "],
  ])("a provider that %s at the start fails the stream with authentication before any connection", async (_, provider) => {
    const server = await serve(1, () => true);
    const { result } = await runStream(adapter({ tokenProvider: provider, host: server.host }), 1_000);
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: "authentication", provider: "azure" });
    expect(server.connections).toEqual([]);
  });

  it("a provider that never answers is an authentication error after connectTimeoutMs", async () => {
    const server = await serve(1, () => true);
    const never = (): Promise<string> => new Promise<string>(() => undefined);
    const { result } = await runStream(adapter({ tokenProvider: never, host: server.host, connectTimeoutMs: 200 }), 500);
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: "authentication" });
    expect(result._unsafeUnwrapErr().message).toContain("200 ms");
  });

  it("stops asking for tokens once the stream is closed", async () => {
    const tokens = new Tokens("tok-");
    const server = await serve(1, () => true);
    await runStream(adapter({ tokenProvider: tokens.provider, host: server.host }), 1_000);
    const callsAtClose = tokens.calls;
    await sleep(REFRESH_MS * 5);
    expect(tokens.calls).toBe(callsAtClose);
  });
});

describe("a token provider and transcribe() through fast transcription", () => {
  it("the upload carries a token fetched for it", async () => {
    const fixture = loadFixtures()._unsafeUnwrap().fixtures.find((candidate) => candidate.id === "librivox-0870")!;
    const server = await startAzureReplayServer({ session: loadAzureSession(fixture.id)._unsafeUnwrap() });
    cleanups.push(() => server.close());
    const tokens = new Tokens("fast-");
    const audio = (await readWavFile(fixture.audioPath))._unsafeUnwrap();
    const transcript = await adapter({ tokenProvider: tokens.provider, host: server.host }).transcribe(audio);
    expect(transcript._unsafeUnwrap().route?.method).toBe("file");
    expect(server.fastRequests.map((request) => request.headers["authorization"])).toEqual(["Bearer fast-1"]);
  });
});

describe("token provider settings", () => {
  const endpoint = { host: "ws://127.0.0.1:1" };
  const provider = async (): Promise<string> => "t";

  it("resolves to a provider with the refresh interval (default 9 minutes)", () => {
    expect(validateAzureConfig({ ...endpoint, tokenProvider: provider }, {})._unsafeUnwrap().credentials).toEqual({
      kind: "token-provider",
      fetch: provider,
      refreshIntervalMs: 540_000,
    });
    // The environment key does not clash with a provider.
    expect(validateAzureConfig({ region: "westeurope", tokenProvider: provider }, { AZURE_SPEECH_API_KEY: "k" })._unsafeUnwrap().credentials.kind).toBe("token-provider");
  });

  it.each([
    [{ tokenProvider: "not a function" }, "azure.tokenProvider"],
    [{ tokenProvider: provider, apiKey: "k" }, "azure.tokenProvider"],
    [{ tokenProvider: provider, authorizationToken: "t" }, "azure.tokenProvider"],
    [{ tokenProvider: provider, tokenRefreshIntervalMs: 0 }, "azure.tokenRefreshIntervalMs"],
  ])("rejects %j", (settings, argument) => {
    expect(validateAzureConfig({ ...endpoint, ...settings }, {})._unsafeUnwrapErr()).toMatchObject({ kind: "invalid-argument", argument });
  });
});
