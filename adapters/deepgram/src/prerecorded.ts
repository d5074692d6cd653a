import { errAsync, ResultAsync } from "neverthrow";
import { durationMs, encodeWav, type AudioSource, type SpeechEvent, type SttCapabilities, type SttError, type Transcript, type TranscribeOptions } from "@sttkit/core";
import { assembleTranscript, checkTranscribeOptions, loadAudioSource, sttError } from "@sttkit/core/kit";
import { secretOf, type SdkClient } from "./client.js";
import { PROVIDER } from "./constants.js";
import { withoutSecret } from "./error-mapping.js";
import { readPrerecordedResponse } from "./prerecorded-response.js";
import { prerecordedQuery } from "./query.js";
import type { ResolvedDeepgramConfig } from "./resolved-config.js";
import { errorFromRestFailure } from "./rest-errors.js";
import { resolveStreamSettings, type DeepgramStreamSettings } from "./stream-settings.js";

function notify(onEvent: TranscribeOptions["onEvent"], event: SpeechEvent): void {
  try {
    onEvent?.(event);
  } catch {
    // A failing progress callback must not break the transcription.
  }
}

/**
 * Transcribes a whole recording with one request to Deepgram's pre-recorded endpoint: the audio
 * goes as a WAV file (so the service reads its format from the header), and the answer's
 * utterances become the segments. Not a real-time stream: nothing arrives before the whole
 * answer, and `onEvent` then sees each final and the usage, in order.
 */
export function transcribePrerecorded(
  client: SdkClient,
  config: ResolvedDeepgramConfig,
  capabilities: SttCapabilities,
  audio: AudioSource,
  options: unknown,
): ResultAsync<Transcript, SttError> {
  const checked = checkTranscribeOptions(options, PROVIDER);
  if (checked.isErr()) return errAsync(checked.error);
  const { onEvent, signal, chunkMs: _chunkMs, ...streamOptions } = checked.value;
  return loadAudioSource(audio)
    .mapErr((error): SttError => ({ ...error, provider: PROVIDER }))
    .andThen((wav) =>
      resolveStreamSettings(config, capabilities, { ...streamOptions, format: wav.format }).asyncAndThen((settings) =>
        request(client, settings, encodeWav(wav.pcm, wav.format), signal).map((body) => {
          const audioSeconds = durationMs(wav.pcm.byteLength, wav.format) / 1000;
          const reading = readPrerecordedResponse(body, { languages: settings.languages, wordTimings: settings.wordTimings });
          const segments = reading?.segments ?? [];
          for (const segment of segments) notify(onEvent, { type: "final", segment });
          notify(onEvent, { type: "usage", audioSeconds });
          return assembleTranscript(segments, audioSeconds, settings.languages.length === 1 ? settings.languages[0] : undefined);
        }),
      ),
    );
}

function request(client: SdkClient, settings: DeepgramStreamSettings, wav: Uint8Array, signal: AbortSignal | undefined): ResultAsync<unknown, SttError> {
  const { config } = settings;
  if (signal?.aborted) return errAsync(sttError({ kind: "aborted", provider: PROVIDER, message: "The transcription was aborted." }));
  const query = prerecordedQuery(config, settings.languageCode, settings.terms);
  const sent = (async () => {
    const answer = await client.listen.v1.media.transcribeFile(Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength), query as never, {
      ...(signal ? { abortSignal: signal } : {}),
    });
    return answer as unknown;
  })();
  return ResultAsync.fromPromise(sent, (cause) => withoutSecret(errorFromRestFailure(cause, config.requestTimeoutMs, signal?.aborted === true), secretOf(config)));
}
