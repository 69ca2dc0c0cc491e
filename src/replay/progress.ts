import cliProgress from 'cli-progress';
import { formatBytes, type ReplaySummary } from './replay-summary.js';

export interface ProgressOptions {
  /** stderr, normally: stdout may be the destination. */
  stream: NodeJS.WriteStream;
  /** A bar redrawn in place (a terminal), or a log line every `intervalMs` (anything else). */
  tty: boolean;
  /** Raw bytes this run should read (sizes of the sources left, less resumed offsets), when known. */
  totalBytes?: number;
  /** Nothing is delivered: "would send" instead of "sent". */
  dryRun?: boolean;
  /** Between log lines when not a terminal, ms. Default 5000. */
  intervalMs?: number;
}

export interface ProgressReporter {
  /** Draws the last state and stops. Idempotent. */
  stop(): void;
}

interface Sample {
  at: number;
  lines: number;
  bytes: number;
}

/** Rates are measured over this window, so they follow the current speed, not the average. */
const RATE_WINDOW_MS = 10_000;

/** Shows a run's progress from its summary: lines read per second, bytes read, ETA and counts. */
export function startProgress(summary: ReplaySummary, options: ProgressOptions): ProgressReporter {
  const samples: Sample[] = [];
  const total = options.totalBytes;

  function measure(): { rate: number; eta: string; percent: string } {
    const now: Sample = { at: performance.now(), lines: summary.linesRead, bytes: summary.bytesRead };
    samples.push(now);
    while (samples.length > 2 && now.at - (samples[0] as Sample).at > RATE_WINDOW_MS) samples.shift();
    const first = samples[0] as Sample;
    const seconds = (now.at - first.at) / 1000;
    const rate = seconds > 0 ? (now.lines - first.lines) / seconds : 0;
    const byteRate = seconds > 0 ? (now.bytes - first.bytes) / seconds : 0;
    const left = total === undefined ? undefined : Math.max(0, total - now.bytes);
    const eta = left === undefined || byteRate <= 0 ? '?' : formatDuration(left / byteRate);
    const percent = total ? `${Math.min(100, (100 * now.bytes) / total).toFixed(1)}%` : '?%';
    return { rate, eta, percent };
  }

  const counts = (): string =>
    `${options.dryRun ? 'would send' : 'sent'} ${n(summary.recordsSent)}, skipped ${n(summary.skippedTotal)} (${n(summary.unparsableTotal)} unparsable)`;

  if (options.tty) {
    const bar = new cliProgress.SingleBar(
      {
        stream: options.stream,
        // Payload names must not clash with cli-progress's own tokens (total, eta, value, percentage).
        format: 'replay [{bar}] {pct} | {read} of {size} | {rate} lines/s | {lines} lines, {counts} | ETA {left}',
        barsize: 24,
        hideCursor: true,
        clearOnComplete: false,
        fps: 4,
      },
      cliProgress.Presets.shades_classic,
    );
    const payload = (): Record<string, string> => {
      const { rate, eta, percent } = measure();
      return {
        pct: percent,
        read: formatBytes(summary.bytesRead),
        size: total === undefined ? '?' : formatBytes(total),
        rate: n(rate),
        lines: n(summary.linesRead),
        counts: counts(),
        left: eta,
      };
    };
    bar.start(total ?? 0, 0, payload());
    const timer = setInterval(() => bar.update(Math.min(summary.bytesRead, total ?? 0), payload()), 250);
    timer.unref();
    let stopped = false;
    return {
      stop() {
        if (stopped) return;
        stopped = true;
        clearInterval(timer);
        bar.update(Math.min(summary.bytesRead, total ?? 0), payload());
        bar.stop();
      },
    };
  }

  const log = (): void => {
    const { rate, eta, percent } = measure();
    const of = total === undefined ? '' : ` of ${formatBytes(total)} (${percent})`;
    options.stream.write(`replay: read ${formatBytes(summary.bytesRead)}${of}, ${n(summary.linesRead)} lines, ${n(rate)} lines/s, ${counts()}, ETA ${eta}\n`);
  };
  measure();
  const timer = setInterval(log, options.intervalMs ?? 5000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
    },
  };
}

const n = (value: number): string => Math.round(value).toLocaleString('en-US');

function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (v: number): string => String(v).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}
