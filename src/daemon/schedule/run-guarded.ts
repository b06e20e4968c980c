import type { Logger } from "../../log/index.js";
import type { Clock } from "../../model/index.js";

export type Guarded<T> =
  | { readonly status: "done"; readonly value: T }
  | { readonly status: "failed"; readonly error: unknown }
  | { readonly status: "abandoned" };

/**
 * Runs `work`; if `shutdown` aborts meanwhile, lets it finish within `graceMs`, then abandons it
 * (its own signal is aborted, for work that can stop early; the process exits anyway).
 */
export async function runWithGrace<T>(
  work: (signal: AbortSignal) => Promise<T>,
  options: { readonly shutdown: AbortSignal; readonly graceMs: number; readonly clock: Clock; readonly logger: Logger },
): Promise<Guarded<T>> {
  const own = new AbortController();
  const running: Promise<Guarded<T>> = work(own.signal).then(
    (value) => ({ status: "done", value }),
    (error: unknown) => ({ status: "failed", error }),
  );
  // The listener is removed after the race: a daemon runs thousands of cycles on one signal.
  let listener = (): void => undefined;
  const onAbort = new Promise<"aborted">((resolve) => {
    listener = () => resolve("aborted");
    if (options.shutdown.aborted) resolve("aborted");
    else options.shutdown.addEventListener("abort", listener, { once: true });
  });
  const first = await Promise.race([running, onAbort]);
  options.shutdown.removeEventListener("abort", listener);
  if (first !== "aborted") return first;
  options.logger.info({ graceSeconds: options.graceMs / 1000 }, "shutdown requested: letting the running cycle finish");
  const stopWaiting = new AbortController();
  const deadline = options.clock.sleep(options.graceMs, stopWaiting.signal).then(() => "deadline" as const);
  const settled = await Promise.race([running, deadline]);
  stopWaiting.abort();
  if (settled !== "deadline") return settled;
  own.abort();
  options.logger.warn(
    { graceSeconds: options.graceMs / 1000 },
    "running cycle abandoned at the shutdown deadline; the next run starts from the last saved state",
  );
  return { status: "abandoned" };
}
