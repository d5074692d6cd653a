/**
 * The Speech SDK never reports a timeout: it retries a refused upgrade, and may wait forever for
 * a connection or for a service that stopped answering. This watchdog gives each recognizer a
 * deadline for connecting, and, once it has sent audio, for the service's first answer.
 */
export class ConnectWatchdog {
  readonly #limitMs: number;
  readonly #onExpired: (waitingFor: "connection" | "answer") => void;
  #phase: "idle" | "connecting" | "connected" | "answered" = "idle";
  #audioSent = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(limitMs: number, onExpired: (waitingFor: "connection" | "answer") => void) {
    this.#limitMs = limitMs;
    this.#onExpired = onExpired;
  }

  /** A new recognizer starts connecting. */
  connecting(): void {
    this.#phase = "connecting";
    this.#audioSent = false;
    this.#arm("connection");
  }

  /** The connection is open; the service owes an answer once it has audio. */
  connected(): void {
    if (this.#phase !== "connecting") return;
    this.#phase = "connected";
    this.#disarm();
    if (this.#audioSent) this.#arm("answer");
  }

  /** Audio (or its end) went to the recognizer. Before any audio, the service's silence is legitimate. */
  audioSent(): void {
    this.#audioSent = true;
    if (this.#phase === "connected" && this.#timer === undefined) this.#arm("answer");
  }

  /** The service sent something: it is alive. */
  answered(): void {
    this.#phase = "answered";
    this.#disarm();
  }

  /** Stops watching (the recognizer is gone). */
  stop(): void {
    this.#phase = "idle";
    this.#disarm();
  }

  #arm(waitingFor: "connection" | "answer"): void {
    this.#disarm();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#phase = "idle";
      this.#onExpired(waitingFor);
    }, this.#limitMs);
  }

  #disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
