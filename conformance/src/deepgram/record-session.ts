import { encodeWav, paceRealtime, readWavFile, type SttError } from "@sttkit/core";
import { sttError } from "@sttkit/core/kit";
import { err, ok, type Result } from "neverthrow";
import { WebSocket } from "ws";
import type { AudioFixture } from "../manifest/manifest-format.js";
import type { ResolvedFixture } from "../manifest/load.js";
import { RECORDED_SESSION_FORMAT } from "../sessions/envelope.js";
import { audioReferenceOf } from "../sessions/load.js";
import type { RecordedDeepgramMessage, RecordedDeepgramSession } from "./session-format.js";

/** How one fixture is recorded from the service. */
export interface RecordDeepgramOptions {
  /** The service: `https://api.deepgram.com` or a self-hosted Deepgram. The recorder talks to nothing else. */
  readonly upstream: string;
  /** The API key, sent as `Authorization: Token`; never written anywhere. */
  readonly apiKey: string;
  /** Playback speed: 1 (default) is real time, so each message is recorded where the service really sent it. */
  readonly speed?: number;
  /** The model. Default `nova-3`. */
  readonly model?: string;
}

/** The most messages kept from one connection, and the largest message accepted. */
const MAX_MESSAGES = 100_000;
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** How long the service may take to finish after the audio, in ms. */
const FINISH_LIMIT_MS = 30_000;

function failure(kind: "connection" | "provider" | "invalid-argument", message: string): SttError {
  return kind === "invalid-argument"
    ? sttError({ kind, argument: "upstream", provider: "deepgram", message })
    : sttError({ kind, provider: "deepgram", message });
}

/** The text with the key cut out, for anything that leaves the recorder (files, errors). */
function scrub(text: string, key: string): string {
  return key.length > 0 ? text.split(key).join("[redacted]") : text;
}

/**
 * The listen query the recordings are made with, and the synthesized sessions stand for: what the
 * local server's sessions answer.
 */
export function recordingQuery(fixture: AudioFixture, model = "nova-3"): Record<string, string> {
  return {
    model,
    language: fixture.language,
    encoding: "linear16",
    sample_rate: String(fixture.sampleRate),
    channels: "1",
    interim_results: "true",
    vad_events: "true",
    utterance_end_ms: "1000",
    punctuate: "true",
    smart_format: "false",
  };
}

/** Checks the upstream is a plain http(s) or ws(s) origin, without credentials or a query. */
export function checkUpstream(upstream: string): Result<URL, SttError> {
  let url: URL;
  try {
    url = new URL(upstream);
  } catch {
    return err(failure("invalid-argument", `The upstream ${upstream} is not a URL.`));
  }
  if (!["http:", "https:", "ws:", "wss:"].includes(url.protocol) || url.username || url.password || url.search) {
    return err(failure("invalid-argument", "The upstream must be an http(s):// or ws(s):// origin without credentials or query."));
  }
  return ok(url);
}

/**
 * Records one fixture from Deepgram: streams its audio over the listen WebSocket, paced, and
 * keeps every message with the audio sent before it; sends `Finalize` and `CloseStream` at the
 * end and keeps what follows as `afterEndOfAudio`; then posts the WAV to the pre-recorded
 * endpoint (`utterances=true`) for the `batch` answer. The key goes only to `upstream`, in the
 * `Authorization` header, and is cut out of everything written.
 */
