// A certified OpenID provider (oidc-provider) for the sign-in tests, on 127.0.0.1.
//
//   node server.mjs setup.json
//
// setup.json: {"clients": [{client_id, client_secret, redirect_uris,
//              post_logout_redirect_uris}], "accounts": {"<login>": {"password": "…",
//              "claims": {email, email_verified, name, locale, groups, …}}}}
//
// It listens on a free port and prints one line of JSON, {"issuer": "http://127.0.0.1:PORT"},
// once it serves. Sign-in is a minimal login form of our own (user name and password);
// consent is granted at once for the scopes asked (a first-party client). PKCE is
// required of every client, as Clausewise always sends it.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const setup = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const accounts = setup.accounts || {};

const SCOPE_CLAIMS = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: ['name', 'given_name', 'family_name', 'preferred_username', 'locale'],
  groups: ['groups'],
  roles: ['roles', 'realm_access'],
};

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(uid, problem) {
  const alert = problem ? `<p role="alert">${escapeHtml(problem)}</p>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Test identity provider</title></head><body>
<h1>Test identity provider</h1>${alert}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<p><label for="username">User name</label> <input id="username" name="username" autocomplete="off"></p>
<p><label for="password">Secret</label> <input id="password" name="password" type="password"></p>
<p><button type="submit">Continue</button></p>
</form></body></html>`;
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

function send(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
}

async function interaction(provider, req, res) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    send(res, 200, loginPage(details.uid));
    return;
  }
  const form = await readForm(req);
  const login = form.get('username') || '';
  const account = accounts[login];
  if (!account || account.password !== form.get('password')) {
    send(res, 200, loginPage(details.uid, 'Unknown user name or wrong secret.'));
    return;
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: login } },
    { mergeWithLastSubmission: false },
  );
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-rs256', alg: 'RS256', use: 'sig' };

  const provider = new Provider(issuer, {
    clients: setup.clients,
    jwks: { keys: [signingKey] },
    cookies: { keys: ['clausewise-test-provider-cookie-key'] },
    claims: SCOPE_CLAIMS,
    scopes: Object.keys(SCOPE_CLAIMS),
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true },
    },
    interactions: { url: (_ctx, found) => `/interaction/${found.uid}` },
    async findAccount(_ctx, sub) {
      const account = accounts[sub];
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ ...account.claims, sub }) };
    },
    // A first-party client: what it asks for is granted without a consent page.
    async loadExistingGrant(ctx) {
      const { Grant } = ctx.oidc.provider;
      const known = ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      const grant = (known && (await Grant.find(known)))
        || new Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope(ctx.oidc.params.scope || 'openid');
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();

  server.on('request', (req, res) => {
    if (req.url.startsWith('/interaction/')) {
      interaction(provider, req, res).catch((err) => send(res, 400, escapeHtml(err.message)));
    } else {
      callback(req, res);
    }
  });
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
