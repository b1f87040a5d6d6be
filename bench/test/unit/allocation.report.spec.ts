import { allocationSites, ProfileNode } from '../../profiling/allocation.report';

const node = (
  functionName: string,
  url: string,
  selfSize: number,
  children: ProfileNode[] = [],
): ProfileNode => ({
  callFrame: { functionName, url, lineNumber: 9 },
  selfSize,
  children,
});

describe('allocationSites', () => {
  it('adds up each function’s bytes over every stack it appears in, heaviest first', () => {
    const decode = '/work/x/packages/kafka-batch/dist/records/record.decoder.js';
    const head = node('(root)', '', 0, [
      node('decodeOne', decode, 300, [node('', '', 50)]),
      node('run', '/work/x/node_modules/.pnpm/pg@8/node_modules/pg/lib/query.js', 100, [
        node('decodeOne', decode, 200),
      ]),
    ]);
    expect(allocationSites(head)).toEqual([
      { site: 'decodeOne packages/kafka-batch/dist/records/record.decoder.js:10', bytes: 500 },
      { site: 'run pg/lib/query.js:10', bytes: 100 },
      { site: '(anonymous)', bytes: 50 },
    ]);
  });
});
