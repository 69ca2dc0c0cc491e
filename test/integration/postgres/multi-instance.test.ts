import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { createPostgresQueue } from '../../../src/queue/postgres/postgres-queue.js';
import { createTestDatabase, skipOrFail, testServer } from './test-database.js';
import { JsonPayload } from '../../../src/queue/json-payload.js';

interface Line {
  w: string;
  t: 'ready' | 'leased' | 'stalled' | 'delivered' | 'acked' | 'done';
  ids?: string[];
  from?: number;
  until?: number;
  at?: number;
}

const WORKER = fileURLToPath(new URL('./lease-worker.js', import.meta.url));
const LEASE_MS = 1500;
const ITEMS = 1500;
const children: ChildProcess[] = [];
after(() => children.forEach((child) => child.exitCode === null && child.kill('SIGKILL')));

const server = await testServer();

function startWorker(url: string, name: string, stallAfter: number, lines: Line[], onLine: (line: Line) => void) {
  const child = spawn(process.execPath, [WORKER, url, name, String(LEASE_MS), String(stallAfter)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  createInterface({ input: child.stdout }).on('line', (text) => {
    const line = JSON.parse(text) as Line;
    lines.push(line);
    onLine(line);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const check = (): void => void (lines.some((l) => l.w === name && l.t === 'ready') ? resolve() : setTimeout(check, 10));
    check();
    void exited.then(() => reject(new Error(`${name} exited before it was ready`)));
  });
  const go = (): void => void child.stdin?.write('go\n');
  return { child, exited, ready, go };
}

describe('three serve instances (processes) sharing one PostgreSQL outbox', () => {
  if (!server.ok) {
    it('needs PostgreSQL', (t) => skipOrFail(t, server.reason));
    return;
  }

  it('deliver every item; a kill -9 mid-lease hands the items over once the lease expires', { timeout: 60_000 }, async () => {
    const db = await (await createTestDatabase(server.adminUrl)).schema();
    const producer = await createPostgresQueue({ connectionString: db.url, poolSize: 2 });
    for (let start = 0; start < ITEMS; start += 500) {
      const outcome = await producer.enqueue(
        Array.from({ length: 500 }, (_, i) => ({ routerId: 'r', eventId: `e${start + i}`, payload: JsonPayload.of({ n: start + i }) })),
      );
      assert.ok(outcome.ok);
    }

    const lines: Line[] = [];
    let killedAt = 0;
    let stalled: string[] = [];
    const victim = startWorker(db.url, 'victim', 3, lines, (line) => {
      if (line.t !== 'stalled') return;
      stalled = line.ids ?? [];
      killedAt = Date.now();
      victim.child.kill('SIGKILL');
    });
    const others = ['w1', 'w2'].map((name) => startWorker(db.url, name, 0, lines, () => undefined));
    const all = [victim, ...others];
    await Promise.all(all.map((w) => w.ready));
    all.forEach((w) => w.go());

    const codes = await Promise.all(others.map((w) => w.exited));
    assert.deepEqual(codes, [0, 0], 'the surviving instances finish');
    assert.equal(await victim.exited, null, 'the victim was killed (signal)');
    assert.ok(stalled.length > 0 && killedAt > 0, 'the victim held a lease when it was killed');

    // At least once: every item was delivered.
    const delivered = new Map<string, string[]>();
    for (const line of lines.filter((l) => l.t === 'delivered')) {
      for (const id of line.ids ?? []) delivered.set(id, [...(delivered.get(id) ?? []), line.w]);
    }
    assert.equal(delivered.size, ITEMS, 'every item delivered');
    const stats = await producer.stats();
    assert.equal(stats.depth, 0);

    // The killed instance's items went to a survivor, and only after its lease expired.
    const victimLease = lines.find((l) => l.w === 'victim' && l.t === 'leased' && l.ids?.[0] === stalled[0]);
    assert.ok(victimLease?.until);
    for (const id of stalled) {
      const takeover = lines.find((l) => l.t === 'leased' && l.w !== 'victim' && l.ids?.includes(id));
      assert.ok(takeover, `${id} taken over`);
      assert.ok((takeover.from ?? 0) >= victimLease.until, `${id} leased again only after the victim's lease expired`);
      assert.deepEqual(delivered.get(id)?.includes('victim'), false);
    }

    // No item leased by two instances at once: each lease of an item ends (ack, or expiry)
    // before the next one of it starts.
    const leases = new Map<string, Array<{ w: string; from: number; end: number }>>();
    for (const line of lines.filter((l) => l.t === 'leased')) {
      for (const id of line.ids ?? []) {
        const acked = lines.find((l) => l.t === 'acked' && l.w === line.w && l.ids?.includes(id));
        const end = Math.min(acked?.at ?? Infinity, line.until ?? Infinity);
        leases.set(id, [...(leases.get(id) ?? []), { w: line.w, from: line.from ?? 0, end }]);
      }
    }
    for (const [id, list] of leases) {
      list.sort((a, b) => a.from - b.from);
      for (let i = 1; i < list.length; i++) {
        const [prev, next] = [list[i - 1], list[i]];
        assert.ok(prev && next && next.from >= prev.end, `${id}: leased by ${prev?.w} and ${next?.w} at once`);
      }
    }
    const shares = ['victim', 'w1', 'w2'].map((w) => lines.filter((l) => l.w === w && l.t === 'leased').length);
    assert.ok(
      shares.every((n) => n > 0),
      `all three leased concurrently: ${shares.join('/')} batches`,
    );
    await producer.close();
  });
});
