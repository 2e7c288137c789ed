import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import net from 'node:net';

/** One child process the launcher started. */
export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
}

/**
 * Starts and stops the platform's processes as one group. Each child runs in its own process group
 * so that stopping it also stops what it started; output lines are prefixed with the child's name.
 */
export class ProcessGroup {
  private readonly procs: ManagedProcess[] = [];
  private stopping = false;

  constructor(private readonly log: (line: string) => void = (l) => process.stdout.write(l + '\n')) {}

  /** Spawns `command args` with extra env; returns immediately. */
  start(name: string, command: string, args: string[], env: Record<string, string> = {}): ManagedProcess {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const pad = name.padEnd(14);
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => this.log(`${pad}| ${line}`));
    }
    const exited = new Promise<number | string>((resolve) => {
      child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
      child.on('error', (err) => {
        this.log(`${pad}| failed to start: ${err.message}`);
        resolve('error');
      });
    });
    const proc = { name, child, exited };
    this.procs.push(proc);
    void exited.then((code) => {
      if (!this.stopping) this.log(`${pad}| exited (${code})`);
    });
    return proc;
  }

  /** Stops every started process: SIGTERM to each group, SIGKILL after `graceMs`. */
  async stopAll(graceMs = 8000): Promise<void> {
    this.stopping = true;
    const alive = this.procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    for (const p of alive.reverse()) signalGroup(p.child, 'SIGTERM');
    const timer = setTimeout(() => {
      for (const p of alive) signalGroup(p.child, 'SIGKILL');
    }, graceMs);
    await Promise.all(alive.map((p) => p.exited));
    clearTimeout(timer);
  }

  /** The processes started so far. */
  list(): readonly ManagedProcess[] {
    return this.procs;
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Waits until `check()` resolves true, polling every `intervalMs`.
 * @throws Error `<what> did not become ready within <timeoutMs> ms` on timeout, or when `proc` exits first.
 */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  { timeoutMs = 60_000, intervalMs = 200, proc }: { timeoutMs?: number; intervalMs?: number; proc?: ManagedProcess } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | string | undefined;
  void proc?.exited.then((c) => (exited = c));
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`${what} exited (${exited}) before it was ready; see its output above`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs} ms`);
}

/** True when something accepts TCP connections on host:port. */
export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** True when GET url answers 2xx. */
export async function httpOk(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return res.ok;
}
