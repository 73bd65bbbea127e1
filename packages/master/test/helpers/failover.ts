// Cores over a shared registry, elected one after another: a master failover
// without ZooKeeper, on a FakeClock.
import { FakeClock, Resources, silentLogger, type IAgentInfo, type IMasterInfo } from '@mesocosm/protocol';
import { MasterCore } from '../../src/core/master-core.js';
import { resolveOptions, type MasterOptions } from '../../src/options.js';
import type { Registry } from '../../src/registry/registry.js';

/** A standby core over `registry`; call `lead(epoch)` to elect it. */
export function standbyCore(registry: Registry, clock: FakeClock, options: MasterOptions = {}, id = 'M2'): MasterCore {
  const resolved = resolveOptions({ logger: silentLogger, clock, hostname: 'm', ...options });
  const info: IMasterInfo = { id, hostname: 'm', ip: '127.0.0.1', port: 5050, grpcPort: 5060, version: 'test' };
  return new MasterCore(resolved, registry, info, true);
}

/** An elected core over `registry` (its registry recovered). */
export async function electedCore(
  registry: Registry,
  clock: FakeClock,
  options: MasterOptions = {},
  epoch = 2,
  id = `M${epoch}`,
): Promise<MasterCore> {
  const core = standbyCore(registry, clock, options, id);
  await core.lead(epoch);
  return core;
}

/** Lets queued microtasks run (drain checks run right after the change that ends a task). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** An admitted agent's info as the recovery tests record it: `cpus:4;mem:4096` on host-<id>. */
export function recoveredAgentInfo(id: string): IAgentInfo {
  return {
    id: { value: id },
    hostname: `host-${id}`,
    ip: '127.0.0.1',
    port: 5051,
    resources: Resources.parse('cpus:4;mem:4096').toProto(),
  };
}
