import type { AppendOutcome, InboxInput, ReadPosition } from '../../queue/inbox/port.js';

export type { ReadPosition };

/**
 * The port the follower stores through: the inbox's append, with the read position committed in
 * the same transaction as the events (so a crash loses or repeats nothing beyond the chunk in
 * hand), and the positions committed so far. Every inbox adapter implements it.
 */
export interface ReadPositionStore {
  append(inputs: readonly InboxInput[], position?: ReadPosition): Promise<AppendOutcome>;
  readPositions(): Promise<ReadPosition[]>;
}
