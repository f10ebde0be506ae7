// The connection owner: one connection per instance however many borrow it, closed when the last
// borrower gives it back, a drop seen by every borrower, accept-new only for who asks, and — over
// random interleavings of borrows, returns and drops — never two open connections for one instance
// and never one left open with nobody holding it.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CommandTransportError, type CommandConnection } from '../../../src/connections/commandTransport';
import { SshConnections } from '../../../src/connections/sshConnections';
import type { SshTarget } from '../../../src/connections/types';
import { FakeTransport } from '../gpu/fakeTransport';

const target = (id: string, ip = '10.0.0.1'): SshTarget => ({
  id,
  ip,
  port: 22,
  user: 'ubuntu',
  identityFile: '/k/id_ed25519',
});

describe('SshConnections (the one owner of SSH connections)', () => {
  it('three borrowers of one instance share one connection; it closes when the last gives it back', async () => {
    const fake = new FakeTransport();
    const owner = new SshConnections(fake);
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => owner.connect(target('i1'))));
    assert.deepEqual(fake.connects, ['i1'], 'one TCP connection');
    await a!.run('echo a', 1000);
    await b!.run('echo b', 1000);
    await a!.close();
    await a!.close(); // giving back twice counts once
    assert.equal(fake.open.size, 1, 'still held by b and c');
    await assert.rejects(a!.run('echo late', 1000), (e: CommandTransportError) => e.kind === 'closed');
    await b!.close();
    await c!.close();
    assert.equal(fake.open.size, 0, 'closed with the last borrower');
    assert.equal(owner.openCount, 0);
    await owner.connect(target('i1'));
    assert.deepEqual(fake.connects, ['i1', 'i1'], 'a new borrow after that opens a new one');
  });

  it('another address, user or key for the same id is another connection (the facts open it, not the id)', async () => {
    const fake = new FakeTransport();
    const owner = new SshConnections(fake);
    await owner.connect(target('i1'));
    await owner.connect(target('i1', '10.0.0.2'));
    await owner.connect({ ...target('i1'), identityFile: '/k/other' });
    assert.equal(fake.connects.length, 3);
  });

  it('a drop reaches every borrower still holding it, and the next borrow connects again', async () => {
    const fake = new FakeTransport();
    const owner = new SshConnections(fake);
    const a = await owner.connect(target('i1'));
    const b = await owner.connect(target('i1'));
    const seen: string[] = [];
    a.onDrop((r) => seen.push(`a ${r}`));
    b.onDrop((r) => seen.push(`b ${r}`));
    await b.close(); // b gave it back: its listener is not called
    fake.openFor('i1')[0]!.drop('Connection reset');
    assert.deepEqual(seen, ['a Connection reset']);
    assert.equal(owner.openCount, 0);
    await owner.connect(target('i1'));
    assert.equal(fake.connects.length, 2);
  });

  it('a failed connect leaves nothing behind; accept-new is asked for only by the borrower that wants it, and retried for it', async () => {
    const fake = new FakeTransport();
    const owner = new SshConnections(fake);
    fake.connectErrors.set('i1', new CommandTransportError('hostKeyUnknown', 'no host key'));
    const sampler = owner.connect(target('i1'));
    const setup = owner.connect(target('i1'), { acceptNewHostKey: true });
    await assert.rejects(sampler, (e: CommandTransportError) => e.kind === 'hostKeyUnknown');
    // setup joined the sampler's attempt (no accept-new), then retried with its own
    await assert.rejects(setup, (e: CommandTransportError) => e.kind === 'hostKeyUnknown');
    assert.deepEqual(
      fake.connectOptions.map((o) => o.acceptNewHostKey === true),
      [false, true],
    );
    assert.equal(owner.openCount, 0);
    fake.connectErrors.delete('i1');
    await owner.connect(target('i1'), { acceptNewHostKey: true });
    assert.equal(owner.openCount, 1);
  });

  it('closeAll closes every connection; a borrower giving back afterwards is harmless', async () => {
    const fake = new FakeTransport();
    const owner = new SshConnections(fake);
    const a = await owner.connect(target('i1'));
    await owner.connect(target('i2'));
    await owner.closeAll();
    assert.equal(fake.open.size, 0);
    await a.close();
    assert.equal(fake.closes, 2);
  });

  it('any interleaving of borrows, returns and drops: at most one open connection per instance, none open that nobody holds', async () => {
    type Op = { kind: 'borrow' | 'return' | 'drop'; instance: number; pick: number };
    const op = fc.record({
      kind: fc.constantFrom<Op['kind']>('borrow', 'borrow', 'return', 'drop'),
      instance: fc.integer({ min: 0, max: 2 }),
      pick: fc.nat(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        const fake = new FakeTransport();
        const owner = new SshConnections(fake);
        const held: { id: string; conn: CommandConnection }[] = [];
        for (const o of ops) {
          const id = `i${o.instance}`;
          if (o.kind === 'borrow') held.push({ id, conn: await owner.connect(target(id)) });
          else if (o.kind === 'return' && held.length > 0) await held.splice(o.pick % held.length, 1)[0]!.conn.close();
          else if (o.kind === 'drop') fake.openFor(id)[0]?.drop();
          for (const i of [0, 1, 2]) {
            const open = fake.openFor(`i${i}`).length;
            assert.ok(open <= 1, `two connections to i${i}`);
          }
        }
        for (const h of held.splice(0)) await h.conn.close();
        assert.equal(fake.open.size, 0, 'nobody holds a connection: none is open');
        assert.equal(owner.openCount, 0);
      }),
      { numRuns: 300 },
    );
  });
});
