import { err, ok, type Result } from "neverthrow";
import type { SttError } from "@sttkit/core";
import { isRecord, numberSetting, readSettings, sttError, textSetting, type SettingRule, type SettingsTable } from "@sttkit/core/kit";
import type { AzureProxy } from "./config.js";
import { PROVIDER } from "./constants.js";
import type { AzureServiceAddress } from "./resolved-config.js";

/** A proxy the recognizer connects through (the Speech SDK sends it a CONNECT for the service). */
export interface ResolvedProxy {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
}

/** The `azure.proxy` setting as read: a proxy, or "take it from the environment". */
export type ProxySetting = ResolvedProxy | "env";

/** Any non-empty string, kept as given (spaces may belong to a password). */
function passwordRule(): SettingRule<string> {
  return { parse: (value) => (typeof value === "string" && value.length > 0 ? ok(value) : err("must be a non-empty string.")) };
}

const PROXY_TABLE = {
  host: textSetting(),
  port: numberSetting({ min: 1, max: 65_535, integer: true }),
  // A password is never put in a message: a wrong one is reported by its path alone.
  username: textSetting(),
  password: passwordRule(),
} as const satisfies SettingsTable<AzureProxy>;

/** `"env"`, or `{ host, port, username?, password? }`: host and port required, nothing else. */
export function proxyRule(): SettingRule<ProxySetting> {
  return {
    parse: (value): Result<ProxySetting, string | SttError> => {
      if (value === "env") return ok("env");
      if (!isRecord(value)) return err('must be "env" or { host, port, username?, password? }.');
      return readSettings("azure.proxy", PROVIDER, value, PROXY_TABLE).andThen(({ host, port, username, password }) => {
        if (host === undefined || port === undefined) return err("needs a host and a port.");
        if (password !== undefined && username === undefined) return err("has a password without a username.");
        return ok({ host, port, ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}) });
      });
    },
  };
}

/** Where environment variables come from. */
type Environment = Readonly<Record<string, string | undefined>>;

function variable(env: Environment, name: string): string | undefined {
  const value = env[name] ?? env[name.toLowerCase()];
  return value?.trim() || undefined;
}

/** The service's scheme, host and port, as the SDK will dial them. */
function targetOf(address: AzureServiceAddress): URL {
  // The SDK's public-cloud address for a region (speech-to-text over WebSocket).
  return address.kind === "region" ? new URL(`wss://${address.region}.stt.speech.microsoft.com`) : address.url;
}

/**
 * Whether `NO_PROXY` exempts `target`: `*`, or a comma-separated list of host names (matching the
 * name and its subdomains; a leading `.` or `*.` is the same), IP addresses, each optionally with
 * `:port`.
 */
function exempted(noProxy: string | undefined, target: URL): boolean {
  if (noProxy === undefined) return false;
  const host = target.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = target.port || (target.protocol === "wss:" ? "443" : "80");
  return noProxy.split(/[\s,]+/).some((raw) => {
    const entry = raw.trim().toLowerCase();
    if (entry === "") return false;
    if (entry === "*") return true;
    const match = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\[(.*)\](:\d+)?$/, "$1$2"));
    const name = (match?.[1] ?? "").replace(/^\*?\./, "");
    if (match?.[2] !== undefined && match[2] !== port) return false;
    return name !== "" && (host === name || host.endsWith(`.${name}`));
  });
}

function envProblem(name: string, problem: string): SttError {
  // The variable's value may hold credentials: only its name is reported.
  return sttError({ kind: "invalid-argument", argument: "azure.proxy", provider: PROVIDER, message: `The ${name} environment variable ${problem}` });
}

/** A proxy URL as found in `HTTPS_PROXY` / `HTTP_PROXY`: `http://[user[:password]@]host[:port]`, the scheme optional. */
function parseProxyUrl(name: string, value: string): Result<ResolvedProxy, SttError> {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    return err(envProblem(name, "is not a proxy URL (http://[user:password@]host:port)."));
  }
  // The Speech SDK talks to its proxy in plain HTTP (CONNECT); the service connection inside is still TLS.
  if (url.protocol !== "http:") return err(envProblem(name, `names a ${url.protocol}// proxy; the Speech SDK reaches proxies over http:// only.`));
  if (url.hostname === "") return err(envProblem(name, "names no proxy host."));
  let username: string;
  let password: string;
  try {
    username = decodeURIComponent(url.username);
    password = decodeURIComponent(url.password);
  } catch {
    return err(envProblem(name, "has credentials that are not validly percent-encoded."));
  }
  return ok({
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port === "" ? 80 : Number(url.port),
    ...(username !== "" ? { username } : {}),
    ...(password !== "" ? { password } : {}),
  });
}

/**
 * The proxy the recognizer uses: the configured one, or with `"env"` the one `HTTPS_PROXY` (for a
 * `wss://` service; `HTTP_PROXY` for `ws://`; lower-case names too) names, unless `NO_PROXY`
 * exempts the service's host; none when the variable is unset.
 */
export function resolveProxy(setting: ProxySetting | undefined, address: AzureServiceAddress, env: Environment): Result<ResolvedProxy | undefined, SttError> {
  if (setting !== "env") return ok(setting);
  const target = targetOf(address);
  const name = target.protocol === "wss:" ? "HTTPS_PROXY" : "HTTP_PROXY";
  const value = variable(env, name);
  if (value === undefined || exempted(variable(env, "NO_PROXY"), target)) return ok(undefined);
  return parseProxyUrl(name, value);
}
