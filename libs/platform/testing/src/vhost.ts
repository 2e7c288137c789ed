import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { testEnv } from './env.js';

const run = promisify(execFile);

/** A RabbitMQ virtual host made for one test file, so parallel test files never share queues. */
export interface TestVhost {
  /** vhost name, e.g. `cetate_test_ab12cd34`. */
  name: string;
  /** AMQP URL pointing at the vhost. */
  url: string;
  /** Deletes the vhost and everything in it. */
  drop(): Promise<void>;
}

/**
 * Creates a throwaway RabbitMQ vhost with full permissions for the URL's user.
 * Uses `rabbitmqctl` (the local broker on this project's machines).
 * @throws Error with the fix when `rabbitmqctl` is missing or the broker does not answer.
 */
export async function createTestVhost(prefix = 'cetate_test'): Promise<TestVhost> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const base = new URL(testEnv.amqpUrl);
  const user = decodeURIComponent(base.username || 'guest');
  try {
    await run('rabbitmqctl', ['add_vhost', name]);
    await run('rabbitmqctl', ['set_permissions', '-p', name, user, '.*', '.*', '.*']);
  } catch (err) {
    throw new Error(
      `could not create RabbitMQ vhost ${name} with rabbitmqctl (${(err as Error).message}); ` +
        'is RabbitMQ running? start it with: rabbitmq-server -detached',
    );
  }
  const url = new URL(testEnv.amqpUrl);
  url.pathname = '/' + encodeURIComponent(name);
  return {
    name,
    url: url.toString(),
    async drop() {
      await run('rabbitmqctl', ['delete_vhost', name]).catch(() => undefined);
    },
  };
}
