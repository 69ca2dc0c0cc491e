import type { Consumer, EachBatchPayload, KafkaMessage, logCreator } from 'kafkajs';
import { backoffDelayMs, settlesWithin, sleep } from '../event-bus/backoff.js';
import type { BusConsumer, BusConsumerDeps } from '../event-bus/bus-consumer.js';
import { noopBusObserver, safely, type BusFailureStage, type BusObserver } from '../event-bus/observer.js';
import type { PoisonReason } from '../event-bus/poison.js';
import type { BusEvent, DeadLetterEntry } from '../event-bus/sink.js';
import { createKafkaClient } from './kafka-client.js';
import { KafkaMessageDecoder } from './message-decoder.js';
import { createSchemaRegistryClient, type SchemaRegistryClient } from './schema-registry.js';
import { kafkaConsumerSettings, type KafkaConsumerSettings } from './settings.js';

/** Options of `createKafkaConsumer`. */
export interface KafkaConsumerOptions extends BusConsumerDeps {
  settings?: Partial<KafkaConsumerSettings>;
  /** A registry client to use instead of one built from the settings (tests, shared caches). */
  registry?: SchemaRegistryClient;
  /** Route kafkajs' logs (default: its errors become `client` failures on the observer). */
  logCreator?: logCreator;
}

/**
 * Consumes tracking-log events from an edx-event-bus-kafka topic with a consumer group. Offsets
 * are committed only after the sink (and dead-letter handler) resolved — never auto-committed —
 * so a crash or a failing sink redelivers instead of losing events. A failing chunk is retried
 * in place (heartbeating meanwhile) until it succeeds, the partition is revoked or we stop.
 */
export function createKafkaConsumer(options: KafkaConsumerOptions): BusConsumer {
  return new KafkaBusConsumer(options);
}

class KafkaBusConsumer implements BusConsumer {
  private readonly settings: KafkaConsumerSettings;
  private readonly observer: BusObserver;
  private readonly decoder: KafkaMessageDecoder;
  private readonly abort = new AbortController();
  private consumer: Consumer | undefined;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private readyResolve!: () => void;
  private readonly ready = new Promise<void>((resolve) => (this.readyResolve = resolve));

  constructor(private readonly options: KafkaConsumerOptions) {
    this.settings = kafkaConsumerSettings(options.settings);
    this.observer = options.observer ?? noopBusObserver;
    const registry =
      options.registry ??
      createSchemaRegistryClient(
        this.settings.schemaRegistryAuth
          ? { url: this.settings.schemaRegistryUrl, auth: this.settings.schemaRegistryAuth }
          : { url: this.settings.schemaRegistryUrl },
      );
    this.decoder = new KafkaMessageDecoder(registry);
  }

  async start(): Promise<void> {
    if (this.starting || this.abort.signal.aborted) return;
    const s = this.settings;
    const kafka = createKafkaClient(s, this.observer, this.options.logCreator);
    const consumer = kafka.consumer({
      groupId: s.groupId,
      sessionTimeout: s.sessionTimeoutMs,
      rebalanceTimeout: s.rebalanceTimeoutMs,
      heartbeatInterval: s.heartbeatIntervalMs,
      maxWaitTimeInMs: s.maxWaitTimeMs,
      // Never let the consumer die quietly: kafkajs restarts it after any crash.
      retry: { restartOnFailure: async () => !this.abort.signal.aborted },
    });
    consumer.on(consumer.events.GROUP_JOIN, () => this.readyResolve());
    consumer.on(consumer.events.CRASH, (event) => this.report('client', event.payload.error));
    this.consumer = consumer;
    this.starting = this.connect(consumer);
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
    if (!this.consumer) return;
    const deadline = Date.now() + this.settings.stopTimeoutMs;
    // A connect attempt in progress is not abortable in kafkajs: wait for it, within the deadline.
    if (this.starting) await settlesWithin(this.starting, this.settings.stopTimeoutMs);
    // disconnect() waits for the batch in hand (whose retry loop sees isRunning() turn false).
    const done = this.consumer.disconnect().catch((error: unknown) => this.report('client', error));
    await settlesWithin(done, Math.max(0, deadline - Date.now()));
  }

