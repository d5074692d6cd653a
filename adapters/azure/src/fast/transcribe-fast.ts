import { err, errAsync, ok, ResultAsync, type Result } from "neverthrow";
import type { AudioSource, SpeechEvent, SttCapabilities, SttError, Transcript, TranscribeOptions, TranscribeRoute } from "@sttkit/core";
import { assembleTranscript, checkTranscribeOptions, recordTranscribeSpeed, sttError } from "@sttkit/core/kit";
import { PROVIDER } from "../constants.js";
import type { ResolvedAzureConfig } from "../resolved-config.js";
import { resolveStreamSettings, type AzureStreamSettings } from "../stream-settings.js";
import { openUploadAudio, type UploadAudio } from "./audio-upload.js";
import { fastTranscriptionDefinition, fastTranscriptionUrl } from "./definition.js";
import { postFastTranscription, type FastFailure } from "./request.js";
import { readFastTranscription } from "./response.js";

/** Transcribes through a real-time stream, for files the fast API does not take. */
export type RealtimeTranscribe = (audio: AudioSource, options: TranscribeOptions | undefined) => ResultAsync<Transcript, SttError>;

function notify(onEvent: TranscribeOptions["onEvent"], event: SpeechEvent): void {
  try {
    onEvent?.(event);
  } catch {
    // A failing progress callback must not break the transcription.
  }
}

/** Why a file goes through a real-time stream instead, or `undefined` when the fast API takes it. */
function overLimit(audio: UploadAudio, config: ResolvedAzureConfig): string | undefined {
  const { maxUploadBytes, maxAudioSeconds } = config.fastTranscription;
  if (audio.wavBytes !== undefined && audio.wavBytes > maxUploadBytes) {
    return `the file (${audio.wavBytes} bytes) is larger than the fast transcription API takes (azure.fastTranscription.maxUploadBytes, ${maxUploadBytes})`;
  }
  if (audio.durationMs !== undefined && audio.durationMs > maxAudioSeconds * 1000) {
    return `the audio (${Math.round(audio.durationMs / 1000)} s) is longer than the fast transcription API takes (azure.fastTranscription.maxAudioSeconds, ${maxAudioSeconds})`;
  }
  return undefined;
}

/** Through a stream, saying so in the transcript. */
export function transcribeRealtime(realtime: RealtimeTranscribe, audio: AudioSource, options: TranscribeOptions | undefined, reason: string): ResultAsync<Transcript, SttError> {
  const route: TranscribeRoute = { method: "stream", reason };
  return realtime(audio, options).map((transcript) => ({ ...transcript, route }));
}

function transcriptOf(body: unknown, settings: AzureStreamSettings, audio: UploadAudio, started: number, onEvent: TranscribeOptions["onEvent"]): Result<Transcript, SttError> {
  const language = settings.languages.length === 1 ? settings.languages[0] : undefined;
  const reading = readFastTranscription(body, { fallbackLanguage: language, wordTimings: settings.wordTimings });
  if (!reading) return err(sttError({ kind: "provider", provider: PROVIDER, message: "The fast transcription API answered without phrases." }));
  const audioMs = audio.durationMs ?? reading.durationMs ?? 0;
  for (const segment of reading.segments) notify(onEvent, { type: "final", segment });
  notify(onEvent, { type: "usage", audioSeconds: audioMs / 1000 });
  const wallSeconds = (performance.now() - started) / 1000;
  const audioSecondsPerWallSecond = wallSeconds > 0 ? Math.round((audioMs / 1000 / wallSeconds) * 100) / 100 : undefined;
  if (audioSecondsPerWallSecond !== undefined) recordTranscribeSpeed(audioSecondsPerWallSecond, { provider: PROVIDER, ...(language ? { language } : {}) });
  const transcript = assembleTranscript(reading.segments, audioMs / 1000, language);
  return ok({
    ...transcript,
    metrics: {
      reconnects: 0,
      replayedAudioMs: 0,
      audioSentMs: audioMs,
      audioProcessedMs: reading.durationMs ?? audioMs,
      ...(audioSecondsPerWallSecond !== undefined ? { audioSecondsPerWallSecond } : {}),
    },
    route: { method: "file" },
  });
}

/**
 * `transcribe()` through Azure's fast transcription API: the options are checked as a stream's
 * would be (languages, phrases, word timings, the audio's format against the capabilities), the
 * file is posted in one streamed multipart request, and the phrases come back as the transcript's
 * segments (`onEvent` then sees each final and the usage, in order). A file beyond the API's
 * limits goes through `realtime` instead, the reason in the transcript's `route`.
 */
export function transcribeFast(
  config: ResolvedAzureConfig & { readonly transcribe: { readonly method: "fast"; readonly origin: string } },
  capabilities: SttCapabilities,
  realtime: RealtimeTranscribe,
  audio: AudioSource,
  options: TranscribeOptions | undefined,
): ResultAsync<Transcript, SttError> {
  const checked = checkTranscribeOptions(options ?? {}, PROVIDER);
  if (checked.isErr()) return errAsync(checked.error);
  const { onEvent, signal, chunkMs: _chunkMs, ...streamOptions } = checked.value;
  if (signal?.aborted) return errAsync(sttError({ kind: "aborted", provider: PROVIDER, message: "The transcription was aborted." }));
  return openUploadAudio(audio).andThen((upload) => {
    // Checked as a stream's options; a stereo file is checked as its mono channels are, since the
    // API transcribes each channel (real-time recognition takes mono only).
    const stereo = upload.format.channels === 2;
    const settings = resolveStreamSettings(config, capabilities, { ...streamOptions, format: stereo ? { ...upload.format, channels: 1 } : upload.format });
    if (settings.isErr()) return new ResultAsync(upload.close().then(() => err(settings.error)));
    const reason = overLimit(upload, config);
    if (reason !== undefined) return new ResultAsync(upload.close().then(() => ok(reason))).andThen(() => transcribeRealtime(realtime, audio, options, reason));
    const started = performance.now();
    const origin = config.transcribe.origin;
    const sent = postFastTranscription({
      url: fastTranscriptionUrl(origin),
      credentials: config.credentials,
      definition: fastTranscriptionDefinition(settings.value, upload.format.channels),
      audio: upload,
      signal,
      idleTimeoutMs: config.fastTranscription.responseTimeoutMs,
    }).finally(() => upload.close());
    return new ResultAsync(sent).andThen(
      (body) => transcriptOf(body, settings.value, upload, started, onEvent),
    ).orElse((failure: FastFailure | SttError) => {
      if ("kind" in failure) return errAsync(failure);
      // No such operation there (a Speech container serves only real-time recognition): the
      // file goes through a stream instead, and the transcript says why.
      if (failure.status === 404) return transcribeRealtime(realtime, audio, options, `${origin} has no fast transcription API (HTTP 404); Speech containers serve only real-time recognition`);
      // As a failed stream does: the service processed nothing it will bill for.
      notify(onEvent, { type: "usage", audioSeconds: 0 });
      return errAsync(failure.error);
    });
  });
}
