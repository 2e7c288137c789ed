import { describe, expect, it } from 'vitest';
import pg from 'pg';
import amqp from 'amqplib';
import { createTestDatabase, createTestVhost, testEnv } from './index.js';

async function databaseExists(name: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: testEnv.databaseUrl });
  await c.connect();
  try {
    return ((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0;
  } finally {
    await c.end();
  }
}

describe('test harness', () => {
  it('creates and drops a database on the real PostgreSQL', async () => {
    const db = await createTestDatabase();
    try {
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      try {
        const { rows } = await c.query('select current_database() as name');
        expect(rows[0].name).toBe(db.name);
      } finally {
        await c.end();
      }
    } finally {
      await db.drop();
    }
    expect(await databaseExists(db.name)).toBe(false);
  });

  it('creates an isolated RabbitMQ vhost', async () => {
    const vh = await createTestVhost();
    try {
      const conn = await amqp.connect(vh.url);
      try {
        const ch = await conn.createChannel();
        const q = await ch.assertQueue('probe', { exclusive: true });
        expect(q.queue).toBe('probe');
      } finally {
        await conn.close();
      }
    } finally {
      await vh.drop();
    }
    await expect(amqp.connect(vh.url)).rejects.toThrow(); // the vhost is gone
  });
});
