import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { startProgress } from './progress.js';
import { ReplaySummary } from './replay-summary.js';

describe('replay progress', () => {
  it('names its rate for what it counts: lines read per second', async () => {
    const summary = new ReplaySummary();
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const progress = startProgress(summary, { stream: stream as unknown as NodeJS.WriteStream, tty: false, intervalMs: 5 });
    summary.linesRead = 1200;
    const deadline = Date.now() + 10_000;
    while (!text.includes('\n') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    progress.stop();
    const line = text.split('\n')[0] as string;
    assert.match(line, /^replay: read 0 B, 1,200 lines, [\d,]+ lines\/s, sent 0,/);
    assert.doesNotMatch(line, /events\/s/);
  });
});
