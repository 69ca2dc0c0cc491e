// Worker-thread entry of createWorkerTransformer: builds the transform runtime once from the
// settings it is started with (identity resolver included, on connections of its own), then
// answers each unit of lines with its UnitOutput, or with the error that stopped it.
import { parentPort, workerData } from 'node:worker_threads';
import { outputTransferList, runtimeFromSettings, transformUnit, type LineTransformSettings, type UnitInput } from './transform-lines.js';

const runtime = await runtimeFromSettings(workerData as LineTransformSettings);
const port = parentPort;
if (port === null) throw new Error('transform-worker runs in a worker thread only');
port.on('message', (message: { id: number; unit: UnitInput }) => {
  transformUnit(message.unit, runtime).then(
    // The records' buffer is handed over, not copied.
    (output) => port.postMessage({ id: message.id, output }, outputTransferList(output)),
    (error: unknown) => port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
