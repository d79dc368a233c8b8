import { describe, expect, test } from 'vitest';
import { parseJson, runCli } from '../../test/fixtures/issue8/run-cli';

describe('netra-verify ids', { timeout: 30_000 }, () => {
  test('generate then parse: the thread comes back, the timestamp is now', async () => {
    const before = Date.now();
    const generated = await runCli([
      'ids',
      'generate',
      '--thread',
      'thread_with_underscores-1',
      '--count',
      '3',
    ]);
    expect(generated.code).toBe(0);
    const ids = generated.stdout.trim().split('\n');
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    const parsed = parseJson(await runCli(['ids', 'parse', ids[2]!, '--json']));
    expect(parsed).toMatchObject({
      ok: true,
      runId: ids[2],
      threadId: 'thread_with_underscores-1',
      format: 'current',
    });
    expect(parsed.suffix).toMatch(/^[0-9a-f]{8}$/);
    expect(Number(parsed.timestamp)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(parsed.createdAt)).toBe(Number(parsed.timestamp));
  });

  test('generate without --thread makes a new thread; --json lists it', async () => {
    const result = parseJson(await runCli(['ids', 'generate', '--json']));
    expect(result.ok).toBe(true);
    expect(result.threadId).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(result.runIds[0]).toMatch(new RegExp(`^run_${result.threadId}_\\d{13}_[0-9a-f]{8}$`));
  });

  test.each([
    ['run_t1_1717171717171_0a1b2c3d', 0, 'current'],
    ['run_old_thread_4242_deadbeef', 0, 'legacy'],
    ['run_t1_1717171717171_0A1B2C3D', 1, undefined],
    ['run__1717171717171_0a1b2c3d', 1, undefined],
    ['thread_1717171717171_0a1b2c3d', 1, undefined],
    ['run_t1_17171717171717_0a1b2c3d', 1, undefined],
  ])('parse %s → exit %i', async (id, code, format) => {
    const result = await runCli(['ids', 'parse', id, '--json']);
    expect(result.code).toBe(code);
    const json = parseJson(result);
    expect(json.ok).toBe(code === 0);
    if (format !== undefined) expect(json.format).toBe(format);
    else expect(json.issues[0]).toMatchObject({ code: 'invalid', severity: 'error' });
  });

  test('human output names the parts; a bad ID explains the expected form', async () => {
    const good = await runCli(['ids', 'parse', 'run_t1_1717171717171_0a1b2c3d']);
    expect(good.stdout).toContain('thread:    t1');
    expect(good.stdout).toContain('created:   2024-05-31T');
    const bad = await runCli(['ids', 'parse', 'nope']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/run_\{threadId\}/);
  });

  test('a thread ID the contract refuses is a usage error (exit 2), not a stack trace', async () => {
    const result = await runCli(['ids', 'generate', '--thread', 'has space/and slash']);
    expect(result.code).toBe(2);
    // The value once, then the rule once (not "is not a valid thread ID: Invalid thread ID").
    expect(result.stderr).toContain('--thread "has space/and slash": Invalid thread ID: expected 1 to 256');
    expect(result.stderr.match(/thread ID/gi)).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test('parse without an ID and --help with an example', async () => {
    expect((await runCli(['ids', 'parse'])).code).toBe(2);
    const help = await runCli(['ids', 'parse', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('netra-verify ids parse run_');
    expect((await runCli(['ids', 'generate', '--help'])).stdout).toContain('--thread');
  });
});
