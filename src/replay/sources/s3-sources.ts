import { GetObjectCommand, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { ListOutcome, ReplaySource } from './replay-source.js';
import { parseS3Url } from './s3-url.js';

/** Where the S3-compatible storage is. Credentials come from the AWS SDK's usual chain (environment, profile). */
export interface S3Settings {
  /** e.g. `http://127.0.0.1:9000` for MinIO; AWS when undefined. */
  endpoint?: string;
  region: string;
  /** Path-style URLs (`endpoint/bucket/key`), which MinIO, s3rver and Ceph need. */
  forcePathStyle: boolean;
  /** Static credentials (tests); otherwise the SDK's default provider chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client({
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    ...(settings.endpoint !== undefined ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials !== undefined ? { credentials: settings.credentials } : {}),
    // Checksums only where S3 requires them: many S3-compatible servers reject or mangle the newer
    // default checksum headers, and ranged GETs (resume) cannot be validated whole anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
  });
}

/**
 * Every object under `s3://bucket/prefix`, in key order (the order S3 lists in), skipping
 * "folder" markers. Each is streamed when its turn comes; a resume asks for a byte range.
 */
export async function listS3Sources(client: S3Client, url: string): Promise<ListOutcome> {
  const parsed = parseS3Url(url);
  if (parsed === undefined) return { ok: false, message: `not an S3 URL: ${url}` };
  const { bucket, prefix } = parsed;
  const sources: ReplaySource[] = [];
  try {
    for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })) {
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined || (object.Key.endsWith('/') && (object.Size ?? 0) === 0)) continue;
        sources.push(objectSource(client, bucket, object.Key, object.ETag ?? '', object.Size));
      }
    }
  } catch (error) {
    return { ok: false, message: `cannot list ${url}: ${describeS3Error(error)}` };
  }
  if (sources.length === 0) return { ok: false, message: `no objects under ${url}` };
  return { ok: true, sources };
}

function objectSource(client: S3Client, bucket: string, key: string, etag: string, size: number | undefined): ReplaySource {
  const name = `s3://${bucket}/${key}`;
  return {
    name,
    identity: `${name}|${etag}`,
    size,
    async open(offset) {
      try {
        const response = await client.send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: key,
            ...(offset > 0 ? { Range: `bytes=${offset}-` } : {}),
            // The object replaced since it was listed would mix two versions in one checkpoint.
            ...(etag !== '' ? { IfMatch: etag } : {}),
          }),
        );
        return response.Body as Readable;
      } catch (error) {
        throw new Error(describeS3Error(error), { cause: error });
      }
    },
    isTransient,
  };
}

/** Network drops and server-side trouble pass; a missing or replaced object does not. */
function isTransient(error: unknown): boolean {
  const e = (error instanceof Error && error.cause !== undefined ? error.cause : error) as {
    code?: string;
    name?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500 || status === 429;
  return (
    e?.$retryable !== undefined ||
    ['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNREFUSED', 'EAI_AGAIN', 'ERR_STREAM_PREMATURE_CLOSE'].includes(e?.code ?? '') ||
    e?.name === 'TimeoutError' ||
    /aborted|socket hang up/i.test(String((e as Error)?.message))
  );
}

function describeS3Error(error: unknown): string {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.name === 'NoSuchKey') return 'the object is gone (NoSuchKey)';
  if (e?.name === 'NoSuchBucket') return 'no such bucket (NoSuchBucket)';
  if (e?.name === 'PreconditionFailed' || e?.$metadata?.httpStatusCode === 412) return 'the object was replaced since it was listed (ETag changed)';
  const status = e?.$metadata?.httpStatusCode;
  return `${e?.name ?? 'Error'}${status !== undefined ? ` (HTTP ${status})` : ''}: ${e?.message ?? String(error)}`;
}
