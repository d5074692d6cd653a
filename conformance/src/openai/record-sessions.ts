/**
 * Records fresh OpenAI sessions from the real service: each fixture through the real `openai`
 * SDK, connected through the recording proxy, on both paths (the batch endpoint with every
 * transcription model, then a Realtime transcription session fed at real time).
 *
 * @module
 */
import { SecretRedactor } from "@sttkit/core/kit";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { paceRealtime, readWavFile, type SttError, type WavAudio } from "@sttkit/core";
import { PcmResampler, sttError } from "@sttkit/core/kit";
import { err, ok, type Result } from "neverthrow";
import OpenAI, { toFile } from "openai";
import { OpenAIRealtimeWS } from "openai/realtime/ws";
import { Agent } from "undici";
import type { ResolvedFixture } from "../manifest/load.js";
import { audioReferenceOf } from "../sessions/load.js";
import { startOpenAIRecordingProxy } from "./recording-proxy.js";
import { SYNTHESIZED_TURN_DETECTION } from "./synthesize-sessions.js";

/** What {@link recordOpenAISessions} records, and from where. */
export interface RecordOpenAISessionsOptions {
  /** The fixtures to run through the service. */
  readonly fixtures: readonly ResolvedFixture[];
  /** Where the session files go (one `<fixture id>.json` each). */
  readonly outDir: string;
  /** The service's base URL. Default `https://api.openai.com/v1` (not `OPENAI_BASE_URL`: recording goes where it is told). */
  readonly upstream?: string;
  /** An extra certificate authority for the upstream (a local stand-in's). */
  readonly upstreamCa?: string;
  /** The API key. Default: `OPENAI_API_KEY`. */
  readonly apiKey?: string;
  /** Environment to read the key from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Playback speed of the Realtime audio: 1 (the default) is real time, so each event is recorded where the service sent it. */
  readonly speed?: number;
  /** The Realtime transcription model. Default `gpt-4o-transcribe`. */
  readonly realtimeModel?: string;
}

/** One fixture's recording. */
export interface RecordedOpenAIFixture {
  /** The fixture id. */
  readonly fixture: string;
  /** The file written. */
  readonly file: string;
  /** Realtime events recorded. */
  readonly events: number;
  /** Completed transcripts with text among them. */
  readonly finals: number;
  /** Batch answers recorded (model and format pairs). */
  readonly answers: number;
}

/** The batch requests each recording makes: every model, whisper-1 with both timestamp granularities. */
const BATCH_REQUESTS = [
  { model: "whisper-1", response_format: "verbose_json", timestamp_granularities: ["word", "segment"] },
  { model: "gpt-4o-transcribe", response_format: "json" },
  { model: "gpt-4o-mini-transcribe", response_format: "json" },
] as const;

/** How long after the last event the Realtime recording may wait for the service to finish, ms. */
const SETTLE_TIMEOUT_MS = 20_000;

/**
 * Runs each fixture through the real service via the recording proxy and writes what it answered
 * as a recorded session (`source.kind: "service"`). Needs the key; without it, an
 * `authentication` error before anything connects. The key is never written.
 */
export async function recordOpenAISessions(options: RecordOpenAISessionsOptions): Promise<Result<RecordedOpenAIFixture[], SttError>> {
  const env = options.env ?? process.env;
  const apiKey = options.apiKey ?? env["OPENAI_API_KEY"]?.trim();
  if (!apiKey) {
    return err(sttError({ kind: "authentication", provider: "openai", message: "Recording needs an OpenAI API key: set OPENAI_API_KEY." }));
  }
  const upstream = options.upstream ?? "https://api.openai.com/v1";
  await mkdir(options.outDir, { recursive: true });
  const recorded: RecordedOpenAIFixture[] = [];
  for (const fixture of options.fixtures) {
    const result = await recordOne(fixture, { ...options, upstream, apiKey });
    if (result.isErr()) return err(result.error);
    recorded.push(result.value);
  }
  return ok(recorded);
}

async function recordOne(fixture: ResolvedFixture, options: RecordOpenAISessionsOptions & { upstream: string; apiKey: string }): Promise<Result<RecordedOpenAIFixture, SttError>> {
  const audio = await readWavFile(fixture.audioPath, { requireMono: true });
  if (audio.isErr()) return err(audio.error);
  const proxy = await startOpenAIRecordingProxy({ upstream: options.upstream, apiKey: options.apiKey, ...(options.upstreamCa !== undefined ? { upstreamCa: options.upstreamCa } : {}) });
  if (proxy.isErr()) return err(proxy.error);
  const dispatcher = new Agent({ connect: { ca: proxy.value.ca } });
  try {
    const client = new OpenAI({ apiKey: options.apiKey, baseURL: proxy.value.baseURL, organization: null, project: null, webhookSecret: null, maxRetries: 0, logLevel: "off", fetchOptions: { dispatcher } });
    const language = fixture.language.split("-")[0] ?? "en";
    const file = await toFile(await readFile(fixture.audioPath), `${fixture.id}.wav`, { type: "audio/wav" });
    for (const request of BATCH_REQUESTS) {
      try {
        await client.audio.transcriptions.create({ file, ...request, language } as never);
      } catch (cause) {
        return err(failure(`The batch request with ${request.model} failed`, cause, options.apiKey));
      }
    }
    const realtime = await recordRealtime(client, proxy.value.ca, audio.value, language, options.realtimeModel ?? "gpt-4o-transcribe", options.speed ?? 1, options.apiKey);
    if (realtime) return err(realtime);
    const session = proxy.value.session(fixture.id, audioReferenceOf(fixture), `Recorded from ${new URL(options.upstream).host} with openai 6.49.0 through the sttkit recording proxy.`);
    if (!session) return err(sttError({ kind: "provider", provider: "openai", message: `The service sent nothing for fixture ${fixture.id}.` }));
    const path = join(options.outDir, `${fixture.id}.json`);
    await writeFile(path, `${JSON.stringify(session, null, 1)}\n`);
    const events = session.turns[0]?.messages ?? [];
    const finals = events.filter(({ event }) => event.type === "conversation.item.input_audio_transcription.completed" && typeof event["transcript"] === "string" && event["transcript"].trim() !== "").length;
    const answers = Object.values((session.batch?.body ?? {}) as Record<string, object>).reduce((sum, formats) => sum + Object.keys(formats).length, 0);
    return ok({ fixture: fixture.id, file: path, events: events.length, finals, answers });
  } finally {
    await proxy.value.close();
    await dispatcher.close();
  }
}

