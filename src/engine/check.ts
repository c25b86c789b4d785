// Turns the text of flow files into a FlowSet, collecting every problem instead of stopping at the first,
// so `rentline flows check` shows income staff the whole list at once. Pure: the caller reads the files.
// Files under an `archive/` folder are older versions kept so that conversations begun on them finish.
import { parseDocument } from 'yaml';
import { checkFlowRules } from './check-rules.js';
import { FlowSchema, GLOBAL_REPLY_KEYS, GlobalRepliesSchema } from './flow-schema.js';
import { HARDSHIP_FLOW } from './hardship.js';
import { placeholdersIn, BUILTIN_PLACEHOLDERS } from './render.js';
import type { FlowProblem } from './check-rules.js';
import type { Flow, FlowSet, GlobalReplies } from './flow-schema.js';

export type { FlowProblem } from './check-rules.js';

export interface FlowFile {
  file: string;
  text: string;
}

/** A short, stable fingerprint of a file's text (FNV-1a), so an edited flow gets a new version. */
function contentHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

function isArchived(file: string): boolean {
  return /(^|[\\/])archive[\\/]/.test(file);
}

function schemaProblems(file: string, issues: { path: PropertyKey[]; message: string }[]): FlowProblem[] {
  return issues.map((issue) => {
    const path = issue.path.map(String);
    const step = path[0] === 'steps' ? path[1] : undefined;
    const where = (step ? path.slice(2) : path).join('.');
    return {
      file,
      ...(step ? { step } : {}),
      message: `${where ? `${where}: ` : ''}${issue.message}`,
      fix: 'see flows/README.md for the keys a step may have',
    };
  });
}

function checkGlobals(file: string, globals: GlobalReplies): FlowProblem[] {
  const problems: FlowProblem[] = [];
  for (const [key, text] of Object.entries(globals.replies)) {
    for (const language of globals.languages) {
      if (!text[language])
        problems.push({
          file,
          step: key,
          message: `reply ${key} has no "${language}" translation`,
          fix: `add ${language}: "..."`,
        });
    }
    for (const value of Object.values(text)) {
      for (const name of placeholdersIn(value)) {
        if (!(name in BUILTIN_PLACEHOLDERS))
          problems.push({
            file,
            step: key,
            message: `reply ${key} uses unknown placeholder {${name}}`,
            fix: 'use a placeholder listed in flows/README.md',
          });
      }
    }
  }
  return problems;
}

/** Parses and checks every flow file. `flows` holds what could be loaded; only use it when problems is empty. */
export function checkFlows(files: FlowFile[]): { flows: FlowSet; problems: FlowProblem[] } {
  const problems: FlowProblem[] = [];
  const versions = new Map<string, Map<string, Flow>>();
  const latest = new Map<string, string>();
  const latestFile = new Map<string, string>();
  let globals: GlobalReplies | null = null;
  /** Every flow id read, with or without problems (a flow with problems has its own report). */
  const seen = new Set<string>();

  for (const { file, text } of [...files].sort((a, b) => a.file.localeCompare(b.file))) {
    const document = parseDocument(text);
    if (document.errors.length > 0) {
      for (const error of document.errors)
        problems.push({
          file,
          message: `not valid YAML: ${error.message.split('\n')[0]}`,
          fix: 'fix the indentation or quoting on that line',
        });
      continue;
    }
    const raw: unknown = document.toJS();
    if (raw && typeof raw === 'object' && 'replies' in raw) {
      const parsed = GlobalRepliesSchema.safeParse(raw);
      if (!parsed.success) {
        problems.push(...schemaProblems(file, parsed.error.issues));
        continue;
      }
      if (globals) problems.push({ file, message: 'a second global replies file', fix: 'keep one file with replies:' });
      problems.push(...checkGlobals(file, parsed.data));
      globals = parsed.data;
      continue;
    }
    const parsed = FlowSchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...schemaProblems(file, parsed.error.issues));
      continue;
    }
    const definition = parsed.data;
    seen.add(definition.id);
    const flowProblems = checkFlowRules(file, definition);
    problems.push(...flowProblems);
    if (flowProblems.length > 0) continue;

    const flowVersion = `${String(definition.version)}-${contentHash(text)}`;
    const flow: Flow = {
      ...definition,
      flowVersion,
      file,
      startStep: definition.start ?? Object.keys(definition.steps)[0]!,
    };
    const byVersion = versions.get(flow.id) ?? new Map<string, Flow>();
    const clash = [...byVersion.values()].find(
      (other) => String(other.version) === String(flow.version) && other.flowVersion !== flowVersion,
    );
    if (clash) {
      problems.push({
        file,
        message: `flow ${flow.id} version ${String(flow.version)} differs from ${clash.file}`,
        fix: 'raise version: in the edited file, so conversations already running keep the old wording',
      });
    }
    byVersion.set(flowVersion, flow);
    versions.set(flow.id, byVersion);
    if (!isArchived(file)) {
      const previous = latestFile.get(flow.id);
      if (previous)
        problems.push({
          file,
          message: `flow id "${flow.id}" is also used by ${previous}`,
          fix: 'give each flow its own id, or move the older one to flows/archive/',
        });
      latest.set(flow.id, flowVersion);
      latestFile.set(flow.id, file);
    }
  }
  // A step may carry on in another flow: that flow must exist.
  for (const [id, versionsOf] of versions) {
    for (const flow of versionsOf.values()) {
      for (const [stepId, step] of Object.entries(flow.steps)) {
        if (step.continue_with !== undefined && !latest.has(step.continue_with)) {
          problems.push({
            file: flow.file,
            step: stepId,
            message: `continue_with names flow "${step.continue_with}", which is not loaded (from flow ${id})`,
            fix: `add flows/${step.continue_with}.yaml or name one of: ${[...latest.keys()].join(', ')}`,
          });
        }
      }
    }
  }
  // Hardship words in an arrears conversation carry on in the hardship flow (src/engine/hardship.ts).
  const arrearsFlows = [...latest].filter(([id, version]) => versions.get(id)?.get(version)?.arrears === true);
  if (arrearsFlows.length > 0 && !seen.has(HARDSHIP_FLOW)) {
    problems.push({
      file: `${HARDSHIP_FLOW}.yaml`,
      message: `hardship words in an arrears conversation (${arrearsFlows.map(([id]) => id).join(', ')}) carry on in flow "${HARDSHIP_FLOW}", which is not loaded`,
      fix: `add flows/${HARDSHIP_FLOW}.yaml (the offer of the affordability check or a person after benefit help)`,
    });
  }
  if (!globals) {
    problems.push({
      file: 'global_replies.yaml',
      message: 'no global replies file (replies for STOP, HELP, crisis words...)',
      fix: 'add flows/global_replies.yaml with replies:',
    });
  }
  const fallback: GlobalReplies = globals ?? {
    languages: ['en'],
    replies: Object.fromEntries(GLOBAL_REPLY_KEYS.map((key) => [key, {}])) as GlobalReplies['replies'],
  };
  return { flows: { versions, latest, globals: fallback }, problems };
}
