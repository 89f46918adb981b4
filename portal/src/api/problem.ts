// RFC 7807 problem+json, as every Engage API error is shaped; thrown by the API client and shown as toasts.
import { notifications } from '@mantine/notifications';

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
  }

  /** Field-level messages (422/400 validation) keyed by field, for forms. */
  fieldErrors(): Record<string, string> {
    const errors: Record<string, string> = {};
    for (const e of this.problem.errors || []) errors[e.field] = e.message;
    return errors;
  }
}

export async function problemOf(response: Response): Promise<Problem> {
  const body = await response.json().catch(() => ({}));
  return { status: response.status, title: response.statusText, ...body };
}

/** A red toast with the problem's title and detail (or any error's message). */
export function notifyError(error: unknown, fallbackTitle = 'Something went wrong'): void {
  const problem = error instanceof ApiError ? error.problem : null;
  notifications.show({
    color: 'red',
    title: problem?.title || fallbackTitle,
    message: problem?.detail || (error instanceof Error ? error.message : String(error)),
  });
}

export function notifySuccess(message: string): void {
  notifications.show({ color: 'teal', message });
}
