import type { DeliveryQueue } from '../queue/port.js';
import type { PipelineObserver } from './observer.js';
import type { PipelineParts } from './open-pipeline-parts.js';
import { createPipelineRunner, type PipelineRunner } from './pipeline-runner.js';
import { commitBatch, prepareNextBatch, type PipelineDeps } from './process-batch.js';

export interface PipelineAssembly {
  /** Finished parts, opened by the composition root of the thread the pipeline runs in. */
  readonly parts: PipelineParts;
  /** Where the items go (enqueue only). */
  readonly queue: Pick<DeliveryQueue, 'enqueue'>;
  readonly observer: PipelineObserver;
  readonly onEnqueued?: (routerIds: readonly string[]) => void;
  /** A batch failed; the loop recovers (logged by the caller). */
  readonly onError?: (error: unknown) => void;
  readonly onStall?: (message: string) => void;
}

export interface BuiltPipeline {
  readonly runner: PipelineRunner;
  readonly parts: PipelineParts;
  /** Stops the loop first if needed, then closes the parts (not the queue or the router store). */
  close(): Promise<void>;
}

/** Puts the loop together from finished parts; opens nothing. */
export function buildPipeline(assembly: PipelineAssembly): BuiltPipeline {
  const { parts } = assembly;
  const deps: PipelineDeps = {
    inbox: parts.inbox,
    queue: assembly.queue,
    routes: parts.routes,
    identity: parts.identity,
    backends: parts.backends,
    ctx: parts.ctx,
    businessCritical: parts.businessCritical,
    statementLog: parts.statementLog,
    observer: assembly.observer,
  };
  const runner = createPipelineRunner({
    step: async () => {
      const batch = await prepareNextBatch(deps, parts.batchSize);
      return batch === null ? { kind: 'empty' } : { kind: 'started', committed: commitBatch(deps, batch) };
    },
    nextDueAt: () => parts.inbox.stats().nextDueAt,
    ...(assembly.onEnqueued !== undefined ? { onEnqueued: assembly.onEnqueued } : {}),
    ...(assembly.onStall !== undefined ? { onStall: assembly.onStall } : {}),
    onError: (error) => assembly.onError?.(error),
  });
  return {
    runner,
    parts,
    async close() {
      await runner.stop();
      await parts.close();
    },
  };
}
