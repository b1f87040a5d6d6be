import type { KafkaListenerRegistry, LeaveGroupDecision } from '@org/kafka-batch';
import { telemetryConfigFromEnv } from '../config/telemetry.config';
import { GroupLeaveInitializer } from './group-leave.initializer';

function decisionFor(env: NodeJS.ProcessEnv): LeaveGroupDecision | 'not set' {
  let decision: LeaveGroupDecision | 'not set' = 'not set';
  const registry = { leaveGroupOnShutdown: (d: LeaveGroupDecision) => (decision = d) };
  new GroupLeaveInitializer(
    telemetryConfigFromEnv(env),
    registry as unknown as KafkaListenerRegistry,
  ).onApplicationBootstrap();
  return decision;
}

describe('GroupLeaveInitializer', () => {
  it('leaves always or never as LEAVE_GROUP_ON_SHUTDOWN says; a dynamic member (no POD_NAME) is left alone', () => {
    expect(decisionFor({ POD_NAME: 'telemetry-0', LEAVE_GROUP_ON_SHUTDOWN: 'always' })).toBe(true);
    expect(decisionFor({ POD_NAME: 'telemetry-0', LEAVE_GROUP_ON_SHUTDOWN: 'never' })).toBe('not set');
    expect(decisionFor({ LEAVE_GROUP_ON_SHUTDOWN: 'always' })).toBe('not set');
  });

  it('fails at startup, saying what to do, when scale-down has no service account to ask with', () => {
    expect(() => decisionFor({ POD_NAME: 'telemetry-0', LEAVE_GROUP_ON_SHUTDOWN: 'scale-down' })).toThrow(
      /^LEAVE_GROUP_ON_SHUTDOWN=scale-down asks the API server with the pod's service account, which is not mounted \(ENOENT.*\); mount it \(deploy\/k8s\/rbac.yaml\) or set LEAVE_GROUP_ON_SHUTDOWN to always or never$/,
    );
  });
});
