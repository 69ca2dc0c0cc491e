import type { Transferable } from 'node:worker_threads';

/**
 * What one end of a thread channel answers and takes: requests by name (argument and reply) and
 * one-way notes by name (body). Declared as a type alias, so that a protocol's names are checked.
 */
export interface ChannelSide {
  readonly requests: { readonly [name: string]: { readonly args: unknown; readonly reply: unknown } };
  readonly notes: { readonly [name: string]: unknown };
}

type RequestName<S extends ChannelSide> = keyof S['requests'] & string;
type NoteName<S extends ChannelSide> = keyof S['notes'] & string;
type Args<S extends ChannelSide, K extends RequestName<S>> = S['requests'][K]['args'];
type Reply<S extends ChannelSide, K extends RequestName<S>> = S['requests'][K]['reply'];
/** A note without a body is sent without one. */
type NoteBody<S extends ChannelSide, K extends NoteName<S>> = S['notes'][K] extends undefined ? [] : [body: S['notes'][K]];

/** The handlers of one end: one per request it answers and one per note it takes. */
export interface ChannelHandlers<In extends ChannelSide> {
  readonly requests: { readonly [K in RequestName<In>]: (args: Args<In, K>) => Reply<In, K> | Promise<Reply<In, K>> };
  readonly notes: { readonly [K in NoteName<In>]: (...body: NoteBody<In, K>) => void };
}

/** A `Worker` or a `MessagePort` (the thread's `parentPort`). */
export interface ThreadEndpoint {
  postMessage(value: unknown, transferList?: readonly Transferable[]): void;
  on(event: 'message', listener: (value: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  off(event: 'message', listener: (value: unknown) => void): unknown;
}

/** One end of the channel, as its own thread uses it; `Out` is what the other end answers and takes. */
export interface ThreadChannel<Out extends ChannelSide> {
  /**
   * Asks the other end; resolves with its reply, rejects with the error its handler threw (name,
   * message and `code` carried across) or when the channel closes first. `transfer` moves memory
   * instead of copying it: the caller must not use it afterwards.
   */
  request<K extends RequestName<Out>>(name: K, args: Args<Out, K>, transfer?: readonly Transferable[]): Promise<Reply<Out, K>>;
  /** Tells the other end; dropped once the channel is closed. */
  notify<K extends NoteName<Out>>(name: K, ...body: NoteBody<Out, K>): void;
  /** Requests waiting for a reply. */
  readonly pending: number;
  /** Rejects what waits with `reason` and stops taking messages. Idempotent. */
  close(reason: Error): void;
}

/** The error of a failed request as it crosses threads (an `Error` is not cloned with its own fields). */
interface CarriedError {
  name: string;
  message: string;
  code?: string;
}

// Short keys: every ingest body and every batch crosses as one of these.
type Wire =
  | { k: 'q'; id: number; name: string; args: unknown }
  | { k: 'r'; id: number; value: unknown }
  | { k: 'e'; id: number; error: CarriedError }
  | { k: 'n'; name: string; body: unknown };

/**
 * Opens one end of a typed request/response channel over a worker thread's port. Both ends call
 * it, each with the other's side as `Out`. A `Worker` endpoint that exits, or a port that closes,
 * rejects the requests that wait for it: their outcome is unknown, and the caller decides.
 */
export function openThreadChannel<In extends ChannelSide, Out extends ChannelSide>(
  endpoint: ThreadEndpoint,
  handlers: ChannelHandlers<In>,
): ThreadChannel<Out> {
  const waiting = new Map<number, { resolve: (value: never) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let closed: Error | undefined;
  const requestHandlers = handlers.requests as Record<string, ((args: unknown) => unknown) | undefined>;
  const noteHandlers = handlers.notes as unknown as Record<string, ((body?: unknown) => void) | undefined>;

  const answer = (id: number, run: () => unknown): void => {
    let result: unknown;
    try {
      result = run();
    } catch (error) {
      post({ k: 'e', id, error: carried(error) });
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (value: unknown) => post({ k: 'r', id, value }),
        (error: unknown) => post({ k: 'e', id, error: carried(error) }),
      );
    } else {
      post({ k: 'r', id, value: result });
    }
  };

  const post = (message: Wire, transfer?: readonly Transferable[]): void => {
    if (closed === undefined) endpoint.postMessage(message, transfer);
  };

  const onMessage = (value: unknown): void => {
    const message = value as Wire;
    switch (message.k) {
      case 'q': {
        const handler = requestHandlers[message.name];
        answer(message.id, () => {
          if (handler === undefined) throw new Error(`no handler for request ${message.name}`);
          return handler(message.args);
        });
        break;
      }
      case 'r':
        waiting.get(message.id)?.resolve(message.value as never);
        waiting.delete(message.id);
        break;
      case 'e':
        waiting.get(message.id)?.reject(revived(message.error));
        waiting.delete(message.id);
        break;
      case 'n':
        noteHandlers[message.name]?.(message.body);
        break;
    }
  };

  const close = (reason: Error): void => {
    if (closed !== undefined) return;
    closed = reason;
    endpoint.off('message', onMessage);
    for (const entry of waiting.values()) entry.reject(reason);
    waiting.clear();
  };

  endpoint.on('message', onMessage);
  endpoint.on('exit', (code) => close(new Error(`thread exited (${code})`)));
  endpoint.on('close', () => close(new Error('thread channel closed')));

  return {
    request(name, args, transfer) {
      if (closed !== undefined) return Promise.reject(closed);
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        try {
          endpoint.postMessage({ k: 'q', id, name, args } satisfies Wire, transfer);
        } catch (error) {
          // Arguments that cannot be cloned: nothing was sent.
          waiting.delete(id);
          reject(error);
        }
      });
    },
    notify(name, ...body) {
      post({ k: 'n', name, body: body[0] });
    },
    get pending() {
      return waiting.size;
    },
    close,
  };
}

function carried(error: unknown): CarriedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? { name: error.name, message: error.message, code } : { name: error.name, message: error.message };
}

function revived(error: CarriedError): Error {
  const revivedError = new Error(error.message);
  revivedError.name = error.name;
  if (error.code !== undefined) Object.assign(revivedError, { code: error.code });
  return revivedError;
}
