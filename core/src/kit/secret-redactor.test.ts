import { describe, expect, it } from "vitest";
import { SecretRedactor } from "./secret-redactor.js";

describe("SecretRedactor: an adapter's own secrets out of every text", () => {
  const redactor = new SecretRedactor(["sk-live-0123456789", undefined, "abc"]);

  it("removes each secret by value, wherever it stands, and what redactSecrets finds by shape", () => {
    expect(redactor.text("Incorrect API key provided: sk-live-0123456789.")).toBe("Incorrect API key provided: ***.");
    expect(redactor.text("wss://user:pw@host/x?token=t0k3n")).toBe("wss://***@host/x?token=***");
  });

  it("does not search for secrets under 4 characters (they would match ordinary text)", () => {
    expect(redactor.text("abc def")).toBe("abc def");
  });

  it("keeps a cause's name, redacted message and HTTP status, and nothing else of it", () => {
    const original = Object.assign(new TypeError("401 for key sk-live-0123456789"), { status: 401, headers: { authorization: "Bearer sk-live-0123456789" } });
    const safe = redactor.cause(original);
    expect(safe).toBeInstanceOf(Error);
    expect(safe.name).toBe("TypeError");
    expect(safe.message).toBe("401 for key ***");
    expect((safe as unknown as { status: number }).status).toBe(401);
    expect(JSON.stringify({ ...safe, message: safe.message })).not.toContain("sk-live");
    expect(redactor.cause("plain sk-live-0123456789").message).toBe("plain ***");
  });
});
