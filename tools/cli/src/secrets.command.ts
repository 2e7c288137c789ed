import { EXIT, UsageError, type CliIo } from './cli-io.js';

/** Usage of `cetate secrets`. */
export const SECRETS_USAGE = `usage:
  cetate secrets status              data keys per master key id (local keyring)
  cetate secrets rotate-master-key   re-wrap every tenant data key under the current master key

Master key rotation of the local keyring (SECRET_STORE=local), libs/platform/secrets/README.md:
  1. set CETATE_MASTER_KEY / CETATE_MASTER_KEY_ID to the new key and keep the old one in CETATE_MASTER_KEYS_OLD=id:base64
  2. cetate secrets rotate-master-key          (secrets themselves are not re-encrypted: envelope encryption)
  3. when status shows only the new id, drop the old key from CETATE_MASTER_KEYS_OLD everywhere
environment: PLATFORM_DATABASE_URL / DATABASE_URL, CETATE_MASTER_KEY, CETATE_MASTER_KEY_ID, CETATE_MASTER_KEYS_OLD
exit: 0 ok, 1 a data key could not be re-wrapped (listed) or the store failed, 2 usage error`;

/**
 * `cetate secrets status|rotate-master-key`: the local keyring's master key usage and rotation
 * (`LocalKeyringSecretStore.masterKeyUsage` / `rotateMasterKey`). The Vault store rotates its transit keys in Vault.
 * @returns 0 ok, 1 failure, 2 usage.
 */
export async function runSecrets(args: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(SECRETS_USAGE);
    return EXIT.OK;
  }
  if (sub !== 'status' && sub !== 'rotate-master-key') throw new UsageError(sub ? `unknown secrets sub-command "${sub}"` : 'secrets needs a sub-command');
  if (rest.length) throw new UsageError(`secrets ${sub} takes no arguments`);
  if ((env.SECRET_STORE || 'local') !== 'local') {
    io.err(`cetate secrets: SECRET_STORE=${env.SECRET_STORE}: master key rotation applies to the local keyring only (Vault rotates its transit keys itself)`);
    return EXIT.FAILED;
  }
  const { LocalKeyringSecretStore, MasterKeyring } = await import('@cetate/platform-secrets');
  const { platformDatabaseUrl } = await import('@cetate/platform-tenancy');
  const store = new LocalKeyringSecretStore({ url: platformDatabaseUrl(env), keyring: MasterKeyring.fromEnv(env) });
  try {
    if (sub === 'status') {
      const usage = await store.masterKeyUsage();
      const ids = Object.keys(usage);
      for (const id of ids) io.out(`${id.padEnd(20)} ${usage[id]} data key(s)`);
      io.out(ids.length ? `${ids.length} master key id(s) in use` : 'no tenant data keys yet');
      return EXIT.OK;
    }
    const r = await store.rotateMasterKey();
    io.out(`master key ${r.masterKeyId}: ${r.tenants} tenant data key(s), ${r.rewrapped} re-wrapped, ${r.alreadyCurrent} already current, ${r.failed.length} failed`);
    for (const f of r.failed) io.err(`  ${JSON.stringify(f)}`);
    return r.failed.length ? EXIT.FAILED : EXIT.OK;
  } catch (err) {
    const e = err as Error & { code?: string };
    io.err(`cetate secrets ${sub}: ${e.code ? `${e.code}: ` : ''}${e.message}`);
    return EXIT.FAILED;
  } finally {
    await store.close();
  }
}
