import type { SpeechToText, TranscriptSegment } from "@sttkit/core";

/**
 * Application code: it knows the provider-neutral interface and nothing else. Which vendor
 * answers is decided by whoever built the container (see main.ts), never here.
 */
export async function transcribeMeeting(stt: SpeechToText, file: string): Promise<{ provider: string; segments: readonly TranscriptSegment[] }> {
  const transcript = await stt.transcribe({ path: file });
  if (transcript.isErr()) throw new Error(`${transcript.error.kind}: ${transcript.error.message}`);
  return { provider: stt.provider, segments: transcript.value.segments };
}
