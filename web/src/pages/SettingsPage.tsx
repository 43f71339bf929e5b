// The organization's settings (admins).
import Card from 'antd/es/card';
import { PageHeader } from '../components/PageHeader';
import { RequireMfaSetting } from '../features/RequireMfaSetting';
import { useOrg } from '../lib/org';

export default function SettingsPage() {
  const { orgId, orgName } = useOrg();
  return (
    <>
      <PageHeader title="Settings" subtitle={`How ${orgName} works.`} />
      <Card className="page-card">
        <RequireMfaSetting orgId={orgId} />
      </Card>
    </>
  );
}
