/**
 * The emulated Entra token endpoint's state: app registrations (secrets, certificates,
 * federated identities, granted application permissions) and the access tokens issued.
 */
import {
  createVerify,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
  type X509Certificate,
  constants,
  type KeyObject,
} from "node:crypto";

export type GraphPermission =
  | "Application.Read.All"
  | "User.Read.All"
  | "GroupMember.Read.All"
  | "Group.Read.All"
  | "Directory.Read.All";

export const LEAST_PRIVILEGE: readonly GraphPermission[] = [
  "Application.Read.All",
  "User.Read.All",
  "GroupMember.Read.All",
];

export interface ClientRegistration {
  readonly clientId: string;
  readonly secrets: Set<string>;
  readonly certificates: X509Certificate[];
  /** Accepted federated subjects (the `sub` of a token from the emulator's own issuer). */
  readonly federatedSubjects: Set<string>;
  permissions: Set<GraphPermission>;
}

export interface IssuedToken {
  readonly clientId: string;
  readonly expiresAt: number;
}

export const FEDERATED_AUDIENCE = "api://AzureADTokenExchange";

export class IdentityState {
  readonly clients = new Map<string, ClientRegistration>();
  readonly tokens = new Map<string, IssuedToken>();
  /** Key that signs the emulator's own federated (workload identity) tokens. */
  private readonly federationKey = generateKeyPairSync("ec", { namedCurve: "P-256" });
  tokenLifetimeSeconds = 3599;

  register(
    clientId: string,
    options: { secret?: string; permissions?: readonly GraphPermission[] } = {},
  ): ClientRegistration {
    const existing = this.clients.get(clientId);
    const registration = existing ?? {
      clientId,
      secrets: new Set<string>(),
      certificates: [],
      federatedSubjects: new Set<string>(),
      permissions: new Set<GraphPermission>(options.permissions ?? LEAST_PRIVILEGE),
    };
    if (options.secret) registration.secrets.add(options.secret);
    if (options.permissions) registration.permissions = new Set(options.permissions);
    this.clients.set(clientId, registration);
    return registration;
  }

  issueAccessToken(clientId: string): { token: string; expiresIn: number } {
    const token = `emu.${randomBytes(24).toString("base64url")}`;
    this.tokens.set(token, { clientId, expiresAt: Date.now() + this.tokenLifetimeSeconds * 1000 });
    return { token, expiresIn: this.tokenLifetimeSeconds };
  }

  /** A JWT as an AKS projected service-account token would be, signed by the emulator. */
  issueFederatedToken(issuer: string, subject: string): string {
    const now = Math.floor(Date.now() / 1000);
    const header = b64json({ alg: "ES256", typ: "JWT", kid: "emulator" });
    const payload = b64json({
      iss: issuer,
      sub: subject,
      aud: [FEDERATED_AUDIENCE],
      iat: now,
      nbf: now,
      exp: now + 3600,
    });
    const signature = sign("sha256", Buffer.from(`${header}.${payload}`), {
      key: this.federationKey.privateKey,
      dsaEncoding: "ieee-p1363",
    });
    return `${header}.${payload}.${signature.toString("base64url")}`;
  }

  verifyFederatedToken(jwt: string): { sub: string } | null {
    const parts = decodeJwt(jwt);
    if (parts?.header.alg !== "ES256") return null;
    const ok = verify(
      "sha256",
      Buffer.from(parts.signingInput),
      { key: this.federationKey.publicKey, dsaEncoding: "ieee-p1363" },
      parts.signature,
    );
    const sub = parts.payload.sub;
    const exp = parts.payload.exp;
    if (!ok || typeof sub !== "string" || typeof exp !== "number" || exp * 1000 < Date.now()) return null;
    return { sub };
  }
}

export interface DecodedJwt {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  readonly signingInput: string;
  readonly signature: Buffer;
}

export function decodeJwt(jwt: string): DecodedJwt | null {
  const [h, p, s] = jwt.split(".");
  if (h === undefined || p === undefined || s === undefined) return null;
  try {
    const header: unknown = JSON.parse(Buffer.from(h, "base64url").toString("utf8"));
    const payload: unknown = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
    if (!isRecord(header) || !isRecord(payload)) return null;
    return { header, payload, signingInput: `${h}.${p}`, signature: Buffer.from(s, "base64url") };
  } catch {
    return null;
  }
}

/** Verify a certificate client assertion (RS256 or PS256, as MSAL signs) against a registered certificate. */
export function verifyCertificateAssertion(jwt: DecodedJwt, certificates: readonly X509Certificate[]): boolean {
  const alg = jwt.header.alg;
  for (const certificate of certificates) {
    const key: KeyObject = certificate.publicKey;
    const verifier = createVerify("RSA-SHA256").update(jwt.signingInput);
    const ok =
      alg === "PS256"
        ? verifier.verify(
            { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
            jwt.signature,
          )
        : alg === "RS256" && verifier.verify(key, jwt.signature);
    if (ok) return true;
  }
  return false;
}

function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
