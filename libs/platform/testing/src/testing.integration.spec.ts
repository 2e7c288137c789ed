import { describe, expect, it } from 'vitest';
import pg from 'pg';
import amqp from 'amqplib';
import { createTestDatabase, createTestVhost } from './index.js';

describe('test harness', () => {
  it('creates and drops a database on the real PostgreSQL', async () => {
    const db = await createTestDatabase();
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const { rows } = await c.query('select current_database() as name');
    await c.end();
    expect(rows[0].name).toBe(db.name);
    await db.drop();
  });

  it('creates an isolated RabbitMQ vhost', async () => {
    const vh = await createTestVhost();
    const conn = await amqp.connect(vh.url);
    const ch = await conn.createChannel();
    const q = await ch.assertQueue('probe', { exclusive: true });
    expect(q.queue).toBe('probe');
    await conn.close();
    await vh.drop();
  });
});
