import { describe, expect, it } from "vitest";
import { errorFromHttpStatus, httpStatusInText } from "./error-mapping.js";
import { formatSttError, isSttError, sttError } from "../errors.js";

describe("errorFromHttpStatus", () => {
  it.each([
    [401, "authentication", false],
    [403, "forbidden", false],
    [429, "rate-limit", true],
    [400, "bad-request", false],
    [404, "bad-request", false],
    [408, "timeout", true],
    [500, "connection", true],
    [503, "connection", true],
    [302, "provider", true],
  ])("maps HTTP %i to %s (retryable %s)", (status, kind, retryable) => {
    const error = errorFromHttpStatus(status, { provider: "p", detail: "raw" });
    expect(error).toMatchObject({ kind, retryable, provider: "p", detail: "raw" });
    expect(error.message).toContain(String(status));
  });
});

describe("httpStatusInText", () => {
  it.each([
    ["Unexpected server response: 401", 401],
    ["Error during WebSocket handshake: Unexpected server response: 429", 429],
    ["HTTP 503 Service Unavailable", 503],
    ["HTTP/1.1 403 Forbidden", 403],
    ["status code 500", 500],
    ["Connection closed with code 1006", undefined],
    ["", undefined],
  ])("finds the status in %j", (text, status) => {
    expect(httpStatusInText(text)).toBe(status);
  });
});

describe("sttError", () => {
  it("defaults retryable by kind and can be overridden", () => {
    expect(sttError({ kind: "connection", message: "m" }).retryable).toBe(true);
    expect(sttError({ kind: "authentication", message: "m" }).retryable).toBe(false);
    expect(sttError({ kind: "provider", message: "m", retryable: false }).retryable).toBe(false);
  });

  it("is recognised and formatted", () => {
    const error = sttError({ kind: "rate-limit", message: "slow down", provider: "azure", detail: "429" });
    expect(isSttError(error)).toBe(true);
    expect(isSttError(new Error("x"))).toBe(false);
    expect(formatSttError(error)).toBe("rate-limit (azure): slow down [429]");
  });
});
