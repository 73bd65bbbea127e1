// `mesocosm local`: a master and agents in this process on loopback, with
// Marathon and Chronos beside them (all with TLS given `--tls`), the example
// framework run once against them, then serving until Ctrl-C.
import { createLogger } from '@mesocosm/protocol';
import { LocalCluster } from '@mesocosm/testing';
import type { LocalFlags } from '../program.js';
import { formatReadyLine } from '../ready-line.js';
import { nextStopSignal } from '../signals.js';
import { startExample } from './example.js';
import { describeFrameworks, startLocalFrameworks, type LocalFrameworks } from './local-frameworks.js';
import { checkLocalTlsFiles, describeTls } from './local-tls.js';

const say = (line: string): void => void process.stdout.write(`${line}\n`);

/** The lines `mesocosm local` prints about its cluster (curl given `caFile` with TLS). Pure. */
export function describeCluster(
  cluster: Pick<LocalCluster, 'masterHttp' | 'masterGrpc' | 'agents' | 'workDir'>,
  caFile?: string,
): string[] {
  const curl = caFile === undefined ? 'curl' : `curl --cacert ${caFile}`;
  const lines = [
    `mesocosm local: 1 master, ${cluster.agents.length} agent${cluster.agents.length === 1 ? '' : 's'} on 127.0.0.1${caFile === undefined ? '' : ', TLS on'}`,
    `  web UI       ${cluster.masterHttp}/   (open in a browser${caFile === undefined ? '' : '; it warns about the CA unless you import it'})`,
    `  master HTTP  ${cluster.masterHttp}   (state: ${curl} ${cluster.masterHttp}/master/state)`,
    `  master gRPC  ${cluster.masterGrpc}   (--master for agents and frameworks)`,
  ];
  for (const a of cluster.agents) {
    lines.push(`  agent ${a.index + 1}      ${a.httpUrl}   id ${a.agentId}   work dir ${a.workDir}`);
  }
  return lines;
}

/** Runs `mesocosm local`; resolves once stopped after SIGINT/SIGTERM. */
export async function runLocal(flags: LocalFlags): Promise<void> {
  const logger = createLogger('local', process.env['MESOCOSM_LOG'] ? undefined : 'warn');
  // The operator's own files are checked before anything starts, naming the flag and the file.
  if (flags.tls?.generate === false) checkLocalTlsFiles(flags.tls.files);
  const stopSignal = nextStopSignal();
  const cluster = await LocalCluster.start({
    agents: flags.agents,
    mode: 'in-process',
    masterOptions: { port: flags.port, grpcPort: flags.grpcPort },
    workDir: flags.workDir,
    logger,
    ...(flags.tls === undefined ? {} : { tls: flags.tls.generate ? true : { material: flags.tls.files } }),
  });
  let frameworks: LocalFrameworks | undefined;
  try {
    const tls = cluster.tls && { cert: cluster.tls.certFile, key: cluster.tls.keyFile, ca: cluster.tls.caFile };
    frameworks = await startLocalFrameworks(flags, cluster.masterGrpc, cluster.workDir, tls);
    describeCluster(cluster, tls?.ca).forEach(say);
    describeFrameworks(frameworks, tls?.ca).forEach(say);
    if (tls) describeTls(tls.ca, cluster.masterHttp, cluster.masterGrpc, flags.tls?.generate === true).forEach(say);
    say(
      formatReadyLine({
        component: 'local',
        http: cluster.masterHttp,
        grpc: cluster.masterGrpc,
        agents: cluster.agents.map((a) => ({ agentId: a.agentId, http: a.httpUrl })),
        ...(frameworks.marathonUrl === undefined ? {} : { marathon: frameworks.marathonUrl }),
        ...(frameworks.chronosUrl === undefined ? {} : { chronos: frameworks.chronosUrl }),
        ...(tls === undefined ? {} : { tlsCa: tls.ca }),
      }),
    );
    let stopping = false;
    void stopSignal.then(() => (stopping = true));
    if (flags.examples) {
      say(`example: batch-shell, ${flags.tasks} tasks`);
      const example = startExample(cluster.masterGrpc, flags.tasks, say, tls?.ca);
      const code = await Promise.race([example.exited, stopSignal.then(() => (example.kill(), example.exited))]);
      if (!stopping)
        say(`example: batch-shell exited with status ${code}${code === 0 ? ' (every task finished)' : ''}`);
    }
    if (!stopping) say('serving; press Ctrl-C to stop');
    await stopSignal;
    say('stopping');
  } finally {
    await frameworks?.stop();
    await cluster.stop();
  }
}
