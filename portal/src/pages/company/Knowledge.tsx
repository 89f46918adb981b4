// An agent's knowledge: its sources (live while ingesting), adding files, URLs, texts and FAQs, and a search
// playground over what is ready. Members see the sources and search; only company admins add and delete.
import '@mantine/dropzone/styles.css';
import { Alert, Card, Stack, Tabs, Title } from '@mantine/core';
import { IconFileText, IconHelpCircle, IconLink, IconUpload } from '@tabler/icons-react';
import { useParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { AddFaqForm, AddTextForm, AddUrlForm } from '../../components/knowledge/AddKnowledgeForms';
import { FileUpload } from '../../components/knowledge/FileUpload';
import { SearchPlayground } from '../../components/knowledge/SearchPlayground';
import { SourcesTable } from '../../components/knowledge/SourcesTable';
import { useCompanyAdmin } from './common';

export default function Knowledge() {
  const agentId = useParams().agentId!;
  const admin = useCompanyAdmin();
  return (
    <>
      <PageHeader title="Knowledge"
        description="What the agent answers from. New sources are parsed and indexed in the background." />
      <Stack gap="lg">
        <SourcesTable agentId={agentId} canDelete={!!admin} />
        {admin ? (
          <Card withBorder padding="lg">
            <Title order={4} mb="sm">Add knowledge</Title>
            <Tabs defaultValue="files">
              <Tabs.List mb="md">
                <Tabs.Tab value="files" leftSection={<IconUpload size={16} />}>Files</Tabs.Tab>
                <Tabs.Tab value="url" leftSection={<IconLink size={16} />}>URL</Tabs.Tab>
                <Tabs.Tab value="text" leftSection={<IconFileText size={16} />}>Text</Tabs.Tab>
                <Tabs.Tab value="faq" leftSection={<IconHelpCircle size={16} />}>FAQ</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="files"><FileUpload agentId={agentId} /></Tabs.Panel>
              <Tabs.Panel value="url"><AddUrlForm agentId={agentId} /></Tabs.Panel>
              <Tabs.Panel value="text"><AddTextForm agentId={agentId} /></Tabs.Panel>
              <Tabs.Panel value="faq"><AddFaqForm agentId={agentId} /></Tabs.Panel>
            </Tabs>
          </Card>
        ) : admin === false && (
          <Alert color="blue">You are a member: you can read and search the knowledge. Company admins add and
            delete sources.</Alert>
        )}
        <SearchPlayground agentId={agentId} />
      </Stack>
    </>
  );
}
