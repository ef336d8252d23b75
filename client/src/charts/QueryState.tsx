/** What a list or table shows while its query loads, fails or finds nothing, and the pager under paged lists. */
import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { localizeMessage, useT } from '../i18n.ts';

/** The loading, error or empty state of `query`, else `children(data)`. */
export function QueryState<T>(props: {
  query: UseQueryResult<T, { message: string }>;
  isEmpty: (data: T) => boolean;
  /** The text shown when there is nothing (default: no data under the filters). */
  empty?: string;
  children: (data: T) => ReactNode;
}) {
  const { t, lang } = useT();
  const { query } = props;
  if (query.isPending) return <div className="state state-loading" role="status"><span className="spinner" aria-hidden />{t('loading')}</div>;
  if (query.isError) return <div className="state state-error" role="alert">{t('error')}: {localizeMessage(query.error.message, lang)}</div>;
  if (props.isEmpty(query.data)) return <div className="state state-empty">{props.empty ?? t('empty')}</div>;
  return <>{props.children(query.data)}</>;
}

/** Previous / next with "page p of n". */
export function Pager({ page, pages, go }: { page: number; pages: number; go: (page: number) => void }) {
  const { t } = useT();
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label={t('pageOf', { p: page + 1, n: pages })}>
      <button type="button" className="btn btn-small" disabled={page <= 0} onClick={() => go(page - 1)}>{t('prevPage')}</button>
      <span>{t('pageOf', { p: page + 1, n: pages })}</span>
      <button type="button" className="btn btn-small" disabled={page + 1 >= pages} onClick={() => go(page + 1)}>{t('nextPage')}</button>
    </nav>
  );
}
