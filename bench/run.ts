// `npm run bench -- <name>`: runs one benchmark (or all) and prints its figures as JSON.
import { benchDaily } from './daily.js';
import { benchImport } from './import.js';
import { benchSlack } from './slack.js';
import { benchWebhook } from './webhook.js';

const BENCHES: Record<string, () => Promise<Record<string, unknown>>> = {
  daily: () => benchDaily(),
  import: () => benchImport(),
  slack: () => benchSlack(),
  webhook: () => benchWebhook(),
};

async function main(): Promise<void> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const selected = names.length > 0 ? names : Object.keys(BENCHES);
  for (const name of selected) {
    const bench = BENCHES[name];
    if (!bench) throw new Error(`unknown benchmark "${name}"; choose from ${Object.keys(BENCHES).join(', ')}`);
    console.log(`\n== ${name} ==`);
    console.log(JSON.stringify(await bench(), null, 2));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
