import OpenAI from "openai";
import { Agent } from "undici";
import type { ResolvedOpenAIConfig } from "./validate-config.js";

/** The SDK client an adapter shares between its batch requests and its Realtime connections. */
export interface OpenAIClient {
  /** The SDK client. */
  readonly sdk: OpenAI;
  /** Options for the `ws` socket of each Realtime connection: the extra CA and headers. */
  readonly socketOptions: { readonly ca?: string; readonly headers: Readonly<Record<string, string>> };
}

/**
 * The SDK client for a configuration. Every value is passed explicitly (with `null` for absent
 * ones), so the SDK reads nothing from the environment behind the configuration's back. Its own
 * retries are off: the adapter retries itself, with a bound on `Retry-After` the SDK lacks, and
 * its logging is off, since log lines could carry request details.
 *
 * A configured `ca` is trusted for this client's connections only: an undici `Agent` with it as
 * the `fetch` dispatcher (the SDK's `fetchOptions`), and the `ca` option of each Realtime socket.
 */
export function createOpenAIClient(config: ResolvedOpenAIConfig): OpenAIClient {
  const dispatcher = config.ca !== undefined ? new Agent({ connect: { ca: config.ca } }) : undefined;
  const sdk = new OpenAI({
    apiKey: config.apiKey,
    baseURL: config.baseURL,
    organization: config.organization ?? null,
    project: config.project ?? null,
    webhookSecret: null,
    timeout: config.batch.timeoutMs,
    maxRetries: 0,
    logLevel: "off",
    ...(dispatcher ? { fetchOptions: { dispatcher } } : {}),
  });
  const headers: Record<string, string> = {};
  if (config.organization !== undefined) headers["OpenAI-Organization"] = config.organization;
  if (config.project !== undefined) headers["OpenAI-Project"] = config.project;
  return { sdk, socketOptions: { ...(config.ca !== undefined ? { ca: config.ca } : {}), headers } };
}
