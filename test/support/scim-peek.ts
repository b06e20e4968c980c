/** Reads what a SCIM server holds, over SCIM: how the end-to-end tests check their results. */
export interface HeldUser {
  readonly id: string;
  readonly userName: string;
  readonly active: boolean;
  readonly raw: Record<string, unknown>;
}

export async function listHeldUsers(tenantUrl: string, token: string): Promise<HeldUser[]> {
  const users: HeldUser[] = [];
  for (let startIndex = 1; ; ) {
    const response = await fetch(`${tenantUrl}/Users?startIndex=${startIndex}&count=100`, {
      headers: { authorization: `Bearer ${token}`, accept: "application/scim+json" },
    });
    if (!response.ok) throw new Error(`GET /Users answered ${response.status}`);
    const page = (await response.json()) as { totalResults: number; Resources?: Record<string, unknown>[] };
    const resources = page.Resources ?? [];
    for (const raw of resources)
      users.push({ id: String(raw["id"]), userName: String(raw["userName"]), active: raw["active"] !== false, raw });
    startIndex += resources.length;
    if (resources.length === 0 || startIndex > page.totalResults) return users;
  }
}
