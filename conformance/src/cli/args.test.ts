import { describe, expect, it } from "vitest";
import { DEFAULT_MAX_MINUTES, DEFAULT_REPORT_DIRECTORY, parseConformanceArgs } from "./args.js";

describe("sttkit conformance arguments", () => {
  it("takes the module, with defaults for the rest", () => {
    expect(parseConformanceArgs(["--adapter", "./my-adapter.js"])._unsafeUnwrap()).toEqual({
      command: "conformance",
      adapter: "./my-adapter.js",
      out: DEFAULT_REPORT_DIRECTORY,
      maxMinutes: DEFAULT_MAX_MINUTES,
      verbose: false,
    });
  });

  it("takes every option, spelt --flag value or --flag=value, and -t for --scenario", () => {
    expect(parseConformanceArgs(["--adapter=a.ts", "--out", "r", "-t", "single utterance|language", "--max-minutes=2.5", "--verbose"])._unsafeUnwrap()).toEqual({
      command: "conformance",
      adapter: "a.ts",
      out: "r",
      scenario: "single utterance|language",
      maxMinutes: 2.5,
      verbose: true,
    });
    expect(parseConformanceArgs(["--adapter", "a.ts", "--scenario", "fault"])._unsafeUnwrap()).toMatchObject({ scenario: "fault" });
  });

  it("asks for help", () => {
    expect(parseConformanceArgs(["--adapter", "a.ts", "-h"])._unsafeUnwrap()).toEqual({ command: "help" });
    expect(parseConformanceArgs(["--help"])._unsafeUnwrap()).toEqual({ command: "help" });
  });

  it.each([
    [[], "Give the adapter module with --adapter"],
    [["--adapter"], "--adapter needs a value"],
    [["--adapter", "--out", "x"], "--adapter needs a value"],
    [["--adapter", "a.ts", "--adapter", "b.ts"], "--adapter is given twice"],
    [["--adapter", "a.ts", "--bogus"], "Unknown option --bogus"],
    [["a.ts"], 'Unexpected argument "a.ts"'],
    [["--adapter", "a.ts", "-t", "(unclosed"], "is not a regular expression"],
    [["--adapter", "a.ts", "--max-minutes", "0"], "--max-minutes must be a positive number"],
    [["--adapter", "a.ts", "--max-minutes", "soon"], "--max-minutes must be a positive number"],
  ])("refuses %j", (argv, message) => {
    expect(parseConformanceArgs(argv)._unsafeUnwrapErr()).toContain(message);
  });
});
