import type { GraphEmulatorAdmin } from "../emulators/graph/admin.js";
import type { StoredUser } from "../emulators/graph/tenant-store.js";

/**
 * A person in the Graph emulator as the end-to-end tests name them: `<nick>@contoso.example`
 * for UPN and mail, the nick as mailNickname and given name, "Test" as surname unless `extra`
 * says otherwise; assigned to the app directly unless `assign` is false. Returns the object id.
 */
export function addPerson(
  admin: GraphEmulatorAdmin,
  nick: string,
  extra: Partial<StoredUser> = {},
  options: { readonly assign?: boolean } = {},
): string {
  const user = admin.addUser({
    userPrincipalName: `${nick}@contoso.example`,
    mail: `${nick}@contoso.example`,
    mailNickname: nick,
    givenName: nick,
    surname: "Test",
    ...extra,
  });
  if (options.assign !== false) admin.assign(user.id);
  return user.id;
}
