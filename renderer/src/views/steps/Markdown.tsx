// A lab's markdown, rendered with raw HTML escaped. Links open outside the app (only http(s)).
import { useMemo, type MouseEvent } from 'react';
import { renderMarkdown } from '../../markdown/render-markdown.js';
import { openExternalLink } from '../../terminal/links.js';

function onClick(event: MouseEvent<HTMLDivElement>): void {
  const target = event.target instanceof Element ? event.target.closest('a') : null;
  if (!target) return;
  // Never navigate the app's own window away.
  event.preventDefault();
  openExternalLink(target.href);
}

export function Markdown({ source }: { source: string }) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  return <div className="markdown" onClick={onClick} dangerouslySetInnerHTML={{ __html: html }} />;
}
