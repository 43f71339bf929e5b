import type { ReactNode } from 'react';
import Typography from 'antd/es/typography';

export function PageHeader({ title, subtitle, extra }: { title: ReactNode; subtitle?: ReactNode; extra?: ReactNode }) {
  return (
    <div className="page-header">
      <div>
        <Typography.Title level={1}>{title}</Typography.Title>
        {subtitle && <Typography.Paragraph type="secondary" className="page-subtitle">{subtitle}</Typography.Paragraph>}
      </div>
      {extra && <div>{extra}</div>}
    </div>
  );
}
