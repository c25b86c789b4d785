// Block Kit as HTML, the way Slack shows it: headers, sections (text, fields, an accessory), context,
// dividers, actions (buttons, overflow menus) and, in modals, inputs. Pure: blocks in, markup out. Buttons
// are forms that post the clicked element back, so the simulator can send Slack's own payload for it.

type Json = Record<string, unknown>;

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string,
  );
}

const EMOJI: Record<string, string> = {
  warning: '⚠️',
  rotating_light: '🚨',
  hourglass_flowing_sand: '⏳',
  white_check_mark: '✅',
  x: '❌',
  speech_balloon: '💬',
  telephone_receiver: '📞',
  moneybag: '💰',
  calendar: '📅',
  raising_hand: '🙋',
  lock: '🔒',
  bell: '🔔',
  memo: '📝',
  point_right: '👉',
  heavy_check_mark: '✔️',
  left_right_arrow: '↔️',
  hourglass: '⌛',
  mag: '🔍',
  bust_in_silhouette: '👤',
  busts_in_silhouette: '👥',
  red_circle: '🔴',
  large_orange_circle: '🟠',
  page_facing_up: '📄',
  scales: '⚖️',
  judge: '🧑‍⚖️',
  no_entry: '⛔',
  pause_button: '⏸️',
  house: '🏠',
  handshake: '🤝',
  information_source: 'ℹ️',
  email: '📧',
  iphone: '📱',
};

/** Slack's mrkdwn (bold, italic, strike, code, links, mentions, emoji, line breaks) as safe HTML. */
export function mrkdwnToHtml(text: string, names: Record<string, string> = {}): string {
  let html = escapeHtml(text);
  html = html.replace(
    /&lt;@([A-Z0-9]+)&gt;/g,
    (_m, id: string) => `<span class="mention">@${escapeHtml(names[id] ?? id)}</span>`,
  );
  html = html.replace(
    /&lt;(https?:\/\/[^|&]+)\|([^&]*)&gt;/g,
    (_m, url: string, label: string) => `<a href="${url}" rel="noreferrer">${label}</a>`,
  );
  html = html.replace(
    /&lt;(https?:\/\/[^&]+)&gt;/g,
    (_m, url: string) => `<a href="${url}" rel="noreferrer">${url}</a>`,
  );
  html = html.replace(/```([\s\S]+?)```/g, '<pre>$1</pre>');
  html = html.replace(/`([^`\n]+)`/g, '<code>$1</code>');
  html = html.replace(/(^|[\s(>])\*([^*\n]+)\*/g, '$1<strong>$2</strong>');
  html = html.replace(/(^|[\s(>])_([^_\n]+)_/g, '$1<em>$2</em>');
  html = html.replace(/(^|[\s(>])~([^~\n]+)~/g, '$1<s>$2</s>');
  html = html.replace(/:([a-z0-9_+-]+):/g, (m, name: string) => EMOJI[name] ?? m);
  // A line starting with > is a quote (the tenant's own words, mirrored into a thread).
  return html
    .split('\n')
    .map((line) => (line.startsWith('&gt;') ? `<blockquote>${line.slice(4)}</blockquote>` : line))
    .join('<br>')
    .replace(/<\/blockquote><br>/g, '</blockquote>');
}

function textOf(t: unknown, names: Record<string, string>): string {
  const obj = t as { type?: string; text?: string } | undefined;
  if (!obj || typeof obj.text !== 'string') return '';
  return obj.type === 'mrkdwn' ? mrkdwnToHtml(obj.text, names) : escapeHtml(obj.text).replace(/\n/g, '<br>');
}

function plain(t: unknown): string {
  const obj = t as { text?: string } | undefined;
  return typeof obj?.text === 'string' ? obj.text : '';
}

interface BlockContext {
  /** The message (or view) the blocks belong to: clicked elements are posted back with it. */
  source: { kind: 'message'; ts: string } | { kind: 'view'; viewId: string };
  names: Record<string, string>;
  actionUrl: string;
}

function hidden(name: string, value: string): string {
  return `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
}

function sourceFields(ctx: BlockContext): string {
  return ctx.source.kind === 'message' ? hidden('ts', ctx.source.ts) : hidden('view_id', ctx.source.viewId);
}

