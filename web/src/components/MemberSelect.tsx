// A searchable Select of an organization's members, searched on the server
// (GET /members?q=&status=), for picking who receives leads and whom to assign.
import { useEffect, useState } from 'react';
import Select from 'antd/es/select';
import Spin from 'antd/es/spin';
import { errorMessage } from '../api/client';
import { roster } from '../api/roster';
import type { Member } from '../api/types';
import { personOption } from '../lib/format';
import { useDebounced } from '../lib/useDebounced';

interface Props {
  orgId: string;
  /** e.g. "active"; omitted: every member. */
  status?: string;
  exclude?: string[];
  value?: string | string[];
  onChange?: (value: any) => void;
  multiple?: boolean;
  placeholder?: string;
  id?: string;
  'aria-label'?: string;
  'aria-describedby'?: string;
  allowClear?: boolean;
  className?: string;
}

export function MemberSelect({ orgId, status, exclude = [], multiple = false, placeholder = 'Search by name or e-mail', ...rest }: Props) {
  const [search, setSearch] = useState('');
  const query = useDebounced(search, 250);
  const [members, setMembers] = useState<Member[]>([]);
  const [known, setKnown] = useState<Map<string, Member>>(new Map());
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const excludeKey = exclude.join(',');

  useEffect(() => {
    const abort = new AbortController();
    setLoading(true);
    roster.members(orgId, { q: query, status, limit: 20 }, abort.signal)
      .then((page) => {
        setMembers(page.items);
        setError(null);
        setKnown((current) => {
          const next = new Map(current);
          for (const member of page.items) next.set(member.user_id, member);
          return next;
        });
      })
      .catch((caught) => { if (!abort.signal.aborted) setError(errorMessage(caught)); })
      .finally(() => { if (!abort.signal.aborted) setLoading(false); });
    return () => abort.abort();
  }, [orgId, query, status]);

  const excluded = new Set(excludeKey ? excludeKey.split(',') : []);
  const options = members
    .filter((member) => !excluded.has(member.user_id))
    .map(personOption);
  // Keep chosen members' labels even when the current search does not list them.
  const selected = Array.isArray(rest.value) ? rest.value : rest.value ? [rest.value] : [];
  for (const id of selected) {
    const member = known.get(id);
    if (member && !options.some((option) => option.value === id)) {
      options.push(personOption(member));
    }
  }

  return (
    <Select
      {...rest}
      mode={multiple ? 'multiple' : undefined}
      placeholder={placeholder}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      options={options}
      loading={loading}
      notFoundContent={loading ? <Spin size="small" /> : error ?? 'No matching members'}
      onOpenChange={(open) => { if (!open) setSearch(''); }}
      style={{ width: '100%' }}
    />
  );
}
