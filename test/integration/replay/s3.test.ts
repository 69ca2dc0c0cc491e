import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { gzipSync } from 'node:zlib';
import { createS3Client } from '../../../src/replay/sources/s3-sources.js';
import { lrsAccepts, type FakeLrs, startFakeLrs } from '../../fakes/fake-lrs.js';
import { cleanEnv, LOOKUPS, logLines, runCli, scratch, type Scratch } from './support.js';

/** The part of s3rver (a JavaScript S3 server, no types) these tests use. */
interface S3rverServer {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: { port: number; address: string; silent: boolean; directory: string }) => S3rverServer;

function loadS3rver(): S3rverClass | string {
  try {
    return createRequire(import.meta.url)('s3rver') as S3rverClass;
  } catch (error) {
    return `s3rver is not installed (npm install): ${(error as Error).message}`;
  }
}

const S3rver = loadS3rver();
const unavailable = typeof S3rver === 'string' ? S3rver : undefined;
if (unavailable !== undefined && process.env['CI'] === 'true') throw new Error(unavailable);
if (unavailable !== undefined) console.log(`# skipping S3 replay tests: ${unavailable}`);

const BUCKET = 'tracking-logs';

describe('replay from S3-compatible storage (s3rver on loopback)', { skip: unavailable }, () => {
  let dir: Scratch;
  let server: S3rverServer;
  let endpoint: string;
  let client: S3Client;
  let lrs: FakeLrs;
  const objects: Record<string, string> = {
    'logs/2024/01/a.log': logLines(120, 0).join('\n') + '\n',
    'logs/2024/01/b.log.gz': logLines(120, 120).join('\n') + '\n',
    'logs/2024/02/c.log.gz': logLines(120, 240).join('\n') + '\n',
  };
  const env = (): Record<string, string> => cleanEnv({ AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_EC2_METADATA_DISABLED: 'true' });
  let reference: string[];

  async function put(key: string, text: string): Promise<void> {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: key.endsWith('.gz') ? gzipSync(text) : Buffer.from(text) }));
  }

  before(async () => {
    dir = scratch('replay-s3');
    server = new (S3rver as S3rverClass)({ port: 0, address: '127.0.0.1', silent: true, directory: join(dir.path, 's3') });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
    client = createS3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const [key, text] of Object.entries(objects)) await put(key, text);
    await put('other/not-this.log', logLines(5).join('\n') + '\n');
    lrs = await startFakeLrs();
    const local = Object.entries(objects).map(([key, text]) => (key.endsWith('.gz') ? dir.gz(key, text) : dir.file(key, text)));
    const run = await runCli(['replay', ...local, '--lookups', LOOKUPS, '--output', '-', '--no-progress', '--workers', '0']);
    assert.equal(run.code, 0, run.stderr);
    reference = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => String(JSON.parse(line).id))
      .sort();
  });
  after(async () => {
    await lrs?.close();
    client?.destroy();
    await server?.close();
    dir?.remove();
  });

  it('lists a prefix in key order and streams every object, gzip or not (endpoint from AWS_ENDPOINT_URL)', async () => {
    lrs.requests.length = 0;
    const run = await runCli(['replay', `s3://${BUCKET}/logs/`, '--lookups', LOOKUPS, '--lrs-url', lrs.url, '--no-checkpoint', '--no-progress'], {
      env: { ...env(), AWS_ENDPOINT_URL: endpoint },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /3 of 3 sources completed/);
    assert.deepEqual(lrs.acceptedIds().sort(), reference, 'every statement once');
    assert.doesNotMatch(run.stderr, /NodeVersionSupportWarning/);
  });

  it('resumes after the LRS went away: plain objects by byte range, gzip ones by skipping lines', async () => {
    const checkpoint = join(dir.path, 's3.db');
    const args = [
      'replay',
      `s3://${BUCKET}/logs/2024`,
      '--s3-endpoint',
      endpoint,
      '--lookups',
      LOOKUPS,
      '--lrs-url',
      lrs.url,
      '--batch-size',
      '30',
      '--concurrency',
      '1',
      '--checkpoint',
      checkpoint,
      '--lrs-retry-for',
      '0',
      '--no-progress',
    ];
    lrs.requests.length = 0;
    // a.log's first batches get in, then the LRS fails.
    lrs.respondWith((request, index) => (index < 2 ? lrsAccepts(request, index) : { status: 500 }));
    const first = await runCli(args, { env: env() });
    assert.equal(first.code, 1, first.stderr);
    const firstIds = lrs.acceptedIds();

    lrs.requests.length = 0;
    lrs.respondWith(lrsAccepts);
    const second = await runCli(args, { env: env() });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /1 resumed from a checkpoint/);
    assert.deepEqual([...firstIds, ...lrs.acceptedIds()].sort(), reference, 'nothing lost, nothing sent twice');
  });

  it('reports an object deleted after listing and goes on with the next', async () => {
    await put('gone/1.log', logLines(40).join('\n') + '\n');
    await put('gone/2.log', logLines(40, 40).join('\n') + '\n');
    await put('gone/3.log', logLines(40, 80).join('\n') + '\n');
    lrs.requests.length = 0;
    let deleted: Promise<unknown> | undefined;
    lrs.respondWith(async (request, index) => {
      deleted ??= client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'gone/2.log' }));
      await deleted;
      return lrsAccepts(request, index);
    });
    const run = await runCli(
      [
        'replay',
        `s3://${BUCKET}/gone/`,
        '--s3-endpoint',
        endpoint,
        '--lookups',
        LOOKUPS,
        '--lrs-url',
        lrs.url,
        '--batch-size',
        '10',
        '--concurrency',
        '1',
        '--no-checkpoint',
        '--no-progress',
      ],
      { env: env() },
    );
    lrs.respondWith(lrsAccepts);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, new RegExp(`s3://${BUCKET}/gone/2\\.log:1: stopped reading: .*(gone|NoSuchKey|replaced)`));
    assert.match(run.stderr, /2 of 3 sources completed, 1 unreadable/);
  });

  it('says so when the prefix holds nothing', async () => {
    const run = await runCli(['replay', `s3://${BUCKET}/nothing-here/`, '--s3-endpoint', endpoint, '--dry-run'], { env: env() });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /no objects under s3:\/\/tracking-logs\/nothing-here\//);
  });
});
