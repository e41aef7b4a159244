import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** TEST HELPER — a local stand-in for Slack's incoming-webhook endpoint, on 127.0.0.1, port 0. */
export interface ReceivedPost {
  readonly method: string;
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: string;
}

export interface ScriptedAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface SlackReceiver {
  /** The webhook URL for `path` (Slack's look: `/services/T…/B…/secret`). */
  url(path: string): string;
  readonly posts: ReceivedPost[];
  /** Answer the next requests with these, in order; afterwards `200 ok` as Slack does. */
  answerNext(...answers: ScriptedAnswer[]): void;
  close(): Promise<void>;
}

export async function startSlackReceiver(): Promise<SlackReceiver> {
  const posts: ReceivedPost[] = [];
  const script: ScriptedAnswer[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      posts.push({
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const answer = script.shift() ?? { status: 200, body: 'ok' };
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers }).end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    posts,
    answerNext: (...answers) => script.push(...answers),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
