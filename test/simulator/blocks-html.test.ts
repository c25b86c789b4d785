// Block Kit as the simulator draws it: Slack's mrkdwn as safe HTML (a tenant's own words are shown in
// threads, so nothing in them may become markup), buttons and overflow options as forms naming the element.
import { describe, expect, it } from 'vitest';
import { blocksToHtml, mrkdwnToHtml } from '../../src/simulator/blocks-html.js';

const ctx = {
  source: { kind: 'message' as const, ts: '1700000000.000001' },
  names: { U0DEMOOFFICER: 'demo.officer' },
  actionUrl: '/simulator/slack/action',
};

describe('mrkdwn', () => {
  it.each([
    ['*Balance* £10', '<strong>Balance</strong> £10'],
    ['_Rentline_ 10:02: hi', '<em>Rentline</em> 10:02: hi'],
    ['Countered by <@U0DEMOOFFICER>', 'Countered by <span class="mention">@demo.officer</span>'],
    [
      '<https://pay.example.org/rent?ref=1|Pay now>',
      '<a href="https://pay.example.org/rent?ref=1" rel="noreferrer">Pay now</a>',
    ],
    [':white_check_mark: ok', '✅ ok'],
    ['line one\nline two', 'line one<br>line two'],
    ['>quoted words', '<blockquote>quoted words</blockquote>'],
  ])('draws %j', (text, html) => {
    expect(mrkdwnToHtml(text, ctx.names)).toBe(html);
  });

  it('never turns text into markup or script', () => {
    const html = mrkdwnToHtml(
      '<script>alert(1)</script> <javascript:alert(1)|x> <https://x.example/"onmouseover="a|y> "quotes" & \'apostrophes\'',
    );
    expect(html).not.toMatch(/<script|<a href="javascript|onmouseover="/);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('&quot;quotes&quot; &amp; &#39;apostrophes&#39;');
  });
});

describe('blocks', () => {
  it('draws a header, fields, context and actions with buttons named as in Slack', () => {
    const html = blocksToHtml(
      [
        { type: 'header', text: { type: 'plain_text', text: 'Repayment offer · DEMO000004' } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Balance*\n£422.20' },
            { type: 'mrkdwn', text: '*Weekly rent*\n£159.08' },
          ],
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: '*Last messages*' }] },
        { type: 'divider' },
        {
          type: 'actions',
          block_id: 'escalation:7',
          elements: [
            {
              type: 'button',
              text: { type: 'plain_text', text: 'Accept' },
              action_id: 'escalation_accept',
              value: '7',
              style: 'primary',
            },
            {
              type: 'overflow',
              action_id: 'escalation_more',
              options: [{ text: { type: 'plain_text', text: 'Take over' }, value: 'take_over:7' }],
            },
          ],
        },
      ],
      ctx,
    );
    expect(html).toContain('<h3 class="bk-header">Repayment offer · DEMO000004</h3>');
    expect(html).toContain('<div><strong>Balance</strong><br>£422.20</div>');
    expect(html).toContain('<hr class="bk-divider">');
    expect(html).toMatch(
      /name="ts" value="1700000000.000001".*name="block_id" value="escalation:7".*name="action_id" value="escalation_accept".*<button type="submit" class="bk-button bk-primary">Accept<\/button>/s,
    );
    expect(html).toMatch(
      /<summary aria-label="More actions">.*name="selected" value="take_over:7".*>Take over<\/button>/s,
    );
  });

  it("draws a modal's inputs with their labels and the errors Slack was told to show", () => {
    const html = blocksToHtml(
      [
        {
          type: 'input',
          block_id: 'amount',
          label: { type: 'plain_text', text: 'Amount (£)' },
          element: { type: 'plain_text_input', action_id: 'value', initial_value: '15.00' },
        },
        {
          type: 'input',
          block_id: 'frequency',
          label: { type: 'plain_text', text: 'How often' },
          element: {
            type: 'static_select',
            action_id: 'value',
            options: [{ text: { type: 'plain_text', text: 'weekly' }, value: 'weekly' }],
            initial_option: { value: 'weekly' },
          },
        },
        {
          type: 'input',
          block_id: 'start',
          label: { type: 'plain_text', text: 'First payment' },
          element: { type: 'datepicker', action_id: 'value', initial_date: '2026-12-04' },
        },
      ],
      { ...ctx, source: { kind: 'view', viewId: 'V1' } },
      { amount: 'Enter an amount in pounds' },
    );
    expect(html).toContain(
      '<label for="field-amount">Amount (£)</label><input id="field-amount" name="field:amount" value="15.00" aria-describedby="field-amount-error" aria-invalid="true" required>',
    );
    expect(html).toContain('<p class="bk-error" id="field-amount-error" role="alert">Enter an amount in pounds</p>');
    expect(html).toContain('<option value="weekly" selected>weekly</option>');
    expect(html).toContain('<input type="date" id="field-start" name="field:start" value="2026-12-04">');
  });
});
