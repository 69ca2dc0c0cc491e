// Worker-thread entry of createWorkerTransformer: builds the transform runtime once from the
// settings it is started with, then answers each unit of lines with its UnitOutput.
import { parentPort, workerData } from 'node:worker_threads';
import { outputTransferList, runtimeFromSettings, transformUnit, type LineTransformSettings, type UnitInput } from './transform-lines.js';

const runtime = await runtimeFromSettings(workerData as LineTransformSettings);
const port = parentPort;
if (port === null) throw new Error('transform-worker runs in a worker thread only');
port.on('message', (message: { id: number; unit: UnitInput }) => {
  const output = transformUnit(message.unit, runtime);
  // The records' buffer is handed over, not copied.
  port.postMessage({ id: message.id, output }, outputTransferList(output));
});
