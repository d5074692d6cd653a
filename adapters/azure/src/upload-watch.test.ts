import { describe, expect, it } from "vitest";
import { UploadWatch } from "./upload-watch.js";

/** The SDK's messages on one connection: speech.context, the RIFF header, then `audio` blocks. */
function openTurn(watch: UploadWatch, audioBlocks: number): void {
  watch.connected();
  watch.contextSent();
  expect(watch.audioSent(44).sent).toBe("header");
  for (let block = 0; block < audioBlocks; block += 1) expect(watch.audioSent(3_200)).toEqual({ sent: "audio", lost: false });
}

describe("UploadWatch: when audio given to the Speech SDK can no longer reach the service", () => {
  it("a normal stream loses nothing: the end goes out on a live socket and the session stops", () => {
    const watch = new UploadWatch();
    openTurn(watch, 3);
    expect(watch.audioSent(0)).toEqual({ sent: "end", lost: false });
    watch.sessionStopped();
    expect(watch.disconnected()).toBe(false);
  });

  it("a reconnect mid-stream that replays audio before the end loses nothing", () => {
    const watch = new UploadWatch();
    openTurn(watch, 3);
    expect(watch.disconnected()).toBe(false);
    openTurn(watch, 2);
    expect(watch.audioSent(0)).toEqual({ sent: "end", lost: false });
  });

  it("the socket closing after the end went out, before the session stopped, loses the upload (once)", () => {
    const watch = new UploadWatch();
    openTurn(watch, 3);
    expect(watch.audioSent(0).lost).toBe(false);
    expect(watch.disconnected()).toBe(true);
    openTurn(watch, 0);
    expect(watch.disconnected()).toBe(false);
  });

  it("the end sent while no socket is open (on the dead one) loses the upload", () => {
    const watch = new UploadWatch();
    openTurn(watch, 3);
    watch.disconnected();
    expect(watch.audioSent(0)).toEqual({ sent: "end", lost: true });
  });

  it("the end sent right after a reconnect, with no audio replayed before it, loses the upload", () => {
    const watch = new UploadWatch();
    openTurn(watch, 3);
    watch.disconnected();
    openTurn(watch, 0);
    expect(watch.audioSent(0)).toEqual({ sent: "end", lost: true });
  });

  it("an empty stream (the end right after the first header) loses nothing", () => {
    const watch = new UploadWatch();
    openTurn(watch, 0);
    expect(watch.audioSent(0)).toEqual({ sent: "end", lost: false });
  });
});
