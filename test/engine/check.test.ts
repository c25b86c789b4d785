// The flow checker: every problem income staff could make in a flow file is reported with the file, the
// step and how to fix it, and the shipped flows pass.
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFlows } from '../../src/engine/check.js';
import { FlowValidationError, loadFlows, readFlowFiles } from '../../src/engine/load.js';
import { FLOWS_DIR } from './support.js';

const GLOBALS = {
  file: 'flows/global_replies.yaml',
  text: readFlowFiles(FLOWS_DIR).find((f) => f.file.endsWith('global_replies.yaml'))!.text,
};

/** A small valid flow; tests replace parts of it to make one mistake at a time. */
function flowText(steps: string, head = ''): string {
  return `id: demo\nversion: 1\nlanguages: [en]\n${head}steps:\n${steps}`;
}

const ASK_AND_END = `
  ask_it:
    say: { en: "Reply YES or NO." }
    whatsapp_template: demo_question
    ask: yes_no
    on: { yes: done, no: done }
    on_not_understood: { say: { en: "Please reply YES or NO." }, give_up: done }
    on_timeout: { after: 48h, go: done }
  done:
    say: { en: "Thanks." }
    whatsapp_template: demo_done
    end: finished
`;

function problemsFor(text: string) {
  return checkFlows([GLOBALS, { file: 'flows/demo.yaml', text }]).problems;
}

