import { readAudioFile, readWav, type AudioSource, type SttError, type WavAudio } from "@sttkit/core";
import { loadAudioSource, PcmConverter } from "@sttkit/core/kit";
import { okAsync, ResultAsync } from "neverthrow";

/** The audio to upload: 16-bit mono PCM, and the WAV bytes when they can be uploaded as they came. */
export interface UploadAudio {
  readonly wav: WavAudio;
  readonly file: Uint8Array | undefined;
}

/**
 * The audio of a batch request, checked. A path is read (or decoded by ffmpeg, any format, see
 * `readAudioFile`) block by block, up to two hours; float or multi-channel
 * audio is converted to 16-bit mono at its rate, the layout the uploads are cut and sent in. WAV
 * bytes already 16-bit mono are kept, so a plain WAV needing no split is uploaded as it is.
 */
export function loadUpload(audio: AudioSource): ResultAsync<UploadAudio, SttError> {
  if (audio instanceof Uint8Array) return readWav(audio).asyncAndThen((wav) => okAsync(toMono16(wav, audio)));
  if (typeof audio === "object" && audio !== null && "path" in audio && typeof audio.path === "string") {
    return new ResultAsync(readAudioFile(audio.path)).map((wav) => toMono16(wav, undefined));
  }
  return loadAudioSource(audio).map((wav) => toMono16(wav, undefined));
}

/** 16-bit mono at the audio's own rate (the uploads are WAV of it); `file` is kept only when nothing changed. */
function toMono16(wav: WavAudio, file: Uint8Array | undefined): UploadAudio {
  if (wav.format.channels === 1 && (wav.format.encoding ?? "s16le") === "s16le") return { wav, file };
  const format = { sampleRate: wav.format.sampleRate, channels: 1, bitsPerSample: 16 } as const;
  const converter = new PcmConverter(wav.format, format);
  return { wav: { format, pcm: converter.push(wav.pcm) }, file: undefined };
}
