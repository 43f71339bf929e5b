// Organization → Settings (admins, SPEC.md sections 8 and 9). The
// "Offboarding" card is the policy that places the leads of a member who is
// deactivated or removed when nobody is named to take them; the two-factor
// card requires a second factor of every member.
import { useEffect, useRef, useState } from 'react';
import Alert from 'antd/es/alert';
import Button from 'antd/es/button';
import Card from 'antd/es/card';
import Form from 'antd/es/form';
import Result from 'antd/es/result';
import Skeleton from 'antd/es/skeleton';
import Switch from 'antd/es/switch';
import Typography from 'antd/es/typography';
import { errorMessage } from '../api/client';
import { lifecycle } from '../api/lifecycle';
import type { OffboardingPolicy } from '../api/lifecycle';
import { roster } from '../api/roster';
import type { Member } from '../api/types';
import { MemberSelect } from '../components/MemberSelect';
import { PageHeader } from '../components/PageHeader';
import { RequireMfaSetting } from '../features/RequireMfaSetting';
import { useOrg } from '../lib/org';
import { useToast } from '../toast';
import './settings.css';

function OffboardingCard({ orgId }: { orgId: string }) {
  const message = useToast();
  const [saved, setSaved] = useState<OffboardingPolicy | null>(null);
  const [heir, setHeir] = useState<string | null>(null);
  const [prefer, setPrefer] = useState(false);
  const [heirMember, setHeirMember] = useState<Member[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Saved: Save turns disabled and lets go of the focus, which fell to the
  // body; it goes to the card's title instead, from where Tab goes on.
  const [savedCount, setSavedCount] = useState(0);
  const title = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (savedCount === 0) return;
    const active = document.activeElement as HTMLButtonElement | null;
    if (!active || active === document.body || active.disabled) title.current?.focus();
  }, [savedCount]);

  const show = (policy: OffboardingPolicy) => {
    setSaved(policy);
    setHeir(policy.heir_user_id);
    setPrefer(policy.prefer_assistant_manager);
  };

  useEffect(() => {
    let live = true;
    lifecycle.settings(orgId)
      .then((settings) => { if (live) show(settings.offboarding); })
      .catch((caught) => { if (live) setLoadError(errorMessage(caught)); });
    return () => { live = false; };
  }, [orgId]);

  // The saved heir's name, which the first page of the picker may not list.
  const savedHeir = saved?.heir_user_id ?? null;
  useEffect(() => {
    if (!savedHeir) return;
    let live = true;
    roster.member(orgId, savedHeir)
      .then((member) => { if (live) setHeirMember([member]); })
      .catch(() => { if (live) setHeirMember([]); });
    return () => { live = false; };
  }, [orgId, savedHeir]);

  const changed = saved !== null && (heir !== saved.heir_user_id || prefer !== saved.prefer_assistant_manager);
  // The saved heir may have been deactivated since: the policy then has no
  // heir, and a deactivation or removal that needs one is refused.
  const inactiveHeir = heir !== null ? heirMember.find((member) => member.user_id === heir && member.status !== 'active') : undefined;

  const save = async () => {
    setBusy(true);
    setSaveError(null);
    try {
      const settings = await lifecycle.updateSettings(orgId, {
        offboarding: { heir_user_id: heir, prefer_assistant_manager: prefer },
      });
      show(settings.offboarding);
      message.success('The offboarding policy is saved.');
      setSavedCount((count) => count + 1);
    } catch (caught) {
      setSaveError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card className="page-card settings-card" title={<h2 className="card-title" ref={title} tabIndex={-1}>Offboarding</h2>}>
      <Typography.Paragraph className="settings-intro">
        When a member is deactivated or removed and nobody is named to receive their leads, the leads
        go by this policy. If the policy cannot find a place for every one of their leads, the deactivation is
        refused and nothing changes.
      </Typography.Paragraph>
      {loadError && <Alert type="error" showIcon role="alert" title={loadError} className="form-alert" />}
      {!saved && !loadError && <Skeleton active paragraph={{ rows: 3 }} />}
      {saved && (
        <Form layout="vertical" onFinish={() => void save()} className="settings-form">
          <Form.Item
            label="Prefer the assistant's manager"
            htmlFor="offboarding-prefer-manager"
            extra="Each lead goes to a manager of its assistant: the one who owns the fewest of that assistant's leads, never the person leaving."
          >
            <Switch id="offboarding-prefer-manager" checked={prefer} onChange={setPrefer} />
          </Form.Item>
          <Form.Item
            label="Default heir"
            htmlFor="offboarding-heir"
            extra={prefer
              ? 'Receives the leads of assistants that have no other manager.'
              : 'Receives every lead. Leave empty to have an admin choose each time.'}
          >
            <MemberSelect
              id="offboarding-heir"
              orgId={orgId}
              status="active"
              allowClear
              people={heirMember}
              value={heir ?? undefined}
              onChange={(value: string | undefined) => setHeir(value ?? null)}
              placeholder="Nobody: an admin chooses each time"
              aria-describedby={inactiveHeir ? 'offboarding-heir-inactive' : undefined}
            />
          </Form.Item>
          {inactiveHeir && (
            <Alert
              id="offboarding-heir-inactive"
              type="warning"
              showIcon
              className="form-alert"
              title={`${inactiveHeir.name} is ${inactiveHeir.status === 'deactivated' ? 'deactivated' : 'not an active member'} and cannot receive leads.`}
              description="Choose an active member, or leave the field empty, and save. Until then, deactivating or removing a member whose leads need the heir is refused."
            />
          )}
          {saveError && <Alert type="error" showIcon role="alert" title={saveError} className="form-alert" />}
          <Button type="primary" htmlType="submit" loading={busy} disabled={!changed}>Save</Button>
        </Form>
      )}
    </Card>
  );
}

export default function SettingsPage() {
  const { orgId, orgName, isAdmin } = useOrg();
  if (!isAdmin) {
    return <Result status="403" title="Admins only" subTitle="Only the organization's admins can change its settings." />;
  }
  return (
    <>
      <PageHeader title="Settings" subtitle={`How ${orgName} works.`} />
      <OffboardingCard orgId={orgId} />
      <Card className="page-card settings-card"
            title={<h2 className="card-title" id="require-mfa-title">Two-factor sign-in</h2>}>
        <RequireMfaSetting orgId={orgId} />
      </Card>
    </>
  );
}
