import { createFileTransport } from './file-transport.js';
import { createHttpTransport, type HttpTransportOptions } from './http-transport.js';
import { isFileUrl } from './router-config.js';
import type { Transport } from './transport.js';

/** Sends `file://` requests to a file transport and everything else over HTTP. */
export function createDestinationTransport(http: HttpTransportOptions = {}): Transport {
  const files = createFileTransport();
  const web = createHttpTransport(http);
  return {
    send: (request, signal) => (isFileUrl(request.url) ? files.send(request) : web.send(request, signal)),
    close: async () => {
      await Promise.all([files.close(), web.close()]);
    },
  };
}
