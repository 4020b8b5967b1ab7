/** Fault injection: rules, the seeded plan that fires them, and named profiles. */
export { FaultPlan, FaultRuleError } from './plan';
export type { FaultContext, FaultDecision, FaultOutcome, FaultRuleStatus, PageShape } from './plan';
export { FaultRuleSchema } from './rule';
export type { FaultKind, FaultRule } from './rule';
export { FAULT_PROFILES, FAULT_PROFILE_NAMES, isFaultProfileName } from './profiles';
export type { FaultProfileName } from './profiles';
