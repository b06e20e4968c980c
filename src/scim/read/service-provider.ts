/** What /ServiceProviderConfig says, when the server has one; the client works without it. */
import type { RequestExecutor } from "../http/execute-request.js";
import { serviceProviderConfigSchema } from "../resources/wire.js";

export interface ServiceProviderInfo {
  readonly patchSupported: boolean | null;
  readonly filterSupported: boolean | null;
  /** The largest page the server serves (`filter.maxResults`). */
  readonly maxResults: number | null;
}

export async function fetchServiceProviderConfig(executor: RequestExecutor): Promise<ServiceProviderInfo | null> {
  const executed = await executor.run(
    { method: "GET", path: "/ServiceProviderConfig" },
    { onCollection: false, expectJson: true },
  );
  if (!executed.ok) return null;
  const parsed = serviceProviderConfigSchema.safeParse(executed.json);
  if (!parsed.success) return null;
  return {
    patchSupported: parsed.data.patch?.supported ?? null,
    filterSupported: parsed.data.filter?.supported ?? null,
    maxResults: parsed.data.filter?.maxResults ?? null,
  };
}
