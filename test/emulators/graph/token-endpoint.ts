/**
 * Entra's v2.0 endpoints as MSAL uses them for app-only tokens: the OpenID configuration and
 * `POST /{tenant}/oauth2/v2.0/token` with `client_credentials` and a client secret, a
 * certificate assertion (signature checked against the registered certificate) or a federated
 * (workload identity) assertion. Errors carry AADSTS codes as Entra sends them.
 */
import { FEDERATED_AUDIENCE, decodeJwt, verifyCertificateAssertion, type IdentityState } from "./identity.js";
import { aadError, json, type EmuRequest, type EmuResponse } from "./wire.js";

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

export function openIdConfiguration(req: EmuRequest, tenant: string): EmuResponse {
  const base = `${req.origin}/${tenant}`;
  return json(200, {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${req.origin}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "nonce", "tid"],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: "EU",
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
    rbac_url: "https://pas.windows.net",
  });
}

export function issueToken(req: EmuRequest, tenant: string, tenantId: string, identity: IdentityState): EmuResponse {
  if (tenant !== tenantId) return aadError(400, "invalid_request", 90002, `Tenant '${tenant}' not found.`);
  const form = new URLSearchParams(req.body);
  if (form.get("grant_type") !== "client_credentials") {
    return aadError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
  }
  const clientId = form.get("client_id") ?? "";
  const client = identity.clients.get(clientId);
  if (!client) {
    return aadError(
      400,
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenantId}'.`,
    );
  }
  const scope = form.get("scope") ?? "";
  if (!scope.split(" ").some((s) => s.endsWith("/.default"))) {
    return aadError(
      400,
      "invalid_scope",
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.`,
    );
  }
  const secret = form.get("client_secret");
  const assertion = form.get("client_assertion");
  if (secret !== null) {
    if (!client.secrets.has(secret)) {
      return aadError(
        401,
        "invalid_client",
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      );
    }
  } else if (assertion !== null && form.get("client_assertion_type") === JWT_BEARER) {
    const failure = checkAssertion(assertion, clientId, `${req.origin}/${tenant}/oauth2/v2.0/token`, identity);
    if (failure) return failure;
  } else {
    return aadError(
      401,
      "invalid_client",
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }
  const { token, expiresIn } = identity.issueAccessToken(clientId);
  return json(
    200,
    { token_type: "Bearer", expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token },
    { "Cache-Control": "no-store, no-cache" },
  );
}

function checkAssertion(
  assertion: string,
  clientId: string,
  audience: string,
  identity: IdentityState,
): EmuResponse | null {
  const jwt = decodeJwt(assertion);
  if (!jwt) return aadError(401, "invalid_client", 50027, "JWT token is invalid or malformed.");
  const client = identity.clients.get(clientId);
  if (!client)
    return aadError(400, "unauthorized_client", 700016, `Application with identifier '${clientId}' was not found.`);
  const isCertificate = "x5t" in jwt.header || "x5t#S256" in jwt.header;
  if (isCertificate) {
    const { iss, sub, aud, exp } = jwt.payload;
    if (iss !== clientId || sub !== clientId)
      return aadError(
        401,
        "invalid_client",
        700021,
        "Client assertion application identifier doesn't match 'client_id' parameter.",
      );
    if (aud !== audience)
      return aadError(
        401,
        "invalid_client",
        700212,
        `No matching federated identity record found for presented assertion audience '${String(aud)}'.`,
      );
    if (typeof exp !== "number" || exp * 1000 < Date.now())
      return aadError(401, "invalid_client", 700024, "Client assertion is not within its valid time range.");
    if (!verifyCertificateAssertion(jwt, client.certificates)) {
      return aadError(
        401,
        "invalid_client",
        700027,
        "The certificate with identifier used to sign the client assertion is not registered on application.",
      );
    }
    return null;
  }
  const federated = identity.verifyFederatedToken(assertion);
  const aud = jwt.payload.aud;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!federated || !audiences.includes(FEDERATED_AUDIENCE)) {
    return aadError(
      401,
      "invalid_client",
      700024,
      "Client assertion is not within its valid time range or its signature is invalid.",
    );
  }
  if (!client.federatedSubjects.has(federated.sub)) {
    return aadError(
      400,
      "invalid_request",
      70021,
      `No matching federated identity record found for presented assertion. Assertion Subject: '${federated.sub}'.`,
    );
  }
  return null;
}
