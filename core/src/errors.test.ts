import { describe, expect, it } from "vitest";
import { formatSttError, redactSecrets, sttError } from "./errors.js";

const KEY = "0123456789abcdef0123456789abcdef";

describe("redactSecrets", () => {
  it.each([
    [`ws://user:${KEY}@127.0.0.1:5000/speech/recognition`, "ws://***@127.0.0.1:5000/speech/recognition"],
    [`wss://${KEY}@westeurope.stt.speech.microsoft.com/x`, "wss://***@westeurope.stt.speech.microsoft.com/x"],
    [
      `wss://h/speech?language=en-US&Ocp-Apim-Subscription-Key=${KEY}&format=simple`,
      "wss://h/speech?language=en-US&Ocp-Apim-Subscription-Key=***&format=simple",
    ],
    [`https://h/p?sig=${KEY}&se=2030`, "https://h/p?sig=***&se=2030"],
    [`https://h/p?access_token=${KEY}#frag`, "https://h/p?access_token=***#frag"],
    [`ws://h/?x=1&api_key=${KEY}`, "ws://h/?x=1&api_key=***"],
    [`Unable to contact server. StatusCode: 1006, ws://u:${KEY}@h/p?Ocp-Apim-Subscription-Key=${KEY} Reason: x`, "Unable to contact server. StatusCode: 1006, ws://***@h/p?Ocp-Apim-Subscription-Key=*** Reason: x"],
    [`Authorization: Bearer ${KEY}`, "Authorization: ***"],
    [`Ocp-Apim-Subscription-Key: ${KEY}`, "Ocp-Apim-Subscription-Key: ***"],
  ])("%s", (text, redacted) => {
    expect(redactSecrets(text)).toBe(redacted);
  });

  it("leaves text without secrets as it is", () => {
    const text = "Unexpected server response: 401 (ws://127.0.0.1:5000/speech?language=en-US&format=detailed&X-ConnectionId=abc)";
    expect(redactSecrets(text)).toBe(text);
  });
});

describe("sttError", () => {
  it("redacts every URL's credentials in the message and the detail", () => {
    const error = sttError({
      kind: "connection",
      provider: "azure",
      message: `Cannot reach ws://user:${KEY}@host/x.`,
      detail: `ConnectionFailure: wss://host/p?Ocp-Apim-Subscription-Key=${KEY}&language=en-US`,
    });
    expect(JSON.stringify(error)).not.toContain(KEY);
    expect(formatSttError(error)).not.toContain(KEY);
    expect(error.detail).toContain("language=en-US");
    expect(error.retryable).toBe(true);
  });

  it("adds no detail where there was none", () => {
    expect(Object.keys(sttError({ kind: "aborted", message: "closed" })).sort()).toEqual(["kind", "message", "retryable"]);
  });
});
