// antd's look for the tags and row buttons of a long table, without an antd
// component per cell.
//
// Every antd Tag and Button registers its theme's style variables, merges
// its semantic class names and wraps itself in motion and wave components on
// each render. Org users shows four tags, an "Action" button and a selection
// checkbox on each of 50 rows: those 300 components were about a sixth of the
// first render. Inside <TableStyles>, TableTag, the row buttons and the rows'
// checkboxes (selectionCell) are the same markup as antd's (its class names,
// the theme's hash and variable classes, computed here once per table) as
// plain elements; they lose only antd's click ripple. Outside it, they are
// antd's components.
//
// The table's own cells are rc-table's Cell components, each with three
// subscriptions to the table's context and two event hooks: 561 on a page of
// Org users. TableRow, a table's `components.body.row`, draws its simple
// cells as the <td> Cell would draw, without the component.
import { Children, createContext, isValidElement, useContext, useRef, useState } from 'react';
import type { ChangeEvent, ComponentType, CSSProperties, HTMLAttributes, MouseEvent, ReactElement, ReactNode } from 'react';
import Tag from 'antd/es/tag';
import { ConfigContext } from 'antd/es/config-provider';
import useButtonStyle from 'antd/es/button/style';
import useCheckboxStyle from 'antd/es/checkbox/style';
import useTagStyle from 'antd/es/tag/style';
import TagPresetStyle from 'antd/es/tag/style/presetCmp';

interface Classes {
  /** A filled tag without a colour: `ant-tag ant-tag-filled` and the theme's classes. */
  tag: string;
  tagPrefix: string;
  /** A small default button: `ant-btn … ant-btn-sm`. */
  smallButton: string;
  buttonPrefix: string;
  /** A checkbox's label and box: `ant-checkbox-wrapper …`, `ant-checkbox …`. */
  checkboxWrapper: string;
  checkbox: string;
  checkboxPrefix: string;
}

const TableClasses = createContext<Classes | null>(null);

/** The class names of the tags and buttons inside, asked of antd's style hooks once. */
export function TableStyles({ children }: { children: ReactNode }) {
  const { getPrefixCls } = useContext(ConfigContext);
  const tagPrefix = getPrefixCls('tag');
  const buttonPrefix = getPrefixCls('btn');
  const [tagHash, tagVariables] = useTagStyle(tagPrefix);
  const [buttonHash, buttonVariables] = useButtonStyle(buttonPrefix);
  const checkboxPrefix = getPrefixCls('checkbox');
  const checkboxRoot = `${checkboxPrefix}-css-var`;
  const [checkboxHash, checkboxVariables] = useCheckboxStyle(checkboxPrefix, checkboxRoot);
  const classes: Classes = {
    tag: [tagPrefix, `${tagPrefix}-filled`, tagHash, tagVariables].filter(Boolean).join(' '),
    tagPrefix,
    smallButton: [buttonPrefix, buttonHash, buttonVariables, `${buttonPrefix}-default`, `${buttonPrefix}-color-default`,
      `${buttonPrefix}-variant-outlined`, `${buttonPrefix}-sm`].filter(Boolean).join(' '),
    buttonPrefix,
    checkboxWrapper: [`${checkboxPrefix}-wrapper`, checkboxVariables, checkboxRoot, checkboxHash].filter(Boolean).join(' '),
    // `ant-wave-target` is where antd's ripple would draw; kept for the same markup.
    checkbox: [checkboxPrefix, 'ant-wave-target', checkboxHash].filter(Boolean).join(' '),
    checkboxPrefix,
  };
  return (
    <TableClasses.Provider value={classes}>
      <TagPresetStyle prefixCls={tagPrefix} />
      {children}
    </TableClasses.Provider>
  );
}

/** The classes of a small default button inside TableStyles, or null outside. */
export function useSmallButtonClasses(): { className: string; prefix: string } | null {
  const classes = useContext(TableClasses);
  return classes && { className: classes.smallButton, prefix: classes.buttonPrefix };
}

/** antd's Tag (filled, in one of antd's preset colours or none), for table cells. */
export function TableTag({ color, className, title, 'aria-label': ariaLabel, children }: {
  /** One of antd's preset colours ("green", "geekblue", …); none is grey. */
  color?: 'blue' | 'geekblue' | 'green' | 'orange' | 'volcano';
  className?: string;
  title?: string;
  'aria-label'?: string;
  children: ReactNode;
}) {
  const classes = useContext(TableClasses);
  if (!classes) return <Tag color={color} className={className} title={title} aria-label={ariaLabel}>{children}</Tag>;
  const names = [classes.tag, color && `${classes.tagPrefix}-${color}`, className].filter(Boolean).join(' ');
  return <span className={names} title={title} aria-label={ariaLabel}>{children}</span>;
}

interface SelectionCheckboxProps {
  'aria-label'?: string;
  checked?: boolean;
  indeterminate?: boolean;
  disabled?: boolean;
  onClick?: (event: MouseEvent<HTMLInputElement>) => void;
  onChange?: (event: { target: { checked: boolean }; nativeEvent: Event;
    stopPropagation: () => void; preventDefault: () => void }) => void;
}

/** A row's selection checkbox for antd Table's `rowSelection.renderCell`:
 *  antd's own checkbox element (`origin`) drawn as plain markup, its
 *  handlers kept, so selection (shift-click ranges too) is antd's. */
export function selectionCell(_checked: boolean, _record: unknown, _index: number, origin: ReactNode) {
  return isValidElement<SelectionCheckboxProps>(origin) ? <SelectionCheckbox origin={origin.props} fallback={origin} /> : origin;
}

