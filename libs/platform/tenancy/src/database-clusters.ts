import { lookup } from 'node:dns/promises';
import { DatabaseClusterError } from './tenancy.errors.js';
import { DEFAULT_DB_CLUSTER } from './tenant-naming.js';

/** Cluster names: what `platform.tenant.db_cluster` may hold. */
const CLUSTER_NAME = /^[a-z][a-z0-9_-]{0,62}$/;

/** Default of `DATABASE_URL` everywhere in Cetate (README "Environment variables"). */
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * The PostgreSQL servers tenant databases live on, by name (`platform.tenant.db_cluster`; ARCHITECTURE.md
 * §6 scale-out). Each URL is an admin URL of its server (any database the role may connect to, with
 * CREATEDB when tenants are provisioned or moved there); a tenant's URL is it with the database replaced
 * by `tenant_<slug>`.
 *
 * Configuration: `PG_CLUSTERS` = comma-separated `name=url` pairs, e.g.
 * `default=postgres://postgres@10.0.0.5:5432/postgres,b=postgres://postgres@10.0.0.6:5432/postgres`.
 * Unset or empty: one cluster `default` = `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`).
 * A `default` entry is required (tenants are registered on `default` unless told otherwise).
 */
export class DatabaseClusters {
  private readonly urls: ReadonlyMap<string, string>;

  /**
   * @param entries cluster name -> server URL (`postgres:` or `postgresql:`).
   * @throws DatabaseClusterError `DB_CLUSTERS_INVALID` on a bad name, a URL that does not parse or is not
   *   PostgreSQL, or no `default` entry.
   */
  constructor(entries: Record<string, string>) {
    const urls = new Map<string, string>();
    for (const [name, url] of Object.entries(entries)) {
      if (!CLUSTER_NAME.test(name)) throw new DatabaseClusterError('DB_CLUSTERS_INVALID', `cluster name "${name}" must match ${CLUSTER_NAME.source}`);
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        throw new DatabaseClusterError('DB_CLUSTERS_INVALID', `cluster "${name}": "${redact(url)}" is not a URL`);
      }
      if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
        throw new DatabaseClusterError('DB_CLUSTERS_INVALID', `cluster "${name}": ${u.protocol} is not postgres: or postgresql:`);
      }
      if (!u.hostname) throw new DatabaseClusterError('DB_CLUSTERS_INVALID', `cluster "${name}": URL has no host`);
      urls.set(name, url);
    }
    if (!urls.has(DEFAULT_DB_CLUSTER)) throw new DatabaseClusterError('DB_CLUSTERS_INVALID', `no "${DEFAULT_DB_CLUSTER}" cluster in ${[...urls.keys()].join(', ') || '(empty)'}`);
    this.urls = urls;
  }

  /**
   * Parses `name=url,name=url` (whitespace around entries ignored; the first `=` splits name and URL).
   * @throws DatabaseClusterError `DB_CLUSTERS_INVALID` on an entry without `=`, a name given twice, or
   *   anything the constructor refuses.
   */
  static parse(spec: string): DatabaseClusters {
    const entries: Record<string, string> = {};
    for (const raw of spec.split(',')) {
      const item = raw.trim();
      if (!item) continue;
      const eq = item.indexOf('=');
      if (eq <= 0) throw new DatabaseClusterError('DB_CLUSTERS_INVALID', `PG_CLUSTERS entry "${redact(item)}" is not name=url`);
      const name = item.slice(0, eq).trim();
      if (name in entries) throw new DatabaseClusterError('DB_CLUSTERS_INVALID', `PG_CLUSTERS names cluster "${name}" twice`);
      entries[name] = item.slice(eq + 1).trim();
    }
    return new DatabaseClusters(entries);
  }

  /** From `PG_CLUSTERS`, else `default` = `DATABASE_URL` (empty counts as unset). */
  static fromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseClusters {
    if (env.PG_CLUSTERS?.trim()) return DatabaseClusters.parse(env.PG_CLUSTERS);
    return DatabaseClusters.single(env.DATABASE_URL || DEFAULT_DATABASE_URL);
  }

  /** One cluster, `default` = `url`. */
  static single(url: string): DatabaseClusters {
    return new DatabaseClusters({ [DEFAULT_DB_CLUSTER]: url });
  }

  /** Cluster names, in configuration order. */
  names(): string[] {
    return [...this.urls.keys()];
  }

  /** Whether `cluster` is configured. */
  has(cluster: string): boolean {
    return this.urls.has(cluster);
  }

  /** The server URL of `cluster`. @throws DatabaseClusterError `DB_CLUSTER_UNKNOWN` when not configured. */
  urlFor(cluster: string): string {
    const url = this.urls.get(cluster);
    if (url === undefined) {
      throw new DatabaseClusterError('DB_CLUSTER_UNKNOWN', `database cluster "${cluster}" is not in PG_CLUSTERS (known: ${this.names().join(', ')})`);
    }
    return url;
  }

  /**
   * Whether two clusters name the same physical server: same port (default 5432) and host names whose DNS
   * addresses (all of them, IPv4 and IPv6) intersect. `127.0.0.1` and `localhost` are the same server
   * when `localhost` resolves to 127.0.0.1. @throws DatabaseClusterError for an unknown cluster; DNS errors.
   */
  async sameServer(a: string, b: string): Promise<boolean> {
    const [ua, ub] = [new URL(this.urlFor(a)), new URL(this.urlFor(b))];
    if ((ua.port || '5432') !== (ub.port || '5432')) return false;
    const [aa, ab] = await Promise.all([addresses(ua.hostname), addresses(ub.hostname)]);
    return aa.some((x) => ab.includes(x));
  }
}

async function addresses(hostname: string): Promise<string[]> {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  return (await lookup(host, { all: true })).map((r) => r.address);
}

/** A URL with its password replaced by `***` (for error messages). */
function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}
