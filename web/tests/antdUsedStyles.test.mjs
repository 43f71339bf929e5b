// Unit tests of scripts/antd-used-styles.mjs: which of antd.css's rules the
// console keeps, and which components it finds the console can render.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { antdPrefixes, keepUsedRules } from '../scripts/antd-used-styles.mjs';

const prefixes = { known: new Set(['btn', 'input', 'input-number', 'picker', 'table']), used: new Set(['btn', 'input', 'table']) };

describe('keepUsedRules', () => {
  const cases = [
    ['keeps a used component\'s rule', '.ant-btn{color:red}', '.ant-btn{color:red}'],
    ['drops an unused component\'s rule', '.ant-picker{color:red}', ''],
    ['keeps the used selectors of a list', '.ant-btn,.ant-picker-input{color:red}', '.ant-btn{color:red}'],
    ['drops a selector that needs an unused component inside a used one', '.ant-table .ant-picker{margin:0}', ''],
    ['gives a class to the longest prefix', '.ant-input-number-handler{color:red}.ant-input-affix-wrapper{color:blue}', '.ant-input-affix-wrapper{color:blue}'],
    ['keeps classes of no component (motion, hashes, the console\'s own)', '.ant-zoom-enter,.css-var-x .members-table{opacity:0}', '.ant-zoom-enter,.css-var-x .members-table{opacity:0}'],
    ['filters inside @media and drops an emptied one', '@media (max-width:575px){.ant-picker{width:100%}}@media print{.ant-btn{display:none}}', '@media print{.ant-btn{display:none}}'],
    ['keeps keyframes whole', '@keyframes antZoomIn{0%{opacity:0}to{opacity:1}}', '@keyframes antZoomIn{0%{opacity:0}to{opacity:1}}'],
    ['does not split at commas inside :is() or strings', ':is(.ant-btn,.ant-input) [title="a,b"]{color:red}.ant-picker:is(.a,.b){color:red}', ':is(.ant-btn,.ant-input) [title="a,b"]{color:red}'],
    ['lets no class inside :not() or :is() decide', '.ant-btn:not(.ant-picker-x){color:red}:is(.ant-picker,.ant-btn) span{color:blue}', '.ant-btn:not(.ant-picker-x){color:red}:is(.ant-picker,.ant-btn) span{color:blue}'],
  ];
  for (const [name, css, expected] of cases) {
    it(name, () => assert.equal(keepUsedRules(css, prefixes), expected));
  }
});

describe('antdPrefixes', () => {
  it('finds the components the console renders, through the antd components it imports', () => {
    const { known, used } = antdPrefixes(fileURLToPath(new URL('../src', import.meta.url)),
      fileURLToPath(new URL('../node_modules/antd/es', import.meta.url)));
    // Imported by the console's pages.
    for (const prefix of ['btn', 'table', 'modal', 'form', 'select', 'tag', 'checkbox', 'dropdown', 'menu']) assert.ok(used.has(prefix), prefix);
    // Inside those: the table's pagination and spinner, the form's grid.
    for (const prefix of ['pagination', 'spin', 'row', 'col']) assert.ok(used.has(prefix), prefix);
    // antd components the console never renders.
    for (const prefix of ['picker', 'upload', 'tour', 'color-picker']) {
      assert.ok(known.has(prefix), prefix);
      assert.ok(!used.has(prefix), prefix);
    }
  });
});
