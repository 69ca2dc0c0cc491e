/**
 * What a router may put in a request header, checked when the router is saved: a header the
 * HTTP client refuses (undici: UND_ERR_INVALID_ARG) would make every delivery fail as retryable,
 * forever, and a line break in a value would split the request.
 */

// RFC 9110 §5.6.2 token.
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Headers that frame the message or belong to one connection (RFC 9110 §7.6.1, §6.4; RFC 9112):
 * the client writes them itself from the body and the URL.
 */
export const FORBIDDEN_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'http2-settings',
]);

/** Printable ASCII, space and tab inside; no space or tab at either end (RFC 9110 §5.5). */
const FIELD_VALUE = /^(?:[\x21-\x7e](?:[\x20-\x7e\t]*[\x21-\x7e])?)?$/;

/** Why `value` cannot be sent as a header value, or undefined. Non-ASCII is refused: clients encode it differently. */
export function headerValueError(value: string): string | undefined {
  if (FIELD_VALUE.test(value)) return undefined;
  const bad = [...value].findIndex((ch) => !/[\x20-\x7e\t]/.test(ch));
  if (bad >= 0) {
    const code = value.codePointAt(bad) ?? 0;
    return `must hold only printable ASCII characters: U+${code.toString(16).toUpperCase().padStart(4, '0')} at position ${bad + 1}`;
  }
  return 'must not start or end with a space or tab';
}

/** Why `name: value` cannot be a configured request header, or undefined. */
export function headerFieldError(name: string, value: string): string | undefined {
  if (!FIELD_NAME.test(name)) return "is not a valid HTTP header name (letters, digits and !#$%&'*+.^_`|~- only)";
  if (FORBIDDEN_HEADERS.has(name.toLowerCase())) {
    return `cannot be set: the HTTP client writes ${name} itself (framing and connection headers are refused)`;
  }
  return headerValueError(value);
}
