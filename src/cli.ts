// `npm run rentline -- <command>`: the operator CLI's entry point. The commands live in src/cli/.
import { runCli } from './cli/index.js';
import { limitHeapGrowth } from './lib/heap-growth.js';

limitHeapGrowth();

process.exit(await runCli(process.argv.slice(2)));
