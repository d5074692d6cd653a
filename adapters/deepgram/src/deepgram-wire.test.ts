import type { DeepgramServer } from "@sttkit/conformance/deepgram";
import { Language, type SpeechEvent, type StreamOptions } from "@sttkit/core";
import { describe, expect, it } from "vitest";
import { createDeepgramSpeechToText, type DeepgramConfig } from "./index.js";
import { fixture, startLocalServer, wav } from "./local-server.test-support.js";

const KEY = "wire-test-key-0123456789";
function serve(options: { idleCloseMs?: number; expectedToken?: string } = {}): Promise<DeepgramServer> {
  return startLocalServer({ expectedKey: KEY, ...options });
}

/** Streams the whole fixture at once, ends, and returns the events. */
async function streamAll(config: DeepgramConfig, streamOptions: StreamOptions = {}): Promise<SpeechEvent[]> {
  const stt = createDeepgramSpeechToText(config, {})._unsafeUnwrap();
  const stream = stt.stream({ format: wav.format, ...streamOptions })._unsafeUnwrap();
  const events: SpeechEvent[] = [];
  const reading = (async () => {
    for await (const event of stream) events.push(event);
  })();
  stream.write(wav.pcm);
  const result = await stream.end();
  await reading;
  expect(result.isOk(), result.isErr() ? result.error.message : "").toBe(true);
  return events;
}

