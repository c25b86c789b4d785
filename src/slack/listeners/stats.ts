// `/rent stats [from] [to]`: the KPIs for an officer (ephemeral); this financial year to today by default.
import type { RespondFn } from '@slack/bolt';
import { computeKpis, kpiPeriod } from '../../kpis/index.js';
import { AppError } from '../../lib/errors.js';
import { localDateOf } from '../../rent/schedule.js';
import { buildKpiMessage } from '../blocks/kpis.js';
import type { SlackDeps } from './shared.js';

export async function rentStats(deps: SlackDeps, args: string[], respond: RespondFn): Promise<void> {
  const today = localDateOf(deps.clock.now(), deps.timeZone);
  let period;
  try {
    period = kpiPeriod({ from: args[0], to: args[1] }, today);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    await respond({
      response_type: 'ephemeral',
      text: `${error.message}. Usage: \`/rent stats [from YYYY-MM-DD] [to YYYY-MM-DD]\``,
    });
    return;
  }
  const kpis = await computeKpis(deps.sql, period, { policy: deps.policy, timeZone: deps.timeZone });
  const message = buildKpiMessage(kpis, 'Rent KPIs');
  await respond({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
}
