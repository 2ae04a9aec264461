// The core's error vocabulary, in a module of its own so that any layer can use it without
// importing the Docker runtime or the image builder that happened to define it first.

/** A failure to show the user as is: a sentence, and what to do about it when that is known. */
export class LabError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'LabError';
  }
}

/**
 * The message of anything thrown. The Docker Engine's own explanation (dockerode puts the
 * answer's JSON body in `json`) beats the generic "(HTTP code 409) unexpected" message.
 */
export function errorText(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const json = (error as { json?: { message?: string } }).json;
    if (json?.message) return json.message;
    if (error instanceof Error) return error.message;
  }
  return String(error);
}
