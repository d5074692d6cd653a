import { REDACTED, redactSecrets } from "../errors.js";

/**
 * Removes an adapter's own secrets (its API key, token, proxy password) from text meant for errors
 * and logs, by value, and then whatever {@link redactSecrets} finds by shape. A service or gateway
 * that echoes the key (in an error body, a refused upgrade's text) would otherwise put it into
 * `err.message` verbatim, and from there into every log line; a key in a plain sentence has no
 * shape to find. Secrets shorter than 4 characters are not searched for (they would match
 * ordinary text and prove nothing).
 *
 * @category Error mapping
 */
export class SecretRedactor {
  readonly #secrets: readonly string[];

  /** @param secrets - The values never to show; `undefined` entries (an unset credential) are skipped. */
  constructor(secrets: readonly (string | undefined)[]) {
    this.#secrets = secrets.filter((secret): secret is string => typeof secret === "string" && secret.length >= 4).sort((a, b) => b.length - a.length);
  }

  /** `text` with every secret replaced by {@link REDACTED}, then {@link redactSecrets} applied. */
  text(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join(REDACTED);
    return redactSecrets(out);
  }

  /**
   * A cause safe to keep on an error: a plain `Error` with the original's name and redacted
   * message (and HTTP status, when it had one), without the original's response headers, body or
   * nested causes, any of which may hold the key.
   */
  cause(cause: unknown): Error {
    const source = cause instanceof Error ? cause : undefined;
    const safe = new Error(this.text(source ? source.message : String(cause)));
    safe.name = source?.name ?? "Error";
    const status = (cause as { status?: unknown } | null)?.status;
    if (typeof status === "number") Object.assign(safe, { status });
    return safe;
  }
}
