import { createFileTransport, type FileTransportOptions } from './file-transport.js';
import { createHttpTransport, type HttpTransportOptions } from './http-transport.js';
import { isFileUrl } from './router-config.js';
import type { Transport } from './transport.js';

/** Sends `file://` requests to a file transport (only below `files.root`) and everything else over HTTP. */
export function createDestinationTransport(http: HttpTransportOptions = {}, files: FileTransportOptions = { root: undefined }): Transport {
  const fileTransport = createFileTransport(files);
  const web = createHttpTransport(http);
  return {
    send: (request, signal) => (isFileUrl(request.url) ? fileTransport.send(request) : web.send(request, signal)),
    close: async () => {
      await Promise.all([fileTransport.close(), web.close()]);
    },
  };
}
