/**
 * The names of the built-in workflow step kinds, shared by the server (whose registry implements
 * each) and the client (which names them before the server's descriptions have loaded). A kind is
 * referred to by its constant, never by a string written out, so renaming or removing one is a
 * type error everywhere it is used.
 */
export const STEP_KIND = {
  AI_ANALYSIS: 'ai_analysis',
  AI_GENERATE: 'ai_generate',
  APPROVAL: 'approval',
  BLOCKCHAIN_ANCHOR: 'blockchain_anchor',
  BLOCKCHAIN_VERIFY: 'blockchain_verify',
  DELAY: 'delay',
  IOT_COMMAND: 'iot_command',
  IOT_TRIGGER: 'iot_trigger',
  NEURAL_TRIGGER: 'neural_trigger',
  PRESENT: 'present',
  TRANSFORM: 'transform',
  WEBHOOK: 'webhook',
} as const;
export type StepKindName = (typeof STEP_KIND)[keyof typeof STEP_KIND];
