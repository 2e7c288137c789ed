/**
 * Minimal ambient typings for the parts of `oidc-provider` v9 (ESM, no bundled types) that the dev
 * identity server uses. Shapes follow the library's README/API docs; only what we call is declared.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** A pending end-user interaction (login / consent prompt) as returned by `interactionDetails`. */
  export interface Interaction {
    uid: string;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    params: Record<string, unknown> & { client_id?: string; scope?: string };
    session?: { accountId?: string; uid?: string };
    grantId?: string;
  }

  /** A grant (RFC 6749 authorization grant) record held by the provider. */
  export interface Grant {
    jti: string;
    accountId: string;
    clientId: string;
    addOIDCScope(scope: string): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  /** Token models as seen by `extraTokenClaims` and friends. */
  export interface TokenLike {
    kind: string;
    accountId?: string;
    clientId?: string;
    scope?: string;
  }

  /** The oidc-provider `ctx.oidc` subset used in configuration hooks. */
  export interface OidcContext {
    oidc: {
      client?: { clientId: string };
      session?: { accountId?: string; grantIdFor(clientId: string): string | undefined };
      account?: { accountId: string };
      result?: { consent?: { grantId?: string } };
      params?: Record<string, unknown> & { scope?: string };
      resourceServers?: Record<string, { scope: string }>;
      provider: Provider;
    };
  }

  export type Configuration = Record<string, unknown>;

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    Grant: {
      new (init: { accountId: string; clientId: string }): Grant;
      find(id: string): Promise<Grant | undefined>;
    };
    Client: {
      prototype: {
        redirectUris?: string[];
        postLogoutRedirectUris?: string[];
        redirectUriAllowed(value: string): boolean;
        postLogoutRedirectUriAllowed(value: string): boolean;
      };
    };
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  export const errors: {
    InvalidTarget: new (description?: string) => Error;
    InvalidRequest: new (description?: string) => Error;
  };

  export default Provider;
}
