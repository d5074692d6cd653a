import { stat } from "node:fs/promises";
import { basename, dirname, extname, join, resolve } from "node:path";
import type { OutputFormat } from "./args.js";

/** The extension of each output format's files. */
export const OUTPUT_EXTENSIONS: Readonly<Record<OutputFormat, string>> = Object.freeze({ text: ".txt", json: ".json", srt: ".srt", vtt: ".vtt" });

/**
 * Where each input's result goes: `undefined` is standard output.
 *
 * - One input, no `--output`: standard output. One input and `--output FILE`: that file.
 * - `--output DIR` (an existing directory, or a path ending in `/`), or several inputs with
 *   `--output`: one file per input in that directory, named after the input with the format's
 *   extension (`talk.mp3` → `DIR/talk.srt`); standard input is `stdin.<ext>`.
 * - Several inputs without `--output`: each result beside its input (`a/talk.mp3` → `a/talk.srt`);
 *   standard input's to standard output.
 *
 * Two inputs that would write the same file, or a result that would overwrite its own input, are
 * an error message (nothing is transcribed).
 */
export async function outputPaths(files: readonly string[], format: OutputFormat, output: string | undefined): Promise<readonly (string | undefined)[] | Error> {
  const extension = OUTPUT_EXTENSIONS[format];
  const isDirectory = output !== undefined && (output.endsWith("/") || (await stat(output).then((info) => info.isDirectory(), () => false)));
  if (files.length > 1 && output !== undefined && !isDirectory) return new Error(`With several files, --output names a directory (${output} is not one).`);
  const paths = files.map((file): string | undefined => {
    if (files.length === 1 && !isDirectory) return output;
    const name = file === "-" ? "stdin" : basename(file, extname(file));
    if (isDirectory) return join(output as string, `${name}${extension}`);
    return file === "-" ? undefined : join(dirname(file), `${name}${extension}`);
  });
  const seen = new Set<string>();
  for (const [index, path] of paths.entries()) {
    if (path === undefined) continue;
    const absolute = resolve(path);
    if (seen.has(absolute)) return new Error(`Two inputs would both write ${path}: give them different names or separate runs.`);
    if (absolute === resolve(files[index] as string)) return new Error(`The result for ${files[index] as string} would overwrite it: choose --output.`);
    seen.add(absolute);
  }
  return paths;
}
