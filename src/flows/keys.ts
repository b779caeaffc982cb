import type { PathwayRef } from './pathway-library.js';

/**
 * Every Redis key of the conversation store, built here only. A conversation's keys share the
 * hash tag {c:<id>}, so a Redis Cluster keeps them in one slot and the save script may touch
 * them together.
 */
export interface ConversationKeys {
  conversation(id: string): string;
  idempotency(id: string, key: string): string;
  pathway(ref: PathwayRef): string;
  address(addressKey: string): string;
  resumeCode(code: string): string;
}

export function conversationKeys(prefix: string): ConversationKeys {
  return {
    conversation: (id: string) => `${prefix}:conv:{c:${id}}`,
    idempotency: (id: string, key: string) => `${prefix}:conv:{c:${id}}:idem:${key}`,
    pathway: (ref: PathwayRef) => `${prefix}:pathway:${ref.id}@${ref.version}#${ref.hash}`,
    address: (addressKey: string) => `${prefix}:conv:address:${addressKey}`,
    resumeCode: (code: string) => `${prefix}:conv:resume:${code}`,
  };
}
