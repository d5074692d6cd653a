import { afterEach, describe, expect, it } from "vitest";
import { Language, type SpeechEvent, type SpeechToText, type Transcript, type SttError } from "@sttkit/core";
import { TICKS_PER_MS } from "@sttkit/core/kit";
import type { Result } from "neverthrow";
import { startAzureReplayServer } from "../../../conformance/src/azure/server.js";
import type { RecordedAzureMessage, RecordedAzureSession } from "../../../conformance/src/azure/session-format.js";
import { createAzureSpeechToText, type AzureConfig } from "./index.js";

const KEY = "protocol-test-key";
const BYTES_PER_MS = 32; // 16 kHz, 16-bit mono
const UNTHROTTLED = { "SPEECH-TransmitLengthBeforThrottleMs": "600000" };

/** One utterance of the synthetic session, on the audio's time line. */
interface Utterance {
  readonly text: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly language?: string;
}

/** `count` utterances, one per second of audio, each 700 ms long. */
function utterances(count: number, language?: (index: number) => string): Utterance[] {
  return Array.from({ length: count }, (_, index) => ({
    text: `Utterance number ${index + 1}.`,
    startMs: index * 1_000 + 100,
    endMs: index * 1_000 + 800,
    ...(language ? { language: language(index) } : {}),
  }));
}

function phraseBody(utterance: Utterance): Record<string, unknown> {
  const offset = utterance.startMs * TICKS_PER_MS;
  const duration = (utterance.endMs - utterance.startMs) * TICKS_PER_MS;
  const words = utterance.text.replace(/\.$/, "").split(" ");
  const wordTicks = Math.floor(duration / words.length);
  return {
    RecognitionStatus: "Success",
    DisplayText: utterance.text,
    Offset: offset,
    Duration: duration,
    ...(utterance.language ? { PrimaryLanguage: { Language: utterance.language, Confidence: "High" } } : {}),
    NBest: [
      {
        Confidence: 0.87,
        Lexical: utterance.text.toLowerCase().replace(/\.$/, ""),
        ITN: utterance.text,
        MaskedITN: utterance.text,
        Display: utterance.text,
        Words: words.map((word, index) => ({ Word: word.toLowerCase(), Offset: offset + index * wordTicks, Duration: wordTicks })),
      },
    ],
  };
}

/**
 * A session in the recorded format: each utterance's events are sent once the server has
 * received the audio they describe; `lastPhraseAtEnd` holds the last final until the end of the
 * audio, as the service does for speech still going on when the audio stops.
 */
function sessionOf(spoken: readonly Utterance[], audioMs: number, options: { lastPhraseAtEnd?: boolean } = {}): RecordedAzureSession {
  const messages: RecordedAzureMessage[] = [{ path: "turn.start", atAudioMs: 0, body: { context: { serviceTag: "protocol-test" } } }];
  spoken.forEach((utterance, index) => {
    const last = index === spoken.length - 1;
    const held = last && options.lastPhraseAtEnd;
    const finalAt = held ? audioMs : utterance.endMs + 100;
    const atEnd = held ? { afterEndOfAudio: true } : {};
    messages.push(
      { path: "speech.startDetected", atAudioMs: utterance.startMs + 50, body: { Offset: utterance.startMs * TICKS_PER_MS } },
      {
        path: "speech.hypothesis",
        atAudioMs: utterance.startMs + 300,
        body: { Text: utterance.text.split(" ")[0]!.toLowerCase(), Offset: utterance.startMs * TICKS_PER_MS, Duration: 200 * TICKS_PER_MS },
      },
      { path: "speech.phrase", atAudioMs: finalAt, ...atEnd, body: phraseBody(utterance) },
      { path: "speech.endDetected", atAudioMs: finalAt, ...atEnd, body: { Offset: utterance.endMs * TICKS_PER_MS } },
    );
  });
  messages.push({ path: "turn.end", atAudioMs: audioMs, afterEndOfAudio: true });
  return {
    format: "sttkit.recorded-session.v2",
    audio: { file: "generated", sha256: "", durationMs: 0 },
    provider: "azure",
    fixture: "adapter-protocol-test",
    source: { kind: "synthesized", description: "built by the Azure adapter's protocol tests" },
    request: { language: "en-US", format: "detailed" },
    turns: [{ messages }],
  };
}

type ReplayServer = Awaited<ReturnType<typeof startAzureReplayServer>>;
const servers: ReplayServer[] = [];

