import Button from 'antd/es/button';
import Typography from 'antd/es/typography';

import { plural } from '../lib/format';

/** Cursor paging: how many rows are shown ("Showing 1 member", "Showing 2
 *  members"), and "Load more" while the server has more. `noun` is the
 *  plural, `one` the singular (without it, `noun` serves for both). */
export function LoadMore({ shown, hasMore, loading, onLoadMore, noun = 'rows', one }: {
  shown: number; hasMore: boolean; loading: boolean; onLoadMore: () => void; noun?: string; one?: string;
}) {
  if (shown === 0) return null;
  return (
    <div className="list-footer">
      <Typography.Text type="secondary" aria-live="polite">
        Showing {plural(shown, one ?? noun, noun)}{hasMore ? '' : ' (all)'}
      </Typography.Text>
      {hasMore && <Button onClick={onLoadMore} loading={loading}>Load more</Button>}
    </div>
  );
}
