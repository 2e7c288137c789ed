import { LRUCache } from 'lru-cache';

/** Stored oidc-provider model payload (opaque to us but for the index fields). */
type Payload = Record<string, unknown> & { grantId?: string; uid?: string; userCode?: string; consumed?: number };

/**
 * Creates an oidc-provider storage adapter class (oidc-provider "Adapter" interface: upsert, find,
 * findByUid, findByUserCode, consume, destroy, revokeByGrantId) whose data lives in ONE realm's
 * bounded in-memory LRU with per-entry TTL (the library's own memory adapter shares a single
 * module-global store between all Provider instances, which would let one realm look up another
 * realm's codes, sessions and refresh tokens). Development only: nothing survives a restart.
 *
 * `maxEntries` bounds memory (default 10,000 entries per realm).
 */
export function createRealmMemoryAdapter(maxEntries = 10_000) {
  const store = new LRUCache<string, Payload | string | Set<string>>({ max: maxEntries, ttlAutopurge: false });

  return class RealmMemoryAdapter {
    constructor(private readonly model: string) {}

    private key(id: string): string {
      return `${this.model}:${id}`;
    }

    async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      const key = this.key(id);
      const ttl = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn * 1000 : undefined;
      const opts = ttl ? { ttl } : {};
      if (payload.grantId) {
        const gk = `grant:${payload.grantId}`;
        const members = (store.get(gk) as Set<string> | undefined) ?? new Set<string>();
        members.add(key);
        store.set(gk, members);
      }
      if (payload.uid) store.set(`sessionUid:${payload.uid}`, id, opts);
      if (payload.userCode) store.set(`userCode:${payload.userCode}`, id, opts);
      store.set(key, structuredClone(payload), opts);
    }

    async find(id: string): Promise<Payload | undefined> {
      const v = store.get(this.key(id));
      return v && typeof v === 'object' && !(v instanceof Set) ? structuredClone(v) : undefined;
    }

    async findByUid(uid: string): Promise<Payload | undefined> {
      const id = store.get(`sessionUid:${uid}`);
      return typeof id === 'string' ? this.find(id) : undefined;
    }

    async findByUserCode(userCode: string): Promise<Payload | undefined> {
      const id = store.get(`userCode:${userCode}`);
      return typeof id === 'string' ? this.find(id) : undefined;
    }

    async consume(id: string): Promise<void> {
      const key = this.key(id);
      const v = store.get(key);
      if (v && typeof v === 'object' && !(v instanceof Set)) {
        v.consumed = Math.floor(Date.now() / 1000);
      }
    }

    async destroy(id: string): Promise<void> {
      store.delete(this.key(id));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      const gk = `grant:${grantId}`;
      const members = store.get(gk) as Set<string> | undefined;
      for (const key of members ?? []) store.delete(key);
      store.delete(gk);
    }
  };
}
