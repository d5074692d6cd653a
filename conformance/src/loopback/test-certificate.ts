import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { err, errAsync, ok, ResultAsync, type Result } from "neverthrow";
import type { SttError } from "@sttkit/core";
import { describeCause, sttError } from "@sttkit/core/kit";

const run = promisify(execFile);

/** A key and a self-signed certificate for `127.0.0.1`, PEM encoded, made for one test run. */
export interface TestCertificate {
  /** The private key (PEM). Stays in memory; the files it was written to are gone. */
  readonly key: string;
  /**
   * The certificate (PEM): the server presents it, and a client trusts it per connection by
   * passing it as its certificate authority (`ca`), never by turning verification off.
   */
  readonly cert: string;
}

/** How long a test certificate is valid: a test run is far shorter. */
const VALID_DAYS = 2;
/** What an `openssl` run may take at most on a loaded machine before it counts as failed. */
const OPENSSL_TIMEOUT_MS = 60_000;

let shared: Promise<Result<TestCertificate, SttError>> | undefined;

/**
 * Generates, with Debian's `openssl` (run with an argument list, no shell), a P-256 key and a
 * self-signed certificate for `IP:127.0.0.1` into a fresh temporary folder, reads them, and
 * removes the folder again. One certificate per process (the first call generates it, later
 * calls get the same): a TLS test double needs one for the whole run, and a key per server would
 * only cost time. `engine-unavailable` when `openssl` is missing or fails.
 */
export function createTestCertificate(): ResultAsync<TestCertificate, SttError> {
  const pending = (shared ??= generate());
  return new ResultAsync(pending).orElse((error) => {
    shared = undefined; // a failure (openssl missing) is not cached: a later call may succeed
    return errAsync(error);
  });
}

async function generate(): Promise<Result<TestCertificate, SttError>> {
  let folder: string | undefined;
  try {
    folder = await mkdtemp(join(tmpdir(), "sttkit-test-cert-"));
    const keyFile = join(folder, "key.pem");
    const certFile = join(folder, "cert.pem");
    await run(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        keyFile,
        "-out",
        certFile,
        "-days",
        String(VALID_DAYS),
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
      ],
      { timeout: OPENSSL_TIMEOUT_MS },
    );
    const [key, cert] = await Promise.all([readFile(keyFile, "utf8"), readFile(certFile, "utf8")]);
    return ok({ key, cert });
  } catch (cause) {
    return err(
      sttError({
        kind: "engine-unavailable",
        message: `Cannot make a test certificate with openssl (apt-get install openssl): ${describeCause(cause)}`,
        install: ["openssl"],
        cause,
      }),
    );
  } finally {
    if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  }
}
