/** The conversation layer's public API: the engine, the contracts, and the stores it needs. */
export * from './contracts.js';
export { parseCommand, type Command } from './commands.js';
export {
  CONVERSATION_MACHINE_VERSION,
  createConversationMachine,
  type ConversationDeps,
  type ConversationMachine,
  type PatientFacts,
} from './conversation.machine.js';
export type {
  ConversationRecord,
  ConversationStore,
  SaveResult,
  StoredConversation,
} from './conversation.store.js';
export { MemoryConversationStore } from './conversation.store.memory.js';
export { RedisConversationStore } from './conversation.store.redis.js';
export {
  IDLE_RESTART_MS,
  LOW_CONFIDENCE,
  type AddressedMessage,
  ConversationEngine,
  type ConversationView,
  type EngineDeps,
  type EngineObserver,
  type TurnResult,
} from './engine.js';
export { FALLBACK_TEXT, fallbackReply } from './fallback.js';
export { hashPathway, PathwayLibrary, type PathwayRef } from './pathway-library.js';
export type { OutboundMessenger, OutboundResult } from './outbound.js';