function SelectionCheckbox({ origin, fallback }: { origin: SelectionCheckboxProps; fallback: ReactNode }) {
  const classes = useContext(TableClasses);
  if (!classes) return fallback;
  const prefix = classes.checkboxPrefix;
  const { checked = false, indeterminate = false, disabled = false } = origin;
  const wrapper = [classes.checkboxWrapper, checked && `${prefix}-wrapper-checked`, disabled && `${prefix}-wrapper-disabled`];
  const box = [classes.checkbox, indeterminate && `${prefix}-indeterminate`, checked && `${prefix}-checked`, disabled && `${prefix}-disabled`];
  return (
    <label className={wrapper.filter(Boolean).join(' ')}>
      <span className={box.filter(Boolean).join(' ')}>
        <input
          type="checkbox"
          className={`${prefix}-input`}
          aria-label={origin['aria-label']}
          checked={checked}
          disabled={disabled}
          onClick={origin.onClick}
          onChange={(event: ChangeEvent<HTMLInputElement>) => origin.onChange?.({
            target: { checked: event.target.checked },
            nativeEvent: event.nativeEvent,
            stopPropagation: () => event.stopPropagation(),
            preventDefault: () => event.preventDefault(),
          })}
        />
      </span>
    </label>
  );
}

/** The props rc-table's body row gives each of its Cell elements. */
interface CellProps {
  component: ComponentType<HTMLAttributes<HTMLTableCellElement>> | 'td';
  prefixCls: string;
  className?: string;
  style?: CSSProperties;
  align?: CSSProperties['textAlign'];
  record?: object;
  dataIndex?: string | number | readonly (string | number)[];
  render?: (value: unknown, record: object, index: number) => ReactNode;
  renderIndex: number;
  children?: ReactNode;
  ellipsis?: unknown;
  scope?: string;
  fixStart?: number | false;
  fixEnd?: number | false;
  appendNode?: ReactNode;
  additionalProps?: HTMLAttributes<HTMLTableCellElement>;
}

/** A cell's content as rc-table renders it, or undefined where Cell does more
 *  than a plain <td> (fixed columns, spans, ellipsis, cell props, legacy
 *  `{children, props}` renders): that cell stays rc-table's. */
function simpleContent(props: CellProps): { node: ReactNode } | undefined {
  if (props.record === undefined || props.children != null || props.ellipsis || props.scope || props.appendNode
    || typeof props.fixStart === 'number' || typeof props.fixEnd === 'number') return undefined;
  if (props.additionalProps && Object.keys(props.additionalProps).length > 0) return undefined;
  const path = props.dataIndex == null || props.dataIndex === '' ? []
    : Array.isArray(props.dataIndex) ? props.dataIndex : [props.dataIndex];
  let value: unknown = props.record;
  for (const key of path) value = value == null ? undefined : (value as Record<string | number, unknown>)[key];
  if (!props.render) return isValidElement(value) || typeof value !== 'object' || value === null ? { node: value as ReactNode } : undefined;
  const node = props.render(value, props.record, props.renderIndex);
  if (node !== null && typeof node === 'object' && !Array.isArray(node) && !isValidElement(node)) return undefined;
  return { node };
}

interface CachedCell {
  record: object;
  render: CellProps['render'];
  renderIndex: number;
  content: { node: ReactNode } | undefined;
}

/**
 * A table body row for antd Table's `components={{ body: { row: TableRow } }}`.
 * Its cells are the <td>s rc-table's Cell renders (same classes, alignment
 * and content, `…-cell-row-hover` while the pointer is on the row), drawn
 * here; a cell's content is rendered again only when its record or render
 * function changes. Rows that are not a record's (the empty placeholder) and
 * cells that need more than a <td> are rc-table's own.
 */
export function TableRow({ children, onMouseEnter, onMouseLeave, ...props }: HTMLAttributes<HTMLTableRowElement>) {
  const [hovered, setHovered] = useState(false);
  const cache = useRef(new Map<string, CachedCell>());
  const cells = Children.toArray(children);
  const simple = cells.length > 0 && cells.every((cell) => isValidElement<CellProps>(cell) && cell.props.record !== undefined);
  if (!simple) return <tr onMouseEnter={onMouseEnter} onMouseLeave={onMouseLeave} {...props}>{children}</tr>;
  return (
    <tr
      {...props}
      onMouseEnter={(event) => { setHovered(true); onMouseEnter?.(event); }}
      onMouseLeave={(event) => { setHovered(false); onMouseLeave?.(event); }}
    >
      {cells.map((cell) => {
        const element = cell as ReactElement<CellProps>;
        const cellProps = element.props;
        const key = String(element.key);
        let cached = cache.current.get(key);
        if (!cached || cached.record !== cellProps.record || cached.render !== cellProps.render
          || cached.renderIndex !== cellProps.renderIndex) {
          cached = { record: cellProps.record!, render: cellProps.render, renderIndex: cellProps.renderIndex,
            content: simpleContent(cellProps) };
          cache.current.set(key, cached);
        }
        if (!cached.content) return element;
        const Cell = cellProps.component;
        const prefix = `${cellProps.prefixCls}-cell`;
        const className = [prefix, cellProps.className, hovered && `${prefix}-row-hover`].filter(Boolean).join(' ');
        const style = cellProps.align || cellProps.style ? { textAlign: cellProps.align, ...cellProps.style } : undefined;
        return <Cell key={key} className={className} style={style}>{cached.content.node}</Cell>;
      })}
    </tr>
  );
}
