// What the outbox dispatcher (dispatcher.ts) is given and what it offers: its capabilities and settings,
// the counts a round reports, and its handle.
import type { Sql } from '../db/connect.js';
import type { Clock } from '../lib/clock.js';
import type { Logger } from '../lib/logger.js';
import type { Policy } from '../rent/policy.js';
import type { ClaimedMessage } from './store.js';
import type { Sender } from './types.js';

export interface DispatcherDeps {
  sql: Sql;
  /** null = no Twilio credentials: messages pass their guards, then are kept (status `kept`) for the CLI. */
  sender: Sender | null;
  clock: Clock;
  logger: Logger;
  policy: Policy;
  /** Sends in flight at once (default 32): waves of up to 16, side by side. */
  concurrency?: number;
  /** Sends started per second at most (default 20). */
  ratePerSecond?: number;
  /** Messages claimed per round (default 200). */
  batchSize?: number;
  /** A claim older than this belongs to a dead dispatcher and is taken back (default 60 s). */
  leaseMs?: number;
  /** How often start() looks for due work besides NOTIFY wake-ups (default 5 s). */
  pollMs?: number;
  /** Send attempts before a temporarily failing message is given up as `failed` (default 5). */
  maxAttempts?: number;
  /** First retry delay, doubled each attempt up to an hour (default 30 s). */
  retryBaseMs?: number;
  /** WhatsApp template key → approved ContentSid. */
  whatsappTemplates?: Record<string, string>;
  smsFrom: string | null;
  whatsappFrom: string | null;
  statusCallbackUrl: string | null;
  /**
   * True for a message that may go outside the contact window: the demo simulator's "send held texts
   * now", for demo tenancies only. Nothing else uses it; every other guard still applies.
   */
  contactWindowWaived?: (message: ClaimedMessage) => boolean;
}

export interface DispatchCounts {
  sent: number;
  held: number;
  blocked: number;
  failed: number;
  retried: number;
  kept: number;
}

export interface Dispatcher {
  runOnce(): Promise<DispatchCounts>;
  /** LISTEN rentline_outbox plus a poll timer; also reconciles claims left by a dead dispatcher at once. */
  start(): void;
  /** Lets in-flight sends finish, puts claimed-but-unstarted messages back, and stops. */
  stop(): Promise<void>;
}
