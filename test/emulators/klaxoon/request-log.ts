/** Every request the Klaxoon emulator answered, in arrival order, for tests to read. */
export interface LoggedRequest {
  readonly method: string;
  /** Path below the Tenant URL, without the query (`/Users/u-000001`). */
  readonly path: string;
  readonly query: string;
  readonly status: number;
  /** Arrival time, epoch milliseconds (fractional, from a monotonic clock). */
  readonly at: number;
  /** The parsed JSON request body, if any. */
  readonly body: unknown;
}

export class RequestLog {
  readonly entries: LoggedRequest[] = [];

  record(entry: LoggedRequest): void {
    this.entries.push(entry);
  }

  clear(): void {
    this.entries.length = 0;
  }

  count(filter: (entry: LoggedRequest) => boolean = () => true): number {
    return this.entries.filter(filter).length;
  }

  byStatus(status: number): LoggedRequest[] {
    return this.entries.filter((e) => e.status === status);
  }

  /** The most requests that arrived within any window of `windowMs` (a sliding window). */
  maxInWindow(windowMs = 1000, filter: (entry: LoggedRequest) => boolean = () => true): number {
    const times = this.entries
      .filter(filter)
      .map((e) => e.at)
      .sort((a, b) => a - b);
    let max = 0;
    let start = 0;
    for (let end = 0; end < times.length; end += 1) {
      while ((times[end] ?? 0) - (times[start] ?? 0) >= windowMs) start += 1;
      max = Math.max(max, end - start + 1);
    }
    return max;
  }
}
