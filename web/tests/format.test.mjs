// Unit tests of src/lib/format.ts: the words the console builds from counts
// and statuses ("Showing 1 member", "1 lead", "New").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importTs } from './load-ts.mjs';

const { capitalized, formatDuration, formatWait, plural } = await importTs('lib/format.ts');

describe('plural', () => {
  it('uses the singular for exactly one', () => {
    assert.equal(plural(1, 'member'), '1 member');
    assert.equal(plural(1, 'lead'), '1 lead');
    assert.equal(plural(1, 'delivery', 'deliveries'), '1 delivery');
  });

  it('uses the plural for zero and for more than one', () => {
    assert.equal(plural(0, 'user'), '0 users');
    assert.equal(plural(2, 'user'), '2 users');
    assert.equal(plural(7, 'delivery', 'deliveries'), '7 deliveries');
  });

  it('groups the digits of large counts', () => {
    assert.equal(plural(10000, 'member'), '10,000 members');
  });
});

describe('capitalized', () => {
  it('capitalizes a status word and spells out underscores', () => {
    assert.equal(capitalized('new'), 'New');
    assert.equal(capitalized('invite_expired'), 'Invite expired');
    assert.equal(capitalized(''), '');
  });
});

describe('formatDuration', () => {
  it('says hours, minutes and days as people do', () => {
    assert.equal(formatDuration(86400), '24 hours');
    assert.equal(formatDuration(7200), '2 hours');
    assert.equal(formatDuration(3600), '1 hour');
    assert.equal(formatDuration(1800), '30 minutes');
    assert.equal(formatDuration(5400), '1 hour 30 minutes');
    assert.equal(formatDuration(3 * 86400), '3 days');
    assert.equal(formatDuration(60), '1 minute');
    assert.equal(formatDuration(5), '5 seconds');
  });
});

describe('formatWait', () => {
  it('rounds a wait to what people say', () => {
    assert.equal(formatWait(3595), 'about an hour');
    assert.equal(formatWait(10), '10 seconds');
    assert.equal(formatWait(60), 'about a minute');
    assert.equal(formatWait(1200), 'about 20 minutes');
    assert.equal(formatWait(3 * 3600), 'about 3 hours');
  });
});
