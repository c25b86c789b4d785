// One error vocabulary: stable codes, a message that says what to do next, and never internals or
// personal data. The HTTP error handler and the CLI both render these.
type ErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'unauthorised'
  | 'forbidden'
  | 'not_configured'
  | 'conflict'
  | 'bad_request'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 422,
  not_found: 404,
  unauthorised: 401,
  forbidden: 403,
  not_configured: 503,
  conflict: 409,
  bad_request: 400,
  internal: 500,
};

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return STATUS[this.code];
  }
}
