// The single error handler: stable codes, a message that says what to do, never internals or personal data.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { isRetryableTransactionFailure } from '../db/errors.js';
import { AppError } from '../lib/errors.js';
import { errorFields, type Logger } from '../lib/logger.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by the request log (src/app.ts) on every request; quoted in every error answer. */
    requestId: string;
  }
}

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

export function handleError(logger: Logger) {
  return (error: Error, c: Context) => {
    const requestId: string | undefined = c.get('requestId');
    if (error instanceof AppError) {
      if (error.status >= 500) logger.error({ requestId, code: error.code }, 'request failed');
      return c.json({ ...errorBody(error.code, error.message, error.details), requestId }, error.status as 400);
    }
    if (error instanceof HTTPException) {
      return c.json(
        { ...errorBody('bad_request', error.message || 'the request could not be read'), requestId },
        error.status,
      );
    }
    // A lost connection, or a transaction Postgres had already failed: nothing of it was kept, so a retry is safe.
    if (isRetryableTransactionFailure(error)) {
      logger.warn({ requestId, code: (error as { code?: unknown }).code }, 'database connection lost during a request');
      return c.json(
        {
          ...errorBody(
            'database_unavailable',
            'the database connection was lost while handling this request; retry it (imports and texts are keyed by their ids, so a retry never duplicates)',
          ),
          requestId,
        },
        503,
      );
    }
    // Unknown errors: log the kind and stack (no request data), answer with a reference the operator can grep.
    logger.error({ requestId, err: errorFields(error, { stack: true }) }, 'unexpected error');
    return c.json(
      {
        ...errorBody(
          'internal',
          `something went wrong on our side; quote request id ${requestId ?? 'unknown'} to your administrator`,
        ),
        requestId,
      },
      500,
    );
  };
}
