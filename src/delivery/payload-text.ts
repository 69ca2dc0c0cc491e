import type { JsonPayload } from '../queue/json-payload.js';

/** An outbox payload as a request builder takes it (`LeasedItem` is one). */
export interface EncodablePayload {
  readonly payload: JsonPayload;
}

/** `[a,b,…]` from the payloads' texts: a batch body joined from what the outbox stored. */
export function jsonArrayText(items: readonly EncodablePayload[]): string {
  let body = '[';
  for (let i = 0; i < items.length; i++) body += (i === 0 ? '' : ',') + (items[i] as EncodablePayload).payload.text;
  return `${body}]`;
}
