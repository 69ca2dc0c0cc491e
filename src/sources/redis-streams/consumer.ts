import { Redis } from 'ioredis';
import { backoffDelayMs, settlesWithin, sleep, untilAborted } from '../event-bus/backoff.js';
import type { BusConsumer, BusConsumerDeps } from '../event-bus/bus-consumer.js';
import { noopBusObserver, safely, type BusFailureStage, type BusObserver } from '../event-bus/observer.js';
import type { PoisonReason } from '../event-bus/poison.js';
import type { BusEvent, DeadLetterEntry } from '../event-bus/sink.js';
import { decodeStreamEntry } from './entry-decoder.js';
import { ensureGroup, isNoGroupError, readGroupLag } from './group.js';
import { redisConsumerSettings, type RedisConsumerSettings } from './settings.js';
import { parseAutoClaimReply, parseReadGroupReply, type RawStreamEntry } from './stream-reply.js';

/** Options of `createRedisStreamConsumer`. */
export interface RedisStreamConsumerOptions extends BusConsumerDeps {
  settings?: Partial<RedisConsumerSettings>;
}

/**
 * Consumes tracking-log events from an edx-event-bus-redis stream with a consumer group.
 * Better than the reference consumer: an entry is XACKed only after its event is durably in the
 * sink (or its poison in the dead-letter handler); the group is never moved to `$`; own pending
 * entries are read again first (at start, after a failure or a reconnect); entries pending on
 * dead consumers are taken over with XAUTOCLAIM; a lost connection is retried, never fatal.
 */
export function createRedisStreamConsumer(options: RedisStreamConsumerOptions): BusConsumer {
  return new RedisStreamConsumer(options);
}

type Phase = 'idle' | 'reading' | 'processing';

class RedisStreamConsumer implements BusConsumer {
  private readonly settings: RedisConsumerSettings;
  private readonly observer: BusObserver;
  private readonly abort = new AbortController();
  private client: Redis | undefined;
  private loop: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private phase: Phase = 'idle';
  private stage: BusFailureStage = 'connect';
  private readyResolve!: () => void;
  private readonly ready = new Promise<void>((resolve) => (this.readyResolve = resolve));
  // Own pending entries are read (from id 0, page by page) before any new entry.
  private pelCursor: string | undefined = '0';
  private claimCursor = '0-0';
  private nextClaimAt = 0;
  private claimSupported = true;
  private rescanRequested = false;
  private nextLagAt = 0;

  constructor(private readonly options: RedisStreamConsumerOptions) {
    this.settings = redisConsumerSettings(options.settings);
    this.observer = options.observer ?? noopBusObserver;
  }

  async start(): Promise<void> {
    if (this.loop || this.abort.signal.aborted) return;
    const client = new Redis(this.settings.url, {
      lazyConnect: true,
      // Commands wait for the reconnection instead of failing: an outage is a pause, not an error.
      maxRetriesPerRequest: null,
      retryStrategy: (times) => Math.min(100 * times, 2000),
      connectionName: `edx-event-router:${this.settings.consumer}`,
    });
    let connectedBefore = false;
    client.on('error', (error: unknown) => this.report('connect', error));
    client.on('ready', () => {
      // A reply lost with the old connection may have moved entries into our pending list.
      if (connectedBefore) this.rescanRequested = true;
      connectedBefore = true;
    });
    this.client = client;
    this.loop = this.run(client);
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.abort.abort();
    this.readyResolve();
    const client = this.client;
    if (!client || !this.loop) return;
    // A blocked XREADGROUP would hold the loop for up to blockMs: drop the connection. Entries
    // Redis delivered in that reply stay in our pending list and are read again on restart.
    if (this.phase !== 'processing') client.disconnect();
    if (!(await settlesWithin(this.loop, this.settings.stopTimeoutMs))) client.disconnect();
    // QUIT only on a live connection: on a dead one it would wait in the offline queue forever.
    if (client.status === 'ready') await settlesWithin(client.quit(), 1000);
    client.disconnect();
  }

  private async run(client: Redis): Promise<void> {
    const signal = this.abort.signal;
    let groupReady = false;
    let attempt = 0;
    while (!signal.aborted) {
      try {
        if (!groupReady) {
          this.stage = 'connect';
          // While Redis is unreachable commands wait in ioredis' offline queue, which a
          // disconnect does not always flush: reads and set-up give way to stop() instead.
          await untilAborted(ensureGroup(client, this.settings.stream, this.settings.group), signal);
          groupReady = true;
          this.pelCursor = '0';
          this.readyResolve();
        }
        await this.step(client);
        attempt = 0;
      } catch (error) {
        this.phase = 'idle';
        if (signal.aborted) break;
        // The stream or group vanished (Redis restarted without persistence): create it again.
        if (isNoGroupError(error)) groupReady = false;
        this.report(this.stage, error);
        this.pelCursor = '0';
        attempt += 1;
        await sleep(backoffDelayMs(attempt, this.settings.backoff), signal);
      }
    }
  }

