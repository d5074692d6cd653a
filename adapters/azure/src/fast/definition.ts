import type { AzureProfanity } from "../config.js";
import type { AzureStreamSettings } from "../stream-settings.js";

/** The api-version of the fast transcription API this adapter speaks (generally available). */
export const FAST_TRANSCRIPTION_API_VERSION = "2024-11-15";

/** The path of the fast transcription operation, on the Speech resource's origin. */
export const FAST_TRANSCRIPTION_PATH = "/speechtotext/transcriptions:transcribe";

/** The service's phrase list takes at most this many phrases. */
const MAX_PHRASES = 500;

/** The `definition` part of a fast transcription request, as the service names its fields. */
export interface FastTranscriptionDefinition {
  readonly locales: readonly string[];
  readonly profanityFilterMode?: "None" | "Masked" | "Removed";
  readonly diarization?: { readonly enabled: true; readonly maxSpeakers?: number };
  readonly phraseList?: { readonly phrases: readonly string[] };
  readonly channels?: readonly number[];
}

const PROFANITY_MODES: Record<AzureProfanity, NonNullable<FastTranscriptionDefinition["profanityFilterMode"]>> = {
  masked: "Masked",
  removed: "Removed",
  raw: "None",
};

/**
 * The `definition` for one file: the candidate locales (several turn on language identification
 * among them, as in real time), the profanity mode, diarization and the phrase list, each only
 * when configured so that the service's defaults otherwise apply; for a stereo file, both
 * channels separately.
 */
export function fastTranscriptionDefinition(settings: AzureStreamSettings, channels: number): FastTranscriptionDefinition {
  const { config } = settings;
  const maxSpeakers = config.fastTranscription.maxSpeakers;
  return {
    locales: [...settings.languages],
    ...(config.profanity ? { profanityFilterMode: PROFANITY_MODES[config.profanity] } : {}),
    ...(config.diarization ? { diarization: { enabled: true, ...(maxSpeakers !== undefined ? { maxSpeakers } : {}) } } : {}),
    ...(settings.phrases.length > 0 ? { phraseList: { phrases: settings.phrases.slice(0, MAX_PHRASES) } } : {}),
    // A stereo file is transcribed channel by channel (the API takes at most two).
    ...(channels === 2 ? { channels: [0, 1] } : {}),
  };
}

/** The URL of the operation on `origin`. */
export function fastTranscriptionUrl(origin: string): string {
  return `${origin}${FAST_TRANSCRIPTION_PATH}?api-version=${FAST_TRANSCRIPTION_API_VERSION}`;
}
