// `/rent` casework words for officers: `/rent worklist [patch]`, `/rent <ref> log call|visit|letter|email
// [tenant N] [outcome / note]`, `/rent <ref> legal <stage> <YYYY-MM-DD> [amount frequency start] [note]` and
// `/rent <ref> protocol`. The caller has already checked the user is an officer; logging and recording a stage
// also take the tenancy's patch (or a listed officer). Answers are ephemeral.
import type { RespondFn, SlashCommand, types as slackTypes } from '@slack/bolt';
import { findTenancy } from '../../accounts/queries.js';
import { recordLegalStage } from '../../casework/legal-stage.js';
import { isContactKind, logOfficerContact } from '../../casework/officer-contact.js';
import { tenancyProtocol } from '../../casework/protocol.js';
import { readWorklist } from '../../casework/worklist.js';
import { parseLegalStage } from '../../rent/legal.js';
import { parsePoundsToPence } from '../../rent/money.js';
import { RENT_FREQUENCIES, type RentFrequency } from '../../rent/types.js';
import { buildProtocolMessage, buildWorklistMessage, legalLine } from '../blocks/casework.js';
import { escapeSlack } from '../blocks/format.js';
import { REFUSAL_TEXT, logRefusal } from '../officers.js';
import type { SlackDeps } from './shared.js';

export const CASEWORK_RENT_USAGE =
  '`/rent worklist [patch]` for the worklist; `/rent <ref> log call|visit|letter|email [tenant N] [outcome / note]` to log a contact; ' +
  '`/rent <ref> legal notice-served|claim-issued|hearing|order-outright|order-suspended|warrant|evicted YYYY-MM-DD [amount frequency start] [note]` ' +
  'to record the legal stage; `/rent <ref> protocol` for the pre-action checklist.';

const CASEWORK_WORDS = new Set(['log', 'legal', 'protocol']);

async function reply(respond: RespondFn, text: string, blocks?: slackTypes.KnownBlock[]): Promise<void> {
  await respond({ response_type: 'ephemeral', text, ...(blocks ? { blocks } : {}) });
}

async function tenancyRefOf(deps: SlackDeps, typed: string): Promise<string | null> {
  const found = (await findTenancy(deps.sql, typed)) ?? (await findTenancy(deps.sql, typed.toUpperCase()));
  return found?.tenancy_ref ?? null;
}

/** Handles the casework words of `/rent`; false when the text is not one of them (the caller handles it). */
export async function caseworkCommand(deps: SlackDeps, command: SlashCommand, respond: RespondFn): Promise<boolean> {
  const text = command.text.trim();
  const words = text.split(/\s+/).filter((w) => w !== '');
  const now = deps.clock.now();
  if (words[0]?.toLowerCase() === 'worklist') {
    const view = await readWorklist(deps, { now, officerSlackId: command.user_id, patch: words[1] ?? null, limit: 20 });
    const message = buildWorklistMessage(view);
    await reply(respond, message.text, message.blocks);
    return true;
  }
  const [typedRef = '', word = ''] = words;
  if (!CASEWORK_WORDS.has(word.toLowerCase())) return false;
  const ref = await tenancyRefOf(deps, typedRef);
  if (!ref) {
    await reply(
      respond,
      `No tenancy \`${escapeSlack(typedRef.replace(/[<>&`]/g, ''))}\` in Rentline. Check the reference on the housing system.`,
    );
    return true;
  }
  // Changing a case takes what a card button takes: a listed officer, or this tenancy's patch officer.
  if (word.toLowerCase() !== 'protocol' && !(await deps.officers.isOfficer(command.user_id, ref))) {
    logRefusal(deps.logger, { userId: command.user_id, action: `rent_${word.toLowerCase()}` });
    await reply(respond, REFUSAL_TEXT);
    return true;
  }
  switch (word.toLowerCase()) {
    case 'protocol': {
      const protocol = await tenancyProtocol(deps.sql, ref, { now, policy: deps.policy, timeZone: deps.timeZone });
      if (protocol) {
        const message = buildProtocolMessage(ref, protocol);
        await reply(respond, message.text, message.blocks);
      }
      return true;
    }
    case 'log': {
      const kind = (words[2] ?? '').toLowerCase();
      if (!isContactKind(kind)) {
        await reply(respond, `Say what kind of contact: ${CASEWORK_RENT_USAGE}`);
        return true;
      }
      // Everything after the kind: an optional "tenant N", then "outcome / note" (or just an outcome).
      let rest = text.replace(/^\S+\s+\S+\s+\S+\s*/, '');
      const tenant = /^tenant\s+(\d+)\s*/i.exec(rest);
      if (tenant) rest = rest.slice(tenant[0].length);
      const [outcome = '', ...note] = rest.split(' / ');
      const result = await logOfficerContact(deps.sql, {
        tenancyRef: ref,
        tenantNo: tenant ? Number(tenant[1]) : null,
        kind,
        outcome,
        note: note.join(' / '),
        officer: command.user_id,
        now,
      });
      if (result.outcome === 'logged')
        await reply(
          respond,
          `Logged: ${kind} with tenant ${result.tenantNo} on ${result.tenancyRef} (contact log #${result.contactLogId}).`,
        );
      else if (result.outcome === 'no_such_tenant')
        await reply(
          respond,
          `Nothing logged: ${ref} has no tenant ${tenant?.[1] ?? ''}; its tenants are ${result.tenants.join(', ')}.`,
        );
      return true;
    }
    default: {
      const stage = parseLegalStage(words[2] ?? '');
      const date = words[3] ?? '';
      if (!stage || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
        await reply(respond, `Say the stage and its date: ${CASEWORK_RENT_USAGE}`);
        return true;
      }
      let terms: { amountPence: number; frequency: RentFrequency; startDate: string } | null = null;
      let noteFrom = 4;
      if (stage === 'order_suspended') {
        const amountPence = parsePoundsToPence(words[4] ?? '');
        const frequency = (words[5] ?? '').replace('-', '_') as RentFrequency;
        if (amountPence === null || !RENT_FREQUENCIES.includes(frequency) || !words[6]) {
          await reply(
            respond,
            'A suspended order needs its terms after the date: the amount, the frequency and the start date, e.g. `order-suspended 2026-11-20 5.00 weekly 2026-11-23`.',
          );
          return true;
        }
        terms = { amountPence, frequency, startDate: words[6] };
        noteFrom = 7;
      }
      const note = words.slice(noteFrom).join(' ') || null;
      const result = await recordLegalStage(deps, {
        tenancyRef: ref,
        stage,
        date,
        terms,
        note,
        officer: command.user_id,
        now,
      });
      if (result.outcome === 'invalid') await reply(respond, `Nothing recorded: ${result.message}.`);
      else if (result.outcome === 'recorded')
        await reply(respond, `Recorded for ${ref}: ${legalLine(result.legal) ?? stage}.`);
      return true;
    }
  }
}
