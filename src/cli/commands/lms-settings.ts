import { Option, type Command } from 'commander';
import { renderLmsSettings, TUTOR_BUS_DEFAULTS } from '../../sources/event-bus/lms-settings.js';
import { transformedEventNames } from '../../transforms/supported-events.js';
import { packageVersion } from '../../config/package-version.js';

interface LmsSettingsCliOptions {
  bus: 'redis' | 'kafka';
  topicPrefix: string;
  redisUrl: string;
  kafkaBootstrapServers: string;
  schemaRegistryUrl: string;
  keepErb?: boolean;
}

/** `edx-event-router lms-settings`: the LMS's Django settings for the event-bus way in. */
export function registerLmsSettingsCommand(program: Command): void {
  program
    .command('lms-settings')
    .description('print the Django settings an LMS adds to publish tracking events on the event bus for this service (docs/migrating-from-erb.md)')
    .addOption(new Option('--bus <kind>', 'the bus the LMS publishes on').choices(['redis', 'kafka']).default('redis'))
    .option('--topic-prefix <prefix>', 'EVENT_BUS_TOPIC_PREFIX (the stream or topic is <prefix>-analytics)', TUTOR_BUS_DEFAULTS.topicPrefix)
    .option('--redis-url <url>', 'EVENT_BUS_REDIS_CONNECTION_URL', TUTOR_BUS_DEFAULTS.redisUrl)
    .option('--kafka-bootstrap-servers <list>', 'EVENT_BUS_KAFKA_BOOTSTRAP_SERVERS', TUTOR_BUS_DEFAULTS.kafkaBootstrapServers)
    .option('--schema-registry-url <url>', 'EVENT_BUS_KAFKA_SCHEMA_REGISTRY_URL', TUTOR_BUS_DEFAULTS.schemaRegistryUrl)
    .option('--keep-erb', "leave event-routing-backends' routing in place, to compare both before the switch")
    .action((options: LmsSettingsCliOptions) => {
      process.stdout.write(
        renderLmsSettings({
          bus: options.bus,
          eventNames: transformedEventNames(),
          topicPrefix: options.topicPrefix,
          redisUrl: options.redisUrl,
          kafkaBootstrapServers: options.kafkaBootstrapServers,
          schemaRegistryUrl: options.schemaRegistryUrl,
          keepErb: options.keepErb === true,
          generator: `edx-event-router ${packageVersion()}`,
        }),
      );
    });
}
