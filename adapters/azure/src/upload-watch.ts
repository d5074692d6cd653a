/** What one audio message the Speech SDK put on its WebSocket was. */
export type SentAudio = "header" | "audio" | "end";

/**
 * Follows what one recognizer's Speech SDK sends, to tell when audio it was given will never
 * reach the service. The SDK uploads audio in one loop that ends with the end-of-audio frame.
 * After a dropped socket it reconnects and, while that loop runs, replays the audio since the
 * last phrase; once the loop has sent the end of the audio, a reconnect sends only
 * `speech.config`, `speech.context` and a RIFF header, and the service waits for audio that never
 * comes. That is a lost upload:
 * - the socket closes after the end-of-audio frame went out, before the session stopped; or
 * - the end-of-audio frame went out while no socket was open (the SDK sent it on the dead one); or
 * - it went out right after a reconnect with no audio replayed before it (likewise).
 * The last rule can also match a reconnect whose replay was genuinely empty; recovering then
 * costs a reconnect and loses nothing.
 */
export class UploadWatch {
  #linkUp = false;
  #connections = 0;
  #audioBytesSinceConnect = 0;
  #headerDue = false;
  #endSent = false;
  #settled = false;

  /** A WebSocket opened. */
  connected(): void {
    this.#linkUp = true;
    this.#connections += 1;
    this.#audioBytesSinceConnect = 0;
  }

  /** The WebSocket closed. Returns `true` when this loses the upload (reported once). */
  disconnected(): boolean {
    this.#linkUp = false;
    return this.#endSent && this.#report();
  }

  /** The SDK sent `speech.context`: a turn starts, and its first audio message is the RIFF header. */
  contextSent(): void {
    this.#headerDue = true;
  }

  /**
   * The SDK sent an audio message of `byteLength` bytes (0 for the end-of-audio frame). Returns
   * what it was, and whether it loses the upload (reported once).
   */
  audioSent(byteLength: number): { readonly sent: SentAudio; readonly lost: boolean } {
    if (byteLength > 0 && this.#headerDue) {
      this.#headerDue = false;
      return { sent: "header", lost: false };
    }
    if (byteLength > 0) {
      this.#audioBytesSinceConnect += byteLength;
      return { sent: "audio", lost: false };
    }
    this.#endSent = true;
    const onDeadSocket = !this.#linkUp || (this.#connections > 1 && this.#audioBytesSinceConnect === 0);
    return { sent: "end", lost: onDeadSocket && this.#report() };
  }

  /** The session stopped normally: nothing after this is a loss. */
  sessionStopped(): void {
    this.#settled = true;
  }

  #report(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    return true;
  }
}
