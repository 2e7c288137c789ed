import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection, available without `--expose-gc` (the flag is set at run time and `gc`
 * is taken from a fresh context). Used to measure retained heap, not the garbage in flight.
 */
export const fullGc: () => void = (() => {
  setFlagsFromString('--expose_gc');
  return runInNewContext('gc') as () => void;
})();

/** Memory snapshot in MiB: resident set, V8 heap used, and the process's peak RSS so far. */
export interface MemorySnapshot {
  rssMiB: number;
  heapUsedMiB: number;
  peakRssMiB: number;
}

const MiB = 1024 * 1024;

/** Current {@link MemorySnapshot}; `gc` first when asked (heap then means retained objects). */
export function memory(gc = false): MemorySnapshot {
  if (gc) fullGc();
  const m = process.memoryUsage();
  return { rssMiB: m.rss / MiB, heapUsedMiB: m.heapUsed / MiB, peakRssMiB: (process.resourceUsage().maxRSS * 1024) / MiB };
}
