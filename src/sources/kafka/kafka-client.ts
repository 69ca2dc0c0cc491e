import { Kafka, logLevel, type KafkaConfig, type logCreator } from 'kafkajs';
import { safely, type BusObserver } from '../event-bus/observer.js';
import type { Credentials } from './settings.js';

/** Connection settings shared by the consumer and the test publisher. */
export interface KafkaConnection {
  brokers: string[];
  clientId: string;
  sasl?: Credentials;
  ssl?: boolean;
}

/**
 * A kafkajs client. edx-event-bus-kafka authenticates with SASL/PLAIN over TLS when an API key is
 * set. kafkajs' own ERROR logs are reported as `client` failures (it retries by itself); pass
 * `logCreator` to route all its logs elsewhere.
 */
export function createKafkaClient(connection: KafkaConnection, observer?: BusObserver, custom?: logCreator): Kafka {
  const config: KafkaConfig = { brokers: connection.brokers, clientId: connection.clientId };
  if (connection.sasl) {
    config.sasl = { mechanism: 'plain', username: connection.sasl.username, password: connection.sasl.password };
    config.ssl = true;
  } else if (connection.ssl) {
    config.ssl = true;
  }
  if (custom) {
    config.logCreator = custom;
    config.logLevel = logLevel.INFO;
  } else {
    config.logLevel = logLevel.ERROR;
    config.logCreator = () => (entry) => {
      if (entry.level === logLevel.ERROR && observer) {
        safely(() => observer.failure('client', new Error(`kafkajs ${entry.namespace}: ${entry.log.message}`)));
      }
    };
  }
  return new Kafka(config);
}
