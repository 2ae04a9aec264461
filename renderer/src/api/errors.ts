// Errors as the page shows them: what went wrong, how to fix it, and where in a lab file.
import type { ApiError } from '../../../shared/api.js';

export type ApiIssue = NonNullable<ApiError['issues']>[number];

/** An Error that keeps the ApiError's hint and lab-file issues, so views can show them. */
export class LabApiError extends Error {
  readonly hint: string | undefined;
  readonly issues: ApiIssue[] | undefined;

  constructor(message: string, extra: { hint?: string | undefined; issues?: ApiIssue[] | undefined } = {}) {
    super(message);
    this.name = 'LabApiError';
    this.hint = extra.hint;
    this.issues = extra.issues;
  }

  static from(error: ApiError): LabApiError {
    return new LabApiError(error.message, { hint: error.hint, issues: error.issues });
  }
}

/** The plain data a view needs to show an error; stores keep this, not Error objects. */
export interface ErrorInfo {
  message: string;
  hint?: string;
  issues?: ApiIssue[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Whatever was thrown (LabApiError, Error, an ApiError object from a preload, a string) as ErrorInfo. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (isRecord(error) && typeof error.message === 'string') {
    const info: ErrorInfo = { message: error.message };
    if (typeof error.hint === 'string' && error.hint !== '') info.hint = error.hint;
    if (Array.isArray(error.issues) && error.issues.length > 0) info.issues = error.issues as ApiIssue[];
    return info;
  }
  return { message: typeof error === 'string' ? error : 'Something went wrong' };
}

/** "labs/x.yaml:31:20: nodes[1].addresses.lan: ..." as the loader and the CLI print it. */
export function formatIssue(issue: ApiIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.field}: ${issue.message}`;
}
