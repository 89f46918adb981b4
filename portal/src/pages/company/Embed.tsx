// An agent's widget API keys (rotate, revoke) and how to embed the widget with one of them.
import { ActionIcon, Alert, Anchor, Badge, Button, Code, Group, Modal, Paper, Stack, Table, Text, Title,
  Tooltip, VisuallyHidden } from '@mantine/core';
import { IconBan, IconRefresh } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { companyApi, ok } from '../../api/client';
import { notifyError, notifySuccess } from '../../api/problem';
import type { components } from '../../api/schema';
import { DataState } from '../../components/DataState';
import { Copyable, embedSnippet, formatDate, isCompanyAdmin, KEY_PLACEHOLDER, useMe } from './common';

type KeyInfo = components['schemas']['ApiKeyInfo'];
type IssuedKey = components['schemas']['IssuedKey'];

const JS_API = `Engage('identify', { userId: 'u-42', userHash: '<hex HMAC-SHA256 of userId>', name: 'Ada' });
Engage('open'); Engage('close'); Engage('ask', 'How do I return an order?');
Engage('reset');                                  // the visitor signed out
Engage('on', 'message', (m) => console.log(m.role, m.text));
// also: ready, open, close, feedback, handoff, error
// to call Engage before widget.js has loaded, put this stub first:
window.Engage = window.Engage || function () { (Engage.q = Engage.q || []).push(arguments); };`;

