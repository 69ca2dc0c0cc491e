import avro from 'avsc';
import type { Credentials } from './settings.js';

/** Outcome of looking a writer schema up by id. */
export type SchemaLookup =
  | { ok: true; type: avro.Type }
  /** The registry does not know the id (404), or its schema is not a usable Avro schema: poison. */
  | { ok: false; kind: 'not_found' | 'invalid'; message: string }
  /** Network error, timeout, 5xx, …: retried. */
  | { ok: false; kind: 'unavailable'; message: string };

/** The few Confluent Schema Registry calls the bus needs. */
export interface SchemaRegistryClient {
  /** `GET /schemas/ids/<id>`; successful lookups are cached for the client's lifetime. */
  schemaById(id: number): Promise<SchemaLookup>;
  /** `POST /subjects/<subject>/versions`: registers (or finds) a schema and returns its id. */
  register(subject: string, schemaText: string): Promise<number>;
}

export interface SchemaRegistryOptions {
  url: string;
  auth?: Credentials;
  /** Per-request timeout, ms. Default 10 000. */
  timeoutMs?: number;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

export function createSchemaRegistryClient(options: SchemaRegistryOptions): SchemaRegistryClient {
  const { base, authorization } = splitUrl(options.url, options.auth);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const cache = new Map<number, avro.Type>();
  const headers: Record<string, string> = { accept: CONTENT_TYPE };
  if (authorization) headers['authorization'] = authorization;

  return {
    async schemaById(id) {
      const cached = cache.get(id);
      if (cached) return { ok: true, type: cached };
      let response: Response;
      try {
        response = await fetch(`${base}/schemas/ids/${id}`, { headers, signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        return { ok: false, kind: 'unavailable', message: `schema registry: ${(error as Error).message}` };
      }
      if (response.status === 404) {
        await response.body?.cancel();
        return { ok: false, kind: 'not_found', message: `schema id ${id} is not in the registry` };
      }
      if (!response.ok) {
        await response.body?.cancel();
        return { ok: false, kind: 'unavailable', message: `schema registry answered ${response.status} for id ${id}` };
      }
      try {
        const body = (await response.json()) as { schema?: unknown; schemaType?: unknown };
        if (body.schemaType !== undefined && body.schemaType !== 'AVRO') {
          return { ok: false, kind: 'invalid', message: `schema id ${id} is ${String(body.schemaType)}, not Avro` };
        }
        if (typeof body.schema !== 'string') return { ok: false, kind: 'invalid', message: `schema id ${id}: no schema text` };
        const type = avro.Type.forSchema(JSON.parse(body.schema) as avro.Schema);
        cache.set(id, type);
        return { ok: true, type };
      } catch (error) {
        return { ok: false, kind: 'invalid', message: `schema id ${id}: ${(error as Error).message}` };
      }
    },

    async register(subject, schemaText) {
      const response = await fetch(`${base}/subjects/${encodeURIComponent(subject)}/versions`, {
        method: 'POST',
        headers: { ...headers, 'content-type': CONTENT_TYPE },
        body: JSON.stringify({ schema: schemaText }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = (await response.json().catch(() => ({}))) as { id?: unknown; message?: unknown };
      if (!response.ok || typeof body.id !== 'number') {
        throw new Error(`schema registry refused subject ${subject}: ${response.status} ${String(body.message ?? '')}`.trim());
      }
      return body.id;
    },
  };
}

// fetch() rejects URLs with credentials: move `user:pass@` into an Authorization header.
function splitUrl(url: string, auth: Credentials | undefined): { base: string; authorization?: string } {
  const parsed = new URL(url);
  let credentials = auth;
  if (parsed.username !== '' && credentials === undefined) {
    credentials = { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
  }
  parsed.username = '';
  parsed.password = '';
  const base = parsed.toString().replace(/\/+$/, '');
  if (!credentials) return { base };
  const token = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64');
  return { base, authorization: `Basic ${token}` };
}
