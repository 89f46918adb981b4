// File upload with progress. fetch() cannot report upload progress, so this uses XMLHttpRequest, with the same
// bearer token (refreshed first when stale, and once more after a 401) and problem+json errors as the API client.
import { ApiError, type Problem } from '../../api/problem';
import { fresh, refresh, session } from '../../auth/session';
import type { Accepted } from './types';

export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** What the Dropzone accepts: MIME types with their extensions (browsers often give .md files no MIME type). */
export const ACCEPTED_FILES: Record<string, string[]> = {
  'application/pdf': ['.pdf'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['.docx'],
  'text/html': ['.html', '.htm'],
  'text/markdown': ['.md', '.markdown'],
  'text/plain': ['.txt'],
};

function send(url: string, file: File, token: string | null | undefined,
  onProgress: (percent: number) => void): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept', 'application/json');
    if (token) xhr.setRequestHeader('Authorization', 'Bearer ' + token);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(Math.round((event.loaded / event.total) * 100));
    };
    xhr.onload = () => {
      let body: unknown = {};
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : {};
      } catch {
        body = {};
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new ApiError({ status: 0, title: 'Upload failed',
      detail: `Could not send ${file.name}: the network connection failed` }));
    xhr.onabort = () => reject(new ApiError({ status: 0, title: 'Upload cancelled', detail: file.name }));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** Uploads one file to the agent's knowledge; resolves with the 202 body, rejects with an ApiError. */
export async function uploadKnowledgeFile(agentId: string, file: File,
  onProgress: (percent: number) => void): Promise<Accepted> {
  if (session('company') && !fresh('company')) await refresh('company');
  const url = `/company/agents/${encodeURIComponent(agentId)}/knowledge`;
  let result = await send(url, file, session('company')?.accessToken, onProgress);
  if (result.status === 401 && (await refresh('company'))) {
    onProgress(0);
    result = await send(url, file, session('company')?.accessToken, onProgress);
  }
  if (result.status < 200 || result.status >= 300) {
    const body = result.body && typeof result.body === 'object' ? result.body : {};
    throw new ApiError({ title: result.status === 413 ? 'File too large' : 'Upload failed', ...body,
      status: result.status } as Problem);
  }
  return result.body as Accepted;
}
