import { WireReader, WireWriter } from './kafka-wire.codec';
import { authenticate, SaslCredentials, WireRequester } from './sasl.authenticator';

/** A broker that answers SaslHandshake with `mechanisms` and SaslAuthenticate with `answers` in turn. */
function scriptedBroker(
  mechanisms: string[],
  answers: { error?: number; message?: string; bytes?: string }[],
) {
  const sent: string[] = [];
  const broker: WireRequester = {
    request(apiKey, _version, body) {
      const request = new WireReader(body.toBuffer());
      if (apiKey === 17) {
        const mechanism = request.string()!;
        const code = mechanisms.includes(mechanism) ? 0 : 33;
        return Promise.resolve(read(new WireWriter().int16(code).array(mechanisms, (w, m) => w.string(m))));
      }
      sent.push(request.bytes()!.toString('utf8'));
      const answer = answers.shift()!;
      return Promise.resolve(
        read(
          new WireWriter()
            .int16(answer.error ?? 0)
            .string(answer.message ?? null)
            .bytes(Buffer.from(answer.bytes ?? ''))
            .int32(0)
            .int32(0),
        ),
      );
    },
  };
  return { broker, sent };
}

const read = (writer: WireWriter) => new WireReader(writer.toBuffer());

// RFC 7677, section 3: the SCRAM-SHA-256 exchange for user "user", password "pencil".
const RFC_7677 = {
  credentials: { mechanism: 'SCRAM-SHA-256', username: 'user', password: 'pencil' } as SaslCredentials,
  clientNonce: 'rOprNGfwEbeRWgbNEkqO',
  serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  clientFinal:
    'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
};

describe('SASL authentication', () => {
  it('runs SCRAM-SHA-256 as RFC 7677 shows it, and checks the server signature', async () => {
    const { broker, sent } = scriptedBroker(
      ['SCRAM-SHA-256'],
      [{ bytes: RFC_7677.serverFirst }, { bytes: RFC_7677.serverFinal }],
    );
    await authenticate(broker, RFC_7677.credentials, RFC_7677.clientNonce);
    expect(sent).toEqual([`n,,n=user,r=${RFC_7677.clientNonce}`, RFC_7677.clientFinal]);
  });

  it('refuses a server that cannot prove it knows the password', async () => {
    const { broker } = scriptedBroker(
      ['SCRAM-SHA-256'],
      [{ bytes: RFC_7677.serverFirst }, { bytes: 'v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }],
    );
    await expect(authenticate(broker, RFC_7677.credentials, RFC_7677.clientNonce)).rejects.toThrow(
      "SCRAM: the server's signature is wrong",
    );
  });

  it('sends PLAIN credentials as one message', async () => {
    const { broker, sent } = scriptedBroker(['PLAIN'], [{}]);
    await authenticate(broker, { mechanism: 'PLAIN', username: 'reader', password: 's3cret' });
    expect(sent).toEqual(['\0reader\0s3cret']);
  });

  it("names the mechanism, the user and the broker's reason when it refuses, never the password", async () => {
    const { broker } = scriptedBroker(['PLAIN'], [{ error: 58, message: 'Invalid username or password' }]);
    const refused = authenticate(broker, { mechanism: 'PLAIN', username: 'reader', password: 's3cret' });
    await expect(refused).rejects.toThrow(
      'SASL PLAIN authentication as "reader" failed: Invalid username or password',
    );
    const { broker: scramOnly } = scriptedBroker(['SCRAM-SHA-512'], []);
    await expect(
      authenticate(scramOnly, { mechanism: 'PLAIN', username: 'reader', password: 's3cret' }),
    ).rejects.toThrow('the broker does not take SASL mechanism PLAIN (error 33; it takes SCRAM-SHA-512)');
  });
});
