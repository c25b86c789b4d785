// WhatsApp's customer service window: a business may write freely only within 24 hours of the person's
// last WhatsApp message to it; outside it only an approved template may go (docs/rules.md, "WhatsApp
// window"). One rule for the engine's context, the outbox router at send time, the golden transcripts and
// the simulator, so a message the engine wrote as free text is never refused at send time for a different
// edge.

const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Open while the tenant's last WhatsApp message is less than 24 hours old at `now`. A message stamped
 * after `now` (a job run `--at` an earlier moment) had not opened the window yet, so it is closed.
 */
export function whatsappWindowOpen(lastWhatsappInboundAt: Date | null, now: Date): boolean {
  if (lastWhatsappInboundAt === null) return false;
  const age = now.getTime() - lastWhatsappInboundAt.getTime();
  return age >= 0 && age < WHATSAPP_WINDOW_MS;
}

/** When the window that `lastWhatsappInboundAt` opened closes. */
export function whatsappWindowClosesAt(lastWhatsappInboundAt: Date): Date {
  return new Date(lastWhatsappInboundAt.getTime() + WHATSAPP_WINDOW_MS);
}
