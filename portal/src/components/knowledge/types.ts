// Wire shapes of the knowledge, end-user and transcript APIs. The OpenAPI snapshot names enum constants in upper
// case, but the server's JSON (and query parameters) carry their lower-case wire form, so these narrow them.
import type { components } from '../../api/schema';

type Schemas = components['schemas'];

export type SourceStatus = 'queued' | 'parsing' | 'indexing' | 'ready' | 'failed';
export type SourceType = 'text' | 'faq' | 'url' | 'file';
export type SearchMode = 'hybrid' | 'keyword' | 'vector';

export type KnowledgeSource = Omit<Schemas['KnowledgeSource'], 'status' | 'type'> & {
  status?: SourceStatus;
  type?: SourceType;
};
export interface KnowledgePage {
  items?: KnowledgeSource[];
  nextCursor?: string;
}
export type Accepted = Omit<Schemas['Accepted'], 'status'> & { status?: SourceStatus };
export type SearchHit = Schemas['SearchHit'];
export type EndUser = Schemas['EndUser'];
export type ConversationSummary = Schemas['ConversationSummary'];
export type Conversation = Schemas['Conversation'];
export type Message = Schemas['Message'];
export type Citation = Schemas['Citation'];

/** Ingestion is over (nothing more will change without a new upload). */
export function terminal(status: SourceStatus | undefined): boolean {
  return status === 'ready' || status === 'failed';
}
