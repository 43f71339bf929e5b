// "Export" and its two formats. Each item is a plain link to the export's
// address with `download`: the browser fetches and saves the file itself
// (the session cookie rides along), streaming it to disk, so a million rows
// never pass through the page's memory.
import Button from 'antd/es/button';
import Dropdown from 'antd/es/dropdown';
import DownOutlined from '@ant-design/icons/es/icons/DownOutlined';
import DownloadOutlined from '@ant-design/icons/es/icons/DownloadOutlined';
import { roster } from '../api/roster';
import type { ExportFormat, ExportList } from '../api/roster';

export function ExportMenu({ orgId, list, filters, what }: {
  orgId: string;
  list: ExportList;
  /** The list's current filters; the export applies the same. */
  filters?: Record<string, string | undefined>;
  /** What is exported, for the button's accessible name ("Export leads"). */
  what: string;
}) {
  const link = (format: ExportFormat, label: string, hint: string) => (
    <a href={roster.exportUrl(orgId, list, format, filters)} download data-format={format}>
      {label} <span className="cell-secondary">{hint}</span>
    </a>
  );
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'csv', label: link('csv', 'CSV', 'for spreadsheets') },
          { key: 'ndjson', label: link('ndjson', 'NDJSON', 'one JSON object per line') },
        ],
      }}
    >
      <Button icon={<DownloadOutlined aria-hidden />} aria-label={`Export ${what}`} aria-haspopup="menu">
        Export <DownOutlined aria-hidden />
      </Button>
    </Dropdown>
  );
}
