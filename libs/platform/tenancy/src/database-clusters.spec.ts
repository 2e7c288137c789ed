import { describe, expect, it } from 'vitest';
import { DatabaseClusterError, DatabaseClusters } from './index.js';

describe('DatabaseClusters', () => {
  it('parses PG_CLUSTERS name=url pairs', () => {
    const c = DatabaseClusters.parse(' default=postgres://postgres@127.0.0.1:5432/postgres , b=postgresql://u:p%3Dx@db-b:6432/postgres?sslmode=require');
    expect(c.names()).toEqual(['default', 'b']);
    expect(c.urlFor('b')).toBe('postgresql://u:p%3Dx@db-b:6432/postgres?sslmode=require');
    expect(c.has('b')).toBe(true);
    expect(c.has('c')).toBe(false);
  });

  it('defaults to one cluster "default" = DATABASE_URL', () => {
    expect(DatabaseClusters.fromEnv({ DATABASE_URL: 'postgres://x@h:1/db' }).urlFor('default')).toBe('postgres://x@h:1/db');
    expect(DatabaseClusters.fromEnv({ PG_CLUSTERS: '' }).urlFor('default')).toBe('postgres://postgres@127.0.0.1:5432/postgres');
    expect(DatabaseClusters.fromEnv({ PG_CLUSTERS: 'default=postgres://a@h/p,x=postgres://a@k/p', DATABASE_URL: 'postgres://ignored@h/p' }).names()).toEqual(['default', 'x']);
  });

  it('refuses malformed configuration with DB_CLUSTERS_INVALID', () => {
    for (const bad of ['b=postgres://h/p', 'default=notaurl', 'default=http://h/p', 'default', 'Default=postgres://h/p', 'default=postgres://h/p,default=postgres://k/p']) {
      expect(() => DatabaseClusters.parse(bad), bad).toThrow(DatabaseClusterError);
    }
    let caught: unknown;
    try {
      DatabaseClusters.parse('default=postgres://user:secret@h/p,b=nope://user:secret@h');
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'DB_CLUSTERS_INVALID', status: 500 });
    expect((caught as Error).message).not.toContain('secret');
  });

  it('an unknown cluster is a typed error naming the known ones', () => {
    const c = DatabaseClusters.single('postgres://h/p');
    expect(() => c.urlFor('eu-2')).toThrow(DatabaseClusterError);
    expect(() => c.urlFor('eu-2')).toThrow(/"eu-2" is not in PG_CLUSTERS \(known: default\)/);
  });
});
