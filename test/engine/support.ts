// Shared fixtures for the engine tests: the shipped flows and policy, and a conversation context on a
// fixed clock, so each test states only what it changes.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadFlows } from '../../src/engine/load.js';
import { parsePolicy, type Policy } from '../../src/rent/policy.js';
import type { ConversationContext } from '../../src/engine/types.js';

export const FLOWS_DIR = fileURLToPath(new URL('../../flows', import.meta.url));
export const TRANSCRIPTS_DIR = fileURLToPath(new URL('../../flows/transcripts', import.meta.url));

export function shippedPolicy(): Policy {
  return parsePolicy(parse(readFileSync(`${FLOWS_DIR}/policy.yaml`, 'utf8')));
}

export function shippedFlows() {
  return loadFlows(FLOWS_DIR);
}

export function context(overrides: Partial<ConversationContext> = {}): ConversationContext {
  return {
    now: new Date('2026-11-25T10:00:00Z'),
    timeZone: 'Europe/London',
    language: 'en',
    channel: 'sms',
    tenancyRef: 'DH-000123',
    tenant: { firstName: 'Sam', dateOfBirth: '1985-03-12', postcode: 'SW1A 1AA' },
    account: { balancePence: 41_200, arrearsPence: 41_200, weeklyRentPence: 10_300, nextDueDate: '2026-11-30' },
    policy: shippedPolicy(),
    whatsappWindowOpen: true,
    ...overrides,
  };
}
