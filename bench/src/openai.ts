import { readFile } from "node:fs/promises";
import { paceRealtime, type SpeechEvent } from "@sttkit/core";
import { PcmResampler } from "@sttkit/core/kit";
import { startOpenAIReplayServer, loadOpenAISession, type OpenAIReplayServer, type OpenAIServerEvent, type RecordedOpenAISession } from "@sttkit/conformance/openai";
import { createOpenAISpeechToText, type OpenAITranscriptionModel } from "@sttkit/openai";
import OpenAI, { toFile } from "openai";
import { OpenAIRealtimeWS } from "openai/realtime/ws";
import { Agent } from "undici";
import { SIDES, type Side } from "./client.js";
import { loadBenchAudio, type BenchAudio } from "./fixtures.js";

/** The key both sides present to the local OpenAI server. */
const KEY = "sk-bench-key";

/** What the OpenAI part of the bench measures. */
export interface OpenAIPlan {
  /** The file `transcribe()` runs on, and how often per side. */
  readonly transcribeFixture: string;
  readonly transcribeRuns: number;
  /** The fixture streamed for the Realtime latency, how often per side, and how fast. */
  readonly realtimeFixture: string;
  readonly realtimeRuns: number;
  readonly realtimeSpeed: number;
}

/** Every sample of both sides. */
export interface OpenAISamples {
  /** Wall time of one `transcribe()` of the file vs one `audio.transcriptions.create`, ms, per batch model. */
  readonly transcribeMs: Record<OpenAITranscriptionModel, Record<Side, number[]>>;
  /** A completed transcript on the wire (the server's send) → the final in the application, ms. */
  readonly completedToFinalMs: Record<Side, number[]>;
  /** The same, to the synchronous callback (adapter: `onEvent`; raw: the SDK's event listener). */
  readonly completedToCallbackMs: Record<Side, number[]>;
  readonly problems: string[];
}

const BATCH_MODELS: readonly OpenAITranscriptionModel[] = ["gpt-4o-transcribe", "whisper-1"];

/** The raw SDK, configured as the adapter configures it: the server's base URL and CA, no retries, no logging. */
function rawClient(server: OpenAIReplayServer, dispatcher: Agent): OpenAI {
  return new OpenAI({ apiKey: KEY, baseURL: server.baseURL, organization: null, project: null, webhookSecret: null, maxRetries: 0, logLevel: "off", fetchOptions: { dispatcher } });
}

/**
 * One file through `transcribe()` and through the raw SDK's `audio.transcriptions.create` (the
 * file read from disk and uploaded, with the request the adapter makes for the model), runs
 * alternating between the sides after five unmeasured warm-up runs each.
 */
async function measureTranscribe(audio: BenchAudio, session: RecordedOpenAISession, runs: number, problems: string[]): Promise<OpenAISamples["transcribeMs"]> {
  const server = (await startOpenAIReplayServer({ session, expectedKey: KEY }))._unsafeUnwrap();
  const dispatcher = new Agent({ connect: { ca: server.ca } });
  const out = {} as Record<OpenAITranscriptionModel, Record<Side, number[]>>;
  try {
    for (const model of BATCH_MODELS) {
      const adapter = createOpenAISpeechToText({ apiKey: KEY, baseURL: server.baseURL, ca: server.ca, batch: { model, maxRetries: 0 } }, {})._unsafeUnwrap();
      const raw = rawClient(server, dispatcher);
      const run: Record<Side, () => Promise<string>> = {
        adapter: async () => (await adapter.transcribe({ path: audio.fixture.audioPath }))._unsafeUnwrap().text,
        raw: async () => {
          const file = await toFile(await readFile(audio.fixture.audioPath), "audio.wav", { type: "audio/wav" });
          const answer =
            model === "whisper-1"
              ? await raw.audio.transcriptions.create({ file, model, response_format: "verbose_json", timestamp_granularities: ["segment"] })
              : await raw.audio.transcriptions.create({ file, model, response_format: "json" });
          return answer.text;
        },
      };
      const samples: Record<Side, number[]> = { raw: [], adapter: [] };
      // Warm-up, unmeasured: a few runs per side so that neither pays for first-time compilation.
      for (let warm = 0; warm < 5; warm++) for (const side of SIDES) await run[side]();
      for (let index = 0; index < runs; index++) {
        // ABAB, BABA: load from elsewhere falls on both sides alike.
        const order = index % 2 === 0 ? SIDES : [...SIDES].reverse();
        for (const side of order) {
          const started = performance.now();
          const text = await run[side]();
          samples[side].push(performance.now() - started);
          if (text.length === 0) problems.push(`openai ${model} ${side}: empty transcript`);
        }
      }
      out[model] = samples;
    }
  } finally {
    await server.close();
    await dispatcher.close();
  }
  return out;
}

