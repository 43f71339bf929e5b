// Org users' extra columns for admins: when a member joined and last signed
// in (an active member who never signed in, or an invitation never used,
// stands out as an unused seat), and the initials avatar beside a name.
import { TableTag } from '../components/TableStyles';
import type { Member } from '../api/types';
import { formatDateTime } from '../lib/format';

/** "Carl Closer" → "CC"; "ada" → "A". */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((word) => [...word][0]?.toUpperCase() ?? '').join('');
}

/** A round avatar with the person's initials. The letters are drawn by CSS
 *  from an attribute, so the name cell's text stays the name itself. */
export function InitialsAvatar({ name }: { name: string }) {
  return <span className="initials-avatar" data-initials={initials(name)} aria-hidden="true" />;
}

const thisYearDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const otherYearDay = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** "Dec 2" this year, "Dec 2, 2025" before: the narrow columns keep every
 *  Org users column in view at 1280 px; the element's title has the full
 *  time. A plain `<time title>`, not antd's Tooltip: two of those per row
 *  cost a fair part of the first render of 50 rows. */
function Moment({ iso }: { iso: string }) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return <span>—</span>;
  // Only the formats shown: this cell is 100 of the first render's formats.
  const day = (date.getFullYear() === new Date().getFullYear() ? thisYearDay : otherYearDay).format(date);
  return <time className="nowrap" dateTime={iso} title={formatDateTime(iso)}>{day}</time>;
}

export function JoinedCell({ member }: { member: Member }) {
  if (member.joined_at) return <Moment iso={member.joined_at} />;
  return <span className="cell-secondary">Not yet</span>;
}

export function LastSignInCell({ member }: { member: Member }) {
  if (member.last_login_at) return <Moment iso={member.last_login_at} />;
  return <TableTag color="orange" className="unused-seat">Never</TableTag>;
}
