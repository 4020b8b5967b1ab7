/** Workflow bundle entry point for the worker. */
export { workspaceSyncWorkflow } from './workspace-sync';