/** One stream through the adapter: finals as `for await` and `onEvent` see them. */
async function adapterStream(server: OpenAIReplayServer, audio: BenchAudio, speed: number): Promise<{ finals: number[]; callbacks: number[] }> {
  const stt = createOpenAISpeechToText({ apiKey: KEY, baseURL: server.baseURL, ca: server.ca }, {})._unsafeUnwrap();
  const finals: number[] = [];
  const callbacks: number[] = [];
  const onEvent = (event: SpeechEvent): void => {
    if (event.type === "final" && event.segment.text.trim() !== "") callbacks.push(performance.now());
  };
  const stream = stt.stream({ format: audio.format, onEvent })._unsafeUnwrap();
  const reading = (async () => {
    for await (const event of stream) if (event.type === "final" && event.segment.text.trim() !== "") finals.push(performance.now());
  })();
  for await (const chunk of paceRealtime(audio.pcm, audio.format, { speed })) {
    const written = stream.write(chunk);
    if (written.isOk() && !written.value) await stream.drained();
  }
  const result = await stream.end();
  await reading;
  if (result.isErr()) throw new Error(`adapter stream failed: ${result.error.kind}: ${result.error.message}`);
  return { finals, callbacks };
}

/**
 * One stream through the raw SDK's realtime client, doing what the adapter does: the same session
 * update, the audio resampled to 24 kHz beforehand (outside the timing) in the same 100 ms
 * chunks, the same closing commit, and done when every committed item has its transcript.
 */
async function rawStream(server: OpenAIReplayServer, dispatcher: Agent, pcm24: Uint8Array, speed: number): Promise<{ finals: number[] }> {
  const rt = new OpenAIRealtimeWS({ model: "gpt-4o-transcribe", options: { ca: server.ca, perMessageDeflate: false } }, rawClient(server, dispatcher));
  const finals: number[] = [];
  const pending = new Set<string>();
  const stopped = new Set<string>();
  let boundaryMs = 0;
  let open: string | undefined;
  let commitPending = false;
  let failure: unknown;
  let wake: () => void = () => undefined;
  rt.on("error", (error) => {
    if (error.error?.code === "input_audio_buffer_commit_empty") commitPending = false;
    else failure = error;
    wake();
  });
  rt.on("event", (event) => {
    const fields = event as unknown as Record<string, unknown>;
    const item = typeof fields["item_id"] === "string" ? (fields["item_id"] as string) : "";
    if (event.type === "conversation.item.input_audio_transcription.completed") {
      if (event.transcript.trim() !== "") finals.push(performance.now());
      pending.delete(item);
    } else if (event.type === "input_audio_buffer.speech_started") {
      open = item;
      pending.add(item);
    } else if (event.type === "input_audio_buffer.speech_stopped") {
      stopped.add(item);
      boundaryMs = event.audio_end_ms;
      if (open === item) open = undefined;
    } else if (event.type === "input_audio_buffer.committed") {
      pending.add(item);
      if (commitPending && !stopped.has(item)) {
        commitPending = false;
        if (open !== undefined && open !== item) pending.delete(open);
        open = undefined;
      }
    }
    wake();
  });
  await new Promise((resolve) => rt.socket.once("open", resolve));
  try {
    rt.send({
      type: "session.update",
      session: {
        type: "transcription",
        audio: {
          input: {
            format: { type: "audio/pcm", rate: 24_000 },
            transcription: { model: "gpt-4o-transcribe" },
            turn_detection: { type: "server_vad", threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 },
          },
        },
      },
    });
    const format24 = { sampleRate: 24_000, channels: 1, bitsPerSample: 16 } as const;
    for await (const chunk of paceRealtime(pcm24, format24, { speed })) {
      rt.send({ type: "input_audio_buffer.append", audio: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("base64") });
    }
    if (pcm24.byteLength / 48 - boundaryMs >= 100 || open !== undefined) {
      commitPending = true;
      rt.send({ type: "input_audio_buffer.commit", event_id: "bench_commit" });
    }
    while (failure === undefined && (commitPending || pending.size > 0)) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    if (failure !== undefined) throw failure;
    return { finals };
  } finally {
    rt.close();
  }
}

