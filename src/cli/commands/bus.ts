import { access } from 'node:fs/promises';
import { Command } from 'commander';
import type { OpenEdxEvent } from '../../core/event.js';
import { parseBusUrl } from '../../sources/event-bus/bus-url.js';
import { createBusConsumer, describeBusSpec } from '../../sources/event-bus/create-bus-consumer.js';
import { readEventFile } from '../../sources/event-bus/event-files.js';
import { createCountingObserver } from '../../sources/event-bus/observer.js';
import type { PythonJsonValue } from '../../sources/event-bus/python-json-value.js';
import { fullTopic } from '../../sources/event-bus/stream-name.js';
import { createKafkaPublisher } from '../../sources/kafka/publisher.js';
import { createSchemaRegistryClient } from '../../sources/kafka/schema-registry.js';
import { createRedisPublisher, DEFAULT_STREAM_MAX_LEN } from '../../sources/redis-streams/publisher.js';
import { CliError } from '../../core/cli-error.js';
import { writeLine } from '../../core/write-line.js';

interface PublishOptions {
  redis?: string;
  kafka?: string;
  registry?: string;
  stream?: string;
  prefix: string;
  maxlen: string;
  source?: string;
  sourcehost?: string;
  sourcelib?: string;
  batch: string;
}

interface TailOptions {
  group: string;
  consumer?: string;
  count?: string;
}

/** `edx-event-router bus …`: test publisher and a consumer that prints what it reads. */
export function registerBusCommands(program: Command): void {
  const bus = program.command('bus').description('Open edX event bus (edx-event-bus-redis / edx-event-bus-kafka) tools');

  bus
    .command('publish')
    .description('publish Open edX events to the event bus exactly as edx-platform does (test publisher)')
    .argument('<files...>', 'events: JSON array, one JSON event, NDJSON or tracking.log lines (.gz read transparently)')
    .option('--redis <url>', 'Redis URL (the default target)', 'redis://127.0.0.1:6379/0')
    .option('--kafka <brokers>', 'publish to Kafka instead: comma-separated bootstrap servers')
    .option('--registry <url>', 'with --kafka: schema registry URL')
    .option('--stream <name>', 'stream (or Kafka topic) name; default <prefix>-analytics')
    .option('--prefix <prefix>', 'EVENT_BUS_TOPIC_PREFIX', 'dev')
    .option('--maxlen <n>', 'Redis: XADD MAXLEN ~ n (0: no trimming)', String(DEFAULT_STREAM_MAX_LEN))
    .option('--source <text>', 'metadata source', 'openedx/lms/web')
    .option('--sourcehost <name>', 'metadata sourcehost (default: this host name)')
    .option('--sourcelib <version>', 'metadata sourcelib (openedx-events version)')
    .option('--batch <n>', 'events per write', '100')
    .action(async (files: string[], options: PublishOptions) => {
      process.exitCode = await runPublish(files, options);
    });

  bus
    .command('tail')
    .description('consume the bus with a consumer group and print each event as one JSON line (acknowledged once printed)')
    .argument('<bus-url>', 'redis://host:6379/0?stream=dev-analytics or kafka://host:9092?registry=http://host:8081')
    .requiredOption('--group <name>', 'consumer group (use a group of its own: a shared group splits the events)')
    .option('--consumer <name>', 'Redis consumer name (default: host name)')
    .option('--count <n>', 'stop after n events')
    .action(async (url: string, options: TailOptions) => {
      process.exitCode = await runTail(url, options);
    });
}

function positiveInt(text: string, flag: string, allowZero = false): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1))
    throw new CliError(`${flag} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got "${text}"`);
  return n;
}

async function runPublish(files: string[], options: PublishOptions): Promise<number> {
  for (const file of files) {
    await access(file).catch(() => {
      throw new CliError(`cannot read ${file}`);
    });
  }
  if (options.kafka !== undefined && options.registry === undefined) throw new CliError('--kafka needs --registry');
  const name = options.stream ?? fullTopic(options.prefix);
  const batchSize = positiveInt(options.batch, '--batch');
  const identity = {
    ...(options.source !== undefined ? { source: options.source } : {}),
    ...(options.sourcehost !== undefined ? { sourcehost: options.sourcehost } : {}),
    ...(options.sourcelib !== undefined ? { sourcelib: options.sourcelib } : {}),
  };
  const publisher =
    options.kafka !== undefined
      ? createKafkaPublisher({
          ...identity,
          connection: { brokers: options.kafka.split(',').map((b) => b.trim()), clientId: 'edx-event-router-publisher' },
          topic: name,
          registry: createSchemaRegistryClient({ url: options.registry as string }),
        })
      : createRedisPublisher({ ...identity, url: options.redis, stream: name, maxLen: positiveInt(options.maxlen, '--maxlen', true) });

  let published = 0;
  let invalid = 0;
  let batch: OpenEdxEvent[] = [];
  let sources: Array<PythonJsonValue | undefined> = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    await publisher.publish(batch, sources);
    published += batch.length;
    batch = [];
    sources = [];
  };
  try {
    for (const file of files) {
      for await (const item of readEventFile(file)) {
        if (item.kind === 'error') {
          invalid += 1;
          process.stderr.write(`edx-event-router: ${item.where}: ${item.message}\n`);
          continue;
        }
        batch.push(item.event);
        sources.push(item.source);
        if (batch.length >= batchSize) await flush();
      }
    }
    await flush();
  } finally {
    await publisher.close();
  }
  const target = options.kafka !== undefined ? `Kafka topic ${name}` : `Redis stream ${name}`;
  process.stderr.write(`published ${published} events to ${target}${invalid > 0 ? `; ${invalid} inputs were not events` : ''}\n`);
  return invalid > 0 ? 1 : 0;
}

async function runTail(url: string, options: TailOptions): Promise<number> {
  const parsed = parseBusUrl(url);
  if (!parsed.ok) throw new CliError(parsed.message);
  const spec = parsed.spec;
  if (spec.kind === 'redis') {
    spec.settings.group = options.group;
    if (options.consumer !== undefined) spec.settings.consumer = options.consumer;
  } else {
    spec.settings.groupId = options.group;
  }
  const limit = options.count !== undefined ? positiveInt(options.count, '--count') : Infinity;
  // The consumer acknowledges whole reads: with --count, read one entry at a time so that
  // exactly the printed events are acknowledged and the rest stay for the next reader.
  if (limit !== Infinity) spec.settings.batchSize = 1;
  const observer = createCountingObserver();
  let printed = 0;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const consumer = createBusConsumer(spec, {
    observer,
    // Printing is this command's "durable store": an event is acknowledged once written out.
    sink: {
      async accept(events) {
        // A read already under way when the limit was reached: refuse it, so it is not acknowledged.
        if (printed + events.length > limit) throw new Error(`--count ${limit} reached`);
        for (const { event, sourceId } of events) await writeLine(process.stdout, JSON.stringify({ sourceId, event }));
        printed += events.length;
        if (printed >= limit) finish();
      },
    },
    deadLetter: async (entry) => {
      process.stderr.write(`dead letter ${entry.sourceId}: ${entry.reason}: ${entry.message}\n`);
    },
  });
  process.stderr.write(`reading ${describeBusSpec(spec)}\n`);
  process.once('SIGINT', finish);
  process.once('SIGTERM', finish);
  await consumer.start();
  await finished;
  await consumer.stop();
  const { received, acked, poison } = observer.counters;
  process.stderr.write(`received ${received}, acknowledged ${acked}, dead letters ${JSON.stringify(poison)}\n`);
  return 0;
}
