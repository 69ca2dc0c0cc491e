import { pythonJsonDumps } from '../shared/python-json.js';
import type { TransformContext } from '../shared/transform-settings.js';
import type { Agent } from './statement.js';

const MAX_ENTRIES = 10_000;

/**
 * The actor's Python JSON as bytes (the learner's part of every statement id), remembered by
 * the value that identifies the learner (anonymous id or email).
 *
 * A learner's events come in runs (one session is dozens to hundreds of events), and rendering
 * and encoding the actor was a fifth of each id's cost. The actor also depends on the LMS URL
 * and IFI type, which are the same for every event of a process; should they change, the
 * entries are dropped rather than keyed by them. Bounded: when full, it starts again empty.
 */
export class ActorBytesCache {
  private lmsUrl: string | undefined;
  private ifiType: string | undefined;
  private readonly entries = new Map<string, Buffer>();

  bytesOf(ctx: TransformContext, identity: string, actor: Agent): Buffer {
    if (ctx.lmsUrl !== this.lmsUrl || ctx.ifiType !== this.ifiType) {
      this.entries.clear();
      this.lmsUrl = ctx.lmsUrl;
      this.ifiType = ctx.ifiType;
    }
    let bytes = this.entries.get(identity);
    if (bytes === undefined) {
      // ensure_ascii: the rendering is ASCII, so latin1 is its exact UTF-8 encoding.
      bytes = Buffer.from(pythonJsonDumps(actor), 'latin1');
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(identity, bytes);
    }
    return bytes;
  }
}
