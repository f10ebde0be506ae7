// A free TCP port on 127.0.0.1, for the servers tests start (code-server, sshd, emulators).
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      if (!address || typeof address === 'string') {
        srv.close(() => reject(new Error('no port')));
        return;
      }
      srv.close(() => resolvePort(address.port));
    });
  });
}
