import { readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';

/** An error whose message is shown to the user as one line, with exit code 2. */
export class CliError extends Error {}

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

let cachedVersion: string | undefined;

/** This package's version, from package.json. */
export function packageVersion(): string {
  if (cachedVersion === undefined) {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    cachedVersion = pkg.version;
  }
  return cachedVersion;
}

/** `edx-event-router@<version>`: the transformer-version value unless overridden. */
export function defaultTransformerVersion(): string {
  return `edx-event-router@${packageVersion()}`;
}
