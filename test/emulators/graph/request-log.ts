/** Every request the emulator answered (inner $batch items included, flagged). */
export interface LoggedRequest {
  readonly method: string;
  /** Path without the query. */
  readonly path: string;
  readonly query: string;
  readonly status: number;
  /** True for an item inside a $batch. */
  readonly inner: boolean;
  /** A few request headers worth asserting on (lower-case names); never Authorization. */
  readonly headers: Readonly<Record<string, string>>;
}

export class RequestLog {
  readonly entries: LoggedRequest[] = [];

  record(entry: LoggedRequest): void {
    this.entries.push(entry);
  }

  clear(): void {
    this.entries.length = 0;
  }

  /** Real HTTP requests (not $batch items) to Graph, i.e. not the token endpoint. */
  graphRequests(): LoggedRequest[] {
    return this.entries.filter((e) => !e.inner && e.path.startsWith("/v1.0/"));
  }

  count(filter: (entry: LoggedRequest) => boolean = () => true): number {
    let n = 0;
    for (const entry of this.entries) if (filter(entry)) n += 1;
    return n;
  }

  /** Counts by "METHOD path" with ids replaced by `{id}`, for readable assertions. */
  countsByPath(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const entry of this.entries) {
      const key = `${entry.inner ? "batch:" : ""}${entry.method} ${normalisePath(entry.path)}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

export function normalisePath(path: string): string {
  return path.replace(/\(appId='[^']*'\)/, "(appId={appId})").replace(GUID, "{id}");
}
