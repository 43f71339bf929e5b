import InboxOutlined from '@ant-design/icons/es/icons/InboxOutlined';

/** A list's empty state, in text dark enough to read (antd's is #bfbfbf);
 *  nothing while the list is still loading. */
export function EmptyState({ text, loading = false }: { text: string; loading?: boolean }) {
  if (loading) return <div className="empty-state" aria-hidden="true" />;
  return (
    <div className="empty-state">
      <InboxOutlined aria-hidden className="empty-state-icon" />
      <div>{text}</div>
    </div>
  );
}
