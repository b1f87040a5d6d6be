/** A StatefulSet pod's name: `<statefulset>-<ordinal>`. */
const STATEFUL_POD = /^(.+)-(\d+)$/;

/**
 * Tells a pod that a scale-down deletes (its ordinal is at or beyond the replicas its StatefulSet
 * wants now) from one that restarts and comes back as itself (a rollout, an eviction, a crash).
 */
export class ScaleDownDetector {
  private readonly statefulSet: string;
  private readonly ordinal: number;

  constructor(
    podName: string,
    private readonly replicasOf: (statefulSet: string) => Promise<number>,
  ) {
    const match = STATEFUL_POD.exec(podName);
    if (!match) throw new Error(`POD_NAME "${podName}" is not a StatefulSet pod's name (<name>-<ordinal>)`);
    this.statefulSet = match[1];
    this.ordinal = Number(match[2]);
  }

  async leavingForGood(): Promise<boolean> {
    return this.ordinal >= (await this.replicasOf(this.statefulSet));
  }
}
