/**
 * What the local Azure protocol server observed of each connection the SDK made: the upgrade
 * request, the turns with their audio format and PCM, how the connection ended. Tests assert on it.
 *
 * @module
 */
/** The audio format the SDK declared in a turn's RIFF header. */
export interface ObservedAudioFormat {
  /** WAVE format tag (1 = PCM). */
  readonly encoding: number;
  /** Sample rate in Hz. */
  readonly sampleRate: number;
  /** Channel count. */
  readonly channels: number;
  /** Bits per sample. */
  readonly bitsPerSample: number;
}

/** One recognition turn the SDK opened on a connection. */
export interface ObservedTurn {
  /** The turn's `X-RequestId`. */
  readonly requestId: string;
  /** The RIFF header's format, once received. */
  format?: ObservedAudioFormat;
  /**
   * PCM received in this turn, in arrival order (the RIFF header excluded): the last
   * `retainAudioMs` of it (see `AzureReplayServerOptions`); it starts {@link pcmDroppedBytes}
   * into the turn.
   */
  readonly pcm: Uint8Array[];
  /** Bytes of PCM received in this turn. */
  pcmBytes: number;
  /** Bytes of this turn's earliest PCM no longer kept in {@link pcm} (0 unless the turn outlasted `retainAudioMs`). */
  pcmDroppedBytes: number;
  /** Whether the SDK sent the empty end-of-audio frame. */
  endOfAudio: boolean;
  /** Where this turn's first audio byte sits on the recording's time line, in ms (non-zero when resumed). */
  startMs: number;
}

/**
 * How a connection's audio continues an earlier connection's: a new recognizer of the same stream
 * (a new `X-ConnectionId`) whose first audio lies inside audio the earlier one received.
 */
export interface ObservedContinuation {
  /** The earlier connection's attempt number. */
  readonly attempt: number;
  /**
   * `"rotated"`: the earlier connection was healthy (no fault of the server's ended or crippled
   * it): the client moved to a fresh recognizer by choice, and this one is recognised afresh from
   * its own audio, as the service would. `"resumed"`: the earlier connection had failed; this one
   * picks up the recorded turn after the last phrase delivered there.
   */
  readonly kind: "rotated" | "resumed";
  /** Where this connection's first audio byte sits on the recording's time line, in ms. */
  readonly atMs: number;
  /**
   * Whether that is the end of a phrase the server delivered on the earlier connection (within
   * one millisecond): a rotation at a final boundary.
   */
  readonly atFinalBoundary: boolean;
}

/** Everything the server saw of one WebSocket connection attempt. */
export interface ObservedConnection {
  /** 0-based attempt number across the server's life. */
  readonly attempt: number;
  /** Request path of the upgrade. */
  readonly path: string;
  /** Query parameters of the upgrade (`language` or `cid`, `format`, `profanity`, ...). */
  readonly query: Readonly<Record<string, string>>;
  /** Upgrade request headers, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  /** The SDK's `X-ConnectionId` (same across its reconnects). */
  readonly connectionId: string | undefined;
  /** The HTTP status the upgrade was refused with, when a fault refused it. */
  refusedWith?: number;
  /** The parsed `speech.config` body. */
  speechConfig?: unknown;
  /** Every parsed `speech.context` body, in order. */
  readonly speechContexts: unknown[];
  /** The turns, in order. */
  readonly turns: ObservedTurn[];
  /** How the socket ended: a close code, or `"dropped"` when the server cut it. */
  closed?: number | "dropped";
  /** Set once a fault the server injected ended or crippled this connection. */
  faulted?: true;
  /** Set when this connection continues an earlier one's audio (see {@link ObservedContinuation}). */
  continues?: ObservedContinuation;
  /** Ends (ms, recording time line) of the phrases the server delivered on this connection, in order. */
  readonly phraseEndsMs: number[];
}
