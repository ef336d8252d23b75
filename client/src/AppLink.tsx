/** An in-app link: a real href (open in new tab, copy link) that navigates without reloading on a plain click. */
import type { ReactNode } from 'react';
import { hrefWith, navigate } from './url-state.ts';

/** A link to the URL state `update` makes. */
export function AppLink(props: {
  update: (s: URLSearchParams) => void;
  children: ReactNode;
  className?: string;
  title?: string;
  current?: boolean;
}) {
  return (
    <a
      href={hrefWith(props.update)}
      className={props.className}
      title={props.title}
      aria-current={props.current ? 'page' : undefined}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(props.update);
        window.scrollTo({ top: 0 });
      }}
    >
      {props.children}
    </a>
  );
}

/** Opens a report's detail view, optionally focusing one extracted record (`project:3`, `issue:0`, `field:score`). */
export function openReport(id: string, focus?: string): (s: URLSearchParams) => void {
  return (s) => {
    s.set('view', 'report');
    s.set('report', id);
    if (focus) s.set('focus', focus);
    else s.delete('focus');
  };
}
