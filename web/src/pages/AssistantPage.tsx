// One assistant: its Users tab and its Leads.
import { useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import Breadcrumb from 'antd/es/breadcrumb';
import Card from 'antd/es/card';
import Result from 'antd/es/result';
import Skeleton from 'antd/es/skeleton';
import Tabs from 'antd/es/tabs';
import Tag from 'antd/es/tag';
import type { Assistant } from '../api/types';
import { ListError } from '../components/ListError';
import { PageHeader } from '../components/PageHeader';
import { AssistantUsers } from '../features/AssistantUsers';
import { LeadsList } from '../features/LeadsList';
import { formatDateTime, plural } from '../lib/format';
import { useOrg } from '../lib/org';
import { useAssistants } from '../lib/useAssistants';
import { useSession } from '../session';
import '../assistants.css';

export default function AssistantPage() {
  const { assistant: assistantId = '' } = useParams();
  const { orgId, isAdmin, managedAssistantIds } = useOrg();
  const { me } = useSession();
  const assistants = useAssistants(orgId);
  const { reload } = assistants;
  const assistant = assistants.assistants.find((item) => item.id === assistantId);
  // An open lead's address (?lead=ID, see LeadsList) opens on its tab.
  const [params] = useSearchParams();
  const [firstTab] = useState(() => (params.has('lead') ? 'leads' : 'users'));

  // Taken off the assistant while its page is open: the next request about
  // it answers 404, upon which the session reads GET /me again (see
  // session.tsx). Each new answer, and each change of tab, reads the
  // assistants again; once this one is no longer among them the page says
  // so (New lead offered no owner and blamed the assistant).
  const seen = useRef<Assistant | null>(null);
  if (assistant) seen.current = assistant;
  const firstMe = useRef(me);
  useEffect(() => {
    if (me !== firstMe.current) reload();
  }, [me, reload]);

  // A reload (after assigning or unassigning) keeps the page; only the header's count changes.
  if (assistants.loading && assistants.assistants.length === 0) return <Card className="page-card"><Skeleton active /></Card>;
  if (assistants.error) return <ListError error={assistants.error} onRetry={assistants.reload} />;
  if (!assistant) {
    const gone = seen.current?.id === assistantId && !isAdmin ? seen.current : null;
    return (
      <Result
        status={gone ? 'warning' : '404'}
        title={gone ? `You are no longer on ${gone.name}` : 'Assistant not found'}
        subTitle={gone
          ? 'An org admin took you off it meanwhile: its users and leads are no longer yours to see.'
          : 'It does not exist, or you are not assigned to it.'}
        extra={<Link to={`/orgs/${orgId}/assistants`}>Back to assistants</Link>}
      />
    );
  }
  // The server counts the users he may see: only its managers (and admins)
  // see them all, and "1 user" read to anyone else as "you are alone on it".
  const seesAll = isAdmin || managedAssistantIds.includes(assistant.id);

  return (
    <>
      <Breadcrumb
        className="page-breadcrumb"
        items={[{ title: <Link to={`/orgs/${orgId}/assistants`}>Assistants</Link> }, { title: assistant.name }]}
      />
      <PageHeader
        title={<>{assistant.name}{managedAssistantIds.includes(assistant.id) && <Tag color="gold" className="inline-tag">You manage</Tag>}</>}
        subtitle={seesAll
          ? `${plural(assistant.user_count, 'user')} · created ${formatDateTime(assistant.created_at)}`
          : `Created ${formatDateTime(assistant.created_at)}`}
      />
      <Card className="page-card assistant-card">
        <Tabs
          defaultActiveKey={firstTab}
          onChange={reload}
          items={[
            { key: 'users', label: 'Users', children: <AssistantUsers assistant={assistant} onCountChanged={reload} /> },
            { key: 'leads', label: 'Leads', children: <LeadsList fixedAssistantId={assistant.id} /> },
          ]}
        />
      </Card>
    </>
  );
}
