// How every rule words its warning: the rule's id first, so that the reader can look it up, and
// the command it is about, clipped to 80 characters.
import type { LintRuleId } from '../../lint.js';
import type { SemanticIssue } from '../../semantics.js';
import type { Path } from '../context.js';

export function warning(id: LintRuleId, path: Path, message: string): SemanticIssue {
  return { path, message: `${id}: ${message}` };
}

export function clip(text: string, length = 80): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
