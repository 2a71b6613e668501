// A real OpenID Connect provider (npm oidc-provider) for the ejournal tests, on 127.0.0.1 only.
//
// Environment: PORT, REDIRECT_BASE (the test server's /accounts/oidc), CLIENT_SECRET (the generic client's),
// ESIA_CERT (PEM certificate that ESIA-style client secrets must be signed with), ESIA_SIGNING_KEY (optional:
// PEM GOST key that plays ESIA's own key), ACCOUNTS (JSON: id -> claims).
// Two clients: "ejournal" (generic, client_secret_basic) and "esia-ejournal", which talks like ESIA: its
// client_secret is a fresh detached CMS signature (GOST R 34.10-2012) of scope+timestamp+client_id+state,
// checked here with openssl's gost engine; its ID token is signed with GOST R 34.10-2012 by ESIA_SIGNING_KEY
// (alg GOST3410_2012_256, the oid as a number); and the СНИЛС comes from /rs/prns/{oid} with the access token.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as querystring from 'node:querystring';

import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const redirectBase = process.env.REDIRECT_BASE;
const esiaCert = process.env.ESIA_CERT;
const esiaSigningKey = process.env.ESIA_SIGNING_KEY || '';
const accounts = JSON.parse(process.env.ACCOUNTS || '{}');
const ESIA_CLIENT = 'esia-ejournal';

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'ejournal',
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: [`${redirectBase}/oidc/callback/`],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    {
      client_id: ESIA_CLIENT,
      redirect_uris: [`${redirectBase}/esia/callback/`],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'none',
    },
  ],
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims(use) {
        const claims = { sub: id, ...(accounts[id] || {}) };
        // Like ESIA, the ID token for the ESIA client carries no СНИЛС: it is read from /rs/prns/{oid}.
        if (use === 'id_token' && ctx.oidc?.client?.clientId === ESIA_CLIENT) delete claims.snils;
        return claims;
      },
    };
  },
  claims: {
    openid: ['sub'],
    profile: ['family_name', 'given_name', 'middle_name'],
    fullname: ['family_name', 'given_name', 'middle_name'],
    snils: ['snils'],
  },
  scopes: ['openid', 'profile', 'fullname', 'snils'],
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  cookies: { keys: ['ejournal-test-provider-cookie-key'] },
});

function esiaTime(stamp) {
  const m = /^(\d{4})\.(\d\d)\.(\d\d) (\d\d:\d\d:\d\d) \+0000$/.exec(stamp || '');
  return m ? Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}Z`) : NaN;
}

export function esiaSignatureValid(params) {
  const { client_secret: secret, scope, timestamp, client_id: clientId, state } = params;
  if (!secret || !scope || !clientId || !state || !(Math.abs(Date.now() - esiaTime(timestamp)) < 3600e3)) {
    return false;
  }
  const dir = mkdtempSync(join(tmpdir(), 'esia-sig-'));
  try {
    writeFileSync(join(dir, 'data'), `${scope}${timestamp}${clientId}${state}`);
    writeFileSync(join(dir, 'sig'), Buffer.from(secret, 'base64url'));
    const done = spawnSync('openssl', [
      'cms', '-verify', '-engine', 'gost', '-binary', '-inform', 'DER', '-in', join(dir, 'sig'),
      '-content', join(dir, 'data'), '-CAfile', esiaCert, '-out', '/dev/null',
    ], { timeout: 20000 });
    return done.status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const base64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

// ESIA signs its ID tokens itself, with GOST R 34.10-2012 (256) and Streebog-256, which oidc-provider (jose)
// cannot do: the claims oidc-provider made (iss, aud, exp, iat, nonce...) are signed again here like ESIA's
// (openssl's raw signature: 64 bytes, s || r, big-endian).
export function esiaIdToken(idToken) {
  const payload = JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url'));
  if (/^\d+$/.test(payload.sub)) payload.sub = Number(payload.sub); // ESIA's oid is a number
  const input = `${base64url({ alg: 'GOST3410_2012_256', typ: 'JWT', sbt: 'id', ver: 0 })}.${base64url(payload)}`;
  const done = spawnSync('openssl', ['dgst', '-engine', 'gost', '-md_gost12_256', '-sign', esiaSigningKey], {
    input, timeout: 20000,
  });
  if (done.status !== 0 || done.stdout.length !== 64) throw new Error('openssl could not sign the ESIA ID token');
  return `${input}.${done.stdout.toString('base64url')}`;
}

function refuse(ctx, status, error, description) {
  ctx.status = status;
  ctx.type = 'application/json';
  ctx.body = { error, error_description: description };
}

provider.use(async (ctx, next) => {
  const person = /^\/rs\/prns\/([^/]+)$/.exec(ctx.path);
  if (person) {
    const auth = ctx.get('authorization');
    const value = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    const token = value ? await provider.AccessToken.find(value) : undefined;
    if (!token || token.accountId !== person[1]) return refuse(ctx, 401, 'invalid_token', 'bad access token');
    ctx.body = { snils: accounts[person[1]]?.snils ?? '' };
    return undefined;
  }
  if (ctx.path === '/auth' && ctx.query.client_id === ESIA_CLIENT) {
    if (!esiaSignatureValid(ctx.query)) return refuse(ctx, 400, 'invalid_client', 'bad ESIA client_secret');
  }
  if (ctx.path === '/token' && ctx.method === 'POST') {
    const chunks = [];
    for await (const chunk of ctx.req) chunks.push(chunk);
    const body = querystring.parse(Buffer.concat(chunks).toString());
    const esia = body.client_id === ESIA_CLIENT;
    if (esia) {
      if (!esiaSignatureValid(body)) return refuse(ctx, 400, 'invalid_client', 'bad ESIA client_secret');
      for (const name of ['client_secret', 'timestamp', 'state', 'scope', 'token_type']) delete body[name];
    }
    ctx.request.body = body; // oidc-provider reads an already parsed body
    await next();
    if (esia && esiaSigningKey && ctx.status === 200 && ctx.body?.id_token) {
      ctx.body.id_token = esiaIdToken(ctx.body.id_token);
    }
    return undefined;
  }
  return next();
});

createServer(provider.callback()).listen(port, '127.0.0.1', () => {
  console.log(`listening ${issuer}`);
});
