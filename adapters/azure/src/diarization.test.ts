import { describe, expect, it } from "vitest";
import type { SpeechToText } from "@sttkit/core";
import { startAzureReplayServer, type AzureReplayServer } from "../../../conformance/src/azure/server.js";
import type { RecordedAzureSession } from "../../../conformance/src/azure/session-format.js";
import { createAzureSpeechToText, type AzureConfig } from "./index.js";
import { validateAzureConfig } from "./validate-config.js";
import { checkHandlesAfterEach, expectedSegments, runStream, sessionOf } from "./synthetic-session.test-support.js";

const KEY = "diarization-test-key";
const UNTHROTTLED = { "SPEECH-TransmitLengthBeforThrottleMs": "600000" };

const cleanups: Array<() => Promise<void>> = [];
checkHandlesAfterEach(cleanups);

/** A phrase body in the detailed format: one alternative, each word timed. */
function detailed(body: { DisplayText: string; Offset: number; Duration: number }): object {
  const words = body.DisplayText.replace(/\.$/, "").split(" ");
  const each = Math.floor(body.Duration / words.length);
  const Words = words.map((word, index) => ({ Word: word.toLowerCase(), Offset: body.Offset + index * each, Duration: each }));
  return { ...body, NBest: [{ Confidence: 0.9, Lexical: body.DisplayText.toLowerCase(), Display: body.DisplayText, Words }] };
}

/**
 * The synthetic session with a speaker label on every phrase and hypothesis: `labels[i]` for
 * utterance i; phrases in the detailed format when asked.
 */
function withSpeakers(session: RecordedAzureSession, labels: readonly (string | undefined)[], asDetailed = false): RecordedAzureSession {
  let utterance = -1;
  const messages = session.turns[0]!.messages.map((message) => {
    if (message.path === "speech.startDetected") utterance += 1;
    const label = labels[utterance];
    if (message.path !== "speech.phrase" && message.path !== "speech.hypothesis") return message;
    const body = message.path === "speech.phrase" && asDetailed ? detailed(message.body as never) : (message.body as object);
    return { ...message, body: { ...body, ...(label !== undefined ? { SpeakerId: label } : {}) } };
  });
  return { ...session, turns: [{ messages }] };
}

async function serve(labels: readonly (string | undefined)[], asDetailed = false): Promise<AzureReplayServer> {
  const server = await startAzureReplayServer({ session: withSpeakers(sessionOf(labels.length), labels, asDetailed), expectedKey: KEY });
  cleanups.push(() => server.close());
  return server;
}

function adapter(server: AzureReplayServer, config: AzureConfig): SpeechToText {
  return createAzureSpeechToText({ host: server.host, apiKey: KEY, sdkProperties: UNTHROTTLED, reconnect: { maxAttempts: 0 }, ...config }, {})._unsafeUnwrap();
}

function speechContext(server: AzureReplayServer): { phraseDetection?: { mode?: string; speakerDiarization?: { mode?: string } } } {
  return (server.connections[0]?.speechContexts[0] ?? {}) as never;
}

describe("diarization through the SDK's conversation transcriber", () => {
  it("asks the service for speaker diarization and puts the speaker on each final (Guest-N is N-1, Unknown none)", async () => {
    const server = await serve(["Guest-1", "Guest-2", "Guest-1", "Unknown"]);
    const stt = adapter(server, { diarization: true });
    expect(stt.capabilities.diarization).toBe(true);
    const { result } = await runStream(stt, 4_000);
    const segments = result._unsafeUnwrap().segments;
    expect(segments.map(({ text, startMs, endMs }) => ({ text, startMs, endMs }))).toEqual(expectedSegments(4));
    expect(segments.map((segment) => segment.speaker)).toEqual([0, 1, 0, undefined]);
    const context = speechContext(server);
    expect(context.phraseDetection?.mode).toBe("Conversation");
    expect(context.phraseDetection?.speakerDiarization?.mode).toBe("Anonymous");
    expect(server.connections[0]?.path).toBe("/speech/recognition/conversation/cognitiveservices/v1");
    expect(server.violations).toEqual([]);
  });

  it("with word timings, every word carries its phrase's speaker", async () => {
    const server = await serve(["Guest-2", "Guest-1"], true);
    const { result } = await runStream(adapter(server, { diarization: true, wordTimings: true }), 2_000);
    const segments = result._unsafeUnwrap().segments;
    expect(segments.map((segment) => segment.speaker)).toEqual([1, 0]);
    expect(segments.map((segment) => segment.words?.map((word) => word.speaker))).toEqual([
      [1, 1, 1, 1],
      [0, 0, 0, 0],
    ]);
  });

  it("without diarization the service labels nobody, and no final carries a speaker", async () => {
    const server = await serve(["Guest-1", "Guest-2"]);
    const stt = adapter(server, {});
    expect(stt.capabilities.diarization).toBe(false);
    const { result } = await runStream(stt, 2_000);
    expect(result._unsafeUnwrap().segments.map((segment) => segment.speaker)).toEqual([undefined, undefined]);
    expect(speechContext(server).phraseDetection?.speakerDiarization).toBeUndefined();
  });

  it("turns recognizer rotation off by default (a new recognizer numbers speakers afresh), unless asked for", () => {
    const host = { host: "ws://127.0.0.1:1" };
    expect(validateAzureConfig({ ...host, diarization: true }, {})._unsafeUnwrap().rotateRecognizerAfterSeconds).toBe(0);
    expect(validateAzureConfig({ ...host, diarization: true, rotateRecognizerAfterSeconds: 900 }, {})._unsafeUnwrap().rotateRecognizerAfterSeconds).toBe(900);
    expect(validateAzureConfig(host, {})._unsafeUnwrap().rotateRecognizerAfterSeconds).toBe(600);
    expect(validateAzureConfig({ ...host, diarization: "yes" }, {})._unsafeUnwrapErr()).toMatchObject({ kind: "invalid-argument", argument: "azure.diarization" });
  });
});
