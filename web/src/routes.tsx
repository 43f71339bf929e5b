// Client-side routes. Every page is its own chunk, so the sign-in page loads
// only what it shows.
import { lazy, Suspense } from 'react';
import type { ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import Spin from 'antd/es/spin';
import Result from 'antd/es/result';
import Button from 'antd/es/button';
import { useSession } from './session';

const LoginPage = lazy(() => import('./pages/LoginPage'));
const PasswordPage = lazy(() => import('./pages/PasswordPage'));
const ConsoleLayout = lazy(() => import('./layout/ConsoleLayout'));
const OrgUsersPage = lazy(() => import('./pages/OrgUsersPage'));
const AssistantsPage = lazy(() => import('./pages/AssistantsPage'));
const AssistantPage = lazy(() => import('./pages/AssistantPage'));
const LeadsPage = lazy(() => import('./pages/LeadsPage'));
const AuditPage = lazy(() => import('./pages/AuditPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <div className="boot-screen" role="status" aria-live="polite">
      <Spin size="large" description={label} />
    </div>
  );
}

/** Sends a visitor without a session to /login, and a one-time-password
 *  session to /password, remembering where they were going. */
function RequireSession({ children, allowPasswordChange = false }: { children: ReactNode; allowPasswordChange?: boolean }) {
  const { status, me, loadError, refresh } = useSession();
  const location = useLocation();
  if (status === 'loading') return <Loading />;
  if (status === 'error') {
    return (
      <Result
        status="error"
        title="The console cannot reach Roster"
        subTitle={loadError}
        extra={<Button type="primary" onClick={() => void refresh()}>Try again</Button>}
      />
    );
  }
  if (status === 'signed-out' || !me) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (me.must_change_password && !allowPasswordChange) return <Navigate to="/password" replace />;
  return <>{children}</>;
}

function Home() {
  const { me } = useSession();
  const first = me?.memberships[0];
  if (!first) {
    return (
      <Result
        status="info"
        title="You are not a member of any organization"
        subTitle="Ask an organization's admin to invite you."
      />
    );
  }
  return <Navigate to={`/orgs/${first.org.id}/users`} replace />;
}

export function AppRoutes() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/password" element={<RequireSession allowPasswordChange><PasswordPage /></RequireSession>} />
        <Route path="/" element={<RequireSession><Home /></RequireSession>} />
        <Route path="/orgs/:org" element={<RequireSession><ConsoleLayout /></RequireSession>}>
          <Route index element={<Navigate to="users" replace />} />
          <Route path="users" element={<OrgUsersPage />} />
          <Route path="assistants" element={<AssistantsPage />} />
          <Route path="assistants/:assistant" element={<AssistantPage />} />
          <Route path="leads" element={<LeadsPage />} />
          <Route path="audit" element={<AuditPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Suspense>
  );
}
