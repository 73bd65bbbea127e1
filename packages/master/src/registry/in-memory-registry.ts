import type { IAgentInfo, IFrameworkInfo } from '@mesocosm/protocol';
import type { Registry } from './registry.js';

/** The standalone registry: a pair of maps, lost when the process ends. */
export class InMemoryRegistry implements Registry {
  private readonly agentInfos = new Map<string, IAgentInfo>();
  private readonly frameworkInfos = new Map<string, IFrameworkInfo>();

  async admitAgent(info: IAgentInfo): Promise<void> {
    this.agentInfos.set(info.id?.value ?? '', info);
  }

  async removeAgent(agentId: string): Promise<void> {
    this.agentInfos.delete(agentId);
  }

  async putFramework(info: IFrameworkInfo): Promise<void> {
    this.frameworkInfos.set(info.id?.value ?? '', info);
  }

  async removeFramework(frameworkId: string): Promise<void> {
    this.frameworkInfos.delete(frameworkId);
  }

  async agents(): Promise<IAgentInfo[]> {
    return [...this.agentInfos.values()];
  }

  async frameworks(): Promise<IFrameworkInfo[]> {
    return [...this.frameworkInfos.values()];
  }
}
