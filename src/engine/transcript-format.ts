// The golden transcript file format, written so council staff can read and write it:
//
//   # What this scenario shows            <- free comments
//   flow: missed_payment                  <- header (YAML): flow, now, tenant, account, channel...
//   ---
//   bot: Hi Sam, ...                      <- what Rentline sends (rewritten by the update flag)
//   tenant: 12/03/1985                    <- what the tenant sends (input)
//   (no reply)                            <- the tenant stays silent until the waiting time runs out
//   action: alert officers, normal, offer: ...   <- what else Rentline does (rewritten too)
//   ---
//   expect: { status: ended, offer: {...} }      <- the end state (YAML), checked, never rewritten
//
// Continuation lines of a multi-line bot message start with two spaces. Pure: parsing and printing only.
import { parse as parseYaml } from 'yaml';

export type TranscriptLine =
  | { kind: 'tenant'; text: string; comments: string[] }
  | { kind: 'silence'; comments: string[] }
  | { kind: 'output'; text: string };

export interface TranscriptFile {
  headerText: string;
  header: Record<string, unknown>;
  lines: TranscriptLine[];
  expectText: string;
  expect: Record<string, unknown>;
  /** Comments after the last input line, kept in place on update. */
  trailingComments: string[];
}

export class TranscriptFormatError extends Error {}

const SEPARATOR = /^---\s*$/;
const SILENCE = /^\(no reply\)\s*$/i;

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new TranscriptFormatError(`${what} must be a set of "key: value" lines`);
  return value as Record<string, unknown>;
}

export function parseTranscript(text: string): TranscriptFile {
  const sections: string[][] = [[]];
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (SEPARATOR.test(line)) sections.push([]);
    else sections[sections.length - 1]!.push(line);
  }
  if (sections.length !== 3) {
    throw new TranscriptFormatError(
      `expected 3 parts separated by "---" lines (header, conversation, expect), found ${sections.length}`,
    );
  }
  const [headerLines, conversation, expectLines] = sections as [string[], string[], string[]];
  const headerText = headerLines.join('\n').trimEnd();
  const expectText = expectLines.join('\n').trimEnd();
  const header = asRecord(parseYaml(headerText), 'the header');
  const expect = asRecord(asRecord(parseYaml(expectText), 'the expect part').expect, 'expect');

  const lines: TranscriptLine[] = [];
  let comments: string[] = [];
  for (const line of conversation) {
    if (line.trim() === '') continue;
    if (line.trimStart().startsWith('#')) {
      comments.push(line.trim());
      continue;
    }
    if (SILENCE.test(line.trim())) {
      lines.push({ kind: 'silence', comments });
      comments = [];
      continue;
    }
    const tenant = /^tenant:\s?(.*)$/.exec(line);
    if (tenant) {
      lines.push({ kind: 'tenant', text: tenant[1]!, comments });
      comments = [];
      continue;
    }
    if (/^(bot|action)\b/.test(line)) {
      lines.push({ kind: 'output', text: line.trimEnd() });
      continue;
    }
    const previous = lines[lines.length - 1];
    if (/^\s/.test(line) && previous?.kind === 'output') {
      previous.text += `\n${line.trimEnd()}`;
      continue;
    }
    throw new TranscriptFormatError(
      `cannot read the line "${line}": start it with bot:, tenant:, action:, # or write (no reply)`,
    );
  }
  return { headerText, header, lines, expectText, expect, trailingComments: comments };
}

/** Prints the conversation part: inputs (with their comments) followed by what Rentline did. */
export function printConversation(lines: TranscriptLine[], trailingComments: string[]): string {
  const out: string[] = [];
  for (const line of lines) {
    if (line.kind === 'output') {
      out.push(line.text);
      continue;
    }
    out.push(...line.comments);
    out.push(line.kind === 'tenant' ? `tenant: ${line.text}` : '(no reply)');
  }
  out.push(...trailingComments);
  return out.join('\n');
}

export function printTranscript(file: TranscriptFile, lines: TranscriptLine[]): string {
  return `${file.headerText}\n---\n${printConversation(lines, file.trailingComments)}\n---\n${file.expectText}\n`;
}

/** A readable line diff (expected lines marked -, actual lines marked +). */
export function lineDiff(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i += 1;
      j += 1;
    } else if (j < b.length && (i >= a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      out.push(`+ ${b[j]}`);
      j += 1;
    } else {
      out.push(`- ${a[i]}`);
      i += 1;
    }
  }
  return out.join('\n');
}
