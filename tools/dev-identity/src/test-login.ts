/**
 * Test helper: drives the authorization code + PKCE S256 flow (RFC 6749 §4.1, RFC 7636) through the
 * dev server's HTML login (and, when asked, Keycloak's update-password form) with plain `fetch` and a
 * minimal cookie jar. Not exported from the package; used by the integration specs.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Result of {@link browserLogin}: tokens, or the HTML page the flow stopped on. */
export type BrowserLoginResult =
  | { ok: true; accessToken: string; refreshToken?: string; idToken?: string; updatedPassword: boolean }
  | { ok: false; page: string; status: number };

class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

const formAction = (html: string) => /<form[^>]*action="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1]?.replaceAll('&amp;', '&');

/**
 * Logs `username` in at realm `realm` of the server at `baseUrl` through client `clientId` (public,
 * redirect URI `redirectUri`). With `newPassword`, an update-password page is answered with it.
 */
export async function browserLogin(opts: {
  baseUrl: string;
  realm: string;
  clientId: string;
  redirectUri: string;
  username: string;
  password: string;
  newPassword?: string;
}): Promise<BrowserLoginResult> {
  const jar = new CookieJar();
  const verifier = randomBytes(32).toString('base64url');
  const issuer = `${opts.baseUrl}/realms/${opts.realm}`;
  const auth = new URL(`${issuer}/protocol/openid-connect/auth`);
  auth.search = new URLSearchParams({
    client_id: opts.clientId,
    response_type: 'code',
    scope: 'openid',
    redirect_uri: opts.redirectUri,
    state: randomBytes(8).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();

  const go = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(new URL(url, opts.baseUrl), { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: jar.header() } });
    jar.take(res);
    return res;
  };
  const post = (url: string, fields: Record<string, string>) =>
    go(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

  let res = await go(auth.toString());
  const loginUrl = res.headers.get('location');
  if (res.status !== 303 || !loginUrl) return { ok: false, page: await res.text(), status: res.status };
  const loginPage = await (await go(loginUrl)).text();
  res = await post(formAction(loginPage) ?? loginUrl, { username: opts.username, password: opts.password });
  let updatedPassword = false;
  if (res.status === 200) {
    const page = await res.text();
    if (!page.includes('kc-passwd-update-form') || opts.newPassword === undefined) return { ok: false, page, status: 200 };
    res = await post(formAction(page)!, { session_code: hidden(page, 'session_code') ?? '', 'password-new': opts.newPassword, 'password-confirm': opts.newPassword });
    if (res.status === 200) return { ok: false, page: await res.text(), status: 200 };
    updatedPassword = true;
  }
  // Follow the provider's redirects until the client's redirect URI carries the code.
  let location = res.headers.get('location');
  for (let i = 0; i < 5 && location && !location.startsWith(opts.redirectUri); i++) {
    res = await go(location);
    location = res.headers.get('location');
  }
  const code = location ? new URL(location).searchParams.get('code') : null;
  if (!code) return { ok: false, page: await res.text(), status: res.status };
  const token = await fetch(`${issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: opts.redirectUri, client_id: opts.clientId, code_verifier: verifier }),
  });
  const body = (await token.json()) as { access_token?: string; refresh_token?: string; id_token?: string };
  if (!body.access_token) return { ok: false, page: JSON.stringify(body), status: token.status };
  return { ok: true, accessToken: body.access_token, refreshToken: body.refresh_token, idToken: body.id_token, updatedPassword };
}

/** `grant_type=refresh_token` for a public client; the HTTP status and JSON body. */
export async function refresh(tokenUrl: string, clientId: string, refreshToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