function KeysTable({ agentId, onRotated }: { agentId: string; onRotated: (key: IssuedKey) => void }) {
  const client = useQueryClient();
  const [confirmRotate, setConfirmRotate] = useState(false);
  const [revoking, setRevoking] = useState<KeyInfo | null>(null);
  const keys = useQuery({
    queryKey: ['agent-keys', agentId],
    queryFn: () => ok(companyApi.GET('/company/agents/{agentId}/keys', { params: { path: { agentId } } })),
  });
  const rotate = useMutation({
    mutationFn: () => ok(companyApi.POST('/company/agents/{agentId}/keys', { params: { path: { agentId } } })),
    onSuccess: (issued) => {
      setConfirmRotate(false);
      onRotated(issued);
      notifySuccess('A new key was issued; the previous keys no longer work');
      client.invalidateQueries({ queryKey: ['agent-keys', agentId] });
    },
    onError: (e) => notifyError(e, 'Could not rotate the key'),
  });
  const revoke = useMutation({
    mutationFn: (key: KeyInfo) => ok(companyApi.DELETE('/company/agents/{agentId}/keys/{keyId}', { params: {
      path: { agentId, keyId: key.id! } } })),
    onSuccess: (_, key) => {
      setRevoking(null);
      notifySuccess(`Key ${key.prefix}… was revoked`);
      client.invalidateQueries({ queryKey: ['agent-keys', agentId] });
    },
    onError: (e) => notifyError(e, 'Could not revoke the key'),
  });

  return (
    <Paper withBorder p="md" radius="md">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <div>
          <Title order={4}>Widget API keys</Title>
          <Text size="sm" c="dimmed">Keys identify the agent to the widget and the AI Agent API. Only their first
            characters are kept for display.</Text>
        </div>
        <Button leftSection={<IconRefresh size={16} />} onClick={() => setConfirmRotate(true)}>Rotate key</Button>
      </Group>
      <DataState query={keys} isEmpty={(list) => list.length === 0} empty="No keys: rotate to issue one.">
        {(list) => (
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Key</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Last used</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th><VisuallyHidden>Actions</VisuallyHidden></Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {[...list].sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt))).map((key) => (
                  <Table.Tr key={key.id}>
                    <Table.Td><Code>{key.prefix}…</Code></Table.Td>
                    <Table.Td><Text size="sm">{formatDate(key.createdAt)}</Text></Table.Td>
                    <Table.Td><Text size="sm">{key.lastUsedAt ? formatDate(key.lastUsedAt) : 'Never'}</Text></Table.Td>
                    <Table.Td>
                      {key.active ? <Badge color="teal" variant="light">Active</Badge>
                        : <Tooltip label={`Revoked ${formatDate(key.revokedAt)}`}>
                          <Badge color="gray" variant="light">Revoked</Badge></Tooltip>}
                    </Table.Td>
                    <Table.Td>
                      {key.active && (
                        <Tooltip label="Revoke this key">
                          <ActionIcon variant="subtle" color="red" aria-label={`Revoke key ${key.prefix}`}
                            onClick={() => setRevoking(key)}><IconBan size={16} /></ActionIcon>
                        </Tooltip>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </DataState>

      <Modal opened={confirmRotate} onClose={() => setConfirmRotate(false)} title="Rotate the widget API key?">
        <Stack>
          <Text size="sm">A new key is issued and <b>every other key of this agent is revoked at once</b>: sites
            still using an old key stop working until you update their snippet.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmRotate(false)}>Cancel</Button>
            <Button color="red" loading={rotate.isPending} onClick={() => rotate.mutate()}>Rotate key</Button>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={!!revoking} onClose={() => setRevoking(null)} title="Revoke this key?">
        <Stack>
          <Text size="sm">Key <Code>{revoking?.prefix}…</Code> stops working at once; widgets using it show an
            error. This cannot be undone.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRevoking(null)}>Cancel</Button>
            <Button color="red" loading={revoke.isPending} onClick={() => revoking && revoke.mutate(revoking)}>
              Revoke</Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}

export default function Embed() {
  const { agentId = '' } = useParams();
  const me = useMe();
  const admin = isCompanyAdmin(me.data);
  const [issued, setIssued] = useState<IssuedKey | null>(null);
  const key = issued?.key || null;

  return (
    <Stack>
      {me.data && !admin && (
        <Alert color="blue">Only company admins can see and manage this agent's keys. The embed instructions
          below still apply: ask an admin for the key.</Alert>
      )}
      {admin && <KeysTable agentId={agentId} onRotated={setIssued} />}

      {key && (
        <Alert color="yellow" title="Your new key: copy it now, it is shown only once">
          <Stack gap="xs">
            <Copyable value={key} label="Copy new API key" />
            <Text size="sm">
              <Anchor href={`/demo?key=${encodeURIComponent(key)}`} target="_blank" rel="noopener">
                Try it on the demo page</Anchor>{' '}
              <Text span size="xs" c="dimmed">(the demo page exists only when the server runs with
                ENGAGE_DEMO=true)</Text>
            </Text>
          </Stack>
        </Alert>
      )}

      <Paper withBorder p="md" radius="md">
        <Title order={4} mb={4}>Embed the widget</Title>
        <Text size="sm" c="dimmed" mb="sm">Paste this tag on every page that should show the agent, before
          &lt;/body&gt;. Once the agent is published, the page's origin must be among its allowed origins (Settings).
        </Text>
        <Copyable value={embedSnippet(key || KEY_PLACEHOLDER)} label="Copy embed snippet" block />
        {!key && (
          <Text size="xs" c="dimmed" mt="xs">
            Replace {KEY_PLACEHOLDER} with the agent's key. Keys are shown only once, when the agent is created or the
            key is rotated; if you no longer have it, rotate the key to get a new one (this revokes the old ones).
          </Text>
        )}

        <Title order={5} mt="lg" mb={4}>Tag attributes</Title>
        <Stack gap={4}>
          <Text size="sm"><Code>data-engage-mode="chat|qa|inline"</Code> overrides the agent's format on this page.
          </Text>
          <Text size="sm"><Code>data-engage-target="#id"</Code> renders the panel inside that element instead of a
            floating launcher.</Text>
          <Text size="sm"><Code>data-engage-storage="local|session|none"</Code> chooses where the anonymous visitor id
            is kept (default <Code>local</Code>: the conversation resumes after a reload for a day).</Text>
        </Stack>

        <Title order={5} mt="lg" mb={4}>JavaScript API</Title>
        <Text size="sm" c="dimmed" mb="xs">From your page's own scripts. <Code>identify</Code> needs a
          userHash when identity verification is on (HMAC-SHA256 of the userId with the agent's secret, computed
          on your server).</Text>
        <Copyable value={JS_API} label="Copy JavaScript API example" block />
        <Text size="xs" c="dimmed" mt="xs">The widget renders in a Shadow DOM: your page's CSS is not touched and
          Engage is its only global.</Text>
      </Paper>
    </Stack>
  );
}