  /** One read and its processing. */
  private async step(client: Redis): Promise<void> {
    const { stream, batchSize, blockMs } = this.settings;
    if (this.rescanRequested) {
      this.rescanRequested = false;
      this.pelCursor = '0';
    }
    if (this.pelCursor !== undefined) {
      this.stage = 'read';
      const entries = parseReadGroupReply(await this.read(client, ['COUNT', batchSize, 'STREAMS', stream, this.pelCursor]));
      if (entries.length === 0) {
        this.pelCursor = undefined;
        return;
      }
      await this.handle(client, entries);
      this.pelCursor = entries[entries.length - 1]?.entryId ?? '0';
      return;
    }
    const now = Date.now();
    if (this.claimSupported && now >= this.nextClaimAt) {
      await this.claim(client);
      return;
    }
    if (now >= this.nextLagAt) await this.reportLag(client);
    this.stage = 'read';
    const entries = parseReadGroupReply(await this.read(client, ['COUNT', batchSize, 'BLOCK', blockMs, 'STREAMS', stream, '>']));
    if (entries.length > 0) await this.handle(client, entries);
  }

  private async read(client: Redis, args: Array<string | number>): Promise<unknown> {
    this.phase = 'reading';
    try {
      const reply = client.callBuffer('XREADGROUP', 'GROUP', this.settings.group, this.settings.consumer, ...args);
      return await untilAborted(reply, this.abort.signal);
    } finally {
      this.phase = 'idle';
    }
  }

  /** One page of XAUTOCLAIM: entries idle on any consumer (a dead one) for claimMinIdleMs. */
  private async claim(client: Redis): Promise<void> {
    const { stream, group, consumer, claimMinIdleMs, batchSize, claimIntervalMs } = this.settings;
    this.stage = 'claim';
    this.phase = 'reading';
    let reply: unknown;
    try {
      reply = await untilAborted(
        client.callBuffer('XAUTOCLAIM', stream, group, consumer, claimMinIdleMs, this.claimCursor, 'COUNT', batchSize),
        this.abort.signal,
      );
    } catch (error) {
      // Redis < 6.2 has no XAUTOCLAIM: report it once and consume without reclaiming.
      if (!(error instanceof Error && /unknown command/i.test(error.message))) throw error;
      this.claimSupported = false;
      this.report('claim', error);
      return;
    } finally {
      this.phase = 'idle';
    }
    const { next, entries, deleted } = parseAutoClaimReply(reply);
    const trimmed: RawStreamEntry[] = deleted.map((entryId) => ({ entryId, fields: null }));
    if (entries.length > 0) safely(() => this.observer.reclaimed(entries.length));
    // Redis 7 already dropped trimmed ids from the pending list; count them as dead letters anyway.
    if (trimmed.length > 0) await this.handle(client, trimmed, { ack: false });
    if (entries.length > 0) await this.handle(client, entries);
    this.claimCursor = next;
    if (next === '0-0') this.nextClaimAt = Date.now() + claimIntervalMs;
  }

  private async reportLag(client: Redis): Promise<void> {
    this.nextLagAt = Date.now() + this.settings.lagIntervalMs;
    try {
      const lag = await untilAborted(readGroupLag(client, this.settings.stream, this.settings.group), this.abort.signal);
      if (lag) safely(() => this.observer.lag(lag));
    } catch (error) {
      this.report('lag', error);
    }
  }

  /** Dead-letters the poison, hands the rest to the sink, then XACKs them all. Throws on failure. */
  private async handle(client: Redis, entries: RawStreamEntry[], { ack = true } = {}): Promise<void> {
    this.phase = 'processing';
    try {
      safely(() => this.observer.received(entries.length));
      const events: BusEvent[] = [];
      const dead: DeadLetterEntry[] = [];
      for (const entry of entries) {
        const decoded = decodeStreamEntry(this.settings.stream, entry);
        if (decoded.ok) events.push(decoded.item);
        else dead.push(decoded.dead);
      }
      this.stage = 'dead_letter';
      for (const entry of dead) await this.options.deadLetter(entry);
      this.stage = 'sink';
      if (events.length > 0) await this.options.sink.accept(events);
      if (ack) {
        this.stage = 'ack';
        await client.xack(this.settings.stream, this.settings.group, ...entries.map((e) => e.entryId));
        safely(() => this.observer.acked(entries.length));
      }
      const byReason = new Map<PoisonReason, number>();
      for (const entry of dead) byReason.set(entry.reason, (byReason.get(entry.reason) ?? 0) + 1);
      for (const [reason, count] of byReason) safely(() => this.observer.poison(reason, count));
    } finally {
      this.phase = 'idle';
    }
  }

  private report(stage: BusFailureStage, error: unknown): void {
    safely(() => this.observer.failure(stage, error));
  }
}
