import { createWriteStream, type WriteStream } from "node:fs";
import type { Logger } from "pino";

/**
 * One record per object and action, like Entra's provisioning logs: who (source and target
 * identity), what (action, changed attributes), how it went (status, error code and reason).
 * Records go to the log, and also to a JSONL file when one is configured.
 */
export interface ProvisioningRecord {
  readonly cycleId: string;
  readonly kind: "user" | "group";
  readonly action: string;
  readonly object: string;
  readonly sourceId: string | null;
  readonly targetId: string | null;
  /** "success", a failure kind, "skipped", or "warning" (written, with a reason such as TARGET_DROPS_ATTRIBUTE). */
  readonly status: string;
  readonly changes?: readonly { readonly path: string; readonly from: unknown; readonly to: unknown }[];
  readonly reason?: string;
  /** A repair of a change made in Klaxoon by hand (Entra's side did not change). */
  readonly drift?: true;
  readonly httpStatus?: number | null;
  readonly error?: string | null;
}

export class ProvisioningLog {
  readonly #logger: Logger;
  readonly #file: WriteStream | null;

  readonly #now: () => Date;

  constructor(logger: Logger, filePath: string | null, now: () => Date) {
    this.#logger = logger;
    this.#now = now;
    this.#file = filePath === null ? null : createWriteStream(filePath, { flags: "a", mode: 0o600 });
  }

  record(record: ProvisioningRecord): void {
    if (record.status === "success")
      this.#logger.info({ provisioning: record }, `${record.kind} ${record.action}: ${record.object}`);
    else if (record.status === "warning")
      this.#logger.warn(
        { provisioning: record },
        `${record.kind} ${record.action} succeeded with a warning (${record.reason ?? ""}): ${record.object}`,
      );
    else {
      // The reason on the line itself: at a terminal the record's fields are not shown.
      const http = record.httpStatus ? `HTTP ${record.httpStatus}` : "";
      const why = [http, record.error ?? ""].filter((part) => part !== "").join(": ");
      this.#logger.warn(
        { provisioning: record },
        `${record.kind} ${record.action} failed (${record.status}): ${record.object}${why === "" ? "" : ` — ${why}`}`,
      );
    }
    this.#file?.write(`${JSON.stringify({ time: this.#now().toISOString(), ...record })}\n`);
  }

  async close(): Promise<void> {
    const file = this.#file;
    if (file) await new Promise<void>((resolve) => file.end(resolve));
  }
}
