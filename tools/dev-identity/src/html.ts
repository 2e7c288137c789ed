/**
 * Tiny HTML pages of the dev identity server (login form, error, logout). No templates, no scripts:
 * every dynamic value goes through {@link escapeHtml}.
 */

/** Escapes `& < > " '` for HTML text and attribute contexts (OWASP XSS prevention, rule #1/#2). */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:4rem auto}label{display:block;margin:.5rem 0}
.error{color:#b00020}</style></head><body>${body}</body></html>`;
}

/**
 * Login form of the `login` prompt (Keycloak's "Sign in to your account" page, reduced).
 * Posts `application/x-www-form-urlencoded` fields `username` and `password` to `action`.
 */
export function loginPage(opts: { realm: string; clientId: string; action: string; error?: string; username?: string }): string {
  const error = opts.error ? `<p class="error" id="input-error" data-error="true">${escapeHtml(opts.error)}</p>` : '';
  return page(
    `Sign in to ${opts.realm}`,
    `<h1 id="kc-page-title">Sign in to ${escapeHtml(opts.realm)}</h1>
<p>Client: <code>${escapeHtml(opts.clientId)}</code></p>${error}
<form id="kc-form-login" method="post" action="${escapeHtml(opts.action)}">
<label>Username <input id="username" name="username" autocomplete="username" value="${escapeHtml(opts.username ?? '')}" autofocus></label>
<label>Password <input id="password" name="password" type="password" autocomplete="current-password"></label>
<button id="kc-login" type="submit">Sign In</button>
</form>`,
  );
}

/**
 * Keycloak's "Update password" page (required action UPDATE_PASSWORD, `login-update-password.ftl`,
 * reduced): fields `password-new` and `password-confirm`, plus the hidden `session_code` that ties the
 * step to the login that was just verified. Posts to `action`.
 */
export function updatePasswordPage(opts: { realm: string; action: string; sessionCode: string; error?: string }): string {
  const error = opts.error ? `<p class="error" id="input-error" data-error="true">${escapeHtml(opts.error)}</p>` : '';
  return page(
    'Update password',
    `<h1 id="kc-page-title">Update password</h1>
<p>You need to change your password to activate your account in ${escapeHtml(opts.realm)}.</p>${error}
<form id="kc-passwd-update-form" method="post" action="${escapeHtml(opts.action)}">
<input type="hidden" name="session_code" value="${escapeHtml(opts.sessionCode)}">
<label>New password <input id="password-new" name="password-new" type="password" autocomplete="new-password" autofocus></label>
<label>Confirm password <input id="password-confirm" name="password-confirm" type="password" autocomplete="new-password"></label>
<button id="kc-submit" type="submit">Submit</button>
</form>`,
  );
}

/** Generic error page (OAuth error code + description), used for `renderError`. */
export function errorPage(error: string, description?: string): string {
  return page(
    'Error',
    `<h1>Error</h1><p id="error-code">${escapeHtml(error)}</p>${description ? `<p id="error-description">${escapeHtml(description)}</p>` : ''}`,
  );
}

/** Plain page with a heading and a paragraph (logout confirmation / success). */
export function messagePage(title: string, html: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>${html}`);
}
