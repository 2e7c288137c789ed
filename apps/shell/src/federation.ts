import type { ComponentType } from 'react';
import { loadRemote, registerPlugins, registerRemotes, type ModuleFederationRuntimePlugin } from '@module-federation/enhanced/runtime';
import type { RemoteAppProps, ShellModule } from '@cetate/shared-ui';

/**
 * The shell's side of Module Federation (issue 6): remotes are not known at build time; they come from the
 * tenant's manifest and are registered with the federation runtime (`registerRemotes`) after the bundler's own
 * `init`, then loaded with `loadRemote('<remote>/App')`.
 */

/** The last load failure of a remote, as reported by the runtime's `errorLoadRemote` hook. */
export interface RemoteFailure {
  remote: string;
  /** Runtime lifecycle where it failed: `afterResolve` (mf-manifest.json), `onLoad` (entry or exposed module)... */
  lifecycle: string;
  message: string;
  at: Date;
}

const failures = new Map<string, RemoteFailure>();

/** The last failure of `remote` since the shell started or since its last successful load. */
export function lastFailure(remote: string): RemoteFailure | undefined {
  return failures.get(remote);
}

/**
 * Runtime plugin: records each failure the runtime reports (`errorLoadRemote`: manifest fetch, remote entry,
 * exposed module) and returns nothing, so `loadRemote` rejects with the original error and the remote's
 * ErrorBoundary shows the fallback ("Modulul nu este disponibil").
 */
export const failureRecorder: ModuleFederationRuntimePlugin = {
  name: 'cetate-shell-failure-recorder',
  errorLoadRemote(args) {
    const remote = (args.remote as { name?: string } | undefined)?.name ?? String(args.id).split('/')[0] ?? String(args.id);
    const message = args.error instanceof Error ? args.error.message : String(args.error);
    failures.set(remote, { remote, lifecycle: String(args.lifecycle), message, at: new Date() });
    console.warn(`[shell] remote "${remote}" failed to load (${String(args.lifecycle)}): ${message}`);
    return undefined;
  },
};

/** Registers the manifest's remotes (name + `mf-manifest.json` URL) and the failure recorder; call once at boot. */
export function registerModules(modules: readonly ShellModule[]): void {
  registerPlugins([failureRecorder]);
  registerRemotes(modules.map((m) => ({ name: m.remote, entry: m.entry })));
}

/** A remote's exposed `./App` could not be used. */
export class RemoteLoadError extends Error {
  override name = 'RemoteLoadError';
  constructor(
    readonly remote: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Loads `<remote>/<expose>` and returns it in `React.lazy`'s shape. With `retry`, the remote is first registered
 * again with `force: true`, which drops what the runtime cached of the failed attempt (its manifest, remote entry
 * and loading promises): without it a retry would get the same failure back.
 *
 * @throws RemoteLoadError when the runtime fails or the module has no default export component
 */
export async function loadRemoteApp(module: ShellModule, retry: boolean): Promise<{ default: ComponentType<RemoteAppProps> }> {
  if (retry) registerRemotes([{ name: module.remote, entry: module.entry }], { force: true });
  const id = `${module.remote}/${module.expose.replace(/^\.\//, '')}`;
  let loaded: { default?: unknown } | null;
  try {
    loaded = await loadRemote<{ default?: unknown }>(id);
  } catch (error) {
    throw new RemoteLoadError(module.remote, `${id}: ${(error as Error).message}`, { cause: error });
  }
  const component = loaded?.default;
  if (typeof component !== 'function' && (typeof component !== 'object' || component === null)) {
    throw new RemoteLoadError(module.remote, `${id} has no default export component`);
  }
  failures.delete(module.remote);
  return { default: component as ComponentType<RemoteAppProps> };
}