/**
 * The Realtime latency the adapter adds: a fixture streamed through each side against a fresh
 * local server per run, timed from the moment the server sent each completed transcript (the
 * server runs in this process, so both ends share one clock) to the moment the application got
 * it. Runs alternate between the sides.
 */
async function measureRealtime(audio: BenchAudio, session: RecordedOpenAISession, runs: number, speed: number, problems: string[]): Promise<Pick<OpenAISamples, "completedToFinalMs" | "completedToCallbackMs">> {
  const resampler = new PcmResampler(audio.format.sampleRate, 24_000);
  const pushed = resampler.push(audio.pcm);
  const tail = resampler.flush();
  const pcm24 = new Uint8Array(pushed.byteLength + tail.byteLength);
  pcm24.set(pushed, 0);
  pcm24.set(tail, pushed.byteLength);
  const toFinal: Record<Side, number[]> = { raw: [], adapter: [] };
  const toCallback: Record<Side, number[]> = { raw: [], adapter: [] };
  const expected = session.turns[0]?.messages.filter(({ event }) => event.type === "conversation.item.input_audio_transcription.completed" && String(event["transcript"]).trim() !== "").length ?? 0;
  for (let index = 0; index <= runs; index++) {
    const order = index % 2 === 0 ? SIDES : [...SIDES].reverse();
    for (const side of order) {
      const sent: number[] = [];
      const onEventSent = (event: OpenAIServerEvent, at: number): void => {
        if (event.type === "conversation.item.input_audio_transcription.completed" && String(event["transcript"]).trim() !== "") sent.push(at);
      };
      const server = (await startOpenAIReplayServer({ session, expectedKey: KEY, onEventSent }))._unsafeUnwrap();
      const dispatcher = new Agent({ connect: { ca: server.ca } });
      try {
        // The raw SDK's listener is both its delivery and its synchronous callback.
        const times: { finals: number[]; callbacks?: number[] } = side === "adapter" ? await adapterStream(server, audio, speed) : await rawStream(server, dispatcher, pcm24, speed);
        const callbacks = times.callbacks ?? times.finals;
        if (sent.length !== expected || times.finals.length !== expected) problems.push(`openai realtime ${side}: ${sent.length} completed sent, ${times.finals.length} finals delivered, ${expected} expected`);
        // The first run of each side is the warm-up.
        if (index === 0) continue;
        sent.forEach((at, final) => {
          if (times.finals[final] !== undefined) toFinal[side].push((times.finals[final] as number) - at);
          if (callbacks[final] !== undefined) toCallback[side].push((callbacks[final] as number) - at);
        });
        if (server.violations.length > 0) problems.push(`openai realtime ${side}: ${server.violations.join("; ")}`);
      } finally {
        await server.close();
        await dispatcher.close();
      }
    }
  }
  return { completedToFinalMs: toFinal, completedToCallbackMs: toCallback };
}

/** The OpenAI adapter against the raw `openai` SDK, both against the local OpenAI server, in one run. */
export async function measureOpenAI(plan: OpenAIPlan, progress: (line: string) => void): Promise<OpenAISamples> {
  const problems: string[] = [];
  const fileAudio = loadBenchAudio(plan.transcribeFixture);
  progress(`  5a: transcribe() of ${plan.transcribeFixture}, ${plan.transcribeRuns} runs per side and model`);
  const transcribeMs = await measureTranscribe(fileAudio, loadOpenAISession(plan.transcribeFixture)._unsafeUnwrap(), plan.transcribeRuns, problems);
  progress(`  5b: Realtime ${plan.realtimeFixture} at ${plan.realtimeSpeed}x, ${plan.realtimeRuns} runs per side`);
  const realtime = await measureRealtime(loadBenchAudio(plan.realtimeFixture), loadOpenAISession(plan.realtimeFixture)._unsafeUnwrap(), plan.realtimeRuns, plan.realtimeSpeed, problems);
  return { transcribeMs, ...realtime, problems };
}