export async function recordDeepgramSession(fixture: ResolvedFixture, options: RecordDeepgramOptions): Promise<Result<RecordedDeepgramSession, SttError>> {
  const upstream = checkUpstream(options.upstream);
  if (upstream.isErr()) return err(upstream.error);
  const wav = await readWavFile(fixture.audioPath, { requireMono: true });
  if (wav.isErr()) return err(wav.error);
  const model = options.model ?? "nova-3";
  const query = recordingQuery(fixture, model);
  const base = upstream.value;
  const listen = new URL("/v1/listen", base);
  listen.protocol = base.protocol === "https:" || base.protocol === "wss:" ? "wss:" : "ws:";
  for (const [key, value] of Object.entries(query)) listen.searchParams.set(key, value);
  const messages: RecordedDeepgramMessage[] = [];
  const socket = new WebSocket(listen, { headers: { Authorization: `Token ${options.apiKey}` }, maxPayload: MAX_MESSAGE_BYTES });
  let sentMs = 0;
  let ended = false;
  const closed = new Promise<Result<void, SttError>>((resolve) => {
    socket.on("unexpected-response", (_request, response) => {
      resolve(err(failure("connection", `Deepgram refused the connection: HTTP ${response.statusCode ?? "?"}.`)));
      response.resume();
      socket.terminate();
    });
    socket.on("error", (cause) => resolve(err(failure("connection", scrub(`Cannot record from Deepgram: ${cause.message}`, options.apiKey)))));
    socket.on("message", (data, isBinary) => {
      if (isBinary || messages.length >= MAX_MESSAGES) return;
      try {
        const parsed = JSON.parse(data.toString("utf8")) as { type?: unknown };
        if (typeof parsed.type === "string") messages.push({ ...(parsed as { type: string }), atAudioMs: Math.round(sentMs), ...(ended ? { afterEndOfAudio: true } : {}) });
      } catch {
        // Not JSON: nothing the replay could send back.
      }
    });
    socket.on("close", (code, reason) =>
      resolve(code === 1000 ? ok(undefined) : err(failure("provider", scrub(`Deepgram closed the stream with ${code} ${reason.toString()}`, options.apiKey)))),
    );
  });
  const opened = await Promise.race([new Promise<boolean>((resolve) => socket.once("open", () => resolve(true))), closed.then(() => false)]);
  if (opened) {
    for await (const chunk of paceRealtime(wav.value.pcm, wav.value.format, { chunkMs: 100, speed: options.speed ?? 1 })) {
      if (socket.readyState !== WebSocket.OPEN) break;
      socket.send(chunk);
      sentMs += (chunk.byteLength / (wav.value.format.sampleRate * 2)) * 1000;
    }
    ended = true;
    if (socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "Finalize" }));
      socket.send(JSON.stringify({ type: "CloseStream" }));
    }
  }
  const limit = setTimeout(() => socket.terminate(), FINISH_LIMIT_MS);
  const outcome = await closed;
  clearTimeout(limit);
  if (outcome.isErr()) return err(outcome.error);
  const batch = await recordBatch(base, fixture, model, options.apiKey, wav.value);
  if (batch.isErr()) return err(batch.error);
  const session: RecordedDeepgramSession = {
    format: RECORDED_SESSION_FORMAT,
    provider: "deepgram",
    fixture: fixture.id,
    audio: audioReferenceOf(fixture),
    source: { kind: "service", description: `Recorded from Deepgram (${base.host}) by record-deepgram, ${model}, audio at ${options.speed ?? 1}x real time.`, recordedAt: new Date().toISOString() },
    request: { query },
    turns: [{ messages }],
    batch: batch.value,
  };
  return ok(JSON.parse(scrub(JSON.stringify(session), options.apiKey)) as RecordedDeepgramSession);
}

async function recordBatch(
  base: URL,
  fixture: ResolvedFixture,
  model: string,
  apiKey: string,
  wav: { pcm: Uint8Array; format: Parameters<typeof encodeWav>[1] },
): Promise<Result<{ status: number; body: unknown }, SttError>> {
  const url = new URL("/v1/listen", base);
  url.protocol = base.protocol === "wss:" || base.protocol === "https:" ? "https:" : "http:";
  for (const [key, value] of Object.entries({ model, language: fixture.language, punctuate: "true", smart_format: "false", utterances: "true" })) url.searchParams.set(key, value);
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { Authorization: `Token ${apiKey}`, "Content-Type": "application/octet-stream" },
      body: encodeWav(wav.pcm, wav.format),
      signal: AbortSignal.timeout(120_000),
    });
    const text = await response.text();
    if (text.length > MAX_MESSAGE_BYTES) return err(failure("provider", "The pre-recorded answer is too large to keep."));
    return ok({ status: response.status, body: JSON.parse(text) as unknown });
  } catch (cause) {
    return err(failure("connection", scrub(`Cannot record the pre-recorded answer: ${cause instanceof Error ? cause.message : String(cause)}`, apiKey)));
  }
}
