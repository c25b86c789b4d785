// What an inbound text may hold. Twilio delivers at most 1,600 characters of SMS (a WhatsApp message at
// most 4,096), so anything longer did not come from a phone; and a phone can send bytes Postgres refuses
// to store (NUL) or that no one means (other control characters). The text is kept either way: Twilio does
// not retry a webhook that failed, so refusing it would lose the tenant's words.

const MAX_INBOUND_CHARACTERS = { sms: 1600, whatsapp: 4096 } as const;
/** The largest form a Twilio message webhook needs (the body, media URLs and Twilio's own fields). */
export const MAX_INBOUND_FORM_BYTES = 64 * 1024;

// C0 controls but tab, line feed and carriage return, and DEL.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** U+FFFD (�) stands where a control character was, so an officer reading it sees something was there. */
export function cleanInboundBody(
  body: string,
  channel: keyof typeof MAX_INBOUND_CHARACTERS,
): { body: string; replaced: number; truncated: boolean } {
  let replaced = 0;
  const cleaned = body.replace(CONTROL, () => {
    replaced += 1;
    return '\uFFFD';
  });
  // By code points, so a cut never splits an emoji's surrogate pair.
  const points = [...cleaned];
  const max = MAX_INBOUND_CHARACTERS[channel];
  return {
    body: points.length > max ? points.slice(0, max).join('') : cleaned,
    replaced,
    truncated: points.length > max,
  };
}
