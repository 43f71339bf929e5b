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
import { createContext, isValidElement, useContext } from 'react';
import type { ChangeEvent, MouseEvent, ReactNode } from 'react';
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
