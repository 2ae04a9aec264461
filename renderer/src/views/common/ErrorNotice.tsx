// An error where it happened: what went wrong, how to fix it, and where in a lab file.
import { formatIssue, type ErrorInfo } from '../../api/errors.js';

export interface ErrorNoticeProps {
  error: ErrorInfo;
  title?: string;
  onRetry?: () => void;
  onDismiss?: () => void;
}

export function ErrorNotice({ error, title, onRetry, onDismiss }: ErrorNoticeProps) {
  return (
    <div className="notice notice-error" role="alert">
      {title === undefined ? null : <strong className="notice-title">{title}</strong>}
      <p className="notice-message">{error.message}</p>
      {error.hint === undefined ? null : <p className="notice-hint">{error.hint}</p>}
      {error.issues === undefined ? null : (
        <ul className="notice-issues">
          {error.issues.map((issue, i) => (
            <li key={i}>
              <code>{formatIssue(issue)}</code>
            </li>
          ))}
        </ul>
      )}
      {onRetry === undefined && onDismiss === undefined ? null : (
        <div className="notice-actions">
          {onRetry === undefined ? null : (
            <button type="button" onClick={onRetry}>
              Retry
            </button>
          )}
          {onDismiss === undefined ? null : (
            <button type="button" onClick={onDismiss}>
              Dismiss
            </button>
          )}
        </div>
      )}
    </div>
  );
}
