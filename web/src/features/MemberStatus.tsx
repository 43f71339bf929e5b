import Tag from 'antd/es/tag';
import type { Member } from '../api/types';
import { formatDateTime, timeLeft } from '../lib/format';

/** "Active"; "Invited · 23 h 59 min left"; "Invite expired"; "Deactivated". */
export function MemberStatus({ member }: { member: Member }) {
  if (member.status === 'active') return <Tag color="green">Active</Tag>;
  if (member.status === 'deactivated') return <Tag>Deactivated</Tag>;
  if (member.status === 'invite_expired') {
    return (
      <span>
        <Tag color="volcano">Invite expired</Tag>
        {member.invite_expires_at && (
          <div className="cell-secondary">Expired {formatDateTime(member.invite_expires_at)}</div>
        )}
      </span>
    );
  }
  const left = timeLeft(member.invite_expires_at);
  return (
    <span>
      <Tag color="blue">Invited</Tag>
      {member.invite_expires_at && (
        <div className="cell-secondary" title={`Expires ${formatDateTime(member.invite_expires_at)}`}>
          {left ?? 'Invite expired'}
        </div>
      )}
    </span>
  );
}

export function RoleTag({ role }: { role: Member['role'] }) {
  return role === 'admin' ? <Tag color="geekblue">Org admin</Tag> : <Tag>User</Tag>;
}
