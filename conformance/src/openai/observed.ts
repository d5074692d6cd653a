/**
 * What the local OpenAI server saw the client do, for tests to inspect.
 *
 * @module
 */
import type { AudioFormat } from "@sttkit/core";

/** One request to the batch endpoint. */
export interface ObservedUpload {
  /** 0-based number of the request. */
  readonly request: number;
  /** The request path (`/v1/audio/transcriptions`). */
  readonly path: string;
  /** Whether the bearer token was the expected key (the token itself is never kept). */
  authorized: boolean;
  /** The form fields other than the file, in the order sent (a repeated field such as `timestamp_granularities[]` once per value). */
  readonly fields: Array<[string, string]>;
  /** The uploaded file, when there was one. */
  file?: { readonly name: string; readonly contentType: string; readonly bytes: number; readonly format?: AudioFormat; readonly durationMs?: number };
  /** Where the upload's audio starts in the fixture's audio (cyclically, for repeated audio), in ms, when it was found. */
  fixtureOffsetMs?: number;
  /** The status answered (0 when the connection was dropped). */
  status?: number;
}

/** One Realtime connection attempt. */
export interface ObservedRealtimeConnection {
  /** 0-based number of the attempt. */
  readonly attempt: number;
  /** The upgrade path (`/v1/realtime`). */
  readonly path: string;
  /** The upgrade query (`model`). */
  readonly query: Readonly<Record<string, string>>;
  /** Whether the bearer token was the expected key. */
  readonly authorized: boolean;
  /** The status the upgrade was refused with, if it was. */
  refusedWith?: number;
  /** Every `session.update` the client sent, as sent. */
  readonly sessionUpdates: unknown[];
  /** PCM bytes received in `input_audio_buffer.append` events. */
  audioBytes: number;
  /** `input_audio_buffer.append` events received. */
  appends: number;
  /** `input_audio_buffer.commit` events received. */
  commits: number;
  /** The received PCM (24 kHz), kept when the server was asked to keep it. */
  readonly pcm: Uint8Array[];
  /** How the connection ended: the close code, or "dropped" by a fault. */
  closed?: number | "dropped";
}
