import type { S3Client } from '@aws-sdk/client-s3';
import { listLocalSources } from './sources/local-sources.js';
import type { ListOutcome, ReplaySource } from './sources/replay-source.js';
import type { S3Settings } from './sources/s3-sources.js';
import { parseS3Url } from './sources/s3-url.js';

/**
 * The sources of a run in argument order: local paths, directories and globs, and `s3://`
 * prefixes (the SDK is loaded and the client made only when one is given). Each source appears once.
 */
export async function listSources(args: readonly string[], s3Settings: () => S3Settings): Promise<{ listed: ListOutcome; dispose: () => void }> {
  let client: S3Client | undefined;
  // The S3 client's keep-alive sockets would hold the process open after the run.
  const dispose = (): void => client?.destroy();
  return { listed: await listAll(), dispose };

  async function listAll(): Promise<ListOutcome> {
    const sources: ReplaySource[] = [];
    const seen = new Set<string>();
    for (const arg of args) {
      let listed: ListOutcome;
      if (parseS3Url(arg) !== undefined) {
        // Loaded only when an S3 source is given: the AWS SDK adds ~20 MB to every run's RSS.
        const s3 = await import('./sources/s3-sources.js');
        listed = await s3.listS3Sources((client ??= s3.createS3Client(s3Settings())), arg);
      } else {
        listed = await listLocalSources([arg]);
      }
      if (!listed.ok) return listed;
      for (const source of listed.sources) {
        if (seen.has(source.identity)) continue;
        seen.add(source.identity);
        sources.push(source);
      }
    }
    return { ok: true, sources };
  }
}

/** What a checkpoint belongs to: the same sources replayed with another of these start over. */
export function checkpointScope(parts: { format: string; destination: string; since?: string; until?: string; events?: readonly string[] }): string {
  const events = parts.events && parts.events.length > 0 ? [...parts.events].sort().join(',') : '*';
  return `${parts.format}|${parts.destination}|since=${parts.since ?? '-'}|until=${parts.until ?? '-'}|events=${events}`;
}
