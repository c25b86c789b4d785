// Structured logging (pino) that never carries personal data: phone numbers, names, amounts and message
// text are redacted by key wherever they appear, and free text is never logged on purpose.
import { pino, type Logger as PinoLogger, type LevelWithSilent } from 'pino';

export type Logger = PinoLogger;

/** Keys whose values are personal data or money; redacted at any depth up to three levels. */
const REDACTED_KEYS = [
  'mobile',
  'phone',
  'to',
  'from',
  'From',
  'To',
  'Body',
  'body',
  'text',
  'message',
  'first_name',
  'last_name',
  'firstName',
  'lastName',
  'name',
  'date_of_birth',
  'dateOfBirth',
  'postcode',
  'amount',
  'amount_pence',
  'amountPence',
  'balance',
  'balance_pence',
  'balancePence',
  'arrears',
  'arrearsPence',
  'authorization',
  'Authorization',
  'cookie',
];

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of REDACTED_KEYS) paths.push(key, `*.${key}`, `*.*.${key}`);
  return paths;
}

export function createLogger(options: { level: LevelWithSilent; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'rentline' },
      redact: { paths: redactPaths(), censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

/** A logger that drops everything: for tests and the CLI's quiet mode. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * What a log line says about an error: its kind (`name`, logged as `kind` because `name` is a redacted key),
 * its code (ECONNRESET, a Postgres SQLSTATE, a Twilio code) and, when asked, its stack. Never its message,
 * which can quote a value.
 */
export function errorFields(
  error: unknown,
  options: { stack?: boolean } = {},
): { kind: string; code?: string; stack?: string } {
  if (!(error instanceof Error)) return { kind: typeof error };
  const code = (error as { code?: unknown }).code;
  return {
    kind: error.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
    ...(options.stack && error.stack ? { stack: error.stack } : {}),
  };
}
