// Invented tenants for the demo generator: names, contact details and identity-check fields.
// Phone numbers come only from Ofcom's ranges reserved for drama (mobiles 07700 900000–900999, landlines
// 01632 960000–960999), so a demo that really sends messages can never reach a real person. A small share
// of numbers are landlines or malformed on purpose: the importer must flag those as not textable.

import { dayFromCivil, isoFromDay } from './calendar.js';
import type { Rng } from './random.js';
import type { PreferredChannel } from '../rent/types.js';

const FIRST_NAMES = [
  'Olivia',
  'Amelia',
  'Isla',
  'Ava',
  'Mia',
  'Grace',
  'Sophie',
  'Emily',
  'Jessica',
  'Chloe',
  'Lucy',
  'Hannah',
  'Sarah',
  'Karen',
  'Tracey',
  'Julie',
  'Susan',
  'Margaret',
  'Patricia',
  'Joan',
  'Aisha',
  'Fatima',
  'Amira',
  'Priya',
  'Zainab',
  'Chantelle',
  'Shannon',
  'Agnieszka',
  'Oliver',
  'George',
  'Harry',
  'Noah',
  'Jack',
  'Leo',
  'Charlie',
  'Thomas',
  'James',
  'Daniel',
  'Liam',
  'Connor',
  'Kyle',
  'Wayne',
  'Gary',
  'Paul',
  'Mark',
  'David',
  'John',
  'Michael',
  'Kevin',
  'Stephen',
  'Brian',
  'Mohammed',
  'Ahmed',
  'Omar',
  'Yusuf',
  'Kwame',
  'Tomasz',
  'Dariusz',
  'Sean',
  'Declan',
  'Patrick',
] as const;

const LAST_NAMES = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Johnson',
  'Davies',
  'Robinson',
  'Wright',
  'Thompson',
  'Evans',
  'Walker',
  'White',
  'Roberts',
  'Green',
  'Hall',
  'Wood',
  'Jackson',
  'Clarke',
  'Patel',
  'Khan',
  'Hussain',
  'Begum',
  'Ali',
  'Ahmed',
  'Mensah',
  'Okafor',
  'Adeyemi',
  'Nowak',
  'Kowalski',
  'Murphy',
  "O'Brien",
  "O'Connor",
  'McDonald',
  'Campbell',
  'Hughes',
  'Edwards',
  'Turner',
  'Hill',
  'Moore',
  'Cooper',
  'Ward',
  'Morris',
  'King',
  'Baker',
  'Harrison',
  'Marshall',
  'Lewis-Grant',
  'Shaw',
  'Lloyd',
  'Price',
] as const;

// Welsh-speaking tenants get Welsh names and Welsh postcodes, so a cy demo reads plausibly.
const WELSH_FIRST_NAMES = [
  'Rhys',
  'Cerys',
  'Dafydd',
  'Siân',
  'Gethin',
  'Eleri',
  'Iwan',
  'Nia',
  'Owain',
  'Ffion',
  'Gwen',
  'Aled',
] as const;
const WELSH_LAST_NAMES = [
  'Jones',
  'Davies',
  'Evans',
  'Williams',
  'Griffiths',
  'Pritchard',
  'Rees',
  'Owen',
  'Morgan',
  'ap Huw',
] as const;

const ENGLISH_OUTWARD = [
  'LS6',
  'LS9',
  'LS11',
  'M8',
  'M11',
  'M40',
  'B10',
  'B23',
  'B33',
  'S2',
  'S5',
  'S13',
  'NE4',
  'NE15',
  'L4',
  'L11',
  'BD3',
  'BD8',
  'HU3',
  'HU9',
  'NG5',
  'NG7',
  'LE3',
  'LE5',
  'ST1',
  'ST6',
  'SE15',
  'SE18',
  'E3',
  'E14',
  'N17',
  'N18',
  'SW9',
  'W10',
  'CR0',
  'BS5',
  'BS13',
  'PL2',
  'NR3',
  'CV2',
  'WV10',
  'DN4',
  'TS3',
  'SR5',
  'DE22',
  'PO4',
] as const;
const WELSH_OUTWARD = ['CF5', 'CF24', 'CF10', 'SA1', 'SA6', 'SA11', 'LL57', 'LL11', 'NP19', 'NP20'] as const;
// Inward-code letters never include C, I, K, M, O or V.
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';

