import { createServer } from 'node:net';
import { MovierecError } from '../errors.js';

/** A TCP port the OS says is free on `host` right now (bind port 0, read it, release it). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close(() => reject(new MovierecError(`cannot read the port bound on ${host}`)));
        return;
      }
      server.close(() => resolvePort(address.port));
    });
  });
}
