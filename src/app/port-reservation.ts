import { createServer, type Server } from 'node:net';

export interface PortReservation {
  /** The bound port (the one the OS chose when asked for port 0). */
  readonly port: number;
  /** Closes the placeholder so the HTTP server can bind the same port; idempotent. */
  release(): Promise<void>;
}

/**
 * Binds the listen address before the data directory is opened, so that a start on a port that
 * is taken (EADDRINUSE) fails before it has opened the stores and started the pipeline or
 * delivery. The HTTP server binds the same port right after `release()`, in `start()`.
 */
export async function reservePort(host: string, port: number): Promise<PortReservation> {
  // A client that connects before the HTTP server binds (a health check polling /readyz) is
  // refused at once: the placeholder never answers, and `close()` would wait for that connection
  // to end — a probe without a timeout kept the start waiting for ever.
  const server: Server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  let closed: Promise<void> | undefined;
  return {
    port: bound,
    release() {
      closed ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return closed;
    },
  };
}
