// One dispatcher in a process of its own, for the kill test: configured from the environment exactly as
// the service is (loadConfig), it sends until nothing is queued or in flight, then exits 0 — unless the
// test kills it first. Argument: the claim lease in milliseconds.
import { loadConfig } from '../../src/config.js';
import { createSql } from '../../src/db/connect.js';
import { systemClock } from '../../src/lib/clock.js';
import { createLogger } from '../../src/lib/logger.js';
import { createDispatcher } from '../../src/outbox/dispatcher.js';
import { DEFAULT_POLICY } from '../support/policy.js';
import { createTwilioSender } from '../../src/twilio/sender.js';

const config = loadConfig();
if (!config.databaseUrl || !config.twilio) throw new Error('set DATABASE_URL and the TWILIO_* variables');
const leaseMs = Number(process.argv[2] ?? 60_000);
const sql = createSql(config.databaseUrl, { max: 6 });
const dispatcher = createDispatcher({
  sql,
  sender: createTwilioSender(config.twilio),
  clock: systemClock,
  logger: createLogger({ level: config.logLevel }),
  policy: DEFAULT_POLICY,
  concurrency: 4,
  ratePerSecond: config.sendRatePerSecond,
  leaseMs,
  pollMs: 100,
  smsFrom: config.twilio.smsFrom,
  whatsappFrom: config.twilio.whatsappFrom,
  statusCallbackUrl: null,
});
dispatcher.start();

async function outstanding(): Promise<number> {
  const [row] = await sql<
    { n: number }[]
  >`select count(*)::int as n from messages where direction = 'outbound' and status in ('queued', 'sending')`;
  return row?.n ?? 0;
}

const watch = setInterval(() => {
  void outstanding().then(async (n) => {
    if (n > 0) return;
    clearInterval(watch);
    await dispatcher.stop();
    await sql.end();
    process.exit(0);
  });
}, 100);
