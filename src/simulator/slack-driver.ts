// The demo officer's hands: builds the payloads Slack sends when someone clicks a button, picks from an
// overflow menu, submits a modal, opens App Home or types `/rent`, signs each with the signing secret as
// Slack does, and delivers it to the same receiver and Bolt listeners as POST /slack/events.
import { createHmac, randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import type { SlackWorkspace } from './slack-workspace.js';

type Json = Record<string, unknown>;

export interface SlackDriver {
  click(input: {
    ts?: string;
    viewId?: string;
    blockId: string;
    actionId: string;
    value?: string;
    selected?: string;
  }): Promise<{ status: number }>;
  /** Submits the open modal; returns the inline errors Bolt answered with, if any. */
  submit(viewId: string, fields: Record<string, string>): Promise<{ errors: Record<string, string> | null }>;
  openHome(): Promise<void>;
  /** The officer writes in a card's thread: Slack shows it and sends the app a message event. */
  replyInThread(threadTs: string, text: string): Promise<boolean>;
  command(text: string): Promise<void>;
}

const TEAM = { id: 'TSIMULATOR', domain: 'rentline-demo' };

function sign(secret: string, body: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature };
}

function findElement(blocks: unknown[], blockId: string, actionId: string): Json | null {
  for (const raw of blocks) {
    const block = raw as Json;
    if (String(block.block_id ?? '') !== blockId) continue;
    const candidates = [
      ...(Array.isArray(block.elements) ? (block.elements as Json[]) : []),
      ...(block.accessory ? [block.accessory as Json] : []),
    ];
    const found = candidates.find((e) => e.action_id === actionId);
    if (found) return found;
  }
  return null;
}

/** What a modal's inputs hold, in Slack's `view.state.values` shape, from the submitted form. */
function stateValues(blocks: unknown[], fields: Record<string, string>): Record<string, Record<string, Json>> {
  const values: Record<string, Record<string, Json>> = {};
  for (const raw of blocks) {
    const block = raw as Json;
    if (block.type !== 'input') continue;
    const blockId = String(block.block_id ?? '');
    const el = (block.element ?? {}) as Json;
    const actionId = String(el.action_id ?? '');
    const given = fields[`field:${blockId}`] ?? '';
    if (el.type === 'static_select') {
      const option = (Array.isArray(el.options) ? (el.options as Json[]) : []).find((o) => o.value === given);
      values[blockId] = { [actionId]: { type: 'static_select', selected_option: option ?? null } };
    } else if (el.type === 'datepicker') {
      values[blockId] = { [actionId]: { type: 'datepicker', selected_date: given === '' ? null : given } };
    } else {
      values[blockId] = { [actionId]: { type: 'plain_text_input', value: given === '' ? null : given } };
    }
  }
  return values;
}