describe("every option arrives on the wire as Deepgram expects it", () => {
  it("defaults: nova-3, en-US, linear16 at the stream's rate, mono, interim results, VAD events, punctuation, Token auth", async () => {
    const local = await serve();
    await streamAll({ baseUrl: local.baseUrl, apiKey: KEY });
    const [connection] = local.connections;
    expect(connection?.path).toBe("/v1/listen");
    expect(connection?.headers["authorization"]).toBe(`Token ${KEY}`);
    expect(connection?.query).toEqual({
      model: "nova-3",
      language: "en-US",
      encoding: "linear16",
      sample_rate: "16000",
      channels: "1",
      interim_results: "true",
      vad_events: "true",
      punctuate: "true",
      smart_format: "false",
    });
    expect(connection?.audioBytes).toBe(wav.pcm.byteLength);
    // end(): Finalize flushes, CloseStream makes the service send the last final, Metadata and close.
    expect(connection?.controls.map((c) => c.type)).toEqual(["Finalize", "CloseStream"]);
    expect(connection?.closed).toBe(1000);
    expect(local.violations).toEqual([]);
  });

  it("every config option and the stream's phrases, language and interim setting", async () => {
    const local = await serve();
    await streamAll(
      {
        baseUrl: local.baseUrl,
        apiKey: KEY,
        model: "nova-3-medical",
        language: Language.EN_GB,
        endpointing: 500,
        utteranceEndMs: 1500,
        vadEvents: false,
        smartFormat: true,
        punctuate: false,
        profanityFilter: true,
        keyterms: ["Dashwood", "Norland"],
        diarize: true,
        fillerWords: true,
        numerals: true,
        redact: ["pci", "ssn"],
        tags: ["team-a", "nightly"],
      },
      { phrases: ["Marianne", "Dashwood"], language: Language.EN_AU },
    );
    expect(local.connections[0]?.query).toEqual({
      model: "nova-3-medical",
      language: "en-AU",
      encoding: "linear16",
      sample_rate: "16000",
      channels: "1",
      interim_results: "true",
      vad_events: "false",
      punctuate: "false",
      smart_format: "true",
      profanity_filter: "true",
      diarize: "true",
      filler_words: "true",
      numerals: "true",
      redact: ["pci", "ssn"],
      tag: ["team-a", "nightly"],
      keyterm: ["Dashwood", "Norland", "Marianne"],
      endpointing: "500",
      utterance_end_ms: "1500",
    });
    expect(local.violations).toEqual([]);
  });

  it("older models take the phrases as keywords; endpointing off; interim results off; several languages are multi", async () => {
    const local = await serve();
    await streamAll({ baseUrl: local.baseUrl, apiKey: KEY, model: "nova-2", endpointing: false }, { phrases: ["Dashwood"], interimResults: false });
    expect(local.connections[0]?.query).toMatchObject({ model: "nova-2", keywords: "Dashwood", endpointing: "false", interim_results: "false" });
    expect(local.connections[0]?.query["keyterm"]).toBeUndefined();
    await streamAll({ baseUrl: local.baseUrl, apiKey: KEY }, { language: [Language.EN_US, Language.ES_ES, Language.DE_DE] });
    expect(local.connections[1]?.query["language"]).toBe("multi");
    expect(local.violations).toEqual([]);
  });

  it("the stream's sample rate is sent (8 kHz)", async () => {
    const local = await serve();
    const stt = createDeepgramSpeechToText({ baseUrl: local.baseUrl, apiKey: KEY }, {})._unsafeUnwrap();
    const stream = stt.stream({ format: { sampleRate: 8000, channels: 1, bitsPerSample: 16 } })._unsafeUnwrap();
    stream.write(new Uint8Array(1600));
    await vitestWaitFor(() => local.connections.length > 0);
    await stream.close();
    expect(local.connections[0]?.query["sample_rate"]).toBe("8000");
  });

  it("Deepgram's semantics map onto the core events: SpeechStarted, interims, is_final finals, speech_final / UtteranceEnd as speech-ended", async () => {
    const local = await serve();
    const events = await streamAll({ baseUrl: local.baseUrl, apiKey: KEY }, { wordTimings: true });
    // The stream's own metrics (one per final, the summary before usage) are the kit's, not Deepgram's.
    const kinds = events
      .map((event) => event.type)
      .filter((type) => type !== "metrics")
      .filter((type, index, all) => type !== "interim" || all[index - 1] !== "interim");
    expect(kinds).toEqual([
      "speech-started", "interim", "final", "speech-ended",
      "speech-started", "interim", "final", "speech-ended",
      "speech-started", "interim", "final", "speech-ended",
      "usage",
    ]);
    expect(events.at(-2)).toMatchObject({ type: "metrics", scope: "stream" });
    // The service closed after CloseStream: all the audio was processed.
    expect(events.find((event) => event.type === "usage")).toEqual({ type: "usage", audioSeconds: fixture.durationMs / 1000 });
    const finals = events.flatMap((event) => (event.type === "final" ? [event.segment] : []));
    expect(finals.every((segment) => segment.language === "en-US" && (segment.words?.length ?? 0) > 0)).toBe(true);
    expect(finals[0]?.text).toMatch(/^[A-Z].*\.$/);
  });

  it("an access token goes as Bearer", async () => {
    const local = await serve({ expectedToken: "short-lived-token" });
    await streamAll({ baseUrl: local.baseUrl, accessToken: "short-lived-token" });
    expect(local.connections[0]?.headers["authorization"]).toBe("Bearer short-lived-token");
  });

  it("KeepAlive flows while the caller sends no audio, so the service does not close the idle stream", async () => {
    const local = await serve({ idleCloseMs: 1_000 });
    const stt = createDeepgramSpeechToText({ baseUrl: local.baseUrl, apiKey: KEY, keepAliveIntervalMs: 500 }, {})._unsafeUnwrap();
    const stream = stt.stream({ format: wav.format })._unsafeUnwrap();
    stream.write(wav.pcm.subarray(0, 32_000));
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    stream.write(wav.pcm.subarray(32_000));
    const result = await stream.end();
    expect(result.isOk(), result.isErr() ? result.error.message : "").toBe(true);
    const controls = local.connections[0]?.controls.map((c) => c.type) ?? [];
    expect(controls.filter((type) => type === "KeepAlive").length).toBeGreaterThanOrEqual(3);
    expect(local.connections).toHaveLength(1);
  });

  it("transcribe() posts the WAV once to the pre-recorded endpoint with the options, utterances on", async () => {
    const local = await serve();
    const stt = createDeepgramSpeechToText({ baseUrl: local.baseUrl, apiKey: KEY, smartFormat: true, diarize: true, keyterms: ["Dashwood"] }, {})._unsafeUnwrap();
    const transcript = await stt.transcribe({ path: fixture.audioPath }, { wordTimings: true });
    expect(transcript.isOk(), transcript.isErr() ? transcript.error.message : "").toBe(true);
    expect(local.connections).toHaveLength(0);
    expect(local.requests).toHaveLength(1);
    const [request] = local.requests;
    expect(request?.headers["authorization"]).toBe(`Token ${KEY}`);
    expect(request?.query).toEqual({ model: "nova-3", language: "en-US", punctuate: "true", smart_format: "true", diarize: "true", keyterm: "Dashwood", utterances: "true" });
    expect(request?.bodyBytes).toBe(wav.pcm.byteLength + 44);
    const segments = transcript._unsafeUnwrap().segments;
    expect(segments).toHaveLength(3);
    expect(segments[0]?.words?.length).toBeGreaterThan(0);
    expect(local.violations).toEqual([]);
  });
});

async function vitestWaitFor(condition: () => boolean, limitMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > limitMs) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
