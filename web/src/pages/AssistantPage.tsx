// One assistant: its Users tab and its Leads.
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import Breadcrumb from 'antd/es/breadcrumb';
import Card from 'antd/es/card';
import Result from 'antd/es/result';
import Skeleton from 'antd/es/skeleton';
import Tabs from 'antd/es/tabs';
import Tag from 'antd/es/tag';
import { ListError } from '../components/ListError';
import { PageHeader } from '../components/PageHeader';
import { AssistantUsers } from '../features/AssistantUsers';
import { LeadsList } from '../features/LeadsList';
import { formatDateTime, plural } from '../lib/format';
import { useOrg } from '../lib/org';
import { useAssistants } from '../lib/useAssistants';

export default function AssistantPage() {
  const { assistant: assistantId = '' } = useParams();
  const { orgId, managedAssistantIds } = useOrg();
  const assistants = useAssistants(orgId);
  const assistant = assistants.assistants.find((item) => item.id === assistantId);
  // An open lead's address (?lead=ID, see LeadsList) opens on its tab.
  const [params] = useSearchParams();
  const [firstTab] = useState(() => (params.has('lead') ? 'leads' : 'users'));

  // A reload (after assigning or unassigning) keeps the page; only the header's count changes.
  if (assistants.loading && assistants.assistants.length === 0) return <Card className="page-card"><Skeleton active /></Card>;
  if (assistants.error) return <ListError error={assistants.error} onRetry={assistants.reload} />;
  if (!assistant) {
    return (
      <Result
        status="404"
        title="Assistant not found"
        subTitle="It does not exist, or you are not assigned to it."
        extra={<Link to={`/orgs/${orgId}/assistants`}>Back to assistants</Link>}
      />
    );
  }

  return (
    <>
      <Breadcrumb
        className="page-breadcrumb"
        items={[{ title: <Link to={`/orgs/${orgId}/assistants`}>Assistants</Link> }, { title: assistant.name }]}
      />
      <PageHeader
        title={<>{assistant.name}{managedAssistantIds.includes(assistant.id) && <Tag color="gold" className="inline-tag">You manage</Tag>}</>}
        subtitle={`${plural(assistant.user_count, 'user')} · created ${formatDateTime(assistant.created_at)}`}
      />
      <Card className="page-card">
        <Tabs
          defaultActiveKey={firstTab}
          items={[
            { key: 'users', label: 'Users', children: <AssistantUsers assistant={assistant} onCountChanged={assistants.reload} /> },
            { key: 'leads', label: 'Leads', children: <LeadsList fixedAssistantId={assistant.id} /> },
          ]}
        />
      </Card>
    </>
  );
}
