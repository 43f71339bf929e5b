// A list read page by page through `next_cursor`: the first page loads when
// `key` changes (filters, search), "Load more" appends the next one. A late
// answer for an old key is dropped. A first page already at hand (`early`,
// asked ahead of need) is shown on the first render, without a request.
// "Refresh in place" reads the loaded rows again for rows that change on
// their own (an e-mail refused later), without the spinner of a reload.
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
  /** Reads the loaded rows again, from the top with the same query, and
   *  replaces those whose answer differs in place, matched by `keyOf`: no
   *  spinner, and the cursor, the order and the unchanged rows stay (a row
   *  added or gone meanwhile waits for a reload). With `wanted`, it stops
   *  once every loaded row `wanted` picks has been read again. The answer is
   *  dropped when `signal` aborts or the list changed meanwhile (an update,
   *  Load more, a reload or another key): those rows are newer. Rejects when
   *  a read fails. */
  refreshInPlace: (keyOf: (item: T) => string, signal: AbortSignal,
                   wanted?: (item: T) => boolean) => Promise<void>;
}

/** Reads the page after `cursor` (null: the first). `size` is set by a
 *  refresh in place: the rows it has still to read again, which a page may
 *  hold all of if the server allows; without it, the list's usual page. */
type FetchPage<T> = (cursor: string | null, signal: AbortSignal, size?: number) => Promise<Page<T>>;

export function useCursorList<T>(
  fetchPage: FetchPage<T>,
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
  const itemsRef = useRef(items);
  itemsRef.current = items;
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

  const refreshInPlace = useCallback(async (keyOf: (item: T) => string, signal: AbortSignal,
                                             wanted?: (item: T) => boolean) => {
    const shown = itemsRef.current;
    const firstLoad = controller.current;
    // The query of the start: a cursor means nothing to another one.
    const read = fetchRef.current;
    const pending = wanted && new Set(shown.filter(wanted).map(keyOf));
    const fresh = new Map<string, T>();
    let next: string | null = null;
    do {
      const page: Page<T> = await read(next, signal, shown.length - fresh.size);
      for (const item of page.items) {
        const itemKey = keyOf(item);
        fresh.set(itemKey, item);
        pending?.delete(itemKey);
      }
      next = page.next_cursor;
    } while (next && fresh.size < shown.length && (pending === undefined || pending.size > 0));
    if (signal.aborted || controller.current !== firstLoad) return;
    setItems((current) => {
      if (current !== shown) return current;
      let changed = false;
      const replaced = current.map((item) => {
        const again = fresh.get(keyOf(item));
        if (again === undefined || JSON.stringify(again) === JSON.stringify(item)) return item;
        changed = true;
        return again;
      });
      return changed ? replaced : current;
    });
  }, []);

  return { items, loading, loadingMore, error, hasMore: cursor !== null, loadMore, reload, update, refreshInPlace };
}
