/** An outbox payload and, when the outbox kept it, its JSON text (`LeasedItem` is one). */
export interface EncodablePayload {
  readonly payload: unknown;
  readonly payloadJson?: string;
}

/** The payload's JSON text: the stored text when there is one (no parse and no stringify). */
export function payloadText(item: EncodablePayload): string {
  return item.payloadJson ?? JSON.stringify(item.payload);
}

/** `[a,b,…]` from the payloads' texts: a batch body joined from what the outbox stored. */
export function jsonArrayText(items: readonly EncodablePayload[]): string {
  let body = '[';
  for (let i = 0; i < items.length; i++) body += (i === 0 ? '' : ',') + payloadText(items[i] as EncodablePayload);
  return `${body}]`;
}
