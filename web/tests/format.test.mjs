// Unit tests of src/lib/format.ts: the words the console builds from counts
// and statuses ("Showing 1 member", "1 lead", "New").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importTs } from './load-ts.mjs';

const { capitalized, plural } = await importTs('lib/format.ts');

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
