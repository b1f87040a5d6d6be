import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { KafkaListenerRegistry } from '@org/kafka-batch';
import { ConfigError } from '../config/env.parsers';
import { TELEMETRY_CONFIG, TelemetryConfig } from '../config/telemetry.config';
import { ScaleDownDetector } from './scale-down.detector';
import { inClusterApi, statefulSetReplicas } from './statefulset-replicas.reader';

/**
 * Decides whether the pod's static member leaves the group as it shuts down (LEAVE_GROUP_ON_SHUTDOWN):
 * on a scale-down its partitions move at once, on a restart it keeps them for its return.
 */
@Injectable()
export class GroupLeaveInitializer implements OnApplicationBootstrap {
  private readonly logger = new Logger('GroupLeave');

  constructor(
    @Inject(TELEMETRY_CONFIG) private readonly config: TelemetryConfig,
    private readonly registry: KafkaListenerRegistry,
  ) {}

  private api() {
    try {
      return inClusterApi();
    } catch (err) {
      throw new ConfigError(
        `LEAVE_GROUP_ON_SHUTDOWN=scale-down asks the API server with the pod's service account, which is not mounted (${(err as Error).message}); mount it (deploy/k8s/rbac.yaml) or set LEAVE_GROUP_ON_SHUTDOWN to always or never`,
      );
    }
  }

  onApplicationBootstrap(): void {
    const { leaveGroupOnShutdown: mode, podName } = this.config;
    // Without POD_NAME the member is dynamic: librdkafka leaves the group on close anyway.
    if (mode === 'never' || podName === undefined) return;
    if (mode === 'always') return this.registry.leaveGroupOnShutdown(true);
    const api = this.api();
    const detector = new ScaleDownDetector(podName, (statefulSet) => statefulSetReplicas(api, statefulSet));
    this.registry.leaveGroupOnShutdown(async () => {
      const leaving = await detector.leavingForGood();
      this.logger.log(
        leaving
          ? `${podName} is scaled away: its static member leaves the group`
          : `${podName} restarts: its static member keeps its partitions until it is back`,
      );
      return leaving;
    });
  }
}
