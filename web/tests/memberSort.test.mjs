// Unit tests of src/lib/memberSort.ts: the Org users table's header clicks
// become the API's `sort`, and the API's `sort` shows on its column.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importTs } from './load-ts.mjs';

const { orderOf, sortFrom } = await importTs('lib/memberSort.ts');

describe('sortFrom', () => {
  it('turns a column and a direction into the API value', () => {
    assert.equal(sortFrom('leads', 'ascend'), 'leads');
    assert.equal(sortFrom('leads', 'descend'), '-leads');
    assert.equal(sortFrom('last_sign_in', 'descend'), '-last_sign_in');
  });

  it('goes back to the default order without a direction or for an unknown column', () => {
    assert.equal(sortFrom('leads', null), '');
    assert.equal(sortFrom('leads', undefined), '');
    assert.equal(sortFrom('email', 'ascend'), '');
  });
});

describe('orderOf', () => {
  it('marks only the sorted column, in its direction', () => {
    assert.equal(orderOf('-joined', 'joined'), 'descend');
    assert.equal(orderOf('joined', 'joined'), 'ascend');
    assert.equal(orderOf('-joined', 'name'), null);
    assert.equal(orderOf('', 'name'), null);
  });
});