describe('checkFlows', () => {
  it('accepts every flow the landlord ships', () => {
    expect(checkFlows(readFlowFiles(FLOWS_DIR)).problems).toEqual([]);
  });

  it('accepts a small valid flow', () => {
    expect(problemsFor(flowText(ASK_AND_END))).toEqual([]);
  });

  it('reports a dangling step with the file, the step and the fix', () => {
    const problems = problemsFor(flowText(ASK_AND_END.replace('no: done', 'no: dnoe')));
    expect(problems).toContainEqual({
      file: 'flows/demo.yaml',
      step: 'ask_it',
      message: 'on.no goes to "dnoe", which is not a step in this flow',
      fix: 'add a step called "dnoe" or use one of: ask_it, done',
    });
  });

  it('reports a step no path leads to', () => {
    const problems = problemsFor(flowText(`${ASK_AND_END}  orphan:\n    say: { en: "Hello" }\n    end: x\n`));
    expect(problems).toContainEqual(expect.objectContaining({ step: 'orphan', message: 'no path leads to this step' }));
  });

  it('reports a question without a not-understood branch or a timeout', () => {
    const text = flowText(ASK_AND_END.replace(/ {4}on_not_understood.*\n/, '').replace(/ {4}on_timeout.*\n/, ''));
    const messages = problemsFor(text).map((p) => `${p.step}: ${p.message}`);
    expect(messages).toContain('ask_it: the question has no on_not_understood branch');
    expect(messages).toContain('ask_it: the question has no on_timeout');
  });

  it('reports an unknown placeholder and lists the known ones', () => {
    const problems = problemsFor(flowText(ASK_AND_END.replace('"Thanks."', '"Thanks {frist_name}."')));
    expect(problems).toContainEqual(
      expect.objectContaining({ step: 'done', message: 'say (en) uses unknown placeholder {frist_name}' }),
    );
    expect(problems[0]!.fix).toContain('{first_name}');
  });

  it('reports a message missing a translation for a language the flow declares', () => {
    const problems = problemsFor(flowText(ASK_AND_END).replace('languages: [en]', 'languages: [en, cy]'));
    expect(problems).toContainEqual(
      expect.objectContaining({ step: 'ask_it', message: 'say has no "cy" translation' }),
    );
  });

  it('reports a first message and a timeout message without a WhatsApp template', () => {
    const problems = problemsFor(flowText(ASK_AND_END.replace(/ {4}whatsapp_template.*\n/g, '')));
    expect(problems.map((p) => p.step)).toEqual(expect.arrayContaining(['ask_it', 'done']));
    expect(problems[0]!.fix).toBe('add whatsapp_template: <approved template key>');
  });

  it('reports a bad timeout duration', () => {
    const problems = problemsFor(flowText(ASK_AND_END.replace('after: 48h', 'after: two days')));
    expect(problems).toContainEqual(
      expect.objectContaining({ step: 'ask_it', fix: 'write it like 48h, 3d, 30m or reply_timeout' }),
    );
  });

  it('reports an arrears first message that names an amount or says "arrears"', () => {
    const text = flowText(
      ASK_AND_END.replace('"Reply YES or NO."', '"You owe {arrears} in arrears. Reply YES or NO."'),
      'arrears: true\n',
    );
    const messages = problemsFor(text).map((p) => p.message);
    expect(messages).toContain('the first message (en) says "arrears"');
    expect(messages).toContain('the first message (en) names an amount');
    expect(messages).toContain('{arrears} can be sent before the tenant has confirmed who they are');
  });

  it('reports an arrears conversation that can end without offering free debt advice', () => {
    const problems = problemsFor(flowText(ASK_AND_END, 'arrears: true\n'));
    expect(problems).toContainEqual(
      expect.objectContaining({
        step: 'done',
        message: 'a conversation can end here without offering free debt advice',
      }),
    );
  });

  it('reports a message that promises an officer without alerting one, or promises reminders', () => {
    const problems = problemsFor(
      flowText(`
  first:
    say: { en: "An officer will contact you." }
    whatsapp_template: promises_first
    next: second
  second:
    say: { en: "Your plan is agreed. We'll remind you before each payment." }
    end: done
`),
    );
    expect(problems.map((p) => `${p.step}: ${p.message}`)).toEqual([
      'first: the message (en) says an officer will contact the tenant, but the step alerts no officer',
      'second: the message (en) promises reminders, which holds or the policy can stop',
    ]);
  });

  it('reports a schema mistake on the step where it is', () => {
    const problems = problemsFor(flowText(ASK_AND_END.replace('ask: yes_no', 'ask: maybe')));
    expect(problems[0]).toMatchObject({ file: 'flows/demo.yaml', step: 'ask_it' });
    expect(problems[0]!.message).toMatch(/^ask: /);
  });

  it('reports YAML that cannot be read, naming the file', () => {
    const problems = problemsFor('id: demo\n  steps: [\n');
    expect(problems[0]).toMatchObject({ file: 'flows/demo.yaml' });
    expect(problems[0]!.message).toMatch(/^not valid YAML/);
  });

  it('reports an edited flow whose version was not raised while an archived copy exists', () => {
    const text = flowText(ASK_AND_END);
    const { problems } = checkFlows([
      GLOBALS,
      { file: 'flows/demo.yaml', text: text.replace('Thanks.', 'Thank you.') },
      { file: 'flows/archive/demo-1.yaml', text },
    ]);
    expect(problems).toContainEqual(
      expect.objectContaining({ file: 'flows/demo.yaml', fix: expect.stringContaining('raise version') }),
    );
  });

  it('keeps archived versions so running conversations can finish on them', () => {
    const text = flowText(ASK_AND_END);
    const { flows, problems } = checkFlows([
      GLOBALS,
      { file: 'flows/demo.yaml', text: text.replace('version: 1', 'version: 2').replace('Thanks.', 'Thank you.') },
      { file: 'flows/archive/demo-1.yaml', text },
    ]);
    expect(problems).toEqual([]);
    expect(flows.versions.get('demo')?.size).toBe(2);
    expect(flows.latest.get('demo')).toMatch(/^2-/);
  });
});

describe('loadFlows', () => {
  it('throws one FlowValidationError listing every problem, and ignores policy.yaml', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'rentline-flows-')), 'flows');
    mkdirSync(dir);
    writeFileSync(join(dir, 'global_replies.yaml'), GLOBALS.text);
    writeFileSync(join(dir, 'policy.yaml'), 'not: a flow\n');
    writeFileSync(
      join(dir, 'demo.yaml'),
      flowText(ASK_AND_END.replace('no: done', 'no: nowhere').replace('yes: done', 'yes: elsewhere')),
    );
    let error: unknown;
    try {
      loadFlows(dir);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FlowValidationError);
    const problems = (error as FlowValidationError).problems;
    expect(problems.map((p) => p.message)).toEqual([
      'on.yes goes to "elsewhere", which is not a step in this flow',
      'on.no goes to "nowhere", which is not a step in this flow',
    ]);
    expect((error as Error).message).toContain('flows/demo.yaml, step ask_it: on.no goes to "nowhere"');
  });
});
