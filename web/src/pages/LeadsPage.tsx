import Card from 'antd/es/card';
import { PageHeader } from '../components/PageHeader';
import { LeadsList } from '../features/LeadsList';
import { useOrg } from '../lib/org';

export default function LeadsPage() {
  const { isAdmin, managesAny } = useOrg();
  return (
    <>
      <PageHeader
        title="Leads"
        subtitle={isAdmin
          ? 'Every lead of the organization.'
          : managesAny
            ? 'Your own leads, and every lead of the assistants you manage.'
            : 'The leads you own.'}
      />
      <Card className="page-card">
        <LeadsList />
      </Card>
    </>
  );
}
