/**
 * Runs the engine's external programs: always with an argument array (no shell, so no file name or
 * option is ever interpreted by a shell), a time limit (SIGKILL when it is reached), an optional
 * abort signal, and a cap on the output kept in memory.
 */
import { spawn } from 'node:child_process';
import { DocumentReadError } from './errors.js';

/** The programs the engine calls, and the Debian package that installs each. */
export const TOOL_PACKAGES = {
  tesseract: 'tesseract-ocr',
  pdftotext: 'poppler-utils',
  pdftoppm: 'poppler-utils',
} as const;

/** One of the engine's programs. */
export type ToolName = keyof typeof TOOL_PACKAGES;

/** Paths or names of the programs (default: the name, looked up in `PATH`). */
export type ToolPaths = Partial<Record<ToolName, string>>;

/** Result of {@link runTool}: exit code (null when killed by a signal), stdout bytes, stderr text. */
export interface ToolResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Options of {@link runTool}. */
export interface RunToolOptions {
  /** Kill the program after this many milliseconds and throw `OCR_TIMEOUT`. */
  timeoutMs: number;
  /** What the time limit is for, in the `OCR_TIMEOUT` message ("page 3"). */
  what: string;
  signal?: AbortSignal;
  /** Extra environment variables (added to the process environment). */
  env?: Record<string, string>;
  /** Largest stdout kept, bytes (default 64 MiB); more is an error (`DOCUMENT_CORRUPT`). */
  maxStdoutBytes?: number;
  paths?: ToolPaths;
}

const MAX_STDERR = 16 * 1024;

/**
 * Runs `tool` with `args` and resolves with its exit code and output (a non-zero exit is NOT an error
 * here: the caller knows what each code means).
 * @throws DocumentReadError `OCR_ENGINE_MISSING` when the program is not installed (the message names the
 *   Debian package), `OCR_TIMEOUT` when it runs longer than `timeoutMs` (it is killed),
 *   `DOCUMENT_CORRUPT` when it writes more than `maxStdoutBytes`; the signal's reason when aborted.
 */
export function runTool(tool: ToolName, args: readonly string[], opts: RunToolOptions): Promise<ToolResult> {
  opts.signal?.throwIfAborted();
  const maxStdout = opts.maxStdoutBytes ?? 64 * 1024 * 1024;
  return new Promise<ToolResult>((resolve, reject) => {
    const child = spawn(opts.paths?.[tool] ?? tool, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
      shell: false,
    });
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    let failure: unknown;
    let settled = false;
    const fail = (err: unknown) => {
      if (failure === undefined) failure = err;
      child.kill('SIGKILL');
    };
    const settle = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (failure !== undefined) reject(failure);
      else resolve({ code, stdout: Buffer.concat(out), stderr });
    };
    const timer = setTimeout(
      () => fail(new DocumentReadError('OCR_TIMEOUT', `${tool} took longer than ${opts.timeoutMs} ms on ${opts.what}`)),
      opts.timeoutMs,
    );
    const onAbort = () => fail(opts.signal!.reason);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxStdout) fail(new DocumentReadError('DOCUMENT_CORRUPT', `${tool} wrote more than ${maxStdout} bytes on ${opts.what}`));
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR) stderr += chunk.toString('utf8').slice(0, MAX_STDERR - stderr.length);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') {
        fail(
          new DocumentReadError('OCR_ENGINE_MISSING', `${tool} is not installed (Debian package ${TOOL_PACKAGES[tool]}: apt-get install ${TOOL_PACKAGES[tool]})`, {
            cause: err,
          }),
        );
      } else fail(err);
      // a program that could not be started never emits 'close' on some Node versions
      if (child.pid === undefined) settle(null);
    });
    child.on('close', (code) => settle(code));
  });
}
