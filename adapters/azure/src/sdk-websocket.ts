// Which WebSocket client the Speech SDK dials with, in one place.
//
// The Speech SDK (1.52.0, `common.browser/WebsocketMessageAdapter.js`) opens its connection with the
// global `WebSocket` whenever one exists, and with the `ws` package (its own dependency) otherwise or
// when a proxy is configured. Node 20 has no global `WebSocket`; Node 22 and later do (undici's), and
// that client reports a refused upgrade badly: it never exposes the HTTP status (401, 403, 429, 5xx)
// that `ws` puts in its error ("Unexpected server response: 401"), so every refusal looks like a plain
// `ConnectionFailure` (Node 24), or it reports nothing at all and the recognizer waits until the
// adapter's own connect timeout (Node 22). It also sends no headers of the SDK's own.
//
// The SDK has a switch for this: the static `WebsocketMessageAdapter.forceNpmWebSocket`. Setting it
// makes the SDK dial with `ws` on every Node version, exactly as it does on Node 20, so refused
// upgrades keep their typed errors (authentication, forbidden, rate-limit) within milliseconds,
// and reconnects and replays behave the same everywhere. The flag is a static of the SDK's module,
// so it holds for every recognizer in the process that uses this copy of the SDK; it only changes
// what happens on Node 22+, and only back to the SDK's Node 20 behaviour. The SDK reads it when it
// opens a connection, so it is set before the adapter creates its first SDK objects.
//
// If a future SDK drops or renames the flag, `useWsClientInSpeechSdk` reports `"native"` instead of
// `"ws"` on Node 22+, and `sdk-websocket.test.ts` fails (it checks the flag, the headers only `ws`
// sends, and a 401 becoming `authentication` in under 2 s).
import { WebsocketMessageAdapter } from "microsoft-cognitiveservices-speech-sdk/distrib/lib/src/common.browser/WebsocketMessageAdapter.js";

/**
 * The WebSocket client the Speech SDK opens its connections with: the `ws` package, or the
 * runtime's built-in `WebSocket` (Node 22 and later).
 */
export type SpeechSdkWebSocketClient = "ws" | "native";

/** The SDK's switch, typed loosely: a future SDK may not have it. */
const sdkSwitch = WebsocketMessageAdapter as unknown as { forceNpmWebSocket?: unknown };

/**
 * Which client the Speech SDK will dial with in this process, as of now, following the SDK's own
 * rule: the built-in `WebSocket` when the runtime has one and `forceNpmWebSocket` is not set.
 *
 * @returns `"ws"` or `"native"`.
 */
export function speechSdkWebSocketClient(): SpeechSdkWebSocketClient {
  const hasNativeWebSocket = typeof (globalThis as { WebSocket?: unknown }).WebSocket !== "undefined";
  return hasNativeWebSocket && sdkSwitch.forceNpmWebSocket !== true ? "native" : "ws";
}

/**
 * Makes the Speech SDK dial with the `ws` package on every Node.js version, as it does on Node 20,
 * by setting the SDK's static `WebsocketMessageAdapter.forceNpmWebSocket`. Refused upgrades then
 * carry their HTTP status, so a wrong key is an `authentication` error at once instead of a hang
 * (Node 22) or a generic `connection` error (Node 24). The adapter calls it before it creates SDK
 * objects; call it yourself when you also drive the SDK directly and want the same behaviour.
 * Idempotent; process-wide for this copy of the SDK.
 *
 * @returns The client the SDK will now use: `"ws"`, or `"native"` if this SDK version no longer
 *   has the switch and the runtime has a built-in `WebSocket`.
 */
export function useWsClientInSpeechSdk(): SpeechSdkWebSocketClient {
  if (typeof sdkSwitch.forceNpmWebSocket === "boolean") sdkSwitch.forceNpmWebSocket = true;
  return speechSdkWebSocketClient();
}