export function createSlackDriver(options: {
  route: Hono;
  signingSecret: string;
  workspace: SlackWorkspace;
  afterDelivery: () => Promise<void>;
}): SlackDriver {
  const { workspace: ws } = options;
  const user = { id: ws.officer.id, username: ws.officer.name, name: ws.officer.name, team_id: TEAM.id };

  async function deliver(body: string, contentType: string): Promise<Response> {
    const response = await options.route.request('/', {
      method: 'POST',
      headers: { 'content-type': contentType, ...sign(options.signingSecret, body) },
      body,
    });
    return response;
  }

  async function deliverPayload(payload: Json): Promise<Response> {
    return deliver(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );
  }

  /** An Events API callback, as Slack wraps an event, then whatever follows a delivery. */
  async function deliverEvent(event: Json): Promise<void> {
    const body = JSON.stringify({
      token: 'simulator',
      team_id: TEAM.id,
      api_app_id: 'ASIMULATOR',
      type: 'event_callback',
      event_id: `Ev${randomBytes(6).toString('hex').toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      event,
    });
    await deliver(body, 'application/json');
    await options.afterDelivery();
  }

  return {
    async click(input) {
      const message = input.ts ? ws.find(input.ts) : null;
      const view = input.viewId ? (ws.modal()?.id === input.viewId ? ws.modal() : ws.home()) : null;
      const blocks = message?.blocks ?? (view?.view as { blocks?: unknown[] } | undefined)?.blocks ?? [];
      const el = findElement(blocks, input.blockId, input.actionId);
      if (!el) return { status: 404 };
      const actionTs = `${Date.now() / 1000}`;
      const action: Json =
        el.type === 'overflow'
          ? {
              type: 'overflow',
              action_id: input.actionId,
              block_id: input.blockId,
              action_ts: actionTs,
              selected_option:
                (Array.isArray(el.options) ? (el.options as Json[]) : []).find((o) => o.value === input.selected) ??
                null,
            }
          : {
              type: 'button',
              action_id: input.actionId,
              block_id: input.blockId,
              action_ts: actionTs,
              text: el.text,
              value: el.value ?? input.value ?? '',
            };
      const where = message
        ? {
            container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
            channel: { id: message.channel, name: 'rent-escalations' },
            message: {
              type: 'message',
              ts: message.ts,
              text: message.text,
              blocks: message.blocks,
              user: ws.botUserId,
              bot_id: ws.botId,
              ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
            },
          }
        : {
            container: { type: 'view', view_id: view?.id },
            view: { id: view?.id, hash: view?.hash, ...(view?.view ?? {}) },
          };
      const response = await deliverPayload({
        type: 'block_actions',
        team: TEAM,
        user,
        api_app_id: 'ASIMULATOR',
        token: 'simulator',
        trigger_id: ws.triggerId(),
        response_url: ws.responseUrl(),
        actions: [action],
        state: { values: {} },
        ...where,
      });
      await options.afterDelivery();
      return { status: response.status };
    },

    async submit(viewId, fields) {
      const modal = ws.modal();
      if (!modal || modal.id !== viewId) return { errors: null };
      const view = modal.view as Json & { blocks?: unknown[] };
      const response = await deliverPayload({
        type: 'view_submission',
        team: TEAM,
        user,
        api_app_id: 'ASIMULATOR',
        token: 'simulator',
        trigger_id: ws.triggerId(),
        view: { ...view, id: modal.id, hash: modal.hash, state: { values: stateValues(view.blocks ?? [], fields) } },
        response_urls: [],
      });
      const text = await response.text();
      const answer = text.startsWith('{')
        ? (JSON.parse(text) as { response_action?: string; errors?: Record<string, string> })
        : {};
      if (answer.response_action === 'errors' && answer.errors) return { errors: answer.errors };
      ws.closeModal();
      await options.afterDelivery();
      return { errors: null };
    },

    async openHome() {
      const event = {
        type: 'app_home_opened',
        user: ws.officer.id,
        channel: 'D0SIMULATOR',
        tab: 'home',
        event_ts: `${Date.now() / 1000}`,
      };
      await deliverEvent(event);
    },

    async replyInThread(threadTs, text) {
      const message = ws.postAsOfficer(threadTs, text);
      if (!message) return false;
      const event = {
        type: 'message',
        channel: message.channel,
        channel_type: 'channel',
        user: ws.officer.id,
        text,
        ts: message.ts,
        thread_ts: threadTs,
        event_ts: message.ts,
      };
      await deliverEvent(event);
      return true;
    },

    async command(text) {
      const form = new URLSearchParams({
        token: 'simulator',
        team_id: TEAM.id,
        team_domain: TEAM.domain,
        channel_id: ws.channel,
        channel_name: 'rent-escalations',
        user_id: ws.officer.id,
        user_name: ws.officer.name,
        command: '/rent',
        text,
        api_app_id: 'ASIMULATOR',
        response_url: ws.responseUrl(),
        trigger_id: ws.triggerId(),
      });
      await deliver(form.toString(), 'application/x-www-form-urlencoded');
      await options.afterDelivery();
    },
  };
}
