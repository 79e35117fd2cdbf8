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

/** Parent pid of every process (Linux /proc), for walking a process tree. */
function parentPids(): Map<number, number> {
  const out = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      out.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/**
 * CPU of a process and everything under it, in ms: its own utime+stime, what its exited children
 * cost (cutime+cstime, counted once the parent reaps them, as Node does), and the live
 * descendants' own time. The server's Flite worker is a child process: its CPU belongs to the
 * server. Null when the process is gone.
 */
export function processTreeCpuMs(pid: number): number | null {
  const own = (p: number, withChildren: boolean): number => {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(f[11]) + Number(f[12]) + (withChildren ? Number(f[13]) + Number(f[14]) : 0);
      return (ticks * 1000) / CLK_TCK;
    } catch {
      return 0;
    }
  };
  if (processCpuMs(pid) === null) return null;
  const parents = parentPids();
  let sum = own(pid, true);
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    for (const [child, parent] of parents) {
      if (parent !== p) continue;
      sum += own(child, true);
      stack.push(child);
    }
  }
  return sum;
}
