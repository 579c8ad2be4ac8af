// An independent authorization server for the providers interoperability test (#24, 2026-12-03):
// oidc-provider (npm, installed at test time into .interop/), with PKCE required, rotating refresh tokens,
// opaque access tokens for the sandbox FHIR API as resource server, and introspection for that API.
// Usage: node authorization_server.mjs <port> <settings.json>; the settings name the clients and the FHIR base.
// Test switches: GET /_switch?down=1 (token endpoint answers 503), ?delay=<seconds> (token endpoint waits).
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [port, settingsFile] = process.argv.slice(2);
const settings = JSON.parse(readFileSync(settingsFile, "utf8"));
const { default: Provider } = await import(pathToFileURL(settings.module).href);

const issuer = `http://127.0.0.1:${port}`;
const fhir = settings.fhir_base_url;
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "pgo",
      client_secret: "pgo-interop-secret",
      redirect_uris: settings.redirect_uris,
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
    },
    {
      client_id: "pgo-jwt",
      redirect_uris: settings.redirect_uris,
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "private_key_jwt",
      jwks: { keys: [settings.client_jwk] },
    },
    {
      client_id: "fhir",
      client_secret: "fhir-introspection-secret",
      redirect_uris: [],
      grant_types: [],
      response_types: [],
    },
  ],
  pkce: { required: () => true },
  scopes: ["openid", "offline_access"],
  rotateRefreshToken: true,
  enabledJWA: { clientAuthSigningAlgValues: ["RS256", "RS384", "ES256", "ES384", "PS256"] },
  features: {
    devInteractions: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => fhir,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, resource) => {
        if (resource !== fhir) throw new Error("unknown resource");
        return { scope: "patient/*.read", audience: fhir, accessTokenFormat: "opaque", accessTokenTTL: 300 };
      },
    },
  },
});
provider.proxy = false;

const switches = { down: false, delay: 0 };
provider.use(async (ctx, next) => {
  if (ctx.path === "/_switch") {
    if (ctx.query.down !== undefined) switches.down = ctx.query.down === "1";
    if (ctx.query.delay !== undefined) switches.delay = Number(ctx.query.delay) || 0;
    ctx.body = switches;
    return;
  }
  if (ctx.path === "/token") {
    if (switches.down) {
      ctx.status = 503;
      ctx.body = { error: "temporarily_unavailable" };
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, switches.delay * 1000));
  }
  await next();
});

provider.listen(Number(port), "127.0.0.1", () => console.log(`listening ${issuer}`));
