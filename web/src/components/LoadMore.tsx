import Button from 'antd/es/button';
import Typography from 'antd/es/typography';

/** Cursor paging: how many rows are shown, and "Load more" while the server has more. */
export function LoadMore({ shown, hasMore, loading, onLoadMore, noun = 'rows' }: {
  shown: number; hasMore: boolean; loading: boolean; onLoadMore: () => void; noun?: string;
}) {
  if (shown === 0) return null;
  return (
    <div className="list-footer">
      <Typography.Text type="secondary" aria-live="polite">
        Showing {shown.toLocaleString()} {noun}{hasMore ? '' : ' (all)'}
      </Typography.Text>
      {hasMore && <Button onClick={onLoadMore} loading={loading}>Load more</Button>}
    </div>
  );
}
