import { createHash } from "node:crypto";
import { createServer, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { createDeepgramSpeechToText } from "./index.js";

/** A WebSocket peer that accepts the upgrade and then reads nothing until told to: a slow network. */
async function stalledPeer(): Promise<{ baseUrl: string; resume(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once("data", (head) => {
      const key = /sec-websocket-key: (\S+)/i.exec(head.toString("latin1"))?.[1] ?? "";
      const accept = createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      socket.pause();
    });
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    resume: () => {
      for (const socket of sockets) {
        socket.on("data", () => undefined);
        socket.resume();
      }
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe("backpressure", () => {
  it("asks the writer to wait while the socket cannot keep up, and lets it go on once it has", async () => {
    const peer = await stalledPeer();
    try {
      const stt = createDeepgramSpeechToText({ baseUrl: peer.baseUrl, apiKey: "k", reconnect: { maxAttempts: 0 } }, {})._unsafeUnwrap();
      const stream = stt.stream()._unsafeUnwrap();
      const chunk = new Uint8Array(64 * 1024);
      let saturated = false;
      // Wait for the socket to open (audio before that is only queued for replay).
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (let sent = 0; sent < 400 && !saturated; sent++) {
        const written = stream.write(chunk);
        expect(written.isOk()).toBe(true);
        saturated = written._unsafeUnwrap() === false;
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(saturated, "write() never reported the saturated socket").toBe(true);
      let drained = false;
      const waiting = stream.drained().then(() => {
        drained = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(drained).toBe(false);
      peer.resume();
      await waiting;
      expect(drained).toBe(true);
      await stream.close();
    } finally {
      await peer.close();
    }
  });
});
