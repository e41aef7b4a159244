import { readFileSync } from 'node:fs';

/** CPU seconds a process (`/proc/<pid>/stat`) or the whole machine (`/proc/stat`) has used; undefined off Linux. */
export function cpuSeconds(pid?: number): number | undefined {
  try {
    if (pid !== undefined) {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100 on Linux)
    }
    const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return undefined;
  }
}
