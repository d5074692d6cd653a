import { describe, expect, it } from "vitest";
import { errorFromCancellation, type AzureCancellationCode } from "./cancellation.js";

describe("errorFromCancellation", () => {
  it.each<[AzureCancellationCode, string, string]>([
    ["AuthenticationFailure", "WebSocket Upgrade failed with an authentication error (401).", "authentication"],
    ["Forbidden", "Forbidden", "forbidden"],
    ["TooManyRequests", "TooManyRequests", "rate-limit"],
    ["BadRequestParameters", "Invalid parameter", "bad-request"],
    ["ServiceError", "Internal service error", "provider"],
    ["ServiceTimeout", "Timeout", "timeout"],
    ["ConnectionFailure", "Connection was closed by the remote host. Error code: 1002", "connection"],
    ["RuntimeError", "TypeError: x is undefined", "provider"],
  ])("maps %s (%s) to %s", (code, details, kind) => {
    const error = errorFromCancellation({ code, details });
    expect(error.kind).toBe(kind);
    expect(error.provider).toBe("azure");
    expect(error.detail).toContain(code);
    expect(error.detail).toContain(details);
  });

  it.each([
    [401, "authentication", false],
    [403, "forbidden", false],
    [429, "rate-limit", true],
    [500, "connection", true],
    [503, "connection", true],
    [400, "bad-request", false],
  ])("derives HTTP %i in a refused upgrade's details as %s", (status, kind, retryable) => {
    const details = `Unable to contact server. StatusCode: 1006, ws://127.0.0.1:1/speech Reason: Unexpected server response: ${status}`;
    const error = errorFromCancellation({ code: "ConnectionFailure", details });
    expect(error.kind).toBe(kind);
    expect(error.retryable).toBe(retryable);
  });

  it("does not mistake the WebSocket status 1006 for an HTTP status", () => {
    const error = errorFromCancellation({ code: "ConnectionFailure", details: "Unable to contact server. StatusCode: 1006, Reason: socket hang up" });
    expect(error.kind).toBe("connection");
  });
});
