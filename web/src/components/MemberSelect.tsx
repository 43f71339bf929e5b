// A searchable Select of an organization's members, searched on the server
// (GET /members?q=&status=), for picking who receives leads and whom to assign.
//
// The list only ever shows the server's answer for exactly the text in the
// box. While that answer is on its way the list is empty (a spinner), so
// Enter, Tab or a click cannot pick someone the text does not match, however
// fast the person types and however slow the server is.
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
  /** Members a preset value names, so that it reads as a name before any answer lists them. */
  people?: Member[];
}

/** Answers kept per search text, so that going back to a text (or reopening
 *  the list) shows its members at once while they are asked for again. */
const KEPT_ANSWERS = 20;

const answerKey = (orgId: string, status: string | undefined, text: string) =>
  JSON.stringify([orgId, status ?? '', text]);

export function MemberSelect({
  orgId, status, exclude = [], multiple = false, placeholder = 'Search by name or e-mail', onChange, people = [],
  ...rest
}: Props) {
  const [search, setSearch] = useState('');
  const query = useDebounced(search, 250);
  const [answers, setAnswers] = useState<Map<string, Member[]>>(new Map());
  const [failure, setFailure] = useState<{ key: string; message: string } | null>(null);
  const [known, setKnown] = useState<Map<string, Member>>(new Map());

  useEffect(() => {
    const abort = new AbortController();
    const key = answerKey(orgId, status, query);
    roster.members(orgId, { q: query, status, limit: 20 }, abort.signal)
      .then((page) => {
        setAnswers((current) => {
          const next = new Map(current);
          next.delete(key);
          next.set(key, page.items);
          if (next.size > KEPT_ANSWERS) next.delete(next.keys().next().value!);
          return next;
        });
        setFailure((current) => (current?.key === key ? null : current));
        setKnown((current) => {
          const next = new Map(current);
          for (const member of page.items) next.set(member.user_id, member);
          return next;
        });
      })
      .catch((caught) => { if (!abort.signal.aborted) setFailure({ key, message: errorMessage(caught) }); });
    return () => abort.abort();
  }, [orgId, query, status]);

  const key = answerKey(orgId, status, search);
  const answer = answers.get(key);
  const excluded = new Set(exclude);
  // Chosen members are not options unless the answer lists them: their
  // labels come from labelRender, so they stay readable without becoming
  // pickable under a text they do not match.
  const options = (answer ?? [])
    .filter((member) => !excluded.has(member.user_id))
    .map(personOption);
  const failed = failure?.key === key ? failure.message : null;

  return (
    <Select
      {...rest}
      mode={multiple ? 'multiple' : undefined}
      placeholder={placeholder}
      showSearch={{ filterOption: false, searchValue: search, onSearch: setSearch }}
      options={options}
      labelRender={({ value, label }) => {
        const member = known.get(String(value)) ?? people.find((person) => person.user_id === String(value));
        return member ? personOption(member).label : label;
      }}
      loading={!answer && !failed}
      notFoundContent={answer ? 'No matching members' : failed ?? <Spin size="small" />}
      onInputKeyDown={(event) => {
        // Enter with no answer yet would close the list and drop the text;
        // keep both, so that the person sees the matches and chooses.
        if (event.key === 'Enter' && !answer) {
          event.preventDefault();
          event.stopPropagation();
        }
      }}
      onChange={(value) => {
        setSearch('');
        onChange?.(value);
      }}
      onOpenChange={(open) => { if (!open) setSearch(''); }}
      style={{ width: '100%' }}
    />
  );
}