function element(el: Json, blockId: string, ctx: BlockContext): string {
  const actionId = String(el.action_id ?? '');
  if (el.type === 'button') {
    const label = escapeHtml(plain(el.text));
    if (typeof el.url === 'string') return `<a class="bk-button" href="${escapeHtml(el.url)}">${label}</a>`;
    const style = el.style === 'primary' || el.style === 'danger' ? ` bk-${el.style}` : '';
    return `<form method="post" action="${ctx.actionUrl}" class="bk-inline" data-sim>${sourceFields(ctx)}${hidden('block_id', blockId)}${hidden('action_id', actionId)}${hidden('value', String(el.value ?? ''))}<button type="submit" class="bk-button${style}">${label}</button></form>`;
  }
  if (el.type === 'overflow') {
    const options = Array.isArray(el.options) ? (el.options as Json[]) : [];
    const items = options
      .map(
        (o) =>
          `<li><form method="post" action="${ctx.actionUrl}" data-sim>${sourceFields(ctx)}${hidden('block_id', blockId)}${hidden('action_id', actionId)}${hidden('selected', String(o.value ?? ''))}<button type="submit">${escapeHtml(plain(o.text))}</button></form></li>`,
      )
      .join('');
    return `<details class="bk-overflow"><summary aria-label="More actions">⋯</summary><ul aria-label="More actions">${items}</ul></details>`;
  }
  return '';
}

function inputControl(block: Json, errors: Record<string, string>): string {
  const blockId = String(block.block_id ?? '');
  const el = (block.element ?? {}) as Json;
  const id = `field-${escapeHtml(blockId)}`;
  const label = `<label for="${id}">${escapeHtml(plain(block.label))}${block.optional ? ' <span class="muted">(optional)</span>' : ''}</label>`;
  const error = errors[blockId]
    ? `<p class="bk-error" id="${id}-error" role="alert">${escapeHtml(errors[blockId] as string)}</p>`
    : '';
  const described = errors[blockId] ? ` aria-describedby="${id}-error" aria-invalid="true"` : '';
  const name = `field:${escapeHtml(blockId)}`;
  let control = '';
  if (el.type === 'plain_text_input') {
    const initial = escapeHtml(String(el.initial_value ?? ''));
    const placeholder = el.placeholder ? ` placeholder="${escapeHtml(plain(el.placeholder))}"` : '';
    control = el.multiline
      ? `<textarea id="${id}" name="${name}"${placeholder}${described}>${initial}</textarea>`
      : `<input id="${id}" name="${name}" value="${initial}"${placeholder}${described}${block.optional ? '' : ' required'}>`;
  } else if (el.type === 'static_select') {
    const initial = ((el.initial_option ?? {}) as Json).value;
    const options = (Array.isArray(el.options) ? (el.options as Json[]) : [])
      .map(
        (o) =>
          `<option value="${escapeHtml(String(o.value ?? ''))}"${o.value === initial ? ' selected' : ''}>${escapeHtml(plain(o.text))}</option>`,
      )
      .join('');
    control = `<select id="${id}" name="${name}"${described}>${options}</select>`;
  } else if (el.type === 'datepicker') {
    control = `<input type="date" id="${id}" name="${name}" value="${escapeHtml(String(el.initial_date ?? ''))}"${described}>`;
  }
  return `<div class="bk-input">${label}${control}${error}</div>`;
}

/** One list of blocks as HTML. `errors` (modals) are shown under their input, keyed by block id. */
export function blocksToHtml(blocks: unknown[], ctx: BlockContext, errors: Record<string, string> = {}): string {
  return blocks
    .map((raw) => {
      const block = raw as Json;
      const blockId = String(block.block_id ?? '');
      switch (block.type) {
        case 'header':
          return `<h3 class="bk-header">${escapeHtml(plain(block.text))}</h3>`;
        case 'divider':
          return '<hr class="bk-divider">';
        case 'section': {
          const text = block.text ? `<div class="bk-text">${textOf(block.text, ctx.names)}</div>` : '';
          const fields = Array.isArray(block.fields)
            ? `<div class="bk-fields">${(block.fields as unknown[]).map((f) => `<div>${textOf(f, ctx.names)}</div>`).join('')}</div>`
            : '';
          const accessory = block.accessory
            ? `<div class="bk-accessory">${element(block.accessory as Json, blockId, ctx)}</div>`
            : '';
          return `<div class="bk-section">${text}${fields}${accessory}</div>`;
        }
        case 'context': {
          const parts = (Array.isArray(block.elements) ? (block.elements as unknown[]) : []).map(
            (e) => `<span>${textOf(e, ctx.names)}</span>`,
          );
          return `<div class="bk-context">${parts.join(' ')}</div>`;
        }
        case 'actions': {
          const els = (Array.isArray(block.elements) ? (block.elements as Json[]) : []).map((e) =>
            element(e, blockId, ctx),
          );
          return `<div class="bk-actions" role="group" aria-label="Actions">${els.join('')}</div>`;
        }
        case 'input':
          return inputControl(block, errors);
        default:
          return '';
      }
    })
    .join('\n');
}
