import { request } from "undici";
import { describeConnectionFailure, sharedDispatcher, type ConnectionSettings } from "../../net/index.js";
import type { Logger } from "../../log/index.js";
import { describeEvent, type DaemonEvent } from "./events.js";
import type { WebhookSettings } from "../../config/index.js";

export interface Notifier {
  /** Never rejects: a failing webhook is logged and forgotten. */
  notify(event: DaemonEvent): Promise<void>;
}

export const silentNotifier: Notifier = { notify: async () => undefined };

export interface WebhookNotifierDeps {
  readonly logger: Logger;
  readonly now: () => Date;
  /** Resolved secret values (tokens, client secrets) scrubbed from every text, as a last line of defence. */
  readonly secrets?: readonly string[];
  /** The proxy (NO_PROXY decides) for the webhook's connections; without it, direct. */
  readonly connection?: ConnectionSettings;
}

export function createWebhookNotifier(settings: WebhookSettings, deps: WebhookNotifierDeps): Notifier {
  // A Slack or Teams webhook URL is itself a secret: only its origin is ever logged.
  const target = new URL(settings.url).origin;
  const connection = deps.connection;
  const dispatcher = connection === undefined ? undefined : sharedDispatcher(connection);
  return {
    async notify(event) {
      if (!settings.events.includes(event.type)) return;
      const body = JSON.stringify(renderWebhookBody(event, settings.format, deps.now(), deps.secrets ?? []));
      try {
        const response = await request(settings.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
          signal: AbortSignal.timeout(settings.timeoutSeconds * 1000),
          ...(dispatcher === undefined ? {} : { dispatcher }),
        });
        await response.body.dump();
        if (response.statusCode >= 300)
          deps.logger.warn(
            { webhook: target, event: event.type, httpStatus: response.statusCode },
            "webhook refused the notification",
          );
        else deps.logger.debug({ webhook: target, event: event.type }, "webhook notified");
      } catch (error) {
        // Only the origin: the proxy's words never carry the webhook's path or the proxy's credentials.
        const failure = connection === undefined ? null : describeConnectionFailure(error, connection, target);
        deps.logger.warn(
          {
            webhook: target,
            event: event.type,
            error: error instanceof Error ? error.name : "unknown",
            ...(failure === null ? {} : { reason: failure.message }),
          },
          "webhook unreachable",
        );
      }
    },
  };
}

/** `json`: the event with a source and a time; `teams` and `slack`: `{ "text": … }`, which both accept. */
export function renderWebhookBody(
  event: DaemonEvent,
  format: WebhookSettings["format"],
  at: Date,
  secrets: readonly string[] = [],
): unknown {
  const text = scrub(describeEvent(event), secrets);
  if (format !== "json") return { text: `entra-klaxoon-sync: ${text}` };
  const scrubbed: unknown = JSON.parse(scrub(JSON.stringify(event), secrets));
  return { source: "entra-klaxoon-sync", at: at.toISOString(), summary: text, event: scrubbed };
}

const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const URL_QUERY = /(https?:\/\/[^\s"?]+)\?[^\s"]*/g;

export function scrub(text: string, secrets: readonly string[]): string {
  let out = text.replace(BEARER, "$1 [redacted]").replace(JWT, "[redacted]").replace(URL_QUERY, "$1?[redacted]");
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join("[redacted]");
  return out;
}
