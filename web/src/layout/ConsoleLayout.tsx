// The signed-in frame: a sider menu, a header with the organization switcher
// and the user menu, and the current page.
import { Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import Alert from 'antd/es/alert';
import Avatar from 'antd/es/avatar';
import Button from 'antd/es/button';
import Dropdown from 'antd/es/dropdown';
import Layout from 'antd/es/layout';
import Menu from 'antd/es/menu';
import Select from 'antd/es/select';
import Tag from 'antd/es/tag';
import ApiOutlined from '@ant-design/icons/es/icons/ApiOutlined';
import AuditOutlined from '@ant-design/icons/es/icons/AuditOutlined';
import BankOutlined from '@ant-design/icons/es/icons/BankOutlined';
import BookOutlined from '@ant-design/icons/es/icons/BookOutlined';
import ContactsOutlined from '@ant-design/icons/es/icons/ContactsOutlined';
import DownOutlined from '@ant-design/icons/es/icons/DownOutlined';
import KeyOutlined from '@ant-design/icons/es/icons/KeyOutlined';
import LogoutOutlined from '@ant-design/icons/es/icons/LogoutOutlined';
import RobotOutlined from '@ant-design/icons/es/icons/RobotOutlined';
import SafetyOutlined from '@ant-design/icons/es/icons/SafetyOutlined';
import SettingOutlined from '@ant-design/icons/es/icons/SettingOutlined';
import TeamOutlined from '@ant-design/icons/es/icons/TeamOutlined';
import UserOutlined from '@ant-design/icons/es/icons/UserOutlined';
import { errorMessage } from '../api/client';
import { Logo } from '../components/Logo';
import { Loading } from '../routes';
import { accessOf, useSession } from '../session';
import { OrgContext } from '../lib/org';
import { NoAccess } from './NoAccess';
import { RecoverySignInNotice } from '../features/RecoverySignInNotice';
import './layout.css';
import { useToast } from '../toast';

const SECTIONS = ['users', 'assistants', 'leads', 'audit', 'webhooks', 'api-keys', 'settings'] as const;
/** Sections only an organization's admins may open. */
const ADMIN_SECTIONS: readonly string[] = ['audit', 'webhooks', 'api-keys', 'settings'];
/** Each section's name in the window's title, as its sider link says it. */
const SECTION_TITLES: Record<(typeof SECTIONS)[number], string> = {
  users: 'Org users', assistants: 'Assistants', leads: 'Leads', audit: 'Audit log',
  webhooks: 'Webhooks', 'api-keys': 'API keys', settings: 'Settings',
};

export default function ConsoleLayout() {
  const { org: orgId = '' } = useParams();
  const { me, signOut, formerOrgs, formerAdminOrgs, recoverySignIn, noteRecoverySignIn } = useSession();
  const message = useToast();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);

  const membership = me?.memberships.find((item) => item.org.id === orgId);
  const access = useMemo(() => (me && membership ? accessOf(me, membership) : null), [me, membership]);
  const shown = SECTIONS.find((name) => location.pathname.startsWith(`/orgs/${orgId}/${name}`));
  const section = shown ?? 'users';
  const userButton = useRef<HTMLButtonElement>(null);

  // "Leads · Acme Sales · Roster": tabs and history lists read the same
  // "Roster" on every page otherwise (WCAG 2.4.2).
  const orgName = access?.orgName;
  useEffect(() => {
    if (!orgName) return;
    document.title = `${shown ? SECTION_TITLES[shown] : 'Page not found'} · ${orgName} · Roster`;
    return () => { document.title = 'Roster'; };
  }, [shown, orgName]);

  // Arriving from another page of the app (a new password set, a sign-in,
  // two-factor set up), the focus was left on the body: it goes where "Skip
  // to content" sends it. Not on a fresh load, where the skip link is the
  // first Tab stop.
  const arrivedInApp = location.key !== 'default';
  const hasConsole = Boolean(me && access);
  useEffect(() => {
    if (!arrivedInApp || !hasConsole) return;
    if (document.activeElement === null || document.activeElement === document.body) {
      document.getElementById('main')?.focus();
    }
    // Only when the console opens, not on each page inside it.
  }, [hasConsole]);

  const leave = async () => {
    try {
      await signOut();
    } catch (error) {
      message.error(errorMessage(error));
    }
    // The sign-in page itself says so (see LoginPage), rather than a toast.
    navigate('/login');
  };

  if (!me) return null;
  if (!access) {
    return <NoAccess me={me} orgId={orgId} formerName={formerOrgs[orgId]} onSignOut={() => void leave()} />;
  }

  const base = `/orgs/${orgId}`;
  const menuItems = [
    { key: 'users', icon: <TeamOutlined aria-hidden />, label: <Link to={`${base}/users`}>Org users</Link> },
    { key: 'assistants', icon: <RobotOutlined aria-hidden />, label: <Link to={`${base}/assistants`}>Assistants</Link> },
    { key: 'leads', icon: <ContactsOutlined aria-hidden />, label: <Link to={`${base}/leads`}>Leads</Link> },
    ...(access.isAdmin
      ? [
          { key: 'audit', icon: <AuditOutlined aria-hidden />, label: <Link to={`${base}/audit`}>Audit log</Link> },
          { key: 'webhooks', icon: <ApiOutlined aria-hidden />, label: <Link to={`${base}/webhooks`}>Webhooks</Link> },
          { key: 'api-keys', icon: <KeyOutlined aria-hidden />, label: <Link to={`${base}/api-keys`}>API keys</Link> },
          { key: 'settings', icon: <SettingOutlined aria-hidden />, label: <Link to={`${base}/settings`}>Settings</Link> },
        ]
      : []),
  ];

  const switchOrganization = (nextOrg: string) => {
    const target = me.memberships.find((item) => item.org.id === nextOrg);
    const keep = ADMIN_SECTIONS.includes(section) && target?.role !== 'admin' ? 'users' : section;
    navigate(`/orgs/${nextOrg}/${keep}`);
  };

  const onUserMenu = async ({ key }: { key: string }) => {
    if (key === 'password') navigate('/password');
    if (key === 'security') navigate('/security');
    if (key === 'signout') await leave();
  };

  return (
    <OrgContext.Provider value={access}>
      <a className="skip-link" href="#main">Skip to content</a>
      <Layout className="console">
        <Layout.Sider
          collapsible
          collapsed={collapsed}
          onCollapse={setCollapsed}
          breakpoint="lg"
          width={224}
          className="console-sider"
          trigger={null}
        >
          <Link to="/" className="console-brand" aria-label="Roster home">
            <Logo size={28} />
            {!collapsed && <span>Roster</span>}
          </Link>
          <nav aria-label="Main">
            <Menu theme="dark" mode="inline" selectedKeys={[section]} items={menuItems} />
          </nav>
        </Layout.Sider>
        <Layout>
          <Layout.Header className="console-header">
            <div className="console-org">
              {me.memberships.length > 1 ? (
                <Select
                  aria-label="Organization"
                  value={orgId}
                  onChange={switchOrganization}
                  prefix={<BankOutlined aria-hidden />}
                  popupMatchSelectWidth={false}
                  className="org-switcher"
                  options={me.memberships.map((item) => ({ value: item.org.id, label: item.org.name }))}
                />
              ) : (
                <span className="org-name" title={access.orgName}><BankOutlined aria-hidden /> {access.orgName}</span>
              )}
              <Tag color={access.isAdmin ? 'geekblue' : 'default'} className="role-tag">
                {access.isAdmin ? 'Org admin' : access.managesAny ? 'Assistant manager' : 'User'}
              </Tag>
            </div>
            <Dropdown
              trigger={['click']}
              autoFocus
              placement="bottomRight"
              menu={{
                onClick: (info) => void onUserMenu(info),
                // Escape closes the menu; the focus goes back to its button (on
                // a phone it fell to the page's body), as RowActions does.
                onKeyDown: (event) => {
                  if (event.key === 'Escape') window.setTimeout(() => userButton.current?.focus(), 0);
                },
                items: [
                  { key: 'who', type: 'group', label: me.user.email },
                  { key: 'password', icon: <KeyOutlined aria-hidden />, label: 'Change password' },
                  // Its own page outside the console's routes (Redoc, web/src/api-docs/).
                  { key: 'api-docs', icon: <BookOutlined aria-hidden />, label: <a href="/api/docs">API reference</a> },
                  { key: 'security', icon: <SafetyOutlined aria-hidden />, label: 'Security' },
                  { type: 'divider' },
                  { key: 'signout', icon: <LogoutOutlined aria-hidden />, label: 'Sign out' },
                ],
              }}
            >
              <Button ref={userButton} type="text" className="user-button" aria-label={`${me.user.name}, account menu`}>
                <Avatar size="small" className="user-avatar" icon={<UserOutlined aria-hidden />} />
                <span className="user-name" title={me.user.name}>{me.user.name}</span>
                <DownOutlined aria-hidden />
              </Button>
            </Dropdown>
          </Layout.Header>
          {/* Layout.Content is the page's one <main>; #main takes the focus. */}
          <Layout.Content className="console-content">
            <div id="main" tabIndex={-1}>
              {!access.isAdmin && formerAdminOrgs[orgId] !== undefined && (
                <Alert
                  type="warning"
                  showIcon
                  role="alert"
                  className="demoted-notice"
                  title={`You are no longer an org admin of ${formerAdminOrgs[orgId]}`}
                  description="An admin took your admin rights away: the admins' pages and actions are gone from the console."
                />
              )}
              {recoverySignIn && (
                <RecoverySignInNotice codesLeft={recoverySignIn.codesLeft} back={location.pathname}
                                      onClose={() => noteRecoverySignIn(null)} />
              )}
              <Suspense fallback={<Loading />}>
                <Outlet key={orgId} />
              </Suspense>
            </div>
          </Layout.Content>
        </Layout>
      </Layout>
    </OrgContext.Provider>
  );
}
