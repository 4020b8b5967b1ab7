import type { CredentialHealthRecord } from '../domain/connection';
import { HealthObservation, transitionHealth } from '../domain/credential-health';
import { WorkspaceRef } from '../domain/ids';
import { AlertsRepository } from '../store/alerts-repo';
import { ConnectionsRepository } from '../store/connections-repo';
import type { AlertNotifier } from './alert-webhook';

export interface CredentialMonitorDeps {
  readonly connections: ConnectionsRepository;
  readonly alerts: AlertsRepository;
  /** The webhook, when one is configured. */
  readonly notifier?: AlertNotifier;
  readonly clock: () => Date;
}

/**
 * Feeds what cycles and probes observe into the credential-health state machine: stores the new
 * health on the connection, keeps the workspace's credential alert open while an admin must act,
 * resolves it when the credentials work again, and tells the webhook about each alert once (only
 * the write that opened or resolved it notifies).
 */
export class CredentialMonitor {
  constructor(private readonly deps: CredentialMonitorDeps) {}

  /**
   * Applies one observation; returns the connection's health after it, or null when it has no
   * connection. `credentialsVersion` is the version of the credentials the observation was made
   * with: when a reconnect has replaced them since, the observation says nothing about the new ones
   * and is dropped (their health stays as the reconnect set it).
   */
  async observe(ref: WorkspaceRef, observation: HealthObservation, credentialsVersion?: number): Promise<CredentialHealthRecord | null> {
    const info = await this.deps.connections.info(ref);
    if (!info) return null;
    if (credentialsVersion !== undefined && info.credentialsVersion !== credentialsVersion) return info.health;
    const now = this.deps.clock();
    const { next, alert } = transitionHealth(info.health, observation, now);
    if (!(await this.deps.connections.setHealth(ref, next, info.credentialsVersion))) {
      // Replaced between the read and the write: the next cycle or probe observes the new credentials.
      return (await this.deps.connections.info(ref))?.health ?? null;
    }
    if (alert === 'open') {
      const raised = await this.deps.alerts.raise(ref, { kind: 'credential_health', state: next.state, detail: next.detail, missingScope: next.missingScope }, now);
      if (raised.created) this.deps.notifier?.notify('alert.raised', raised.alert);
    } else if (alert === 'resolve') {
      const resolved = await this.deps.alerts.resolve(ref, 'credential_health', now);
      if (resolved) this.deps.notifier?.notify('alert.resolved', resolved);
    }
    return next;
  }
}
