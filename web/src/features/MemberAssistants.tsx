// The Assistants cell of Org users: up to three tags, the ones he manages
// first, in blue with a star (read out as "manager"), and "+N" for the rest
// (named in its tooltip).
import { TableTag } from '../components/TableStyles';
import type { MemberAssistant } from '../api/types';

const SHOWN = 3;

export function MemberAssistants({ assistants }: { assistants: MemberAssistant[] | undefined }) {
  if (!assistants || assistants.length === 0) return <span className="cell-secondary">None</span>;
  // Managed assistants first: they are what a reader looks for.
  const ordered = [...assistants].sort((a, b) => Number(b.manager) - Number(a.manager));
  const rest = ordered.slice(SHOWN);
  return (
    <span className="member-assistants">
      {ordered.slice(0, SHOWN).map((assistant) => (
        <TableTag key={assistant.id} color={assistant.manager ? 'blue' : undefined}
             title={assistant.manager ? `Assistant manager of ${assistant.name}` : assistant.name}>
          {assistant.name}
          {assistant.manager && <><span aria-hidden> ★</span><span className="visually-hidden"> (manager)</span></>}
        </TableTag>
      ))}
      {rest.length > 0 && (
        <TableTag title={rest.map((assistant) => assistant.name + (assistant.manager ? ' (manager)' : '')).join(', ')}
             aria-label={`${rest.length} more: ${rest.map((assistant) => assistant.name).join(', ')}`}>
          +{rest.length}
        </TableTag>
      )}
    </span>
  );
}
