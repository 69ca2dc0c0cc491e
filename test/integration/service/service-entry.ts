// The CLI as bin/edx-event-router.js runs it, but from whichever folder the tests were compiled
// to (bin/ always loads dist/). Spawned by support.ts as a real child process.
import { main } from '../../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
