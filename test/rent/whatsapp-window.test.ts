import { describe, expect, it } from 'vitest';
import { whatsappWindowClosesAt, whatsappWindowOpen } from '../../src/rent/whatsapp-window.js';

const last = new Date('2026-11-20T09:30:00Z');
const at = (iso: string) => new Date(iso);

describe('the WhatsApp 24-hour window', () => {
  it.each([
    ['no WhatsApp message ever', null, '2026-11-20T09:30:00Z', false],
    ['the same moment as the message', last, '2026-11-20T09:30:00Z', true],
    ['23 h 59 m 59 s later', last, '2026-11-21T09:29:59Z', true],
    ['exactly 24 hours later', last, '2026-11-21T09:30:00Z', false],
    ['two days later', last, '2026-11-22T09:30:00Z', false],
    ['a moment before the message (a job run --at an earlier time)', last, '2026-11-20T09:29:59Z', false],
  ] as const)('%s: open is %s', (_what, lastAt, now, open) => {
    expect(whatsappWindowOpen(lastAt, at(now))).toBe(open);
  });

  it('closes 24 hours after the message', () => {
    expect(whatsappWindowClosesAt(last).toISOString()).toBe('2026-11-21T09:30:00.000Z');
  });
});
