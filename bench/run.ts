// `npm run bench -- <name>`: runs one benchmark (or all) and prints its figures as JSON.
// Each benchmark is imported only when chosen, so the process measured holds what that benchmark needs.
const BENCHES: Record<string, () => Promise<Record<string, unknown>>> = {
  daily: async () => (await import('./daily.js')).benchDaily(),
  'evidence-pack': async () => (await import('./evidence-pack.js')).benchEvidencePack(),
  kpis: async () => (await import('./kpis.js')).benchKpis(),
  import: async () => (await import('./import.js')).benchImport(),
  slack: async () => (await import('./slack.js')).benchSlack(),
  webhook: async () => (await import('./webhook.js')).benchWebhook(),
  worklist: async () => (await import('./worklist.js')).benchWorklist(),
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
