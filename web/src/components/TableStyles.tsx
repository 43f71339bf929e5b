// antd's look for the tags and row buttons of a long table, without an antd
// component per cell.
//
// Every antd Tag and Button registers its theme's style variables, merges
// its semantic class names and wraps itself in motion and wave components on
// each render. Org users shows four tags and an "Action" button on each of 50
// rows: those 250 components were about a sixth of the first render. Inside
// <TableStyles>, TableTag and the row buttons are the same markup as antd's
// (its class names, the theme's hash and variable classes, computed here
// once per table) as plain elements. Outside it, TableTag is antd's Tag.
import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import Tag from 'antd/es/tag';
import { ConfigContext } from 'antd/es/config-provider';
import useButtonStyle from 'antd/es/button/style';
import useTagStyle from 'antd/es/tag/style';
import TagPresetStyle from 'antd/es/tag/style/presetCmp';

interface Classes {
  /** A filled tag without a colour: `ant-tag ant-tag-filled` and the theme's classes. */
  tag: string;
  tagPrefix: string;
  /** A small default button: `ant-btn … ant-btn-sm`. */
  smallButton: string;
  buttonPrefix: string;
}

const TableClasses = createContext<Classes | null>(null);

/** The class names of the tags and buttons inside, asked of antd's style hooks once. */
export function TableStyles({ children }: { children: ReactNode }) {
  const { getPrefixCls } = useContext(ConfigContext);
  const tagPrefix = getPrefixCls('tag');
  const buttonPrefix = getPrefixCls('btn');
  const [tagHash, tagVariables] = useTagStyle(tagPrefix);
  const [buttonHash, buttonVariables] = useButtonStyle(buttonPrefix);
  const classes: Classes = {
    tag: [tagPrefix, `${tagPrefix}-filled`, tagHash, tagVariables].filter(Boolean).join(' '),
    tagPrefix,
    smallButton: [buttonPrefix, buttonHash, buttonVariables, `${buttonPrefix}-default`, `${buttonPrefix}-color-default`,
      `${buttonPrefix}-variant-outlined`, `${buttonPrefix}-sm`].filter(Boolean).join(' '),
    buttonPrefix,
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
