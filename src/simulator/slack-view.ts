// The officer's Slack as HTML: the escalation channel (cards and their threads), the replies only the
// officer sees, the open modal as a dialog, and App Home. Everything shown is what the Slack stand-in
// received from Bolt and the card poster.
import { blocksToHtml, escapeHtml, mrkdwnToHtml } from './blocks-html.js';
import type { SlackMessage, SlackWorkspace } from './slack-workspace.js';

const ACTION_URL = '/simulator/slack/action';

function clock(ts: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' }).format(
    new Date(Number(ts.split('.')[0]) * 1000),
  );
}

function names(ws: SlackWorkspace): Record<string, string> {
  return { [ws.officer.id]: ws.officer.name, [ws.botUserId]: 'Rentline' };
}

function messageHtml(ws: SlackWorkspace, m: SlackMessage, timeZone: string): string {
  const body =
    m.blocks.length > 0
      ? blocksToHtml(m.blocks, { source: { kind: 'message', ts: m.ts }, names: names(ws), actionUrl: ACTION_URL })
      : `<div class="bk-text">${mrkdwnToHtml(m.text, names(ws))}</div>`;
  const edited = m.editedAt ? ' <span class="muted">(edited)</span>' : '';
  const author =
    m.user === null
      ? '<strong>Rentline</strong> <span class="muted">APP'
      : `<strong>${escapeHtml(names(ws)[m.user] ?? m.user)}</strong> <span class="muted">`;
  return `<div class="slack-meta">${author} · ${clock(m.ts, timeZone)}</span>${edited}</div>${body}`;
}

/** A message's fallback text as a short accessible name: mentions as names, no markup. */
function plainLabel(ws: SlackWorkspace, text: string): string {
  const named = names(ws);
  return text
    .replace(/<@([A-Z0-9]+)>/g, (_m, id: string) => `@${named[id] ?? id}`)
    .replace(/[*_~`]/g, '')
    .slice(0, 120);
}

export function renderChannel(ws: SlackWorkspace, timeZone: string): string {
  const all = ws.messages().filter((m) => m.channel === ws.channel);
  const roots = all.filter((m) => m.threadTs === null);
  if (roots.length === 0)
    return '<p class="muted">No cards yet. When a tenant offers a plan or asks for a person, the card appears here.</p>';
  return roots
    .map((root, i) => {
      const replies = all.filter((m) => m.threadTs === root.ts);
      const id = `reply-${escapeHtml(root.ts.replace('.', '-'))}`;
      const form = `<form method="post" action="/simulator/slack/reply" class="row" data-sim data-clear><input type="hidden" name="thread_ts" value="${escapeHtml(root.ts)}"><div><label for="${id}">Reply in thread</label><input id="${id}" name="text" autocomplete="off" required maxlength="1000"></div><button type="submit">Reply</button></form>`;
      const summary =
        replies.length === 0
          ? 'Reply in thread'
          : `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'} in thread`;
      const thread = `<details class="thread" id="thread-${escapeHtml(root.ts.replace('.', '-'))}"${i === roots.length - 1 && replies.length > 0 ? ' open' : ''}><summary>${summary}</summary><ol class="thread-list">${replies.map((r) => `<li>${messageHtml(ws, r, timeZone)}</li>`).join('')}</ol>${form}</details>`;
      return `<article class="slack-message" id="msg-${escapeHtml(root.ts.replace('.', '-'))}" aria-label="${escapeHtml(plainLabel(ws, root.text))}">${messageHtml(ws, root, timeZone)}${thread}</article>`;
    })
    .join('');
}

export function renderEphemerals(ws: SlackWorkspace): string {
  const recent = ws.ephemerals().slice(-4).reverse();
  if (recent.length === 0) return '';
  const items = recent.map((e) => {
    const body =
      e.blocks.length > 0
        ? blocksToHtml(e.blocks, { source: { kind: 'message', ts: '0.0' }, names: names(ws), actionUrl: ACTION_URL })
        : mrkdwnToHtml(e.text, names(ws));
    return `<li class="ephemeral"><div class="slack-meta"><span class="muted">Only visible to you</span></div>${body}</li>`;
  });
  return `<h3 class="sr-heading">Replies only you can see</h3><ul class="ephemerals">${items.join('')}</ul>`;
}

/** The open modal as a dialog: its inputs in a form that submits the view, as Slack would. */
export function renderDialog(ws: SlackWorkspace, errors: Record<string, string>): { key: string; html: string } {
  const modal = ws.modal();
  if (!modal) return { key: '', html: '' };
  const view = modal.view as {
    title?: { text?: string };
    submit?: { text?: string };
    close?: { text?: string };
    blocks?: unknown[];
  };
  const title = escapeHtml(view.title?.text ?? 'Slack');
  const blocks = blocksToHtml(
    view.blocks ?? [],
    { source: { kind: 'view', viewId: modal.id }, names: names(ws), actionUrl: ACTION_URL },
    errors,
  );
  const submit = view.submit?.text
    ? `<button type="submit" class="bk-button bk-primary">${escapeHtml(view.submit.text)}</button>`
    : '';
  const html = `<div class="dialog-backdrop"><div role="dialog" aria-modal="true" aria-labelledby="dialog-title" class="dialog">
<h2 id="dialog-title">${title}</h2>
<form method="post" action="/simulator/slack/submit" data-sim data-dialog><input type="hidden" name="view_id" value="${escapeHtml(modal.id)}">${blocks}
<div class="dialog-buttons">${submit}<button type="submit" formaction="/simulator/slack/close" formnovalidate class="bk-button">${escapeHtml(view.close?.text ?? 'Cancel')}</button></div></form></div></div>`;
  return { key: `${modal.id}:${modal.version}:${JSON.stringify(errors)}`, html };
}

export function renderHome(ws: SlackWorkspace): string {
  const home = ws.home();
  if (!home) return '<p class="muted">Open App Home to see the escalations waiting for you.</p>';
  const blocks = (home.view as { blocks?: unknown[] }).blocks ?? [];
  return blocksToHtml(blocks, { source: { kind: 'view', viewId: home.id }, names: names(ws), actionUrl: ACTION_URL });
}
