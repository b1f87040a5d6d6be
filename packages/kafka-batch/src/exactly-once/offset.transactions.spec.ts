import { FakeClock } from '../../test/unit/fakes/fake.clock';
import { FakeLedger, FakeOffsetStore } from '../../test/unit/fakes/fake.offset-store';
import type { ListenerInvoker } from '../batch/batch.runner';
import type { KafkaBatch } from '../interfaces/kafka-record.interface';
import { OffsetsFencedError } from './offsets-fenced.error';
import { OffsetTransactions } from './offset.transactions';

const P0 = { topic: 't', partition: 0 };
const quiet = { log: () => undefined, error: () => undefined, warn: () => undefined };

const batchOf = (from: number, to: number) =>
  ({
    records: Array.from({ length: to - from }, (_, i) => ({ ...P0, offset: from + i })),
  }) as unknown as KafkaBatch;

/** Counts every record it is given in the transaction, as the application's writes would. */
const counting: ListenerInvoker = async (payload, _ack, manager) => {
  for (const { offset } of (payload as KafkaBatch).records) (manager as FakeLedger).add(`o${offset}`);
};

describe('OffsetTransactions', () => {
  it('does not store a batch again whose records its own earlier commit already stored', async () => {
    const store = new FakeOffsetStore();
    store.storeFromElsewhere(0, 0);
    const transactions = new OffsetTransactions(store, 'g', new FakeClock(), quiet);
    await transactions.restore([P0], new AbortController().signal);
    let finishFirst!: () => void;
    const firstHandled = new Promise<void>((resolve) => (finishFirst = resolve));
    const first = transactions.wrap(async (payload, ack, manager) => {
      await firstHandled;
      await counting(payload, ack, manager);
    })(batchOf(0, 4), undefined as never);

    // The partition is lost and assigned here again while the first batch still runs: the new
    // assignment starts where the database says, which is before the first batch's commit.
    expect(await transactions.restore([P0], new AbortController().signal)).toEqual([{ ...P0, offset: 0 }]);
    finishFirst();
    await first;
    const again = transactions.wrap(counting)(batchOf(0, 4), undefined as never);

    await expect(again).rejects.toThrow(OffsetsFencedError);
    await expect(again).rejects.toMatchObject({ stored: [{ ...P0, offset: 4 }] });
    expect(Object.fromEntries(store.counters)).toEqual({ o0: 1, o1: 1, o2: 1, o3: 1 });
    expect(store.log).toEqual(['read 0', 'read 0', 'commit 0:0->4', 'read 0']);
  });

  it('stores a batch that starts past the stored offset (a gap in the log) from where it was', async () => {
    const store = new FakeOffsetStore();
    store.storeFromElsewhere(0, 10);
    const transactions = new OffsetTransactions(store, 'g', new FakeClock(), quiet);
    await transactions.restore([P0], new AbortController().signal);

    await transactions.wrap(counting)(batchOf(12, 14), undefined as never);

    expect(store.log).toEqual(['read 0', 'commit 0:10->14']);
  });
});
