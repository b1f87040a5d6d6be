import { authenticationFailureInLog, describeAuthenticationFailure } from '@org/kafka-batch';

/**
 * Tells a refused login from a broker that does not answer. librdkafka retries refused credentials
 * and fails the waiting call at its timeout with the same "Broker transport failure" as when the
 * broker is down: only its log lines say which. Feed it the client's 'event.log'.
 */
export class AuthenticationWatch {
  private failure: string | undefined;

  constructor(private readonly config: Record<string, unknown>) {}

  readonly onLog = (line: { fac: string; message: string }): void => {
    const reason = authenticationFailureInLog(line);
    if (reason !== undefined) this.failure = describeAuthenticationFailure(this.config, reason);
  };

  /** The error for a call that failed: the last authentication failure, else "not reachable". */
  unavailable(clientError: { message: string }): Error {
    const bootstrap = String(this.config['bootstrap.servers']);
    return new Error(
      this.failure === undefined
        ? `Kafka at ${bootstrap} is not reachable: ${clientError.message}`
        : `Kafka at ${bootstrap}: ${this.failure}`,
    );
  }
}
