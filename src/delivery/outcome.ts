import type { CapturedResponse } from '../queue/port.js';

/**
 * What one delivery attempt of a batch came to (architecture §6). Exceptions never cross the
 * delivery boundary; transports and classify turn everything into one of these.
 */
export type DeliveryOutcome =
  | {
      status: 'delivered';
      statusCode?: number;
      /**
       * xAPI 409: the LRS holds a statement with this id. For a batch, some other statement of it
       * may be new (Ralph then stores nothing of the batch); for one statement, it is a different
       * statement with the same id (an identical one is answered 2xx), so delivery and replay
       * treat it as a conflict.
       */
      alreadyStored?: boolean;
      /** The 409 answer, kept with the conflict's dead letter. */
      response?: CapturedResponse;
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
