// The CLI as bin/edx-event-router.js runs it, but from whichever folder the tests were
// compiled to (bin/ always loads dist/). Spawned by support.ts.
import { main } from '../../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
