import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

/**
 * librdkafka's mock cluster for integration tests, started through Debian's
 * `kcat`: `kcat -b 127.0.0.1:1 -X test.mock.num.brokers=1 -C -t keep -q`
 * prints `Mock cluster enabled … replaced with 127.0.0.1:<port>` on stderr;
 * kafkajs then talks to that address over the real protocol. The mock has no
 * CreateTopics: topics are created on first produce or metadata request.
 */

export interface MockKafkaCluster {
  /** `host:port` of the bootstrap broker. */
  readonly bootstrap: string;
  stop(): Promise<void>;
}

export async function startMockKafkaCluster({ brokers = 1, timeoutMs = 15_000 } = {}): Promise<MockKafkaCluster> {
  const child: ChildProcess = spawn(
    'kcat',
    ['-b', '127.0.0.1:1', '-X', `test.mock.num.brokers=${brokers}`, '-C', '-t', 'keep', '-q'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const bootstrap = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`kcat printed no mock cluster address within ${timeoutMs} ms: ${text}`)), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = /replaced with (\d+\.\d+\.\d+\.\d+:\d+)\s/.exec(text);
      if (match !== null) {
        clearTimeout(timer);
        child.stderr?.off('data', onData);
        resolve(match[1]);
      }
    };
    child.stderr?.on('data', onData);
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  child.stderr?.resume();
  return {
    bootstrap,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
