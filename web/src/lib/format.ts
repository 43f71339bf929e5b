// Times as people read them.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

const dateTimeSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** "Dec 2, 2026, 8:01:12 AM": a moment to the second, for the audit log. */
export function formatDateTimeSeconds(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeSeconds.format(date);
}

/** The start of a local calendar day ("2026-12-02", as a date input gives
 *  it), `plusDays` later, as RFC 3339; undefined for an empty or bad day. */
export function startOfDay(day: string, plusDays = 0): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + plusDays);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const dayOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const clockOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const clockSeconds = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** A moment as its day and its time apart ("Dec 2, 2026" and "8:01 AM",
 *  or "8:01:12 AM" with `seconds`), for narrow table cells; null for a
 *  missing or unreadable time. */
export function dayAndTime(iso: string | null | undefined, seconds = false): { day: string; time: string } | null {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return { day: dayOnly.format(date), time: (seconds ? clockSeconds : clockOnly).format(date) };
}

/** "23 h 59 min left", "24 h 0 min left", "12 min left", "6 d 23 h left";
 *  null once `iso` has passed. Days only from two days on (as in
 *  formatDuration): a 24-hour invitation measured a little early (a clock
 *  behind the server's) read "1 d 0 h left" beside "23 h 59 min left". */
export function timeLeft(iso: string | null | undefined, now = Date.now()): string | null {
  if (!iso) return null;
  const ms = new Date(iso).getTime() - now;
  if (Number.isNaN(ms) || ms <= 0) return null;
  const minutes = Math.max(1, Math.floor(ms / 60000));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (minutes >= 2 * 1440) return `${Math.floor(minutes / 1440)} d ${hours % 24} h left`;
  if (hours > 0) return `${hours} h ${rest} min left`;
  return `${rest} min left`;
}

/** A length of time as people say it: "24 hours", "2 hours", "30 minutes",
 *  "1 hour 30 minutes", "3 days"; whole days only from two days on. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return plural(Math.max(0, Math.round(seconds)), 'second');
  const minutes = Math.round(seconds / 60);
  if (minutes >= 2 * 1440 && minutes % 1440 === 0) return plural(minutes / 1440, 'day');
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return plural(rest, 'minute');
  return rest === 0 ? plural(hours, 'hour') : `${plural(hours, 'hour')} ${plural(rest, 'minute')}`;
}

/** How long to wait, roughly, as people say it: "10 seconds", "about a
 *  minute", "about 20 minutes", "about an hour", "about 3 hours". */
export function formatWait(seconds: number): string {
  if (seconds < 45) return plural(Math.max(1, Math.round(seconds)), 'second');
  if (seconds < 90) return 'about a minute';
  if (seconds < 45 * 60) return `about ${Math.round(seconds / 60)} minutes`;
  if (seconds < 90 * 60) return 'about an hour';
  return `about ${Math.round(seconds / 3600)} hours`;
}

/** A count with its noun in the right number: "1 lead", "0 leads",
 *  "1,204 members"; `many` for nouns whose plural is not one + "s". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

/** "new" → "New": a status word as the console shows it beside "Active". */
export function capitalized(word: string): string {
  return word.length === 0 ? word : word[0].toUpperCase() + word.slice(1).replaceAll('_', ' ');
}

/** A person as an option of a Select: "Bea Buyer (bea@acme.test)". */
export function personOption(person: { user_id: string; name: string; email: string }) {
  return { value: person.user_id, label: `${person.name} (${person.email})` };
}