function failure(what: string, cause: unknown, apiKey: string): SttError {
  const text = new SecretRedactor([apiKey]).text(cause instanceof Error ? cause.message : String(cause));
  return sttError({ kind: "connection", provider: "openai", message: `${what}.`, detail: text });
}

/**
 * One Realtime transcription session: the session update the adapter sends (server VAD with the
 * API's defaults), the audio paced and resampled to 24 kHz, and the adapter's own closing commit
 * (only with at least 100 ms uncommitted, or speech open), then waits until every committed item
 * has its transcript. Resolves with the failure, if any.
 */
async function recordRealtime(client: OpenAI, ca: string, audio: WavAudio, language: string, model: string, speed: number, apiKey: string): Promise<SttError | undefined> {
  const rt = new OpenAIRealtimeWS({ model, options: { ca } }, client);
  const resampler = new PcmResampler(audio.format.sampleRate, 24_000);
  let failed: SttError | undefined;
  let boundaryMs = 0;
  let open: string | undefined;
  const stopped = new Set<string>();
  const pending = new Set<string>();
  /** The closing commit awaits its answer: an item committed without a VAD stop, or commit_empty. */
  let commitPending = false;
  let wake: (() => void) | undefined;
  rt.on("error", (error) => {
    if (error.error?.code === "input_audio_buffer_commit_empty" && commitPending) commitPending = false;
    else failed ??= failure("The Realtime session failed", error, apiKey);
    wake?.();
  });
  rt.on("event", (event) => {
    const fields = event as unknown as Record<string, unknown>;
    const item = typeof fields["item_id"] === "string" ? (fields["item_id"] as string) : "";
    if (event.type === "input_audio_buffer.speech_started") {
      open = item;
      pending.add(item);
    }
    if (event.type === "input_audio_buffer.speech_stopped") {
      stopped.add(item);
      if (open === item) open = undefined;
      if (typeof fields["audio_end_ms"] === "number") boundaryMs = fields["audio_end_ms"] as number;
    }
    if (event.type === "input_audio_buffer.committed") {
      pending.add(item);
      if (!stopped.has(item) && commitPending) {
        commitPending = false;
        // A commit during speech may give the speech a new item: the old one is never transcribed.
        if (open !== undefined && open !== item) pending.delete(open);
        open = undefined;
      }
    }
    if (event.type === "conversation.item.input_audio_transcription.completed" || event.type === "conversation.item.input_audio_transcription.failed") pending.delete(item);
    wake?.();
  });
  const opened = await new Promise<boolean>((resolve) => {
    rt.socket.once("open", () => resolve(true));
    rt.socket.once("close", () => resolve(false));
  });
  try {
    if (!opened) return failed ?? sttError({ kind: "connection", provider: "openai", message: "The Realtime connection did not open." });
    const vad = SYNTHESIZED_TURN_DETECTION;
    rt.send({
      type: "session.update",
      session: {
        type: "transcription",
        audio: {
          input: {
            format: { type: "audio/pcm", rate: 24_000 },
            transcription: { model, language },
            turn_detection: { type: "server_vad", threshold: vad.threshold, prefix_padding_ms: vad.prefixPaddingMs, silence_duration_ms: vad.silenceDurationMs },
          },
        },
      },
    });
    const append = (pcm: Uint8Array): void => {
      if (pcm.byteLength > 0) rt.send({ type: "input_audio_buffer.append", audio: Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString("base64") });
    };
    for await (const chunk of paceRealtime(audio.pcm, audio.format, { chunkMs: 100, speed })) {
      if (failed) return failed;
      append(resampler.push(chunk));
    }
    append(resampler.flush());
    const sentMs = resampler.outputSamples / 24;
    // The adapter's own rule: the service refuses a commit of less than 100 ms.
    if (sentMs - boundaryMs >= 100 || open !== undefined) {
      commitPending = true;
      rt.send({ type: "input_audio_buffer.commit", event_id: "sttkit_final_commit" });
    }
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    while (!failed && (commitPending || pending.size > 0)) {
      if (Date.now() > deadline) return sttError({ kind: "timeout", provider: "openai", timeoutMs: SETTLE_TIMEOUT_MS, message: "The service did not finish the transcripts in time." });
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 250);
      });
    }
    return failed;
  } finally {
    rt.close();
  }
}
