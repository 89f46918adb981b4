// Drop files to add them to the knowledge: checked here first (type, 20 MB), then uploaded each with a progress bar.
import { Alert, Group, Progress, Stack, Text } from '@mantine/core';
import { Dropzone, type FileRejection } from '@mantine/dropzone';
import { IconCheck, IconCopy, IconFileUpload, IconUpload, IconX } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, notifyError } from '../../api/problem';
import { formatBytes } from './format';
import { knowledgeKey } from './SourcesTable';
import { ACCEPTED_FILES, MAX_FILE_BYTES, uploadKnowledgeFile } from './upload';

interface Upload {
  key: string;
  name: string;
  size: number;
  progress: number;
  state: 'uploading' | 'done' | 'duplicate' | 'failed';
  message?: string;
}

let uploadCounter = 0;

function rejectionMessage(rejection: FileRejection): string {
  const codes = rejection.errors.map((error) => error.code);
  if (codes.includes('file-invalid-type')) return 'not a PDF, DOCX, HTML, Markdown or text file';
  if (codes.includes('file-too-large')) return `larger than 20 MB (${formatBytes(rejection.file.size)})`;
  return rejection.errors.map((error) => error.message).join('; ');
}

export function FileUpload({ agentId }: { agentId: string }) {
  const queryClient = useQueryClient();
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [rejected, setRejected] = useState<string[]>([]);

  const update = (key: string, change: Partial<Upload>) =>
    setUploads((current) => current.map((upload) => (upload.key === key ? { ...upload, ...change } : upload)));

  const start = (file: File) => {
    const key = `${++uploadCounter}`;
    setUploads((current) => [{ key, name: file.name, size: file.size, progress: 0, state: 'uploading' },
      ...current]);
    uploadKnowledgeFile(agentId, file, (progress) => update(key, { progress }))
      .then((accepted) => {
        update(key, accepted.duplicate
          ? { progress: 100, state: 'duplicate', message: 'Already in the knowledge: nothing new was added' }
          : { progress: 100, state: 'done', message: `Uploaded; ${accepted.status || 'queued'} for ingestion` });
        return queryClient.invalidateQueries({ queryKey: knowledgeKey(agentId) });
      })
      .catch((error: unknown) => {
        update(key, { state: 'failed',
          message: error instanceof ApiError ? error.problem.detail || error.message : String(error) });
        notifyError(error, `Could not upload ${file.name}`);
      });
  };

  return (
    <Stack gap="sm">
      <Dropzone
        // onDropAny sees every drop (accepted and rejected files) before onDrop, so a drop replaces the last
        // drop's rejections
        onDropAny={(_, rejections) => setRejected(rejections.map((r) => `${r.file.name}: ${rejectionMessage(r)}`))}
        onDrop={(files) => files.forEach(start)}
        accept={ACCEPTED_FILES}
        maxSize={MAX_FILE_BYTES}
        multiple
        inputProps={{ 'aria-label': 'Upload files' }}
      >
        <Group justify="center" gap="lg" mih={120} style={{ pointerEvents: 'none' }} wrap="nowrap">
          <Dropzone.Accept><IconUpload size={44} stroke={1.5} aria-hidden /></Dropzone.Accept>
          <Dropzone.Reject><IconX size={44} stroke={1.5} aria-hidden /></Dropzone.Reject>
          <Dropzone.Idle><IconFileUpload size={44} stroke={1.5} aria-hidden /></Dropzone.Idle>
          <div>
            <Text size="lg" inline>Drop files here or click to choose</Text>
            <Text size="sm" c="dimmed" inline mt={7} display="block">
              PDF, DOCX, HTML, Markdown or plain text; up to 20 MB each; several at once
            </Text>
          </div>
        </Group>
      </Dropzone>

      {rejected.length > 0 && (
        <Alert color="red" title="Some files were not uploaded" withCloseButton closeButtonLabel="Dismiss"
          onClose={() => setRejected([])}>
          <Stack gap={2}>
            {rejected.map((line) => <Text key={line} size="sm">{line}</Text>)}
          </Stack>
        </Alert>
      )}

      {uploads.length > 0 && (
        <Stack gap="xs" aria-label="Uploads">
          {uploads.map((upload) => (
            <div key={upload.key}>
              <Group justify="space-between" gap="xs" wrap="nowrap">
                <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
                  {upload.state === 'done' && <IconCheck size={16} color="var(--mantine-color-teal-6)" aria-hidden />}
                  {upload.state === 'duplicate' && <IconCopy size={16} color="var(--mantine-color-yellow-7)" aria-hidden />}
                  {upload.state === 'failed' && <IconX size={16} color="var(--mantine-color-red-6)" aria-hidden />}
                  <Text size="sm" truncate>{upload.name}</Text>
                  <Text size="xs" c="dimmed">{formatBytes(upload.size)}</Text>
                </Group>
                <Text size="xs" c={upload.state === 'failed' ? 'red' : upload.state === 'duplicate' ? 'yellow.8' : 'dimmed'}>
                  {upload.state === 'uploading' ? `${upload.progress}%` : upload.message}
                </Text>
              </Group>
              <Progress value={upload.state === 'failed' ? 100 : upload.progress} size="sm" mt={4}
                color={upload.state === 'failed' ? 'red' : upload.state === 'duplicate' ? 'yellow' : 'teal'}
                animated={upload.state === 'uploading'} aria-label={`Upload of ${upload.name}`} />
            </div>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