type Channel = PreferredChannel;

export interface DemoPerson {
  firstName: string;
  lastName: string;
  mobile: string;
  channel: Channel;
  language: 'en' | 'cy';
  dateOfBirth: string;
  flags: string;
}

export function demoPostcode(rng: Rng, welsh: boolean): string {
  const outward = welsh ? rng.pick(WELSH_OUTWARD) : rng.pick(ENGLISH_OUTWARD);
  const letter = (): string => INWARD_LETTERS.charAt(rng.int(0, INWARD_LETTERS.length - 1));
  return `${outward} ${rng.int(1, 9)}${letter()}${letter()}`;
}

function threeDigits(n: number): string {
  return String(n).padStart(3, '0');
}

/**
 * A phone number as tenants hand them over: mostly drama-range mobiles in a few spellings, about 2%
 * drama-range landlines and about 1% malformed. `avoid` keeps a joint tenant off the lead tenant's number.
 */
function demoPhone(rng: Rng, avoid?: string): string {
  for (;;) {
    const candidate = drawPhone(rng);
    if (candidate !== avoid) return candidate;
  }
}

function drawPhone(rng: Rng): string {
  const roll = rng.next();
  const n = threeDigits(rng.int(0, 999));
  if (roll < 0.02) return `01632 960${n}`; // landline: accepted, not textable
  if (roll < 0.03) {
    // Malformed: a digit short, a digit over, or three digits short.
    return rng.pick([`07700 90${n.slice(0, 2)}`, `07700 900${n}1`, `07700 9${n}`]);
  }
  if (roll < 0.83) return `07700 900${n}`;
  if (roll < 0.93) return `07700900${n}`;
  return `+447700900${n}`;
}

function demoChannel(rng: Rng): Channel {
  const roll = rng.next();
  if (roll < 0.02) return 'none';
  if (roll < 0.12) return 'whatsapp';
  return 'sms';
}

/** A date of birth between 1940 and 2005, but never under 18 at the tenancy start. */
function demoDateOfBirth(rng: Rng, startDay: number): string {
  const earliest = dayFromCivil(1940, 1, 1);
  const latest = Math.min(dayFromCivil(2005, 12, 31), startDay - 18 * 366);
  return isoFromDay(rng.int(earliest, Math.max(earliest, latest)));
}

/**
 * Per-person flags: ~4% vulnerable, ~1% do_not_contact, ~1% in Breathing Space (60 days from a recent start,
 * or open-ended while the moratorium's end is not yet known).
 */
function demoFlags(rng: Rng, todayDay: number): string {
  const flags: string[] = [];
  if (rng.chance(0.04)) flags.push('vulnerable');
  if (rng.chance(0.01)) flags.push('do_not_contact');
  if (rng.chance(0.01)) {
    const start = todayDay - rng.int(0, 50);
    const end = rng.chance(0.4) ? '' : isoFromDay(start + 60);
    flags.push(`breathing_space:${isoFromDay(start)}..${end}`);
  }
  return flags.join(';');
}

export function demoPerson(
  rng: Rng,
  opts: { welsh: boolean; startDay: number; todayDay: number; avoidMobile?: string; lastName?: string },
): DemoPerson {
  const firstName = opts.welsh ? rng.pick(WELSH_FIRST_NAMES) : rng.pick(FIRST_NAMES);
  const lastName = opts.lastName ?? (opts.welsh ? rng.pick(WELSH_LAST_NAMES) : rng.pick(LAST_NAMES));
  return {
    firstName,
    lastName,
    mobile: demoPhone(rng, opts.avoidMobile),
    channel: demoChannel(rng),
    language: opts.welsh ? 'cy' : 'en',
    dateOfBirth: demoDateOfBirth(rng, opts.startDay),
    flags: demoFlags(rng, opts.todayDay),
  };
}
