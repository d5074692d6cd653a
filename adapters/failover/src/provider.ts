import { err } from "neverthrow";
import type { SpeechToText } from "@sttkit/core";
import { createSpeechToText, type SttProviderDefinition } from "@sttkit/core/di";
import { sttError } from "@sttkit/core/kit";
import { FallbackSpeechToText, type FallbackOptions } from "./fallback-speech-to-text.js";

/** The settings section of the `"fallback"` provider. */
export interface FallbackSettings extends FallbackOptions {
  /** Provider names in order of preference; each is built from its own section of the config. */
  readonly providers: readonly string[];
}

/**
 * The `"fallback"` provider: a {@link FallbackSpeechToText} over other registered providers,
 * configured as `{ provider: "fallback", fallback: { providers: ["azure", "offline"] }, azure: {...} }`.
 */
export function fallbackProvider(providers: readonly SttProviderDefinition[]): SttProviderDefinition {
  return {
    name: "fallback",
    create(settings, config) {
      const chain = (settings as Partial<FallbackSettings> | undefined)?.providers;
      if (!Array.isArray(chain) || chain.length === 0 || !chain.every((name) => typeof name === "string")) {
        return err(
          sttError({
            kind: "invalid-argument",
            argument: "fallback.providers",
            message: 'The fallback provider needs "providers": a non-empty list of provider names in order of preference.',
          }),
        );
      }
      if (chain.includes("fallback")) {
        return err(sttError({ kind: "invalid-argument", argument: "fallback.providers", message: "A fallback chain cannot contain itself." }));
      }
      const members: SpeechToText[] = [];
      for (const name of chain) {
        const member = createSpeechToText({ ...config, provider: name }, providers);
        if (member.isErr()) return err(member.error);
        members.push(member.value);
      }
      const { providers: _names, ...options } = settings as FallbackSettings;
      return FallbackSpeechToText.create(members, options);
    },
  };
}
