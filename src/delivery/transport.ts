/** One request to a destination, already encoded. */
export interface TransportRequest {
  url: string;
  headers: Record<string, string>;
  /** The encoded body; bytes when the caller holds encoded records already (replay). */
  body: string | Uint8Array;
  /** For file destinations: the lines to append (one JSON document each). */
  lines?: readonly string[];
}

/** What came back: a response of any status, or a transport error (never an exception). */
export type TransportResult =
  | {
      kind: 'response';
      statusCode: number;
      headers: Readonly<Record<string, string | string[] | undefined>>;
      /** Response text, truncated to the transport's limit. */
      body: string;
      durationMs: number;
    }
  | {
      kind: 'error';
      /** ECONNREFUSED, ECONNRESET, TIMEOUT, ABORTED, EACCES, … */
      code: string;
      message: string;
      durationMs: number;
    };

/** Sends encoded requests; `close` ends pooled connections or open files. */
export interface Transport {
  send(request: TransportRequest, signal?: AbortSignal): Promise<TransportResult>;
  close(): Promise<void>;
}

/** The code transports use when the caller's signal ended the request (shutdown). */
export const ABORTED = 'ABORTED';
/** The code transports use when a request ran past its timeout. */
export const TIMEOUT = 'TIMEOUT';
