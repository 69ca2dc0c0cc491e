import type { Command } from 'commander';
import { runService, withServiceOptions } from './serve.js';

/**
 * Registers `consume --bus URL` and/or `consume --follow PATH`: the event-bus consumer and the
 * tracking-log follower with the same inbox, pipeline and delivery as `serve`, without HTTP
 * ingest or the admin API (only /healthz, /readyz, /metrics).
 * Routers are managed with `routers …` on the same data directory.
 */
export function registerConsumeCommand(program: Command): void {
  withServiceOptions(
    program
      .command('consume')
      .description('Consume the Open edX event bus and/or follow tracking logs into the pipeline and deliver (no HTTP ingest; health and metrics only).'),
  )
    .option(
      '--bus <url>',
      'the bus (or EVENT_ROUTER_BUS_URL; this or --follow is required): redis://host:6379/0?prefix=dev&group=… or kafka://host:9092?registry=…',
    )
    .action((options: Parameters<typeof runService>[0]) => runService(options, 'consume'));
}
