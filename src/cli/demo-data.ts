// `npm run demo-data`: the demo generator's command line, for demos and the import benchmark:
//   npx tsx src/cli/demo-data.ts --out .data/demo --tenancies 150000 [--years 2] [--seed 1] [--today YYYY-MM-DD] [--ref-prefix DEMO]
// Writes <out>/tenancies.csv and <out>/transactions.csv (see write-csv.ts) and reports counts and speed.

import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { writeDemoCsv } from '../demo/write-csv.js';

/** Today's civil date in London, the default end of history. */
function londonToday(): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

async function runDemoCli(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      tenancies: { type: 'string', default: '1000' },
      years: { type: 'string', default: '2' },
      seed: { type: 'string', default: '1' },
      today: { type: 'string' },
      'ref-prefix': { type: 'string', default: 'DEMO' },
    },
  });
  if (!values.out)
    throw new Error(
      'usage: demo --out <dir> [--tenancies N] [--years Y] [--seed S] [--today YYYY-MM-DD] [--ref-prefix P]',
    );
  const started = performance.now();
  const result = await writeDemoCsv(values.out, {
    tenancies: Number(values.tenancies),
    years: Number(values.years),
    seed: Number(values.seed),
    today: values.today ?? londonToday(),
    refPrefix: values['ref-prefix'],
  });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `${result.tenancyRows} tenancy rows → ${result.tenanciesFile}\n` +
      `${result.transactionRows} transactions → ${result.transactionsFile}\n` +
      `${seconds.toFixed(1)} s (${Math.round(result.transactionRows / seconds)} transactions/s including tenancies)\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runDemoCli(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