  /** connect + subscribe + run, retried with backoff until it works or we stop. */
  private async connect(consumer: Consumer): Promise<void> {
    const signal = this.abort.signal;
    for (let attempt = 1; !signal.aborted; attempt++) {
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: [this.settings.topic], fromBeginning: this.settings.fromBeginning });
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          eachBatch: (payload) => this.eachBatch(payload),
        });
        return;
      } catch (error) {
        this.report('connect', error);
        await consumer.disconnect().catch(() => undefined);
        await sleep(backoffDelayMs(attempt, this.settings.backoff), signal);
      }
    }
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const { topic, partition } = batch;
    const lag = Number(batch.offsetLag());
    if (Number.isFinite(lag)) safely(() => this.observer.lag({ undelivered: lag, partition }));
    const size = this.settings.batchSize;
    for (let i = 0; i < batch.messages.length; i += size) {
      const chunk = batch.messages.slice(i, i + size);
      safely(() => this.observer.received(chunk.length));
      const poison = await this.processWithRetry(topic, partition, chunk, payload);
      if (poison === undefined) return; // stopped or partition revoked: leave it uncommitted
      const last = chunk[chunk.length - 1] as KafkaMessage;
      resolveOffset(last.offset);
      await this.consumer?.commitOffsets([{ topic, partition, offset: (BigInt(last.offset) + 1n).toString() }]);
      safely(() => this.observer.acked(chunk.length));
      for (const [reason, count] of poison) safely(() => this.observer.poison(reason, count));
      if (!isRunning() || isStale()) return;
      await heartbeat();
    }
  }

  /** Returns the poison counts once the chunk is stored, or undefined when we must give up. */
  private async processWithRetry(
    topic: string,
    partition: number,
    chunk: KafkaMessage[],
    { heartbeat, isRunning, isStale }: EachBatchPayload,
  ): Promise<Map<PoisonReason, number> | undefined> {
    for (let attempt = 1; ; attempt++) {
      if (!isRunning() || isStale() || this.abort.signal.aborted) return undefined;
      const stage: { current: BusFailureStage } = { current: 'decode' };
      try {
        return await this.process(topic, partition, chunk, stage);
      } catch (error) {
        this.report(stage.current, error);
      }
      await this.waitHeartbeating(backoffDelayMs(attempt, this.settings.backoff), heartbeat);
    }
  }

  private async process(topic: string, partition: number, chunk: KafkaMessage[], stage: { current: BusFailureStage }): Promise<Map<PoisonReason, number>> {
    const events: BusEvent[] = [];
    const dead: DeadLetterEntry[] = [];
    for (const message of chunk) {
      const outcome = await this.decoder.decode(topic, partition, message);
      if (outcome.kind === 'retry') throw new Error(outcome.message);
      if (outcome.kind === 'event') events.push(outcome.item);
      else dead.push(outcome.dead);
    }
    stage.current = 'dead_letter';
    for (const entry of dead) await this.options.deadLetter(entry);
    stage.current = 'sink';
    if (events.length > 0) await this.options.sink.accept(events);
    const counts = new Map<PoisonReason, number>();
    for (const entry of dead) counts.set(entry.reason, (counts.get(entry.reason) ?? 0) + 1);
    return counts;
  }

  // kafkajs heartbeats only between fetches: keep the group membership alive while backing off.
  private async waitHeartbeating(ms: number, heartbeat: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + ms;
    const slice = Math.max(50, Math.floor(this.settings.heartbeatIntervalMs / 2));
    while (!this.abort.signal.aborted && Date.now() < deadline) {
      await sleep(Math.min(slice, deadline - Date.now()), this.abort.signal);
      await heartbeat();
    }
  }

  private report(stage: BusFailureStage, error: unknown): void {
    safely(() => this.observer.failure(stage, error));
  }
}
