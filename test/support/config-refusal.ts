import { ConfigError } from "../../src/model/index.js";

/** The ConfigError a config load was refused with; anything else (a load that succeeds, another error) fails the test. */
export async function configRefusal(loading: Promise<unknown>): Promise<ConfigError> {
  const error = await loading.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
}
