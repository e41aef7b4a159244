/** Where a command writes. Tests pass buffers; the real command passes the process streams. */
export interface OutStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface Io {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
}

export const processIo: Io = { stdout: process.stdout, stderr: process.stderr };

/** `--json` output: exactly one JSON object on stdout, and nothing else there. */
export function printJson(io: Io, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A human line on stdout. */
export function say(io: Io, line = ''): void {
  io.stdout.write(`${line}\n`);
}

/** Whether to draw progress bars: only for people looking at a terminal. */
export function interactive(io: Io): boolean {
  return io.stdout.isTTY === true && io.stderr.isTTY === true;
}
