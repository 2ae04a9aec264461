// An error where it happened: what went wrong, how to fix it, and where in a lab file.
import { createElement as h } from 'react';
import { formatIssue, type ErrorInfo } from '../../api/errors.js';

export interface ErrorNoticeProps {
  error: ErrorInfo;
  title?: string;
  onRetry?: () => void;
  onDismiss?: () => void;
}

export function ErrorNotice({ error, title, onRetry, onDismiss }: ErrorNoticeProps) {
  return h(
    'div',
    { className: 'notice notice-error', role: 'alert' },
    title === undefined ? null : h('strong', { className: 'notice-title' }, title),
    h('p', { className: 'notice-message' }, error.message),
    error.hint === undefined ? null : h('p', { className: 'notice-hint' }, error.hint),
    error.issues === undefined
      ? null
      : h(
          'ul',
          { className: 'notice-issues' },
          error.issues.map((issue, i) => h('li', { key: i }, h('code', null, formatIssue(issue)))),
        ),
    onRetry === undefined && onDismiss === undefined
      ? null
      : h(
          'div',
          { className: 'notice-actions' },
          onRetry === undefined ? null : h('button', { type: 'button', onClick: onRetry }, 'Retry'),
          onDismiss === undefined ? null : h('button', { type: 'button', onClick: onDismiss }, 'Dismiss'),
        ),
  );
}
