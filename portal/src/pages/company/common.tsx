// Bits shared by the company pages on agents, keys and the team: who is signed in, the embed snippet, and the
// one-time display of a freshly issued widget API key.
import { ActionIcon, Alert, Anchor, Button, Code, CopyButton, Group, Modal, Stack, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { companyApi, ok } from '../../api/client';
import type { components } from '../../api/schema';

export type Me = components['schemas']['Me'];

/** The signed-in company user (role on the wire: "COMPANY_ADMIN" or "COMPANY_MEMBER"). */
export function useMe() {
  // the Shell's key: one request for the header and the pages
  return useQuery({ queryKey: ['me', 'company'], queryFn: () => ok(companyApi.GET('/auth/me')), staleTime: 60_000 });
}

export function isCompanyAdmin(me: Me | undefined): boolean {
  return String(me?.role || '').toUpperCase().replace('-', '_') === 'COMPANY_ADMIN';
}

/** Whether the signed-in user may change things (the server refuses members with 403); undefined until known, so
 * that neither the admin's controls nor the member's notes flash up. */
export function useCompanyAdmin(): boolean | undefined {
  const me = useMe().data;
  return me ? isCompanyAdmin(me) : undefined;
}

export const KEY_PLACEHOLDER = 'YOUR_KEY';

/** The one tag that embeds the widget on a site, served by this Engage server. */
export function embedSnippet(key: string): string {
  return `<script src="${window.location.origin}/widget.js" data-engage-key="${key}" async></script>`;
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString(undefined, { dateStyle: 'medium',
    timeStyle: 'short' });
}

/** A value with a copy button next to it (an icon button with an accessible name). */
export function Copyable({ value, label, block }: { value: string; label: string; block?: boolean }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start">
      <Code block={block} style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>{value}</Code>
      <CopyButton value={value} timeout={2000}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : label} withArrow>
            <ActionIcon variant="light" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={label}>
              {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

/** A newly issued widget API key, shown this once: the key, the embed snippet and the demo page link. */
export function KeyRevealModal({ apiKey, title, onClose }: { apiKey: string | null; title: string;
  onClose: () => void }) {
  return (
    <Modal opened={!!apiKey} onClose={onClose} title={title} size="lg" closeOnClickOutside={false}>
      {apiKey && (
        <Stack>
          <Alert color="yellow" title="Copy it now">
            This widget API key is shown only once. Engage keeps only a hash of it; if you lose it, rotate the key
            on the agent's "Keys &amp; embed" tab to get a new one.
          </Alert>
          <div>
            <Text size="sm" fw={500} mb={4}>Widget API key</Text>
            <Copyable value={apiKey} label="Copy API key" />
          </div>
          <div>
            <Text size="sm" fw={500} mb={4}>Embed snippet</Text>
            <Copyable value={embedSnippet(apiKey)} label="Copy embed snippet" block />
            <Text size="xs" c="dimmed" mt={4}>Paste it before &lt;/body&gt; on your site. Once the agent is published,
              your site's origin must be in its allowed origins.</Text>
          </div>
          <Text size="sm">
            <Anchor href={`/demo?key=${encodeURIComponent(apiKey)}`} target="_blank" rel="noopener">
              Try it on the demo page</Anchor>{' '}
            <Text span size="xs" c="dimmed">(only when the server runs with ENGAGE_DEMO=true)</Text>
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose}>I have copied the key</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
