import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";
import { inflateSync } from "node:zlib";

/** The most of a page's DOM kept from Chromium's output. */
const MAX_DOM_CHARS = 8 * 1024 * 1024;

/** A Chromium binary on PATH (Debian's `chromium` first), or `undefined`. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const name of ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]) {
    for (const dir of (env["PATH"] ?? "").split(delimiter)) {
      if (!dir) continue;
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // Not here.
      }
    }
  }
  return undefined;
}

/** How a headless Chromium run ended. */
interface ChromiumRun {
  readonly exit: number | "hung";
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs headless Chromium once in its own process group, with a profile of its own, and waits; past
 * `limitMs` the whole group (browser, renderer, GPU and zygote processes) is killed, and once it
 * has exited the group is swept, so no Chromium process outlives the call.
 */
async function runChromium(binary: string, args: readonly string[], limitMs: number): Promise<ChromiumRun> {
  const profile = await mkdtemp(join(tmpdir(), "sttkit-chromium-"));
  try {
    const child = spawn(binary, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage", `--user-data-dir=${profile}`, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const killGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // Already gone.
      }
    };
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      if (stdout.length < MAX_DOM_CHARS) stdout += chunk.slice(0, MAX_DOM_CHARS - stdout.length);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      // Only the end matters for a diagnosis.
      stderr = (stderr + chunk).slice(-16_384);
    });
    let hung = false;
    const limit = setTimeout(() => {
      hung = true;
      killGroup("SIGKILL");
    }, limitMs);
    const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
    const code = await new Promise<number>((resolve) => {
      child.once("error", () => resolve(-1));
      child.once("exit", (exitCode) => resolve(exitCode ?? -1));
    });
    clearTimeout(limit);
    // Its helper processes (zygote, renderer) may outlive the browser for a moment and hold the pipes.
    killGroup("SIGKILL");
    let closeTimer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise<void>((resolve) => (closeTimer = setTimeout(resolve, 5_000)))]);
    clearTimeout(closeTimer);
    child.stdout.destroy();
    child.stderr.destroy();
    return { exit: hung ? "hung" : code, stdout, stderr };
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/** What Chromium made of a page: its DOM after rendering, and a screenshot. */
export interface RenderedPage {
  /** The DOM, serialised (`--dump-dom`). */
  readonly dom: string;
  /** The screenshot, PNG bytes. */
  readonly png: Buffer;
}

/** Renders a local HTML file in headless Chromium: the DOM, and a `width`×`height` screenshot saved at `screenshot`. */
export async function renderInChromium(binary: string, htmlFile: string, options: { readonly screenshot: string; readonly width: number; readonly height: number; readonly limitMs: number }): Promise<RenderedPage> {
  const url = pathToFileURL(htmlFile).href;
  const dumped = await runChromium(binary, ["--dump-dom", url], options.limitMs);
  if (dumped.exit !== 0) throw new Error(`chromium --dump-dom: exit ${dumped.exit}\n${dumped.stderr}`);
  const shot = await runChromium(binary, [`--screenshot=${options.screenshot}`, `--window-size=${options.width},${options.height}`, "--hide-scrollbars", url], options.limitMs);
  if (shot.exit !== 0) throw new Error(`chromium --screenshot: exit ${shot.exit}\n${shot.stderr}`);
  return { dom: dumped.stdout, png: await readFile(options.screenshot) };
}

/** A decoded 8-bit RGB(A) PNG. */
export interface DecodedPng {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** The colour of a pixel, `[r, g, b]`. */
  pixel(x: number, y: number): readonly [number, number, number];
}

/** Decodes an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium's screenshots are), undoing the row filters. */
export function decodePng(png: Buffer): DecodedPng {
  if (png.subarray(0, 8).toString("hex") !== "89504e470d0a1a0a") throw new Error("not a PNG");
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const data: Buffer[] = [];
  while (offset + 8 <= png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("latin1", offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = [body[8], body[9], body[10], body[11], body[12]];
      if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0) throw new Error(`unsupported PNG: depth ${depth}, colour type ${colour}, interlace ${interlace}`);
      channels = colour === 6 ? 4 : 3;
    } else if (type === "IDAT") data.push(body);
    else if (type === "IEND") break;
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? (pixels[y * stride + i - channels] as number) : 0;
      const up = y > 0 ? (pixels[(y - 1) * stride + i] as number) : 0;
      const upLeft = y > 0 && i >= channels ? (pixels[(y - 1) * stride + i - channels] as number) : 0;
      let predictor = 0;
      if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      pixels[y * stride + i] = ((row[i] as number) + predictor) & 0xff;
    }
  }
  return {
    width,
    height,
    pixel(x, y) {
      const at = y * stride + x * channels;
      return [pixels[at] as number, pixels[at + 1] as number, pixels[at + 2] as number];
    },
  };
}
