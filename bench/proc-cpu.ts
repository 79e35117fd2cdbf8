import fs from 'node:fs';

// Linux USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s.
const CLK_TCK = 100;

/** utime+stime of a process in ms (Linux /proc), or null when it is gone. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from #3 (state) on
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
  } catch {
    return null;
  }
}

/** Resident set size of a process in MB, or 0 when it is gone. */
export function processRssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

/**
 * CPU used by a changing set of processes (PostgreSQL backends of one database) between two
 * snapshots. A backend that appears later counts from zero; one that exits in between is lost
 * (pg-pool closes idle connections after 10 s), so the result is a lower bound.
 */
export function cpuDeltaMs(before: Map<number, number>, after: Map<number, number>): number {
  let sum = 0;
  for (const [pid, ms] of after) sum += Math.max(0, ms - (before.get(pid) ?? 0));
  return sum;
}

/** CPU snapshot of the given pids. */
export function snapshotCpu(pids: number[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const pid of pids) {
    const ms = processCpuMs(pid);
    if (ms !== null) m.set(pid, ms);
  }
  return m;
}
