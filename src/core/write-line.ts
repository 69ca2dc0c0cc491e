import type { Writable } from 'node:stream';

/** Write a line, waiting for the stream to drain so memory stays flat on large inputs. */
export function writeLine(stream: Writable, line: string): Promise<void> | void {
  if (stream.write(line + '\n')) return;
  return new Promise((resolve, reject) => {
    const onDrain = (): void => {
      stream.off('error', onError);
      resolve();
    };
    const onError = (error: Error): void => {
      stream.off('drain', onDrain);
      reject(error);
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}
