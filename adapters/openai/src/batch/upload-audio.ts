import { bytesPerSecond, openAudioFile, readWav, type AudioSource, type SttError, type WavAudio } from "@sttkit/core";
import { loadAudioSource, PcmConverter, sttError } from "@sttkit/core/kit";
import { err, ok, okAsync, ResultAsync, type Result } from "neverthrow";

/**
 * The most audio `transcribe()` holds for the batch endpoint, whose pieces are cut from it in
 * memory: two hours (230 MB of 16 kHz mono as ffmpeg decodes it). A longer file is an
 * `invalid-audio` error once that much is read, so memory stays bounded whatever the file.
 */
export const MAX_BATCH_AUDIO_SECONDS = 2 * 3600;

/** The audio to upload: 16-bit mono PCM, and the WAV bytes when they can be uploaded as they came. */
export interface UploadAudio {
  readonly wav: WavAudio;
  readonly file: Uint8Array | undefined;
}

/**
 * The audio of a batch request, checked. A path is read (or decoded by ffmpeg, any format, see
 * `openAudioFile`) block by block, up to {@link MAX_BATCH_AUDIO_SECONDS}; float or multi-channel
 * audio is converted to 16-bit mono at its rate, the layout the uploads are cut and sent in. WAV
 * bytes already 16-bit mono are kept, so a plain WAV needing no split is uploaded as it is.
 */
export function loadUpload(audio: AudioSource): ResultAsync<UploadAudio, SttError> {
  if (audio instanceof Uint8Array) return readWav(audio).asyncAndThen((wav) => okAsync(toMono16(wav, audio)));
  if (typeof audio === "object" && audio !== null && "path" in audio && typeof audio.path === "string") {
    return new ResultAsync(readWhole(audio.path)).map((wav) => toMono16(wav, undefined));
  }
  return loadAudioSource(audio).map((wav) => toMono16(wav, undefined));
}

async function readWhole(path: string): Promise<Result<WavAudio, SttError>> {
  const opened = await openAudioFile(path);
  if (opened.isErr()) return err(opened.error);
  const file = opened.value;
  const blocks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const block of file.pcm) {
      total += block.byteLength;
      if (total > MAX_BATCH_AUDIO_SECONDS * bytesPerSecond(file.format)) {
        return err(sttError({ kind: "invalid-audio", reason: "unreadable-file", message: `${path} is longer than the two hours of audio transcribe() takes through the batch endpoint: split it, or use stream().` }));
      }
      blocks.push(block.slice());
    }
  } finally {
    await file.close();
  }
  const failure = file.failure();
  if (failure) return err(failure);
  if (total === 0) return err(sttError({ kind: "invalid-audio", reason: "empty", message: `${path} holds no audio samples.` }));
  const pcm = new Uint8Array(total);
  let at = 0;
  for (const block of blocks) {
    pcm.set(block, at);
    at += block.byteLength;
  }
  return ok({ format: file.format, pcm });
}

/** 16-bit mono at the audio's own rate (the uploads are WAV of it); `file` is kept only when nothing changed. */
function toMono16(wav: WavAudio, file: Uint8Array | undefined): UploadAudio {
  if (wav.format.channels === 1 && (wav.format.encoding ?? "s16le") === "s16le") return { wav, file };
  const format = { sampleRate: wav.format.sampleRate, channels: 1, bitsPerSample: 16 } as const;
  const converter = new PcmConverter(wav.format, format);
  return { wav: { format, pcm: converter.push(wav.pcm) }, file: undefined };
}
