import { readWavFile } from "@sttkit/core";
import * as sdk from "microsoft-cognitiveservices-speech-sdk";
import { useWsClientInSpeechSdk } from "@sttkit/azure";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadFixtures } from "../manifest/load.js";
import { loadAzureSession } from "./session-format.js";
import type { AzureFaults } from "./faults.js";
import { startAzureReplayServer, type AzureReplayServer } from "./server.js";
import type { RecordedAzureSession } from "./session-format.js";

const KEY = "replay-test-key";
const servers: AzureReplayServer[] = [];

// The SDK driven here is configured as the Azure adapter configures it: dialling with the `ws`
// package on every Node version (Node 22+ would otherwise use its built-in WebSocket, which hides
// a refused upgrade's HTTP status).
beforeAll(() => {
  useWsClientInSpeechSdk();
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(session: RecordedAzureSession, faults?: AzureFaults): Promise<AzureReplayServer> {
  const server = await startAzureReplayServer({ session, expectedKey: KEY, ...(faults ? { faults } : {}) });
  servers.push(server);
  return server;
}

function fixtureSession(id: string): RecordedAzureSession {
  return loadAzureSession(id)._unsafeUnwrap();
}

async function fixturePcm(id: string): Promise<Uint8Array> {
  const fixture = loadFixtures()._unsafeUnwrap().fixtures.find((candidate) => candidate.id === id);
  return (await readWavFile(fixture?.audioPath ?? ""))._unsafeUnwrap().pcm;
}

interface SdkRun {
  finals: Array<{ text: string; offset: number; duration: number }>;
  interims: number;
  canceled?: { reason: string; code: string; details: string };
}

/** Drives the real Speech SDK directly (no adapter) against the server: what the server must satisfy. */
async function recognise(server: AzureReplayServer, pcm: Uint8Array, configure?: (config: sdk.SpeechConfig) => void): Promise<SdkRun> {
  const config = sdk.SpeechConfig.fromEndpoint(new URL(server.endpoint), KEY);
  config.setProperty("SPEECH-TransmitLengthBeforThrottleMs", "600000");
  config.speechRecognitionLanguage = "en-US";
  configure?.(config);
  const push = sdk.AudioInputStream.createPushStream(sdk.AudioStreamFormat.getWaveFormatPCM(16000, 16, 1));
  const recognizer = new sdk.SpeechRecognizer(config, sdk.AudioConfig.fromStreamInput(push));
  const run: SdkRun = { finals: [], interims: 0 };
  const stopped = new Promise<void>((resolve) => {
    recognizer.sessionStopped = () => resolve();
    recognizer.canceled = (_, event) => {
      // EndOfStream is how the SDK reports the push stream's normal end, not a failure.
      if (event.reason === sdk.CancellationReason.EndOfStream) return;
      run.canceled = {
        reason: sdk.CancellationReason[event.reason] ?? String(event.reason),
        code: sdk.CancellationErrorCode[event.errorCode] ?? String(event.errorCode),
        details: event.errorDetails,
      };
      resolve();
    };
  });
  recognizer.recognizing = () => {
    run.interims++;
  };
  recognizer.recognized = (_, event) => {
    if (event.result.reason === sdk.ResultReason.RecognizedSpeech) {
      run.finals.push({ text: event.result.text, offset: event.result.offset, duration: event.result.duration });
    }
  };
  await new Promise<void>((resolve, reject) => recognizer.startContinuousRecognitionAsync(resolve, reject));
  for (let at = 0; at < pcm.byteLength; at += 3200) {
    push.write(pcm.slice(at, at + 3200).buffer);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  push.close();
  await stopped;
  await new Promise<void>((resolve) => recognizer.stopContinuousRecognitionAsync(resolve, () => resolve()));
  recognizer.close();
  return run;
}

describe("the local Azure protocol server, driven by the real Speech SDK", () => {
  it("replays a recorded session: interims, then every final in order with its offsets", async () => {
    const session = fixtureSession("librivox-multi");
    const server = await serve(session);
    const run = await recognise(server, await fixturePcm("librivox-multi"));
    const phrases = session.turns[0]?.messages.filter((m) => m.path === "speech.phrase").map((m) => m.body as { DisplayText: string; Offset: number; Duration: number }) ?? [];
    expect(run.canceled).toBeUndefined();
    expect(run.finals).toEqual(phrases.map((p) => ({ text: p.DisplayText, offset: p.Offset, duration: p.Duration })));
    expect(run.interims).toBeGreaterThan(phrases.length);
    expect(server.violations).toEqual([]);
  });

  it("observes what the SDK sends: query, speech.context, the RIFF format and every PCM byte", async () => {
    const server = await serve(fixtureSession("librivox-0880"));
    const pcm = await fixturePcm("librivox-0880");
    await recognise(server, pcm, (config) => {
      config.endpointId = "my-custom-model";
      config.outputFormat = sdk.OutputFormat.Detailed;
      config.setProfanity(sdk.ProfanityOption.Removed);
    });
    const [connection] = server.connections;
    expect(connection?.query).toMatchObject({ cid: "my-custom-model", format: "detailed", profanity: "removed" });
    expect(connection?.speechContexts.length).toBeGreaterThan(0);
    expect(connection?.turns[0]?.format).toEqual({ encoding: 1, sampleRate: 16000, channels: 1, bitsPerSample: 16 });
    expect(connection?.turns[0]?.endOfAudio).toBe(true);
    expect(Buffer.from(server.pcmOf(connection!)).equals(Buffer.from(pcm))).toBe(true);
    expect(server.violations).toEqual([]);
  });

  it("keeps only the last retainAudioMs of a turn's audio, on the turn's byte line", async () => {
    const server = await startAzureReplayServer({ session: fixtureSession("librivox-0880"), expectedKey: KEY, retainAudioMs: 1_000 });
    servers.push(server);
    const pcm = await fixturePcm("librivox-0880");
    const run = await recognise(server, pcm);
    expect(run.canceled).toBeUndefined();
    const turn = server.connections[0]?.turns[0];
    const kept = server.pcmOf(server.connections[0]!);
    // Every byte counted; what is kept is the audio's tail: at most one second, less only by part of a chunk.
    expect(turn?.pcmBytes).toBe(pcm.byteLength);
    expect(turn!.pcmDroppedBytes + kept.byteLength).toBe(pcm.byteLength);
    expect(kept.byteLength).toBeLessThanOrEqual(32_000);
    expect(kept.byteLength).toBeGreaterThan(32_000 - 8_192);
    expect(Buffer.from(kept).equals(Buffer.from(pcm.subarray(pcm.byteLength - kept.byteLength)))).toBe(true);
    await expect(startAzureReplayServer({ session: fixtureSession("librivox-0880"), retainAudioMs: 999 })).rejects.toThrow(/retainAudioMs/);
  });

  it("refuses a wrong key with HTTP 401, which the SDK reports as a connection failure naming 401", async () => {
    const server = await startAzureReplayServer({ session: fixtureSession("librivox-0880"), expectedKey: "another-key" });
    servers.push(server);
    const run = await recognise(server, (await fixturePcm("librivox-0880")).subarray(0, 32_000));
    expect(run.canceled).toMatchObject({ code: "ConnectionFailure" });
    expect(run.canceled?.details).toContain("401");
    expect(server.connections.every((c) => c.refusedWith === 401)).toBe(true);
  });

  it.each([
    ["Error", "ServiceError"],
    ["TooManyRequests", "TooManyRequests"],
    ["BadRequest", "BadRequestParameters"],
    ["Forbidden", "Forbidden"],
  ] as const)("a %s status after one phrase is canceled as %s, after the first final", async (status, code) => {
    const server = await serve(fixtureSession("librivox-multi"), { statusAfterPhrases: { phrases: 1, status } });
    const run = await recognise(server, await fixturePcm("librivox-multi"));
    expect(run.finals).toHaveLength(1);
    expect(run.canceled).toMatchObject({ reason: "Error", code });
  });

  it("drops the socket mid-utterance once: the SDK reconnects, replays, and every final arrives exactly once", async () => {
    const session = fixtureSession("librivox-multi");
    const server = await serve(session, { dropAfterPhrases: 1, connections: 1 });
    const run = await recognise(server, await fixturePcm("librivox-multi"));
    const phrases = session.turns[0]?.messages.filter((m) => m.path === "speech.phrase").map((m) => m.body as { DisplayText: string; Offset: number; Duration: number }) ?? [];
    expect(run.canceled).toBeUndefined();
    expect(server.connections.length).toBe(2);
    expect(server.connections[0]?.closed).toBe("dropped");
    expect(run.finals.map((f) => f.text)).toEqual(phrases.map((p) => p.DisplayText));
    // Offsets come back on the stream's time line, although the second turn started mid-audio.
    for (const [index, final] of run.finals.entries()) {
      expect(Math.abs(final.offset - (phrases[index]?.Offset ?? 0))).toBeLessThan(20_000);
    }
  });
});
