/**
 * librdkafka's mock Kafka cluster, hosted by tools/kafka-mock/mockcluster (built by .ci/run with
 * `gcc -O2 -o tools/kafka-mock/mockcluster tools/kafka-mock/mockcluster.c -lrdkafka`). When the
 * binary is missing but gcc and librdkafka-dev are there, it is built into a temp dir.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../../support/paths.js';

export type MockBinary = { ok: true; path: string } | { ok: false; reason: string };

let cached: MockBinary | undefined;

export function mockClusterBinary(): MockBinary {
  if (cached) return cached;
  const dir = join(repoRoot(), 'tools', 'kafka-mock');
  const built = join(dir, 'mockcluster');
  if (existsSync(built)) return (cached = { ok: true, path: built });
  if (!existsSync('/usr/include/librdkafka/rdkafka_mock.h')) {
    return (cached = { ok: false, reason: 'librdkafka-dev is not installed (rdkafka_mock.h missing) and tools/kafka-mock/mockcluster is not built' });
  }
  const out = join(mkdtempSync(join(tmpdir(), 'kafka-mock-')), 'mockcluster');
  const gcc = spawnSync('gcc', ['-O2', '-o', out, join(dir, 'mockcluster.c'), '-lrdkafka'], { encoding: 'utf8' });
  if (gcc.status !== 0) return (cached = { ok: false, reason: `cannot build the Kafka mock: ${gcc.stderr || gcc.error?.message}` });
  return (cached = { ok: true, path: out });
}

/** A running mock cluster. Topics must be created at spawn time (the mock has no CreateTopics). */
export class MockCluster {
  private constructor(
    private readonly child: ChildProcess,
    readonly brokers: string[],
  ) {}

  static async start(binary: string, topics: Array<{ name: string; partitions: number }>, brokerCount = 1): Promise<MockCluster> {
    const args = ['-b', String(brokerCount), ...topics.flatMap((t) => ['-t', `${t.name}:${t.partitions}`])];
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr?.resume();
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const bootstrap = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('mock cluster printed no BOOTSTRAP line within 5 s')), 5000);
      lines.on('line', (line) => {
        if (line.startsWith('BOOTSTRAP=')) {
          clearTimeout(timer);
          resolve(line.slice('BOOTSTRAP='.length).trim());
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`mock cluster exited with ${code}`));
      });
    });
    return new MockCluster(child, bootstrap.split(','));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
