import type { IAgentInfo, IFrameworkInfo } from '@mesocosm/protocol';
import type { AdmittedAgent, GoneAgent, MaintenanceRecord, Registry } from './registry.js';

/** The standalone registry: maps, lost when the process ends (tests share one between cores). */
export class InMemoryRegistry implements Registry {
  private readonly agentInfos = new Map<string, AdmittedAgent>();
  private readonly frameworkInfos = new Map<string, IFrameworkInfo>();
  private readonly maintenance = new Map<string, MaintenanceRecord>();
  private readonly gone = new Map<string, GoneAgent>();

  async admitAgent(info: IAgentInfo, principal?: string): Promise<void> {
    this.agentInfos.set(info.id?.value ?? '', { info, principal });
  }

  async removeAgent(agentId: string): Promise<void> {
    this.agentInfos.delete(agentId);
    this.maintenance.delete(agentId);
  }

  async markAgentGone(gone: GoneAgent): Promise<void> {
    this.gone.set(gone.agentId, { ...gone });
    await this.removeAgent(gone.agentId);
  }

  async putFramework(info: IFrameworkInfo): Promise<void> {
    this.frameworkInfos.set(info.id?.value ?? '', info);
  }

  async removeFramework(frameworkId: string): Promise<void> {
    this.frameworkInfos.delete(frameworkId);
  }

  async putDrain(record: MaintenanceRecord): Promise<void> {
    this.maintenance.set(record.agentId, structuredClone(record));
  }

  async removeDrain(agentId: string): Promise<void> {
    this.maintenance.delete(agentId);
  }

  async agentIds(): Promise<string[]> {
    return [...this.agentInfos.keys()];
  }

  async agents(): Promise<AdmittedAgent[]> {
    return [...this.agentInfos.values()].map((a) => ({ ...a }));
  }

  async agent(agentId: string): Promise<AdmittedAgent | undefined> {
    const admitted = this.agentInfos.get(agentId);
    return admitted && { ...admitted };
  }

  async frameworks(): Promise<IFrameworkInfo[]> {
    return [...this.frameworkInfos.values()];
  }

  async drains(): Promise<MaintenanceRecord[]> {
    return [...this.maintenance.values()].map((r) => structuredClone(r));
  }

  async goneAgents(): Promise<GoneAgent[]> {
    return [...this.gone.values()];
  }
}
