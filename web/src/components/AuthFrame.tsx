// The centered card that frames the sign-in and password pages.
import type { ReactNode } from 'react';
import Card from 'antd/es/card';
import Typography from 'antd/es/typography';
import { Logo } from './Logo';

export function AuthFrame({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <main className="auth-screen">
      <div className="auth-column">
        <div className="auth-brand"><Logo size={36} /><span>Roster</span></div>
        <Card className="auth-card">
          <Typography.Title level={1} className="auth-title">{title}</Typography.Title>
          {subtitle && <Typography.Paragraph type="secondary">{subtitle}</Typography.Paragraph>}
          {children}
        </Card>
      </div>
    </main>
  );
}
