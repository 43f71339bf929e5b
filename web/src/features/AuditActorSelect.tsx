// The audit log's "Who acted": a member (searched on the server, as
// MemberSelect does) or one of the organization's API keys, in a group of
// its own: the live ones, then the revoked ones (GET /api-keys?status=revoked),
// marked "revoked". The value is "member:ID" or "key:ID"; the page sends
// actor= or actor_api_key=.
import { useEffect, useState } from 'react';
import Select from 'antd/es/select';
import Spin from 'antd/es/spin';
import { errorMessage } from '../api/client';
import { allPages, roster } from '../api/roster';
import type { Member } from '../api/types';
import { useDebounced } from '../lib/useDebounced';

/** A key the picker offers. */
export interface ActorKey {
  id: string;
  name: string;
  /** The key's first characters. */
  prefix: string;
  revoked: boolean;
}

export type ActorValue = { member: string } | { key: string } | undefined;

const keyLabel = (key: ActorKey) =>
  `${key.name} (${key.prefix}…)${key.revoked ? ' — revoked' : ''}`;
const memberLabel = (member: Member) => `${member.name} (${member.email})`;

/** The organization's keys, live first (newest first), then the revoked ones. */
function useActorKeys(orgId: string): ActorKey[] {
  const [keys, setKeys] = useState<ActorKey[]>([]);
  useEffect(() => {
    let live = true;
    const listed = (status: 'active' | 'revoked') =>
      allPages((cursor) => roster.apiKeys(orgId, { status, limit: 200, cursor }), 1000)
        .then((page) => page.map((key) => ({ id: key.id, name: key.name, prefix: key.prefix, revoked: status === 'revoked' })))
        .catch(() => []);
    void Promise.all([listed('active'), listed('revoked')]).then(([active, revoked]) => {
      if (live) setKeys([...active, ...revoked]);
    });
    return () => { live = false; };
  }, [orgId]);
  return keys;
}

export function AuditActorSelect({ orgId, value, onChange }: {
  orgId: string;
  value: ActorValue;
  onChange: (value: ActorValue) => void;
}) {
  const [search, setSearch] = useState('');
  const query = useDebounced(search, 250);
  const [answer, setAnswer] = useState<{ text: string; members: Member[] } | null>(null);
  const [failure, setFailure] = useState<{ text: string; message: string } | null>(null);
  const [known, setKnown] = useState<Map<string, Member>>(new Map());
  const keys = useActorKeys(orgId);

  useEffect(() => {
    const abort = new AbortController();
    roster.members(orgId, { q: query, limit: 20 }, abort.signal)
      .then((page) => {
        setAnswer({ text: query, members: page.items });
        setFailure(null);
        setKnown((current) => {
          const next = new Map(current);
          for (const member of page.items) next.set(member.user_id, member);
          return next;
        });
      })
      .catch((caught) => { if (!abort.signal.aborted) setFailure({ text: query, message: errorMessage(caught) }); });
    return () => abort.abort();
  }, [orgId, query]);

  // Members only from the answer for exactly the text in the box (see
  // MemberSelect); keys match their name or prefix at once.
  const members = answer?.text === search ? answer.members : null;
  const needle = search.trim().toLowerCase();
  const matchingKeys = keys.filter((key) => !needle || key.name.toLowerCase().includes(needle)
    || key.prefix.toLowerCase().includes(needle));
  const options: { label: string; title: string; options: { value: string; label: string }[] }[] = [];
  if (members && members.length > 0) {
    options.push({
      label: 'Members', title: 'Members',
      options: members.map((member) => ({ value: `member:${member.user_id}`, label: memberLabel(member) })),
    });
  }
  if (matchingKeys.length > 0) {
    options.push({
      label: 'API keys', title: 'API keys',
      options: matchingKeys.map((key) => ({ value: `key:${key.id}`, label: keyLabel(key) })),
    });
  }
  const failed = failure?.text === search ? failure.message : null;
  const selected = value && 'member' in value ? `member:${value.member}` : value && 'key' in value ? `key:${value.key}` : undefined;

  return (
    <Select
      aria-label="Who acted"
      placeholder="Anyone acted"
      allowClear
      value={selected}
      showSearch={{ filterOption: false, searchValue: search, onSearch: setSearch }}
      options={options}
      popupMatchSelectWidth={false}
      labelRender={({ value: picked, label }) => {
        const [kind, id] = String(picked).split(':');
        if (kind === 'member') {
          const member = known.get(id);
          return member ? memberLabel(member) : label;
        }
        const key = keys.find((each) => each.id === id);
        return key ? `API key: ${keyLabel(key)}` : label ?? `API key #${id}`;
      }}
      loading={!members && !failed}
      notFoundContent={members ? 'No matching members or API keys' : failed ?? <Spin size="small" />}
      onInputKeyDown={(event) => {
        if (event.key === 'Enter' && !members) {
          event.preventDefault();
          event.stopPropagation();
        }
      }}
      onChange={(picked: string | undefined) => {
        setSearch('');
        if (!picked) return onChange(undefined);
        const [kind, id] = picked.split(':');
        onChange(kind === 'key' ? { key: id } : { member: id });
      }}
      onOpenChange={(open) => { if (!open) setSearch(''); }}
      style={{ width: '100%' }}
    />
  );
}