async function serve(session: RecordedAzureSession): Promise<ReplayServer> {
  const server = await startAzureReplayServer({ session, expectedKey: KEY });
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function adapter(server: ReplayServer, config: AzureConfig = {}): SpeechToText {
  return createAzureSpeechToText({ host: server.host, apiKey: KEY, ...config, sdkProperties: { ...UNTHROTTLED, ...config.sdkProperties } }, {})._unsafeUnwrap();
}

interface Run {
  readonly result: Result<Transcript, SttError>;
  readonly events: SpeechEvent[];
}

/** Streams `audioMs` of silence-shaped PCM in 100 ms chunks, ends, and collects every event. */
async function runStream(stt: SpeechToText, audioMs: number, options: Parameters<SpeechToText["stream"]>[0] = {}): Promise<Run> {
  const stream = stt.stream(options)._unsafeUnwrap();
  const events: SpeechEvent[] = [];
  const reading = (async () => {
    for await (const event of stream) events.push(event);
  })();
  for (let sent = 0; sent < audioMs; sent += 100) {
    if (stream.write(new Uint8Array(100 * BYTES_PER_MS)).isErr()) break;
    // Let the SDK read as audio arrives, as it would from a live source.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const result = await stream.end();
  await stream.close();
  await reading;
  return { result, events };
}

function finals(events: readonly SpeechEvent[]) {
  return events.flatMap((event) => (event.type === "final" ? [event.segment] : []));
}

describe("what the service receives", () => {
  it("sends language, simple format and the key by default", async () => {
    const server = await serve(sessionOf(utterances(1), 1_000));
    const { result } = await runStream(adapter(server), 1_000);
    expect(result.isOk()).toBe(true);
    const query = server.connections[0]!.query;
    expect(query["language"]).toBe("en-US");
    expect(query["format"]).toBe("simple");
    expect(query["cid"]).toBeUndefined();
    expect(server.violations).toEqual([]);
  });

  it("sends endpointId as cid, detailed format, word timestamps, profanity and segmentation", async () => {
    const server = await serve(sessionOf(utterances(1), 1_000));
    const stt = adapter(server, { endpointId: "my-custom-model", profanity: "raw", segmentationSilenceTimeoutMs: 650, wordTimings: true, language: Language.DE_DE });
    const { result } = await runStream(stt, 1_000);
    expect(result.isOk()).toBe(true);
    const query = server.connections[0]!.query;
    expect(query["cid"]).toBe("my-custom-model");
    expect(query["language"]).toBeUndefined();
    expect(query["format"]).toBe("detailed");
    expect(query["wordLevelTimestamps"]).toBe("true");
    expect(query["profanity"]).toBe("raw");
    expect(query["segmentationSilenceTimeoutMs"]).toBe("650");
    const context = JSON.stringify(server.connections[0]!.speechContexts[0]);
    expect(context).toContain("WordTimings");
    expect(context).toContain("de-DE");
  });

  it("sends the phrase list (config and stream phrases) in speech.context", async () => {
    const server = await serve(sessionOf(utterances(1), 1_000));
    await runStream(adapter(server, { phrases: ["Contoso"] }), 1_000, { phrases: ["Jessie Fabrikam"] });
    const context = server.connections[0]!.speechContexts[0] as { dgi?: { groups?: Array<{ items?: Array<{ text: string }> }> } };
    const phrases = context.dgi?.groups?.flatMap((group) => group.items?.map((item) => item.text) ?? []);
    expect(phrases).toEqual(["Contoso", "Jessie Fabrikam"]);
  });

  it("asks for continuous language identification when several languages are given", async () => {
    const spoken = utterances(2, (index) => (index === 0 ? "de-DE" : "fr-FR"));
    const server = await serve(sessionOf(spoken, 2_000));
    const { result } = await runStream(adapter(server, { language: [Language.EN_US, Language.DE_DE, Language.FR_FR] }), 2_000);
    const context = server.connections[0]!.speechContexts[0] as { languageId?: { languages?: string[]; mode?: string } };
    expect(context.languageId?.languages).toEqual(["en-US", "de-DE", "fr-FR"]);
    expect(context.languageId?.mode).toBe("DetectContinuous");
    expect(result._unsafeUnwrap().segments.map((segment) => segment.language)).toEqual(["de-DE", "fr-FR"]);
  });
});

describe("what the stream reports", () => {
  it("reports interim, final and speech events on the stream's time line, with details when asked", async () => {
    const spoken = utterances(3);
    const server = await serve(sessionOf(spoken, 3_000));
    const { result, events } = await runStream(adapter(server, { detailed: true, wordTimings: true }), 3_000);
    const transcript = result._unsafeUnwrap();
    expect(transcript.text).toBe(spoken.map((utterance) => utterance.text).join(" "));
    expect(transcript.segments.map(({ startMs, endMs }) => ({ startMs, endMs }))).toEqual(spoken.map(({ startMs, endMs }) => ({ startMs, endMs })));
    const first = transcript.segments[0]!;
    expect(first).toMatchObject({ language: "en-US", confidence: 0.87, lexical: "utterance number 1" });
    expect(first.words?.map((word) => word.text)).toEqual(["utterance", "number", "1"]);
    expect(first.words?.[0]?.startMs).toBe(100);
    const types = events.map((event) => event.type);
    expect(types.filter((type) => type === "speech-started")).toHaveLength(3);
    expect(types.filter((type) => type === "speech-ended")).toHaveLength(3);
    expect(types.indexOf("interim")).toBeLessThan(types.indexOf("final"));
    expect(events.find((event) => event.type === "speech-started")).toEqual({ type: "speech-started", offsetMs: 100 });
    expect(types.at(-1)).toBe("usage");
  });

  it("omits interim results when the stream does not want them", async () => {
    const server = await serve(sessionOf(utterances(2), 2_000));
    const { events } = await runStream(adapter(server), 2_000, { interimResults: false });
    expect(events.some((event) => event.type === "interim")).toBe(false);
    expect(finals(events)).toHaveLength(2);
  });

  it("end() resolves only after the last final, which the service sends after the end of the audio", async () => {
    const spoken = utterances(2);
    const server = await serve(sessionOf(spoken, 2_000, { lastPhraseAtEnd: true }));
    const { result, events } = await runStream(adapter(server), 2_000);
    expect(result._unsafeUnwrap().segments.map((segment) => segment.text)).toEqual(spoken.map((utterance) => utterance.text));
    expect(finals(events)).toHaveLength(2);
  });

  it("transcribe() with transcribeWith realtime goes through a stream and returns the whole transcript", async () => {
    const spoken = utterances(2);
    const server = await serve(sessionOf(spoken, 2_000));
    const pcm = new Uint8Array(2_000 * BYTES_PER_MS);
    const transcript = await adapter(server, { transcribeWith: "realtime" }).transcribe({ pcm, format: { sampleRate: 16_000, channels: 1, bitsPerSample: 16 } });
    expect(transcript._unsafeUnwrap().text).toBe(spoken.map((utterance) => utterance.text).join(" "));
  });
});
