import type { CapturedResponse } from '../queue/port.js';

/**
 * What one delivery attempt of a batch came to (architecture §6). Exceptions never cross the
 * delivery boundary; transports and classify turn everything into one of these.
 */
export type DeliveryOutcome =
  | {
      status: 'delivered';
      statusCode?: number;
      /** xAPI 409: the LRS already holds a statement with this id. */
      alreadyStored?: boolean;
    }
  | {
      status: 'retryable';
      error: string;
      /** From Retry-After, uncapped; the retry policy caps it. */
      retryAfterMs?: number;
      response: CapturedResponse;
    }
  | {
      status: 'rejected';
      error: string;
      /** 401: the credentials are wrong for every statement; the router is marked unhealthy. */
      unhealthy?: boolean;
      response: CapturedResponse;
    };

export type DeliveryStatus = DeliveryOutcome['status'];
