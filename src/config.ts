// The only reader of process.env. Parsed once with zod, frozen, and boot fails naming every bad variable.
import { z } from 'zod';
import { DEFAULT_TIME_ZONE } from './rent/policy.js';

const optionalText = z.string().trim().min(1).optional();

const configSchema = z
  .object({
    DATABASE_URL: z
      .string()
      .trim()
      .min(1)
      .optional()
      .describe('a postgres:// connection string, or unset for embedded Postgres'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000).describe('a TCP port number, e.g. 3000'),
    PUBLIC_BASE_URL: z
      .string()
      .url()
      .optional()
      .describe('the public https URL Twilio and Slack call, e.g. https://rentline.example.org'),
    API_TOKEN: z
      .string()
      .min(16, 'must be at least 16 characters')
      .optional()
      .describe('a long random bearer token for /api/*'),
    TWILIO_ACCOUNT_SID: z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex characters')
      .optional(),
    TWILIO_AUTH_TOKEN: optionalText,
    TWILIO_SMS_FROM: z
      .string()
      .regex(
        /^(\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32})$/,
        'must be an E.164 number (+447…) or a Messaging Service SID (MG…)',
      )
      .optional(),
    TWILIO_WHATSAPP_FROM: z
      .string()
      .regex(/^whatsapp:\+[1-9]\d{6,14}$/, 'must look like whatsapp:+447…')
      .optional(),
    TWILIO_API_BASE_URL: z.string().url().optional(),
    SLACK_BOT_TOKEN: z
      .string()
      .regex(/^xox[bp]-/, 'must be a bot token starting xoxb-')
      .optional(),
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_ESCALATION_CHANNEL: z
      .string()
      .regex(/^[CG][A-Z0-9]+$/, 'must be a Slack channel id such as C0123ABCD')
      .optional(),
    SLACK_OFFICER_IDS: z
      .string()
      .optional()
      .transform((v) =>
        (v ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^[UW][A-Z0-9]+$/, 'must be Slack user ids such as U0123ABCD, comma-separated'))),
    SLACK_API_URL: z.string().url().optional(),
    // The landlord's one time zone: policy.time_zone is filled from it (policy.yaml has no time zone of its own).
    TIME_ZONE: z
      .string()
      .default(DEFAULT_TIME_ZONE)
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en-GB', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'must be an IANA time zone such as Europe/London'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    FLOWS_DIR: z.string().default('flows').describe('folder of flow files and policy.yaml'),
    DATA_DIR: z.string().default('.data').describe('where embedded Postgres keeps its data'),
    DEMO_SEED: z
      .enum(['auto', 'off'])
      .default('auto')
      .describe('auto: seed a demo landlord into an empty embedded database'),
    SEND_RATE_PER_SECOND: z.coerce.number().positive().default(20),
    DRY_RUN: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
  })
  .superRefine((c, ctx) => {
    const twilio = [c.TWILIO_ACCOUNT_SID, c.TWILIO_AUTH_TOKEN, c.TWILIO_SMS_FROM];
    if (twilio.some(Boolean) && !twilio.every(Boolean)) {
      ctx.addIssue({
        code: 'custom',
        path: ['TWILIO_ACCOUNT_SID'],
        message: 'set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_SMS_FROM together, or none of them',
      });
    }
    const slack = [c.SLACK_BOT_TOKEN, c.SLACK_SIGNING_SECRET];
    if (slack.some(Boolean) && !slack.every(Boolean)) {
      ctx.addIssue({
        code: 'custom',
        path: ['SLACK_BOT_TOKEN'],
        message: 'set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET together, or neither',
      });
    }
  });

type ParsedEnv = z.infer<typeof configSchema>;

export interface Config {
  databaseUrl: string | null;
  port: number;
  publicBaseUrl: string;
  apiToken: string | null;
  twilio: {
    accountSid: string;
    authToken: string;
    smsFrom: string;
    whatsappFrom: string | null;
    apiBaseUrl: string | null;
  } | null;
  /** Kept apart from `twilio` so webhooks can still be verified when sending is off. */
  twilioAuthToken: string | null;
  slack: { botToken: string; signingSecret: string; escalationChannel: string | null; apiUrl: string | null } | null;
  slackOfficerIds: readonly string[];
  timeZone: string;
  logLevel: ParsedEnv['LOG_LEVEL'];
  flowsDir: string;
  dataDir: string;
  demoSeed: boolean;
  sendRatePerSecond: number;
  dryRun: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Rentline cannot start: fix these environment variables (see .env.example):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/** The variables Rentline reads; .env.example must document each (a test keeps them in step). */
export const CONFIG_KEYS = Object.keys(configSchema.shape) as (keyof ParsedEnv)[];

export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  // Empty strings in a .env file mean "unset", as most operators expect.
  const present = Object.fromEntries(CONFIG_KEYS.map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  const e = parsed.data;
  const config: Config = {
    databaseUrl: e.DATABASE_URL ?? null,
    port: e.PORT,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    apiToken: e.API_TOKEN ?? null,
    twilio:
      e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN && e.TWILIO_SMS_FROM
        ? {
            accountSid: e.TWILIO_ACCOUNT_SID,
            authToken: e.TWILIO_AUTH_TOKEN,
            smsFrom: e.TWILIO_SMS_FROM,
            whatsappFrom: e.TWILIO_WHATSAPP_FROM ?? null,
            apiBaseUrl: e.TWILIO_API_BASE_URL ?? null,
          }
        : null,
    twilioAuthToken: e.TWILIO_AUTH_TOKEN ?? null,
    slack:
      e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET
        ? {
            botToken: e.SLACK_BOT_TOKEN,
            signingSecret: e.SLACK_SIGNING_SECRET,
            escalationChannel: e.SLACK_ESCALATION_CHANNEL ?? null,
            apiUrl: e.SLACK_API_URL ?? null,
          }
        : null,
    slackOfficerIds: Object.freeze([...e.SLACK_OFFICER_IDS]),
    timeZone: e.TIME_ZONE,
    logLevel: e.LOG_LEVEL,
    flowsDir: e.FLOWS_DIR,
    dataDir: e.DATA_DIR,
    demoSeed: e.DEMO_SEED === 'auto',
    sendRatePerSecond: e.SEND_RATE_PER_SECOND,
    dryRun: e.DRY_RUN,
  };
  return Object.freeze(config);
}
