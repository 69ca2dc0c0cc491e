/**
 * Helpers shared by the event-bus integration tests (Redis Streams and Kafka): an in-test durable
 * sink, a dead-letter recorder, sample events, polling, and the skip-or-fail rule for services.
 */
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import type { OpenEdxEvent } from '../../../src/core/event.js';
import type { BusEvent, DeadLetterEntry, DurableEventSink } from '../../../src/sources/event-bus/sink.js';

/** A unique name per test (streams, topics, groups) so tests never see each other's data. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/**
 * A service the test needs is missing: under CI (`CI=true`) that is a failure, elsewhere the test
 * is skipped with the reason printed. The caller returns right after.
 */
export function serviceMissing(t: TestContext, reason: string): void {
  if (process.env['CI'] === 'true') throw new Error(`${reason} (CI=true: integration services must be available)`);
  process.stderr.write(`# skipping "${t.name}": ${reason}\n`);
  t.skip(reason);
}

/** Polls `check` every 25 ms until it is true; rejects with `what` after `timeoutMs`. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * An in-memory "durable" sink: events count as stored once `accept` resolved. `behaviour` decides
 * per call (index from 0) whether to reject, and `beforeResolve` runs checks while the entries
 * are still unacknowledged.
 */
export class RecordingSink implements DurableEventSink {
  readonly stored: BusEvent[] = [];
  calls = 0;
  rejections = 0;

  constructor(
    private readonly behaviour: { rejectCalls?: (call: number) => boolean; delayMs?: number } = {},
    private readonly beforeResolve?: (events: BusEvent[]) => Promise<void>,
  ) {}

  async accept(events: BusEvent[]): Promise<void> {
    const call = this.calls++;
    if (this.behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, this.behaviour.delayMs));
    if (this.behaviour.rejectCalls?.(call)) {
      this.rejections += 1;
      throw new Error(`sink unavailable (call ${call})`);
    }
    if (this.beforeResolve) await this.beforeResolve(events);
    this.stored.push(...events);
  }

  /** Distinct producer message ids stored. */
  messageIds(): Set<string> {
    return new Set(this.stored.map((e) => e.messageId ?? e.sourceId));
  }
}

/** Records dead letters; can reject the first `failFirst` calls. */
export class DeadLetterRecorder {
  readonly entries: DeadLetterEntry[] = [];
  private calls = 0;

  constructor(private readonly failFirst = 0) {}

  readonly handler = async (entry: DeadLetterEntry): Promise<void> => {
    if (this.calls++ < this.failFirst) throw new Error('dead-letter store unavailable');
    this.entries.push(entry);
  };

  reasons(): string[] {
    return this.entries.map((e) => e.reason).sort();
  }
}

/** `n` distinct tracking-log events (play_video), with the live shape the bus carries. */
export function sampleEvents(n: number, tag = 'e'): OpenEdxEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    name: 'play_video',
    timestamp: `2024-05-01T12:34:${String(i % 60).padStart(2, '0')}.${String(100000 + i).slice(-6)}+00:00`,
    data: { id: `${tag}-${i}`, code: 'html5', currentTime: i + 0.5, duration: 195 },
    context: { user_id: 3, course_id: 'course-v1:edX+DemoX+Demo_Course', path: '/event', org_id: 'edX' },
  }));
}
