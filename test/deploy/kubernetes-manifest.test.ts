import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import yaml from 'js-yaml';
import { readSettings } from '../../core/config/settings.ts';
import { PROJECT_ROOT } from '../../core/gateway.ts';

// No cluster here: deploy/kubernetes/mana-llm.yaml is checked for what docs/deployment.md promises of it.

interface Probe {
  httpGet?: { path: string; port: number | string };
  periodSeconds?: number;
  failureThreshold?: number;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  ports?: { name?: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] }; sleep?: { seconds: number } } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface Resource {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> } & Record<string, string>;
    ports?: { port: number; targetPort: number | string }[];
    template?: { metadata: { labels: Record<string, string> }; spec: { terminationGracePeriodSeconds?: number; containers: Container[] } };
  };
}

const resources = yaml.loadAll(readFileSync(join(PROJECT_ROOT, 'deploy/kubernetes/mana-llm.yaml'), 'utf8')) as Resource[];
const ofKind = (kind: string) => {
  const found = resources.filter((r) => r.kind === kind);
  assert.equal(found.length, 1, `one ${kind}`);
  return found[0]!;
};
const deployment = ofKind('Deployment');
const pod = deployment.spec!.template!;
const gateway = pod.spec.containers[0]!;
const configMap = ofKind('ConfigMap');
const env = (name: string) => gateway.env?.find((e) => e.name === name);

/** A probe's port as a number (a named port is looked up among the container's ports). */
function portOf(probe: Probe): number {
  const port = probe.httpGet!.port;
  return typeof port === 'number' ? port : gateway.ports!.find((p) => p.name === port)!.containerPort;
}

test('three replicas, each naming itself after its pod and sharing the Redis of the Secret', () => {
  assert.equal(deployment.spec!.replicas, 3);
  assert.equal(pod.spec.containers.length, 1);
  assert.deepEqual(env('REPLICA_ID')?.valueFrom?.fieldRef, { fieldPath: 'metadata.name' });
  const redis = env('REDIS_URL')?.valueFrom;
  assert.ok(redis?.secretKeyRef?.key === 'REDIS_URL' || redis?.configMapKeyRef?.key === 'REDIS_URL', 'REDIS_URL comes from a Secret or ConfigMap');
  assert.equal(env('PORT')?.value, '3025');
  assert.ok(gateway.envFrom?.some((e) => e.configMapRef?.name === configMap.metadata.name), 'the ConfigMap is passed');
  assert.ok(gateway.resources?.requests?.cpu && gateway.resources?.requests?.memory && gateway.resources?.limits?.memory, 'resources are sized');
});

test('the probes ask /health, which needs no key, on the port the gateway listens on', () => {
  for (const probe of [gateway.readinessProbe, gateway.livenessProbe]) {
    assert.equal(probe?.httpGet?.path, '/health');
    assert.equal(portOf(probe!), 3025);
  }
  // Liveness gives up later than the drain takes, so a draining replica is not restarted mid-drain.
  const live = gateway.livenessProbe!;
  assert.ok((live.periodSeconds ?? 10) * (live.failureThreshold ?? 3) > readSettings({}).shutdownTimeoutMs / 1000);
});

test('a stopping pod leaves the Service first, then drains within its grace period', () => {
  const preStop = gateway.lifecycle?.preStop;
  const command = preStop?.exec?.command;
  const sleep = preStop?.sleep?.seconds ?? (command?.[0] === 'sleep' ? Number(command[1]) : NaN);
  assert.ok(sleep >= 3 && sleep <= 15, `preStop sleeps a few seconds (${sleep})`);
  const shutdown = readSettings(configMap.data ?? {}).shutdownTimeoutMs / 1000;
  assert.ok(shutdown >= readSettings({}).shutdownTimeoutMs / 1000, 'SHUTDOWN_TIMEOUT is at least its default (30 s)');
  assert.ok(pod.spec.terminationGracePeriodSeconds! > sleep + shutdown, 'terminationGracePeriodSeconds > preStop + SHUTDOWN_TIMEOUT');
});

test('the Service reaches the pods on the gateway port', () => {
  const service = ofKind('Service');
  for (const [label, value] of Object.entries(service.spec!.selector!)) assert.equal(pod.metadata.labels[label], value);
  assert.deepEqual(deployment.spec!.selector!.matchLabels, service.spec!.selector);
  const port = service.spec!.ports![0]!;
  const target = typeof port.targetPort === 'number' ? port.targetPort : gateway.ports!.find((p) => p.name === port.targetPort)?.containerPort;
  assert.equal(target, 3025);
});
