/**
 * The state file belongs to one pair of ends: the Graph tenant and app it read, and the Klaxoon
 * Tenant URL it wrote to; and to one set of rules (mappings and scoping filters). Its links are
 * Klaxoon ids and its fingerprints say what that Klaxoon was last seen to hold: against another
 * tenant, app or Tenant URL they would say "nothing changed" about accounts that are not there,
 * or point at the wrong ones. So another end is refused (the administrator starts afresh on
 * purpose), and other rules make the cycle a full re-evaluation, as Entra does on a mapping change.
 */
export interface StateBinding {
  /** The Graph tenant id, lowercased. */
  readonly graphTenantId: string;
  /** The app as configured: `appId:<id>` or `servicePrincipal:<id>`, lowercased. */
  readonly app: string;
  /** The Klaxoon Tenant URL, normalised (see normaliseTenantUrl). */
  readonly targetUrl: string;
  /** A digest of the mappings and scoping rules. */
  readonly rules: string;
}

export type BindingVerdict =
  | { readonly kind: "same" }
  /** An older state file, or none: bound from this cycle on. */
  | { readonly kind: "unbound" }
  | { readonly kind: "rulesChanged" }
  | { readonly kind: "elsewhere"; readonly what: string; readonly stored: string; readonly current: string };

const ENDS: readonly [keyof StateBinding, string][] = [
  ["graphTenantId", "Graph tenant"],
  ["app", "Entra app"],
  ["targetUrl", "Klaxoon Tenant URL"],
];

export function checkBinding(stored: StateBinding | null, current: StateBinding): BindingVerdict {
  if (stored === null) return { kind: "unbound" };
  for (const [key, what] of ENDS) {
    if (stored[key] !== current[key]) return { kind: "elsewhere", what, stored: stored[key], current: current[key] };
  }
  return stored.rules === current.rules ? { kind: "same" } : { kind: "rulesChanged" };
}

/**
 * Scheme and host lowercased, default port and trailing slashes dropped, query left out (it
 * carries flags such as `aadOptscim062020`, not the tenant): one Klaxoon tenant, one string.
 */
export function normaliseTenantUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, "")}`;
}

export interface BindingInput {
  readonly graphTenantId: string;
  readonly app: { readonly appId: string } | { readonly servicePrincipalId: string };
  readonly tenantUrl: string;
  /** The config's digest of its mappings and scoping rules. */
  readonly rulesDigest: string;
}

export function bindingFor(input: BindingInput): StateBinding {
  return {
    graphTenantId: input.graphTenantId.toLowerCase(),
    app: ("appId" in input.app
      ? `appId:${input.app.appId}`
      : `servicePrincipal:${input.app.servicePrincipalId}`
    ).toLowerCase(),
    targetUrl: normaliseTenantUrl(input.tenantUrl),
    rules: input.rulesDigest,
  };
}
