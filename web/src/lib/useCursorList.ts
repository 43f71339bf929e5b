// A list read page by page through `next_cursor`: the first page loads when
// `key` changes (filters, search), "Load more" appends the next one. A late
// answer for an old key is dropped. A first page already at hand (`early`,
// asked ahead of need) is shown on the first render, without a request.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/client';
import type { Page } from '../api/types';

export interface CursorList<T> {
  items: T[];
  loading: boolean;
  loadingMore: boolean;
  error: string | null;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
  /** Replaces the matching loaded items in place (after an update) by
   *  `next`; null removes them. */
  update: (match: (item: T) => boolean, next: T | null) => void;
}

export function useCursorList<T>(
  fetchPage: (cursor: string | null, signal: AbortSignal) => Promise<Page<T>>,
  key: string,
  early?: () => Page<T> | undefined,
): CursorList<T> {
  const [first] = useState(() => early?.());
  const [items, setItems] = useState<T[]>(first?.items ?? []);
  const [cursor, setCursor] = useState<string | null>(first?.next_cursor ?? null);
  const [loading, setLoading] = useState(first === undefined);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const controller = useRef<AbortController | null>(null);
  const haveFirst = useRef(first !== undefined);

  useEffect(() => {
    if (haveFirst.current) {
      haveFirst.current = false;
      return undefined;
    }
    const abort = new AbortController();
    controller.current?.abort();
    controller.current = abort;
    setLoading(true);
    setError(null);
    fetchRef.current(null, abort.signal)
      .then((page) => {
        if (abort.signal.aborted) return;
        setItems(page.items);
        setCursor(page.next_cursor);
      })
      .catch((caught) => {
        if (abort.signal.aborted) return;
        setItems([]);
        setCursor(null);
        setError(errorMessage(caught));
      })
      .finally(() => {
        if (!abort.signal.aborted) setLoading(false);
      });
    return () => abort.abort();
  }, [key, generation]);

  const loadMore = useCallback(() => {
    if (!cursor || loadingMore) return;
    const abort = controller.current ?? new AbortController();
    setLoadingMore(true);
    fetchRef.current(cursor, abort.signal)
      .then((page) => {
        if (abort.signal.aborted) return;
        setItems((current) => [...current, ...page.items]);
        setCursor(page.next_cursor);
      })
      .catch((caught) => {
        if (!abort.signal.aborted) setError(errorMessage(caught));
      })
      .finally(() => setLoadingMore(false));
  }, [cursor, loadingMore]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);

  const update = useCallback((match: (item: T) => boolean, next: T | null) => {
    setItems((current) => (next === null
      ? current.filter((item) => !match(item))
      : current.map((item) => (match(item) ? next : item))));
  }, []);

  return { items, loading, loadingMore, error, hasMore: cursor !== null, loadMore, reload, update };
}
